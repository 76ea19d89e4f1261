"""Withdrawing consent withdraws the FAQ entry published from the question: at once, everywhere, for everyone."""

from __future__ import annotations

import html
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relais.activity.digest import digest_content
from relais.activity.search_all import search_all
from relais.helpdesk import services
from relais.helpdesk.enums import FaqVisibility
from relais.helpdesk.models import FaqEntry, FaqTerm, Question
from relais.helpdesk.queries import faq_search
from relais.networks.enums import Role

from ..conftest import Personas
from ..factories import NetworkRoleFactory, UserFactory
from .conftest import member_organisation
from .factories import QuestionFactory

pytestmark = pytest.mark.django_db

TITLE = "Quel taux d'insertion pour un marché de propreté Tamanoir ?"
ANSWER = "Prévoyez un taux de 7 % des heures travaillées, réponse Fourmilier."
WORD = "tamanoir"
# Who reads the entry while it is published: everyone for a public entry, the network's members for the other.
READERS = {
    FaqVisibility.PUBLIC: frozenset(
        {"anonymous", "member", "supplier", "facilitator", "animator", "other_animator", "site_admin"}
    ),
    FaqVisibility.MEMBERS: frozenset({"member", "facilitator", "animator", "site_admin"}),
}


def _client(user: Any) -> Client:
    client = Client()
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _publish(personas: Personas, question: Question, visibility: str) -> FaqEntry:
    services.question_answer(question=question, by=personas.animator, body="Prévoyez 7 % des heures.")
    services.question_set_consent(question=question, by=personas.member, consent=True)
    return services.faq_entry_publish(
        question=question,
        by=personas.animator,
        title=TITLE,
        question_text="Une collectivité prépare un marché de nettoyage des locaux.",
        answer_text=ANSWER,
        visibility=visibility,
    )


def _withdraw(personas: Personas, question: Question, capture: Any, user: Any = None) -> Any:
    with capture(execute=True):
        return _client(user or personas.member).post(
            reverse("web:helpdesk_consent", kwargs={"public_id": question.public_id}), {"consent": "no"}
        )


def _seen_by(user: Any, entry: FaqEntry, personas: Personas) -> dict[str, bool]:
    """Where this reader finds the entry: FAQ list and search, detail page, API list, search and detail, unified
    search, weekly digest."""
    client = _client(user)
    detail = client.get(reverse("web:faq_detail", kwargs={"public_id": entry.public_id}))
    api_detail = client.get(reverse("api:faq_detail", kwargs={"public_id": entry.public_id}))
    api_titles = [
        item["title"]
        for query in ({}, {"q": WORD})
        for item in client.get(reverse("api:faq_list"), query).json()["results"]
    ]
    unified = search_all(WORD, user)
    faq_group = next(group for group in unified.groups if group.kind == "faq")
    digest = digest_content(user=user, network=personas.network)
    return {
        "list": TITLE in _text(client.get(reverse("web:faq_list"))),
        "search": TITLE in _text(client.get(reverse("web:faq_list"), {"q": WORD})),
        "detail": detail.status_code == 200 and ANSWER in _text(detail),
        "api_list": TITLE in api_titles,
        "api_detail": api_detail.status_code == 200,
        "search_all": TITLE in [hit.title for hit in faq_group.hits],
        "faq_search": entry in faq_search(user, WORD),
        "digest": TITLE in [item.title for section in digest.sections for item in section.items],
    }


