"""Who gets what on the sourcing-need pages and the notification inbox, for each persona of the fixed cast.

tests/test_permissions.py delegates the `web:need…`, `api:need…` and `web:notification…` names to this module.
In the main matrix the supplier persona's organisation was sent the need ("supplier matched"); a second test runs
every need page for a supplier whose organisation was not ("supplier not matched"). Each case gets a fresh need,
so that an action done by one persona does not change what the next one gets. On top of the statuses, the
contact details of the interested supplier reach only the buyer's side and the animators, and a supplier never
reads another supplier's answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import User
from relais.core.models import Notification
from relais.networks.models import NetworkRole
from relais.sourcing.enums import Answer, NeedStatus
from relais.sourcing.models import NeedAttachment, NeedMatch, SourcingNeed

from ..conftest import Personas
from ..helpdesk.conftest import close_download
from ..suppliers.factories import SourcingNeedFactory, SupplierContactFactory
from ..test_permissions import LOGIN, PERSONAS, REFUSED, Outcome, row, site_urls
from .conftest import buyer_of, green_cpv, reachable_supplier

PREFIXES = ("web:need", "api:need", "web:notification")
SECRET_CONTACT = "contact.confidentiel@jardins.example"
OTHER_SUPPLIER = "Jardins du Capybara"

SIGNED_IN = row(LOGIN, 200, 200, 200, 200, 200, 200)
VALIDATED_READERS = row(LOGIN, 200, 200, 200, 200, 404, 200)  # buyer, matched supplier, network members, admin
SUBMITTED_READERS = row(LOGIN, 200, 404, 404, 200, 404, 200)  # buyer side and animators only
MODERATE_PAGE = row(LOGIN, 403, 404, 404, 200, 404, 200)
MODERATE = row(LOGIN, 403, 404, 404, 302, 404, 302)
CLOSE_PAGE = row(LOGIN, 200, 403, 403, 200, 404, 200)
CLOSE = row(LOGIN, 302, 403, 403, 302, 404, 302)
POST_ONLY = row(LOGIN, 405, 405, 405, 405, 405, 405)


@dataclass(frozen=True)
class Case:
    expected: dict[str, Outcome]
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)
    status: str = NeedStatus.VALIDATED


EXPECTED: dict[str, tuple[Case, ...]] = {
    # Suppliers are not members of the buyers' network: they have their own list of requests.
    "web:need_list": (Case(row(LOGIN, 200, 403, 200, 200, 200, 200)),),
    "web:need_my_requests": (Case(row(LOGIN, 403, 200, 403, 403, 403, 403)),),
    # The follow-up of every need of the networks one animates (test_pages checks whose needs it holds).
    "web:need_funnel_csv": (Case(row(LOGIN, 403, 403, 403, 200, 200, 200)),),
    "web:need_funnel_xlsx": (Case(row(LOGIN, 403, 403, 403, 200, 200, 200)),),
    # Only a member acting for a buyer posts; an empty form is refused (422) and saves nothing.
    "web:need_create": (
        Case(row(LOGIN, 200, 403, 403, 403, 403, 403)),
        Case(row(LOGIN, 422, 403, 403, 403, 403, 403), "POST"),
    ),
    "web:need_detail": (Case(VALIDATED_READERS), Case(SUBMITTED_READERS, status=NeedStatus.SUBMITTED)),
    "web:need_attachment": (Case(VALIDATED_READERS), Case(SUBMITTED_READERS, status=NeedStatus.SUBMITTED)),
    "web:need_validate": (
        Case(MODERATE_PAGE, status=NeedStatus.SUBMITTED),
        Case(MODERATE, "POST", status=NeedStatus.SUBMITTED),
    ),
    "web:need_reject": (
        Case(MODERATE_PAGE, status=NeedStatus.SUBMITTED),
        Case(MODERATE, "POST", {"reason": "Doublon d'un besoin déjà publié."}, status=NeedStatus.SUBMITTED),
    ),
    "web:need_close": (Case(CLOSE_PAGE), Case(CLOSE, "POST")),
    # Only the matched supplier answers; the others may read the need but not answer it.
    "web:need_answer": (
        Case(POST_ONLY),
        Case(row(LOGIN, 403, 302, 403, 403, 404, 403), "POST", {"answer": Answer.INTERESTED}),
    ),
    "web:notification_list": (Case(SIGNED_IN),),
    # The notification belongs to the member: anyone else gets 404.
    "web:notification_read": (Case(POST_ONLY), Case(row(LOGIN, 302, 404, 404, 404, 404, 404), "POST")),
    "web:notification_read_all": (Case(POST_ONLY), Case(row(LOGIN, 302, 302, 302, 302, 302, 302), "POST")),
}
# Who reads the interested supplier's contact details on the need's page.
CONTACT_READERS = frozenset({"member", "animator", "site_admin"})


def test_every_url_of_the_area_has_an_entry() -> None:
    names, _unnamed = site_urls()
    ours = {name for name in names if name.startswith(PREFIXES)}
    assert ours
    assert ours == EXPECTED.keys()


def test_matrix_rows_are_complete() -> None:
    for cases in EXPECTED.values():
        for case in cases:
            assert set(case.expected) == set(PERSONAS)


def _need(personas: Personas, status: str, *, supplier_matched: bool = True) -> SourcingNeed:
    """A need of the member's organisation; another supplier answered interested, with a confidential contact;
    the supplier persona's organisation was sent it (unless `supplier_matched` is False)."""
    need = SourcingNeedFactory.create(
        network=personas.network,
        buyer=buyer_of(personas),
        author=personas.member,
        status=status,
        cpvs=[green_cpv()],
    )
    NeedAttachment.objects.create(
        need=need,
        file=ContentFile(b"%PDF-1.4 test", name="cctp.pdf"),
        filename="cctp.pdf",
        content_type="application/pdf",
        size=13,
    )
    if status != NeedStatus.SUBMITTED:
        now = timezone.now()
        other = reachable_supplier(OTHER_SUPPLIER, network=personas.network)
        SupplierContactFactory.create(organisation=other.organisation, email=SECRET_CONTACT)
        NeedMatch.objects.create(
            need=need,
            supplier=other.organisation,
            batch=1,
            notified_at=now,
            answer=Answer.INTERESTED,
            answered_at=now,
            answered_by=other.account,
            reason="Réponse de l'autre fournisseur Wombat",
        )
        if supplier_matched:
            role = NetworkRole.objects.get(user=personas.supplier)
            NeedMatch.objects.create(need=need, supplier_id=role.organisation_id, batch=1, notified_at=now)
    return need


