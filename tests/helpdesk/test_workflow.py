"""The question's journey through the pages, with the e-mails each step sends."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relais.helpdesk.enums import QuestionStatus
from relais.helpdesk.models import HelpdeskSettings, InternalNote, Question
from relais.helpdesk.queries import InboxFilters, inbox
from relais.networks.enums import Role

from ..conftest import Personas
from ..factories import CpvFactory, NetworkRoleFactory, ThemeFactory, UserFactory
from .conftest import close_download

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _url(name: str, question: Question) -> str:
    return reverse(f"web:{name}", kwargs={"public_id": question.public_id})


def test_member_asks_animators_are_told(personas: Personas, django_capture_on_commit_callbacks: Any) -> None:
    theme, cpv = ThemeFactory.create(), CpvFactory.create()
    HelpdeskSettings.objects.create(network=personas.network, first_answer_days=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(personas.member).post(
            reverse("web:helpdesk_ask"),
            {
                "network": personas.network.pk,
                "category": "legal",
                "theme": theme.pk,
                "cpv": "55524000",
                "title": "Peut-on réserver un lot aux SIAE ?",
                "text": "Marché de restauration scolaire, 4 lots.",
                "attachments": [SimpleUploadedFile("projet-dce.pdf", PDF, content_type="application/pdf")],
            },
        )
    assert response.status_code == 302
    question = Question.objects.get()
    assert response["Location"] == _url("helpdesk_question", question)
    assert question.asker == personas.member
    assert question.organisation.name == "Ville de Rennes"
    assert question.cpv == cpv
    assert question.theme == theme
    assert question.status == QuestionStatus.NEW
    assert question.attachments.get().original_name == "projet-dce.pdf"
    assert question.due_on > timezone.localdate()
    assert [m.to for m in mail.outbox] == [["animateur@exemple.fr"]]
    assert "Nouvelle question" in mail.outbox[0].subject
    assert "Marché de restauration" not in mail.outbox[0].body  # the text stays on the platform


def test_due_date_uses_network_target_in_working_days(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    from relais.helpdesk import services

    HelpdeskSettings.objects.create(network=personas.network, first_answer_days=2)
    monkeypatch.setattr(services.timezone, "localdate", lambda *args: dt.date(2026, 3, 6))  # a Friday
    question = services.question_ask(
        network=personas.network,
        organisation=personas.member.network_roles.get().organisation,
        asker=personas.member,
        category="legal",
        title="Question du vendredi",
        text="…",
    )
    assert question.due_on == dt.date(2026, 3, 10)  # Tuesday
    monkeypatch.undo()
    assert question.is_overdue(dt.date(2026, 3, 11))
    assert list(Question.objects.overdue(dt.date(2026, 3, 11))) == [question]
    assert not Question.objects.overdue(dt.date(2026, 3, 10)).exists()


def test_default_target_is_five_working_days(personas: Personas) -> None:
    _client(personas.member).post(
        reverse("web:helpdesk_ask"),
        {"network": personas.network.pk, "category": "other", "title": "Question", "text": "Texte"},
    )
    question = Question.objects.get()
    from relais.helpdesk.workdays import add_working_days

    assert question.due_on == add_working_days(timezone.localdate(), 5)


def test_assign_answer_reply_close_reopen(
    personas: Personas, question: Question, django_capture_on_commit_callbacks: Any
) -> None:
    animator = _client(personas.animator)
    member = _client(personas.member)
    expert = UserFactory.create(email="experte@exemple.fr")
    NetworkRoleFactory.create(user=expert, network=personas.network, role=Role.MEMBER)
    HelpdeskSettings.objects.create(network=personas.network).experts.add(expert)

    with django_capture_on_commit_callbacks(execute=True):
        assert animator.post(_url("helpdesk_assign", question), {"assignee": expert.public_id}).status_code == 302
    question.refresh_from_db()
    assert question.assignee == expert
    assert question.status == QuestionStatus.IN_PROGRESS
    assert mail.outbox[-1].to == ["experte@exemple.fr"]

    # The expert now handles it (and only it) and answers.
    assert _client(expert).get(_url("helpdesk_question", question)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(expert).post(
            _url("helpdesk_answer", question), {"answer-body": "Oui, lot réservé L2113-13."}
        )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    assert question.first_answered_at is not None
    assert mail.outbox[-1].to == ["adherent@exemple.fr"]
    assert "Réponse du guichet" in mail.outbox[-1].subject

    with django_capture_on_commit_callbacks(execute=True):
        assert (
            member.post(_url("helpdesk_reply", question), {"reply-body": "Merci, et pour le lot 2 ?"}).status_code
            == 302
        )
    question.refresh_from_db()
    assert question.status == QuestionStatus.IN_PROGRESS
    assert mail.outbox[-1].to == ["experte@exemple.fr"]

    assert animator.post(_url("helpdesk_close", question)).status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.CLOSED
    # Closed: the asker can no longer reply, only reopen.
    assert member.post(_url("helpdesk_reply", question), {"reply-body": "Encore moi"}).status_code == 403

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert member.post(_url("helpdesk_reopen", question)).status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.IN_PROGRESS
    assert question.closed_at is None
    assert [m.to for m in mail.outbox] == [["experte@exemple.fr"]]
    assert "rouverte" in mail.outbox[0].subject


def test_reopen_without_assignee_goes_to_animators(
    personas: Personas, question: Question, django_capture_on_commit_callbacks: Any
) -> None:
    Question.objects.filter(pk=question.pk).update(status=QuestionStatus.CLOSED)
    with django_capture_on_commit_callbacks(execute=True):
        _client(personas.member).post(_url("helpdesk_reopen", question))
    question.refresh_from_db()
    assert question.status == QuestionStatus.NEW
    assert [m.to for m in mail.outbox] == [["animateur@exemple.fr"]]


def test_cannot_assign_to_someone_outside_the_team(personas: Personas, question: Question) -> None:
    response = _client(personas.animator).post(
        _url("helpdesk_assign", question), {"assignee": personas.other_animator.public_id}
    )
    assert response.status_code == 422
    assert "ni animatrice ni experte" in _text(response)
    question.refresh_from_db()
    assert question.assignee is None


def test_expert_not_assigned_does_not_see_the_question(personas: Personas, question: Question) -> None:
    expert = UserFactory.create(email="experte@exemple.fr")
    NetworkRoleFactory.create(user=expert, network=personas.network, role=Role.MEMBER)
    HelpdeskSettings.objects.create(network=personas.network).experts.add(expert)
    assert _client(expert).get(_url("helpdesk_question", question)).status_code == 404
    assert _client(expert).get(reverse("web:helpdesk_inbox")).status_code == 200


def test_internal_notes_never_reach_the_asker(personas: Personas, question: Question) -> None:
    animator = _client(personas.animator)
    assert (
        animator.post(_url("helpdesk_note", question), {"note": "Note Zanzibar : rappeler le DGS"}).status_code == 302
    )
    assert InternalNote.objects.get().body == "Note Zanzibar : rappeler le DGS"
    animator.post(_url("helpdesk_answer", question), {"answer-body": "Réponse publique Okapi"})
    assert "Note Zanzibar" in _text(animator.get(_url("helpdesk_question", question)))
    asker_page = _text(_client(personas.member).get(_url("helpdesk_question", question)))
    assert "Réponse publique Okapi" in asker_page
    assert "Zanzibar" not in asker_page
    assert "Notes internes" not in asker_page
    # The asker cannot write one either.
    assert _client(personas.member).post(_url("helpdesk_note", question), {"note": "x"}).status_code == 403


def test_bad_input_messages(personas: Personas, question: Question) -> None:
    member = _client(personas.member)
    response = member.post(
        reverse("web:helpdesk_ask"),
        {
            "network": personas.other_network.pk,
            "category": "astrologie",
            "cpv": "12345",
            "title": "<script>alert(1)</script>",
            "text": "",
            "attachments": [SimpleUploadedFile("dce.pdf", b"<html>pas un pdf</html>", content_type="application/pdf")],
        },
    )
    assert response.status_code == 422
    body = _text(response)
    for message in (
        "Vous ne pouvez pas poser de question à ce réseau.",
        "Choisissez une catégorie de la liste.",
        "Code CPV invalide",
        "ne peut pas contenir de balises HTML",
        "Rédigez votre question.",
        "n'est pas un document PDF, ODT, DOCX ou XLSX valide",
    ):
        assert message in body, message
    assert 'aria-describedby="id_text-desc-error' in body
    assert Question.objects.count() == 1  # nothing half-saved
    empty_answer = _client(personas.animator).post(_url("helpdesk_answer", question), {"answer-body": "  "})
    assert empty_answer.status_code == 422
    assert "Rédigez votre message." in _text(empty_answer)
    bad_settings = _client(personas.animator).post(
        reverse("web:helpdesk_settings", kwargs={"slug": personas.network.slug}), {"first_answer_days": "0"}
    )
    assert bad_settings.status_code == 422
    assert "au moins 1 jour ouvré" in _text(bad_settings)


def test_settings_change_the_target(personas: Personas) -> None:
    response = _client(personas.animator).post(
        reverse("web:helpdesk_settings", kwargs={"slug": personas.network.slug}),
        {"first_answer_days": "2", "experts": [personas.member.public_id]},
    )
    assert response.status_code == 302
    settings_row = HelpdeskSettings.objects.get(network=personas.network)
    assert settings_row.first_answer_days == 2
    assert list(settings_row.experts.all()) == [personas.member]


def test_inbox_filters(personas: Personas, question: Question) -> None:
    late = Question.objects.create(
        network=personas.network,
        organisation=question.organisation,
        asker=personas.member,
        category="spaser",
        title="Question en retard Pangolin",
        text="…",
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    today = timezone.localdate()
    assert list(inbox(personas.animator, InboxFilters(overdue=True), today)) == [late]
    assert list(inbox(personas.animator, InboxFilters(category="spaser"), today)) == [late]
    assert set(inbox(personas.animator, InboxFilters(assignee="none"), today)) == {late, question}
    assert not inbox(personas.animator, InboxFilters(assignee="me"), today).exists()
    assert not inbox(personas.other_animator, InboxFilters(), today).exists()
    page = _text(_client(personas.animator).get(reverse("web:helpdesk_inbox") + "?overdue=on"))
    assert "Question en retard Pangolin" in page
    assert question.title not in page
    assert "En retard" in page
    other = _text(_client(personas.animator).get(reverse("web:helpdesk_inbox") + "?status=closed"))
    assert "Pangolin" not in other


def test_attachment_download_is_private_and_a_download(personas: Personas, question: Question) -> None:
    from relais.helpdesk.models import QuestionAttachment

    item = QuestionAttachment.objects.create(
        question=question,
        uploaded_by=personas.member,
        file=SimpleUploadedFile("dce.pdf", PDF),
        original_name="dce.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    url = reverse("web:helpdesk_attachment", kwargs={"public_id": question.public_id, "attachment_id": item.public_id})
    response = _client(personas.animator).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    close_download(response)
    assert _client(personas.facilitator).get(url).status_code == 404