@pytest.mark.parametrize("visibility", [FaqVisibility.PUBLIC, FaqVisibility.MEMBERS])
def test_withdrawal_removes_the_entry_everywhere_for_everyone(
    personas: Personas, question: Question, visibility: str, django_capture_on_commit_callbacks: Any
) -> None:
    entry = _publish(personas, question, visibility)
    everywhere = dict.fromkeys(_seen_by(personas.anonymous, entry, personas), True)
    for name, user in personas.all().items():
        if name in READERS[visibility]:  # the starting point: readers find it everywhere
            assert _seen_by(user, entry, personas) == everywhere, name
    assert FaqTerm.objects.filter(entry=entry).exists()
    mail.outbox.clear()

    response = _withdraw(personas, question, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    question.refresh_from_db()
    entry.refresh_from_db()
    assert not question.faq_consent
    assert entry.is_withdrawn
    assert not FaqTerm.objects.filter(entry=entry).exists()
    nowhere = dict.fromkeys(everywhere, False)
    for name, user in personas.all().items():
        assert _seen_by(user, entry, personas) == nowhere, name
        detail = _client(user).get(reverse("web:faq_detail", kwargs={"public_id": entry.public_id}))
        # Those who could read it learn it was withdrawn (nothing of it is shown); others still get 404.
        assert detail.status_code == (410 if name in READERS[visibility] else 404), name
        assert TITLE not in _text(detail)
    (message,) = mail.outbox
    assert message.to == [personas.animator.email]
    assert message.subject == f"[Relais] Entrée de FAQ retirée : {TITLE}"
    assert "est retirée" in message.body
    assert str(question.public_id) in message.body


def test_withdrawn_page_and_question_page_say_so(
    personas: Personas, question: Question, django_capture_on_commit_callbacks: Any
) -> None:
    entry = _publish(personas, question, FaqVisibility.PUBLIC)
    _withdraw(personas, question, django_capture_on_commit_callbacks)
    page = _text(Client().get(reverse("web:faq_detail", kwargs={"public_id": entry.public_id})))
    assert "Entrée retirée de la FAQ" in page
    assert "a retiré son accord" in page
    question_url = reverse("web:helpdesk_question", kwargs={"public_id": question.public_id})
    team_page = _text(_client(personas.animator).get(question_url))
    assert f"L'entrée de FAQ « {TITLE} » a été retirée le" in team_page
    assert "le demandeur a retiré son accord" in team_page
    asker_page = _text(_client(personas.member).get(question_url))
    assert "l'entrée de FAQ tirée de votre question n'est plus publiée" in asker_page
    # Nobody edits a withdrawn entry (it would be published and indexed again).
    edit_url = reverse("web:faq_edit", kwargs={"public_id": entry.public_id})
    assert _client(personas.animator).get(edit_url).status_code == 410
    assert _client(personas.animator).post(edit_url, {"title": "Autre titre"}).status_code == 410
    with pytest.raises(services.HelpdeskError, match="retirée"):
        services.faq_entry_update(
            entry=entry, by=personas.animator, title="T", question_text="Q", answer_text="R", visibility="public"
        )
    entry.refresh_from_db()
    assert entry.title == TITLE
    assert not FaqTerm.objects.filter(entry=entry).exists()


def test_only_the_asker_withdraws(
    personas: Personas, question: Question, django_capture_on_commit_callbacks: Any
) -> None:
    """The existing rule (perms.can_set_consent): the consent is the asker's own, a colleague cannot withdraw it."""
    entry = _publish(personas, question, FaqVisibility.PUBLIC)
    colleague = UserFactory.create(email="collegue@exemple.fr")
    NetworkRoleFactory.create(
        user=colleague, network=personas.network, role=Role.MEMBER, organisation=member_organisation(personas)
    )
    assert _withdraw(personas, question, django_capture_on_commit_callbacks, colleague).status_code == 403
    assert _withdraw(personas, question, django_capture_on_commit_callbacks, personas.animator).status_code == 403
    assert _withdraw(personas, question, django_capture_on_commit_callbacks, personas.facilitator).status_code == 404
    entry.refresh_from_db()
    assert not entry.is_withdrawn
    assert list(faq_search(personas.anonymous, WORD)) == [entry]


def test_withdrawal_is_all_or_nothing(personas: Personas, question: Question, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = _publish(personas, question, FaqVisibility.PUBLIC)

    def broken_notify(*args: object) -> None:
        raise RuntimeError("file d'attente indisponible")

    monkeypatch.setattr(services, "_notify", broken_notify)
    with pytest.raises(RuntimeError):
        services.question_set_consent(question=question, by=personas.member, consent=False)
    question.refresh_from_db()
    entry.refresh_from_db()
    assert question.faq_consent
    assert not entry.is_withdrawn
    assert list(faq_search(personas.anonymous, WORD)) == [entry]


def test_withdrawing_without_an_entry_tells_nobody(
    personas: Personas, question: Question, django_capture_on_commit_callbacks: Any
) -> None:
    services.question_set_consent(question=question, by=personas.member, consent=True)
    _withdraw(personas, question, django_capture_on_commit_callbacks)
    question.refresh_from_db()
    assert not question.faq_consent
    assert mail.outbox == []
    assert not FaqEntry.objects.exists()


def test_consent_given_again_lets_the_animators_republish_the_same_entry(
    personas: Personas, question: Question, django_capture_on_commit_callbacks: Any
) -> None:
    entry = _publish(personas, question, FaqVisibility.MEMBERS)
    _withdraw(personas, question, django_capture_on_commit_callbacks)
    create_url = reverse("web:faq_create", kwargs={"public_id": question.public_id})
    assert _client(personas.animator).get(create_url).status_code == 403  # no consent, nothing to publish
    _client(personas.member).post(
        reverse("web:helpdesk_consent", kwargs={"public_id": question.public_id}), {"consent": "yes"}
    )
    form = _text(_client(personas.animator).get(create_url))
    assert ANSWER in form  # the anonymised text published before, not the raw answer
    before = timezone.now()
    response = _client(personas.animator).post(
        create_url,
        {"title": TITLE, "question_text": "Marché de nettoyage.", "answer_text": ANSWER, "visibility": "public"},
    )
    assert response.status_code == 302
    republished = FaqEntry.objects.get()
    assert republished.public_id == entry.public_id
    assert not republished.is_withdrawn
    assert republished.published_at >= before
    assert republished.visibility == FaqVisibility.PUBLIC
    assert list(faq_search(personas.anonymous, WORD)) == [republished]
    assert _client(personas.animator).get(create_url).status_code == 403  # published again: once is enough


def test_migration_withdraws_entries_whose_consent_was_withdrawn_before(personas: Personas) -> None:
    """Before this rule, withdrawing consent only e-mailed the animators: such entries are withdrawn on migrating."""
    kept = _publish(personas, QuestionFactory.create(network=personas.network, asker=personas.member), "public")
    stale = services.faq_entry_publish(
        question=QuestionFactory.create(network=personas.network, asker=personas.member, answered=True, consented=True),
        by=personas.animator,
        title="Entrée sans accord Pangolin",
        question_text="Q",
        answer_text="R",
        visibility="public",
    )
    Question.objects.filter(pk=stale.source_question_id).update(faq_consent=False)  # as the old code left it
    migration = importlib.import_module("relais.helpdesk.migrations.0004_withdraw_entries_without_consent")
    migration.withdraw_entries_without_consent(apps, None)
    kept.refresh_from_db()
    stale.refresh_from_db()
    assert not kept.is_withdrawn
    assert stale.is_withdrawn
    assert not FaqTerm.objects.filter(entry=stale).exists()
    assert list(faq_search(personas.anonymous, "pangolin")) == []
