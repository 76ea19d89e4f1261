"""Workflow actions: submit, publish, return, unpublish, archive — POST only, role-checked, with messages."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from relais.casesheets.enums import SheetStatus
from relais.casesheets.models import CaseSheet, SheetFacet, SheetTerm
from tests.conftest import Personas
from tests.factories import CaseSheetFactory

pytestmark = pytest.mark.django_db


def url(name: str, sheet: CaseSheet) -> str:
    return reverse(f"web:{name}", kwargs={"public_id": sheet.public_id})


def as_user(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def texts(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def draft(personas: Personas) -> CaseSheet:
    sheet = CaseSheetFactory.create(network=personas.network, author=personas.member, title="Cantines équitables")
    # The factory indexes every sheet; a draft must not stay in the index.
    SheetTerm.objects.filter(sheet=sheet).delete()
    SheetFacet.objects.filter(sheet=sheet).delete()
    return sheet


def test_author_submits_and_animators_are_told(
    client: Client, personas: Personas, draft: CaseSheet, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(client, personas.member).post(url("sheet_submit", draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SheetStatus.SUBMITTED
    assert any("soumise à publication" in text for text in texts(response))
    assert [message.to for message in mail.outbox] == [["animateur@exemple.fr"]]


@pytest.mark.parametrize("name", ["sheet_submit", "sheet_publish", "sheet_return", "sheet_archive"])
def test_actions_refuse_get(client: Client, personas: Personas, draft: CaseSheet, name: str):
    assert as_user(client, personas.animator).get(url(name, draft)).status_code == 405


def test_actions_require_csrf(personas: Personas, draft: CaseSheet):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.member)
    assert client.post(url("sheet_submit", draft)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == SheetStatus.DRAFT


def test_animator_publishes_indexes_and_mails_the_author(
    client: Client, personas: Personas, draft: CaseSheet, django_capture_on_commit_callbacks
):
    draft.status = SheetStatus.SUBMITTED
    draft.save()
    assert not SheetTerm.objects.filter(sheet=draft).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(client, personas.animator).post(url("sheet_publish", draft))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SheetStatus.PUBLISHED
    assert draft.published_at is not None
    assert SheetTerm.objects.filter(sheet=draft, term="cantin").exists()  # "Cantines" in the title, stemmed
    assert SheetFacet.objects.filter(sheet=draft, facet="network", value=personas.network.slug).exists()
    assert [message.to for message in mail.outbox] == [["adherent@exemple.fr"]]
    assert "publiée" in mail.outbox[0].subject
    assert texts(response) == ["La fiche est publiée."]


@pytest.mark.parametrize("persona", ["other_animator", "member", "facilitator", "supplier"])
def test_only_the_networks_animator_reviews(client: Client, personas: Personas, draft: CaseSheet, persona: str):
    draft.status = SheetStatus.SUBMITTED
    draft.save()
    user = getattr(personas, persona)
    publish = as_user(client, user).post(url("sheet_publish", draft))
    give_back = client.post(url("sheet_return", draft), {"comment": "À compléter"})
    # The author sees their own sheet (403); others do not even learn that it exists (404).
    expected = 403 if persona == "member" else 404
    assert publish.status_code == expected
    assert give_back.status_code == expected
    draft.refresh_from_db()
    assert draft.status == SheetStatus.SUBMITTED
    assert not mail.outbox


def test_other_animator_gets_403_on_a_visible_sheet(client: Client, personas: Personas):
    """A published public sheet is visible to all: acting on it without the role is a 403."""
    sheet = CaseSheetFactory.create(network=personas.network, author=personas.member, published=True)
    for name in ("sheet_unpublish", "sheet_archive", "sheet_publish", "sheet_return"):
        assert as_user(client, personas.other_animator).post(url(name, sheet)).status_code == 403
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.PUBLISHED


def test_return_needs_a_comment(
    client: Client, personas: Personas, draft: CaseSheet, django_capture_on_commit_callbacks
):
    draft.status = SheetStatus.SUBMITTED
    draft.save()
    response = as_user(client, personas.animator).post(url("sheet_return", draft), {"comment": "  "})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SheetStatus.SUBMITTED
    assert texts(response) == ["Indiquez à l'auteur ce qu'il doit compléter ou corriger."]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("sheet_return", draft), {"comment": "Ajoutez les chiffres d'impact."})
    draft.refresh_from_db()
    assert draft.status == SheetStatus.RETURNED
    assert draft.return_comment == "Ajoutez les chiffres d'impact."
    assert [message.to for message in mail.outbox] == [["adherent@exemple.fr"]]


def test_stale_action_shows_the_workflow_error(client: Client, personas: Personas, draft: CaseSheet):
    """Publishing a draft (e.g. from an old page) is refused with the service's message, not a crash."""
    response = as_user(client, personas.animator).post(url("sheet_publish", draft))
    assert response.status_code == 302
    assert texts(response) == ["Impossible de publier la fiche : la fiche est au statut « Brouillon »."]
    draft.refresh_from_db()
    assert draft.status == SheetStatus.DRAFT


def test_unpublish_and_archive(client: Client, personas: Personas):
    sheet = CaseSheetFactory.create(network=personas.network, author=personas.member, published=True)
    as_user(client, personas.animator).post(url("sheet_unpublish", sheet))
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT
    assert not SheetTerm.objects.filter(sheet=sheet).exists()
    # The author may not archive; the animator may.
    assert as_user(client, personas.member).post(url("sheet_archive", sheet)).status_code == 403
    response = as_user(client, personas.animator).post(url("sheet_archive", sheet))
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.ARCHIVED
    assert texts(response)[-1] == "La fiche est archivée."


def test_next_is_followed_only_when_local(client: Client, personas: Personas, draft: CaseSheet):
    response = as_user(client, personas.member).post(url("sheet_submit", draft), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("web:dashboard")


def test_edit_page_offers_the_actions_of_the_role(client: Client, personas: Personas):
    sheet = CaseSheetFactory.create(network=personas.network, author=personas.member, published=True)
    html = as_user(client, personas.animator).get(url("sheet_edit", sheet)).content.decode()
    assert url("sheet_unpublish", sheet) in html
    assert url("sheet_archive", sheet) in html
    draft = CaseSheetFactory.create(network=personas.network, author=personas.member)
    html = as_user(client, personas.member).get(url("sheet_edit", draft)).content.decode()
    assert url("sheet_submit", draft) in html
    assert url("sheet_archive", draft) not in html
