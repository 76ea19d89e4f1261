from __future__ import annotations

import datetime as dt
import logging
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import User
from relais.networks.enums import Role
from relais.networks.models import Invitation, NetworkRole
from relais.networks.services import InvitationError, invitation_create
from tests.conftest import Personas
from tests.factories import OrganisationFactory, UserFactory

STRONG = "Cantine-Bio-Rennes-2025"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Tests run inside a transaction: run the after-commit callbacks (the e-mail task) as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _invite(client: Client, personas: Personas, on_commit: Any = None, **data: str) -> Any:
    client.force_login(personas.animator)
    payload = {"email": "nouvelle@exemple.fr", "role": Role.MEMBER, "organisation": "", "siret": ""} | data
    url = reverse("web:invitation_create", kwargs={"slug": personas.network.slug})
    if on_commit is None:
        return client.post(url, payload)
    with on_commit():
        return client.post(url, payload)


def _link_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/invitation/[^/\s]+/)", body)
    assert match, body
    return match.group(1)


def test_invitation_sends_an_email_with_a_link_and_acceptance_creates_account_and_role(
    client: Client, personas: Personas, mailoutbox: list[object], on_commit: Any
) -> None:
    response = _invite(client, personas, on_commit)
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nouvelle@exemple.fr")
    assert invitation.network == personas.network
    assert invitation.invited_by == personas.animator

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nouvelle@exemple.fr"]  # type: ignore[attr-defined]
    path = _link_path(message.body)  # type: ignore[attr-defined]
    assert invitation.token in path

    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert "Créez votre compte" in unescape(page.content.decode())

    accepted = client.post(path, {"full_name": "Nouvelle Acheteuse", "password1": STRONG, "password2": STRONG})
    assert accepted.status_code == 302
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert user.full_name == "Nouvelle Acheteuse"
    assert user.check_password(STRONG)
    assert NetworkRole.objects.filter(user=user, network=personas.network, role=Role.MEMBER).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.session.get("_auth_user_id") == str(user.pk)

    # Single use: the same link now says so.
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "déjà été acceptée" in unescape(again.content.decode())


