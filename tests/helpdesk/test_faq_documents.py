"""FAQ entries linked to documents of the library: linking through the forms and the services, only documents of
the entry's network or public ones, and readers (page and API) shown only the linked documents they may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from relais.documents.models import Document
from relais.helpdesk import services
from relais.helpdesk.models import FaqEntry, Question

from ..conftest import Personas
from ..documents.factories import DocumentFactory
from .factories import FaqEntryFactory

pytestmark = pytest.mark.django_db

FAQ_POST = {
    "title": "Quel taux d'insertion pour un marché de propreté ?",
    "question_text": "Une collectivité prépare un marché de nettoyage des locaux.",
    "answer_text": "Prévoyez un taux de 7 % des heures travaillées.",
    "visibility": "public",
}
REFUSED = "ne peut être liée qu&#x27;aux documents de son réseau ou à des documents publics"


def _client(user: Any) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


def _address(document: Document) -> str:
    return "http://testserver" + reverse("web:document_detail", kwargs={"public_id": document.public_id})


@pytest.fixture
def documents(personas: Personas) -> dict[str, Document]:
    return {
        "public": DocumentFactory.create(network=personas.network, title="Guide public Pangolin"),
        "members": DocumentFactory.create(network=personas.network, members_only=True, title="Note réservée Okapi"),
        "other_public": DocumentFactory.create(network=personas.other_network, title="Guide voisin Tatou"),
        "other_members": DocumentFactory.create(
            network=personas.other_network, members_only=True, title="Note voisine Narval"
        ),
    }


def _answered_with_consent(personas: Personas, question: Question) -> None:
    _client(personas.animator).post(
        reverse("web:helpdesk_answer", kwargs={"public_id": question.public_id}),
        {"answer-body": "Prévoyez un taux de 7 % des heures."},
    )
    _client(personas.member).post(
        reverse("web:helpdesk_consent", kwargs={"public_id": question.public_id}), {"consent": "yes"}
    )
    question.refresh_from_db()
    assert question.first_answered_at is not None
    assert question.faq_consent


def test_create_form_links_documents_by_address(
    personas: Personas, question: Question, documents: dict[str, Document]
) -> None:
    _answered_with_consent(personas, question)
    linked = f"{_address(documents['members'])}\n{_address(documents['other_public'])}, {_address(documents['public'])}"
    response = _client(personas.animator).post(
        reverse("web:faq_create", kwargs={"public_id": question.public_id}),
        {**FAQ_POST, "related_documents_text": linked},
    )
    assert response.status_code == 302
    entry = FaqEntry.objects.get(source_question=question)
    assert set(entry.related_documents.all()) == {documents["members"], documents["other_public"], documents["public"]}
    # The edit form shows the linked documents' addresses.
    page = _client(personas.animator).get(reverse("web:faq_edit", kwargs={"public_id": entry.public_id}))
    assert f"/documents/{documents['members'].public_id}/" in page.content.decode()


def test_edit_form_refuses_a_document_of_another_network(personas: Personas, documents: dict[str, Document]) -> None:
    entry = FaqEntryFactory.create(network=personas.network)
    url = reverse("web:faq_edit", kwargs={"public_id": entry.public_id})
    animator = _client(personas.animator)
    response = animator.post(url, {**FAQ_POST, "related_documents_text": _address(documents["other_members"])})
    assert response.status_code == 422
    content = response.content.decode()
    assert REFUSED in content
    assert "Note voisine Narval" in content
    assert not entry.related_documents.exists()
    response = animator.post(url, {**FAQ_POST, "related_documents_text": "pas une adresse"})
    assert response.status_code == 422
    assert "n&#x27;est pas l&#x27;adresse d&#x27;un document" in response.content.decode()
    response = animator.post(url, {**FAQ_POST, "related_documents_text": _address(documents["public"])})
    assert response.status_code == 302
    assert list(entry.related_documents.all()) == [documents["public"]]
    # Emptying the field removes the links.
    assert animator.post(url, FAQ_POST).status_code == 302
    assert not entry.related_documents.exists()


def test_services_validate_the_documents(
    personas: Personas, question: Question, documents: dict[str, Document]
) -> None:
    _answered_with_consent(personas, question)
    common: dict[str, Any] = {
        "by": personas.animator,
        "title": "Titre",
        "question_text": "Question ?",
        "answer_text": "Réponse.",
        "visibility": "public",
    }
    with pytest.raises(services.HelpdeskError, match="documents de son réseau ou à des documents publics"):
        services.faq_entry_publish(question=question, related_documents=[documents["other_members"]], **common)
    assert not FaqEntry.objects.exists()
    entry = services.faq_entry_publish(
        question=question, related_documents=[documents["members"], documents["other_public"]], **common
    )
    assert set(entry.related_documents.all()) == {documents["members"], documents["other_public"]}
    with pytest.raises(services.HelpdeskError, match="Note voisine Narval"):
        services.faq_entry_update(entry=entry, related_documents=[documents["other_members"]], **common)
    assert set(entry.related_documents.all()) == {documents["members"], documents["other_public"]}
    services.faq_entry_update(entry=entry, related_documents=[documents["public"]], **common)
    assert list(entry.related_documents.all()) == [documents["public"]]


@pytest.fixture
def linked_entry(personas: Personas, documents: dict[str, Document]) -> FaqEntry:
    entry = FaqEntryFactory.create(network=personas.network, title="Entrée publique Ornithorynque")
    entry.related_documents.set([documents["public"], documents["members"]])
    return entry


@pytest.mark.parametrize("who", ["anonymous", "supplier", "other_animator"])
def test_members_only_document_hidden_from_outsiders_on_page_and_api(
    personas: Personas, linked_entry: FaqEntry, who: str
) -> None:
    client = _client(personas.all()[who])
    page = client.get(reverse("web:faq_detail", kwargs={"public_id": linked_entry.public_id}))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Guide public Pangolin" in content
    assert "Note réservée Okapi" not in content
    response = client.get(reverse("api:faq_detail", kwargs={"public_id": linked_entry.public_id}))
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["related_documents"]]
    assert titles == ["Guide public Pangolin"]


@pytest.mark.parametrize("who", ["member", "animator", "site_admin"])
def test_members_see_every_linked_document(
    personas: Personas, linked_entry: FaqEntry, documents: dict[str, Document], who: str
) -> None:
    client = _client(personas.all()[who])
    content = client.get(reverse("web:faq_detail", kwargs={"public_id": linked_entry.public_id})).content.decode()
    assert "Guide public Pangolin" in content
    assert "Note réservée Okapi" in content
    assert f'href="/documents/{documents["members"].public_id}/"' in content
    response = client.get(reverse("api:faq_detail", kwargs={"public_id": linked_entry.public_id}))
    items = response.json()["related_documents"]
    assert [item["title"] for item in items] == ["Guide public Pangolin", "Note réservée Okapi"]
    assert items[0]["web_url"].endswith(f"/documents/{items[0]['id']}/")
