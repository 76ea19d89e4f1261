"""From an answered question to a FAQ entry another member finds by search."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from relais.helpdesk.enums import QuestionStatus
from relais.helpdesk.models import FaqEntry, Question
from relais.helpdesk.queries import faq_search

from ..conftest import Personas
from ..factories import CaseSheetFactory
from .factories import FaqEntryFactory

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    if user is not None and getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


def _answered(question: Question, personas: Personas) -> None:
    _client(personas.animator).post(
        reverse("web:helpdesk_answer", kwargs={"public_id": question.public_id}),
        {"answer-body": "Ville de Rennes : prévoyez un taux de 7 % des heures."},
    )
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED


FAQ_POST = {
    "title": "Quel taux d'insertion pour un marché de propreté ?",
    "question_text": "Une collectivité prépare un marché de nettoyage des locaux.",
    "answer_text": "Prévoyez un taux de 7 % des heures travaillées.",
    "visibility": "members",
}


def test_consent_is_required(personas: Personas, question: Question) -> None:
    _answered(question, personas)
    url = reverse("web:faq_create", kwargs={"public_id": question.public_id})
    animator = _client(personas.animator)
    assert animator.get(url).status_code == 403
    assert animator.post(url, FAQ_POST).status_code == 403
    assert not FaqEntry.objects.exists()
    # Only the asker consents: neither the animator nor a colleague can do it for them.
    consent_url = reverse("web:helpdesk_consent", kwargs={"public_id": question.public_id})
    assert animator.post(consent_url, {"consent": "yes"}).status_code == 403
    assert _client(personas.member).post(consent_url, {"consent": "yes"}).status_code == 302
    question.refresh_from_db()
    assert question.faq_consent
    assert animator.get(url).status_code == 200


def test_unanswered_question_cannot_become_faq(personas: Personas, question: Question) -> None:
    Question.objects.filter(pk=question.pk).update(faq_consent=True)
    url = reverse("web:faq_create", kwargs={"public_id": question.public_id})
    assert _client(personas.animator).get(url).status_code == 403


def test_anonymised_entry_found_by_accentless_word(personas: Personas, question: Question) -> None:
    _answered(question, personas)
    _client(personas.member).post(
        reverse("web:helpdesk_consent", kwargs={"public_id": question.public_id}), {"consent": "yes"}
    )
    sheet = CaseSheetFactory.create(network=personas.network, author=personas.member, published=True)
    url = reverse("web:faq_create", kwargs={"public_id": question.public_id})
    form_page = _client(personas.animator).get(url).content.decode()
    assert "prévoyez un taux de 7 %" in form_page  # the answer is proposed, for the animator to anonymise
    data = {
        **FAQ_POST,
        "title": "Quel taux d'insertion pour un marché de propreté écologique ?",
        "visibility": "public",
        "related_sheets_text": f"http://testserver/fiches/{sheet.public_id}/",
    }
    response = _client(personas.animator).post(url, data)
    entry = FaqEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:faq_detail", kwargs={"public_id": entry.public_id})
    assert entry.source_question == question
    assert list(entry.related_sheets.all()) == [sheet]
    # Another member, and even an anonymous visitor for a public entry, finds it without accents.
    results = _client(None).get(reverse("web:faq_list") + "?q=ecologique+proprete").content.decode()
    assert entry.title.replace("'", "&#x27;") in results
    detail = _client(None).get(reverse("web:faq_detail", kwargs={"public_id": entry.public_id})).content.decode()
    assert "Ville de Rennes" not in detail
    assert sheet.title in detail
    assert list(faq_search(personas.facilitator, "ÉCOLOGIQUES")) == [entry]
    assert not list(faq_search(personas.facilitator, "ecologique girafe"))  # every word must match
    # A second publication of the same question is refused.
    assert _client(personas.animator).get(url).status_code == 403


def test_members_only_entry_hidden_to_outsiders(personas: Personas) -> None:
    entry = FaqEntryFactory.create(network=personas.network, members_only=True, title="Groupement Ornithorynque")
    url = reverse("web:faq_detail", kwargs={"public_id": entry.public_id})
    for user in (personas.anonymous, personas.supplier, personas.other_animator):
        assert _client(user).get(url).status_code == 404
        listing = _client(user).get(reverse("web:faq_list") + "?q=ornithorynque").content.decode()
        assert "Ornithorynque" not in listing
        assert "Ornithorynque" not in _client(user).get(reverse("web:faq_list")).content.decode()
    for user in (personas.member, personas.facilitator, personas.animator, personas.site_admin):
        assert _client(user).get(url).status_code == 200
        assert "Ornithorynque" in _client(user).get(reverse("web:faq_list") + "?q=ornithorynque").content.decode()


def test_ask_page_suggests_matching_entries(personas: Personas) -> None:
    FaqEntryFactory.create(network=personas.network, title="Réserver un lot aux entreprises adaptées")
    FaqEntryFactory.create(network=personas.other_network, members_only=True, title="Réserver un lot secret Tapir")
    page = _client(personas.member).get(reverse("web:helpdesk_ask") + "?title=reserver+lot+ESAT").content.decode()
    assert "Réserver un lot aux entreprises adaptées" in page
    assert "Tapir" not in page  # members-only entry of a network the member is not in
    assert 'value="reserver lot ESAT"' in page  # the title is carried into the form


def test_faq_edit_reindexes(personas: Personas) -> None:
    entry = FaqEntryFactory.create(network=personas.network, title="Titre ancien")
    response = _client(personas.animator).post(
        reverse("web:faq_edit", kwargs={"public_id": entry.public_id}),
        {**FAQ_POST, "title": "Bilan carbone des repas", "related_sheets_text": "n'importe quoi"},
    )
    assert response.status_code == 422
    assert "n&#x27;est pas l&#x27;adresse d&#x27;une fiche" in response.content.decode()
    response = _client(personas.animator).post(
        reverse("web:faq_edit", kwargs={"public_id": entry.public_id}), {**FAQ_POST, "title": "Bilan carbone des repas"}
    )
    assert response.status_code == 302
    assert list(faq_search(personas.member, "carbone")) == [entry]
    assert not list(faq_search(personas.member, "ancien"))