def test_weak_password_is_refused_by_django_validators(
    client: Client, personas: Personas, mailoutbox: list[object], on_commit: Any
) -> None:
    _invite(client, personas, on_commit)
    path = _link_path(mailoutbox[0].body)  # type: ignore[attr-defined]
    client.logout()
    response = client.post(path, {"full_name": "Nouvelle", "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert not User.objects.filter(email="nouvelle@exemple.fr").exists()
    html = unescape(response.content.decode())
    assert 'aria-describedby="id_password1_helptext id_password1_error"' in html
    assert 'id="id_password1_error"' in html


def test_existing_account_must_log_in_first_then_accepts(
    client: Client, personas: Personas, mailoutbox: list[object], on_commit: Any
) -> None:
    existing = UserFactory.create(email="deja@exemple.fr")
    org = OrganisationFactory.create(name="Atelier Vélo", supplier=True)
    response = _invite(client, personas, on_commit, email="deja@exemple.fr", role=Role.SUPPLIER, siret=org.siret or "")
    assert response.status_code == 302
    path = _link_path(mailoutbox[0].body)  # type: ignore[attr-defined]
    client.logout()

    to_login = client.get(path)
    assert to_login.status_code == 302
    assert to_login["Location"].startswith(reverse("web:login"))

    client.force_login(personas.member)  # another account
    assert client.post(path).status_code == 403
    assert not NetworkRole.objects.filter(user=existing, role=Role.SUPPLIER).exists()

    client.force_login(existing)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    role = NetworkRole.objects.get(user=existing, network=personas.network, role=Role.SUPPLIER)
    assert role.organisation == org


@pytest.mark.parametrize("who", ["anonymous", "member", "supplier", "facilitator", "other_animator"])
def test_only_animators_of_the_network_may_invite(client: Client, personas: Personas, who: str) -> None:
    user = personas.all()[who]
    if who != "anonymous":
        client.force_login(user)  # type: ignore[arg-type]
    url = reverse("web:invitation_create", kwargs={"slug": personas.network.slug})
    assert client.get(url).status_code == 403
    response = client.post(url, {"email": "x@exemple.fr", "role": Role.ANIMATOR})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_animator_page_lists_invitations_and_logs_the_access(
    client: Client, personas: Personas, caplog: pytest.LogCaptureFixture
) -> None:
    invitation_create(
        network=personas.network, email="liste@exemple.fr", role=Role.MEMBER, organisation=None, by=personas.animator
    )
    client.force_login(personas.animator)
    with caplog.at_level(logging.INFO, logger="relais.access"):
        response = client.get(reverse("web:invitation_create", kwargs={"slug": personas.network.slug}))
    assert response.status_code == 200
    assert "liste@exemple.fr" in unescape(response.content.decode())
    records = [r for r in caplog.records if r.name == "relais.access"]
    assert records
    assert str(personas.animator.public_id) in records[0].getMessage()
    assert "invitations_viewed" in records[0].getMessage()


def test_site_admin_may_invite(client: Client, personas: Personas) -> None:
    client.force_login(personas.site_admin)
    url = reverse("web:invitation_create", kwargs={"slug": personas.network.slug})
    assert client.get(url).status_code == 200


def test_expired_token_is_refused_with_a_clear_message(client: Client, personas: Personas) -> None:
    invitation = invitation_create(
        network=personas.network, email="tard@exemple.fr", role=Role.MEMBER, organisation=None, by=personas.animator
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    path = reverse("web:invitation_accept", kwargs={"token": invitation.token})
    response = client.get(path)
    assert response.status_code == 410
    assert "a expiré" in unescape(response.content.decode())
    posted = client.post(path, {"full_name": "Tard", "password1": STRONG, "password2": STRONG})
    assert posted.status_code == 410
    assert not User.objects.filter(email="tard@exemple.fr").exists()


def test_unknown_token_is_404(client: Client, db: None) -> None:
    response = client.get(reverse("web:invitation_accept", kwargs={"token": "n-existe-pas"}))
    assert response.status_code == 404
    assert "n'existe pas" in unescape(response.content.decode())


def test_duplicate_pending_invitation_is_refused(personas: Personas) -> None:
    invitation_create(
        network=personas.network, email="deux@exemple.fr", role=Role.MEMBER, organisation=None, by=personas.animator
    )
    with pytest.raises(InvitationError):
        invitation_create(
            network=personas.network, email="DEUX@exemple.fr", role=Role.MEMBER, organisation=None, by=personas.animator
        )


def test_animator_invitation_cannot_carry_an_organisation(personas: Personas) -> None:
    with pytest.raises(InvitationError):
        invitation_create(
            network=personas.network,
            email="anim@exemple.fr",
            role=Role.ANIMATOR,
            organisation=OrganisationFactory.create(),
            by=personas.animator,
        )


def test_member_role_requires_a_member_organisation(client: Client, personas: Personas) -> None:
    outsider = OrganisationFactory.create(name="Commune non adhérente")
    response = _invite(client, personas, siret=outsider.siret or "")
    assert response.status_code == 200
    assert "n'est pas adhérente du réseau" in unescape(response.content.decode())
    assert not Invitation.objects.exists()


def test_member_organisation_is_chosen_by_public_id(
    client: Client, personas: Personas, mailoutbox: list[object], on_commit: Any
) -> None:
    buyer = personas.member.network_roles.get().organisation
    assert buyer is not None
    client.force_login(personas.animator)
    html = client.get(reverse("web:invitation_create", kwargs={"slug": personas.network.slug})).content.decode()
    assert f'value="{buyer.public_id}"' in html
    assert f'value="{buyer.pk}"' not in html
    response = _invite(client, personas, on_commit, organisation=str(buyer.public_id))
    assert response.status_code == 302
    assert Invitation.objects.get(email="nouvelle@exemple.fr").organisation == buyer