def _kwargs(name: str, need: SourcingNeed, notification: Notification) -> dict[str, Any]:
    if name in (
        "web:need_list",
        "web:need_create",
        "web:need_my_requests",
        "web:need_funnel_csv",
        "web:need_funnel_xlsx",
    ) or name.startswith("web:notification"):
        return {"public_id": notification.public_id} if name == "web:notification_read" else {}
    if name == "web:need_attachment":
        return {"public_id": need.public_id, "attachment_id": need.attachments.get().public_id}
    return {"public_id": need.public_id}


def _outcome_matches(response: Any, expected: Outcome) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
    return response.status_code == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_permission_matrix(name: str, personas: Personas) -> None:
    problems = []
    for case in EXPECTED[name]:
        for persona, user in personas.all().items():
            need = _need(personas, case.status)
            notification = Notification.objects.create(recipient=personas.member, title="Besoin validé", url="/")
            before = (need.status, list(need.matches.values_list("answer", flat=True)))
            client = Client()
            if isinstance(user, User):
                client.force_login(user)
            url = reverse(name, kwargs=_kwargs(name, need, notification))
            response = client.get(url, case.data) if case.method == "GET" else client.post(url, case.data)
            body = "" if response.streaming else response.content.decode(errors="replace")
            if response.streaming:
                close_download(response)
            expected = case.expected[persona]
            where = f"{case.method} {url} {persona}"
            if not _outcome_matches(response, expected):
                problems.append(f"{where}: attendu {expected}, obtenu {response.status_code}")
            need.refresh_from_db()
            if expected in REFUSED and before != (need.status, list(need.matches.values_list("answer", flat=True))):
                problems.append(f"{where}: requête refusée mais le besoin a changé")
            if SECRET_CONTACT in body and persona not in CONTACT_READERS:
                problems.append(f"{where}: montre les coordonnées d'un fournisseur")
            if persona == "supplier" and ("Wombat" in body or OTHER_SUPPLIER in body):
                problems.append(f"{where}: montre la réponse d'un autre fournisseur")
            NeedMatch.objects.filter(need=need).delete()
            NeedAttachment.objects.filter(need=need).delete()
    assert not problems, "\n".join(problems)


def test_contacts_reach_the_buyer_and_the_animators(personas: Personas) -> None:
    need = _need(personas, NeedStatus.VALIDATED)
    for persona in ("member", "animator", "site_admin"):
        client = Client()
        client.force_login(getattr(personas, persona))
        assert SECRET_CONTACT in client.get(reverse("web:need_detail", args=[need.public_id])).content.decode()


@pytest.mark.parametrize("status", [NeedStatus.VALIDATED, NeedStatus.CLOSED])
def test_a_supplier_not_matched_sees_nothing_of_the_need(personas: Personas, status: str) -> None:
    need = _need(personas, status, supplier_matched=False)
    client = Client()
    client.force_login(personas.supplier)
    ids = {"public_id": need.public_id}
    attachment = {**ids, "attachment_id": need.attachments.get().public_id}
    assert client.get(reverse("web:need_detail", kwargs=ids)).status_code == 404
    assert client.get(reverse("web:need_attachment", kwargs=attachment)).status_code == 404
    assert client.post(reverse("web:need_answer", kwargs=ids), {"answer": Answer.INTERESTED}).status_code == 404
    assert need.title not in client.get(reverse("web:need_my_requests")).content.decode()
    assert not need.matches.filter(answer="", supplier__people_roles__user=personas.supplier).exists()
