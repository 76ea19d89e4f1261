"""Workflow of helpdesk questions and publication of FAQ entries.

new → in progress (assigned, or the asker replied) → answered → closed; the asker's side replies (back to
"in progress") or reopens a closed question. Each transition locks the row, checks the status, and e-mails the
people concerned through the task queue once the transaction is committed. E-mails carry a link, never the
question's text: the question stays private to the platform.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.accounts.models import User
from relais.casesheets.models import CaseSheet
from relais.core.tasks import send_email
from relais.documents.enums import AccessLevel
from relais.documents.models import Document
from relais.networks.enums import Role
from relais.networks.models import Network, NetworkRole
from relais.organisations.models import Organisation
from relais.reference.models import Cpv, Theme

from .enums import FaqVisibility, QuestionCategory, QuestionStatus
from .models import FaqEntry, HelpdeskSettings, InternalNote, Message, Question, QuestionAttachment
from .search import reindex_faq_entry
from .workdays import add_working_days


class HelpdeskError(Exception):
    """A transition the question's current state does not allow. The message is shown to the user."""


@dataclass(frozen=True)
class NewAttachment:
    """An upload already checked by content (relais.web.forms.uploads.check_attachment)."""

    upload: UploadedFile
    content_type: str
    size: int
    original_name: str


def helpdesk_settings_for(network: Network) -> HelpdeskSettings:
    settings_row, _created = HelpdeskSettings.objects.get_or_create(network=network)
    return settings_row


def _question_url(question: Question) -> str:
    return settings.SITE_URL + reverse("web:helpdesk_question", kwargs={"public_id": question.public_id})


def _notify(to: Iterable[str], subject: str, body: str) -> None:
    recipients = sorted({address for address in to if address})
    if recipients:
        # Enqueue only once the transaction is committed: a rolled-back transition sends nothing.
        transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, to=recipients))


def _animator_emails(network_id: int) -> list[str]:
    return list(
        NetworkRole.objects.filter(network_id=network_id, role=Role.ANIMATOR, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def _lock(question: Question) -> Question:
    return Question.objects.select_for_update().get(pk=question.pk)


def _save_attachments(question: Question, message: Message | None, by: User, files: Iterable[NewAttachment]) -> None:
    for item in files:
        QuestionAttachment.objects.create(
            question=question,
            message=message,
            uploaded_by=by,
            file=item.upload,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
        )


def question_ask(
    *,
    network: Network,
    organisation: Organisation,
    asker: User,
    category: QuestionCategory | str,
    title: str,
    text: str,
    theme: Theme | None = None,
    cpv: Cpv | None = None,
    files: Iterable[NewAttachment] = (),
) -> Question:
    """Record a question; its first-answer due date is the network's target in working days from today."""
    with transaction.atomic():
        target = helpdesk_settings_for(network).first_answer_days
        question = Question.objects.create(
            network=network,
            organisation=organisation,
            asker=asker,
            category=category,
            theme=theme,
            cpv=cpv,
            title=title,
            text=text,
            due_on=add_working_days(timezone.localdate(), target),
        )
        _save_attachments(question, None, asker, files)
        _notify(
            _animator_emails(network.pk),
            f"[Relais] Nouvelle question au guichet : {question.title}",
            f"{organisation} a posé une question au guichet de {network} "
            f"(catégorie : {question.get_category_display()}).\n"
            f"Première réponse attendue le {question.due_on:%d/%m/%Y}.\n\n{_question_url(question)}\n",
        )
    return question


def question_assign(*, question: Question, assignee: User, by: User) -> Question:
    with transaction.atomic():
        question = _lock(question)
        if question.status == QuestionStatus.CLOSED:
            raise HelpdeskError(_("Cette question est close : rouvrez-la avant de l'attribuer."))
        question.assignee = assignee
        if question.status == QuestionStatus.NEW:
            question.status = QuestionStatus.IN_PROGRESS
        question.save(update_fields=["assignee", "status", "updated_at"])
        if assignee.pk != by.pk:
            _notify(
                [assignee.email],
                f"[Relais] Une question du guichet vous est attribuée : {question.title}",
                f"{by} vous a attribué cette question (réponse attendue le {question.due_on:%d/%m/%Y}).\n\n"
                f"{_question_url(question)}\n",
            )
    return question


def question_answer(*, question: Question, by: User, body: str, files: Iterable[NewAttachment] = ()) -> Message:
    """The helpdesk answers: the first answer is timed (for the target and the activity report)."""
    body = body.strip()
    if not body:
        raise HelpdeskError(_("Rédigez votre réponse."))
    with transaction.atomic():
        question = _lock(question)
        if question.status == QuestionStatus.CLOSED:
            raise HelpdeskError(_("Cette question est close : elle ne peut plus recevoir de réponse."))
        message = Message.objects.create(question=question, author=by, from_helpdesk=True, body=body)
        _save_attachments(question, message, by, files)
        question.status = QuestionStatus.ANSWERED
        if question.first_answered_at is None:
            question.first_answered_at = timezone.now()
        if question.assignee_id is None:
            question.assignee = by
        question.save(update_fields=["status", "first_answered_at", "assignee", "updated_at"])
        _notify(
            [question.asker.email],
            f"[Relais] Réponse du guichet : {question.title}",
            f"Le guichet de {question.network} a répondu à votre question.\n\n{_question_url(question)}\n",
        )
    return message


def question_reply(*, question: Question, by: User, body: str, files: Iterable[NewAttachment] = ()) -> Message:
    """The asker's side adds to the thread; the question goes back to the helpdesk."""
    body = body.strip()
    if not body:
        raise HelpdeskError(_("Rédigez votre message."))
    with transaction.atomic():
        question = _lock(question)
        if question.status == QuestionStatus.CLOSED:
            raise HelpdeskError(_("Cette question est close : rouvrez-la pour ajouter un message."))
        message = Message.objects.create(question=question, author=by, from_helpdesk=False, body=body)
        _save_attachments(question, message, by, files)
        if question.status == QuestionStatus.ANSWERED:
            question.status = QuestionStatus.IN_PROGRESS
            question.save(update_fields=["status", "updated_at"])
        to = [question.assignee.email] if question.assignee else _animator_emails(question.network_id)
        _notify(
            to,
            f"[Relais] Nouveau message sur la question : {question.title}",
            f"{by} a ajouté un message à la question.\n\n{_question_url(question)}\n",
        )
    return message


def question_add_note(*, question: Question, by: User, body: str) -> InternalNote:
    body = body.strip()
    if not body:
        raise HelpdeskError(_("Rédigez la note."))
    return InternalNote.objects.create(question=question, author=by, body=body)


def question_close(*, question: Question, by: User) -> Question:
    with transaction.atomic():
        question = _lock(question)
        if question.status == QuestionStatus.CLOSED:
            raise HelpdeskError(_("Cette question est déjà close."))
        question.status = QuestionStatus.CLOSED
        question.closed_at = timezone.now()
        question.save(update_fields=["status", "closed_at", "updated_at"])
    return question


def question_reopen(*, question: Question, by: User) -> Question:
    """The asker's side reopens a closed question: back to its assignee (told by e-mail), or to the animators."""
    with transaction.atomic():
        question = _lock(question)
        if question.status != QuestionStatus.CLOSED:
            raise HelpdeskError(_("Cette question n'est pas close."))
        question.status = QuestionStatus.IN_PROGRESS if question.assignee_id else QuestionStatus.NEW
        question.closed_at = None
        question.save(update_fields=["status", "closed_at", "updated_at"])
        to = [question.assignee.email] if question.assignee else _animator_emails(question.network_id)
        _notify(
            to,
            f"[Relais] Question rouverte : {question.title}",
            f"{by} a rouvert la question.\n\n{_question_url(question)}\n",
        )
    return question


def question_set_consent(*, question: Question, by: User, consent: bool) -> Question:
    """The asker agrees (or no longer agrees) that an anonymised version may be published in the FAQ.

    Withdrawing consent withdraws at once, in the same transaction, the entry already published from the question:
    it leaves the FAQ pages, search, the weekly digest and the API, its index rows are removed, and the network's
    animators are told. The entry is kept, withdrawn, so that it can be republished if the asker agrees again."""
    with transaction.atomic():
        question = _lock(question)
        question.faq_consent = consent
        question.save(update_fields=["faq_consent", "updated_at"])
        if consent:
            return question
        entry = FaqEntry.objects.select_for_update().published().filter(source_question=question).first()
        if entry is not None:
            entry.withdrawn_at = timezone.now()
            entry.save(update_fields=["withdrawn_at", "updated_at"])
            reindex_faq_entry(entry)  # a withdrawn entry keeps no index rows
            _notify(
                _animator_emails(question.network_id),
                f"[Relais] Entrée de FAQ retirée : {entry.title}",
                f"{by} a retiré son accord pour la publication de sa question dans la FAQ. L'entrée « {entry.title} » "
                "est retirée : elle n'apparaît plus dans la FAQ, la recherche, la lettre hebdomadaire ni l'API.\n"
                "Si la personne donne de nouveau son accord, vous pourrez la republier depuis la question.\n\n"
                f"{_question_url(question)}\n",
            )
    return question


def check_related_documents(network_id: int, documents: Iterable[Document]) -> list[Document]:
    """The documents a FAQ entry of this network may link to: those of the same network, or public ones. Readers
    are shown only the linked documents they may see (documents.perms.can_view)."""
    checked = list(documents)
    refused = [
        document
        for document in checked
        if document.network_id != network_id and document.access_level != AccessLevel.PUBLIC
    ]
    if refused:
        titles = ", ".join(f"« {document.title} »" for document in refused)
        raise HelpdeskError(
            _(
                "Une entrée de FAQ ne peut être liée qu'aux documents de son réseau ou à des documents publics : "
                "%(titles)s."
            )
            % {"titles": titles}
        )
    return checked


def faq_entry_publish(
    *,
    question: Question,
    by: User,
    title: str,
    question_text: str,
    answer_text: str,
    visibility: FaqVisibility | str,
    related_sheets: Iterable[CaseSheet] = (),
    related_documents: Iterable[Document] = (),
) -> FaqEntry:
    """Publish the anonymised text an animator wrote from an answered question whose asker consented.

    A question whose entry was withdrawn (consent withdrawn, then given again) gets that entry back, at the same
    address, with the text written now."""
    with transaction.atomic():
        question = _lock(question)
        if not question.faq_consent:
            raise HelpdeskError(_("La personne qui a posé la question n'a pas donné son accord pour la FAQ."))
        if question.first_answered_at is None:
            raise HelpdeskError(_("Seule une question qui a reçu une réponse peut devenir une entrée de FAQ."))
        entry = FaqEntry.objects.select_for_update().filter(source_question=question).first()
        if entry is not None and not entry.is_withdrawn:
            raise HelpdeskError(_("Cette question a déjà son entrée dans la FAQ."))
        documents = check_related_documents(question.network_id, related_documents)
        entry = entry or FaqEntry(source_question=question)
        entry.network = question.network
        entry.category, entry.theme = question.category, question.theme
        entry.title, entry.question_text, entry.answer_text = title, question_text, answer_text
        entry.visibility = visibility
        entry.published_by, entry.published_at, entry.withdrawn_at = by, timezone.now(), None
        entry.save()
        entry.related_sheets.set(list(related_sheets))
        entry.related_documents.set(documents)
        reindex_faq_entry(entry)
    return entry


def faq_entry_update(
    *,
    entry: FaqEntry,
    by: User,
    title: str,
    question_text: str,
    answer_text: str,
    visibility: FaqVisibility | str,
    related_sheets: Iterable[CaseSheet] = (),
    related_documents: Iterable[Document] = (),
) -> FaqEntry:
    """An animator edits a published entry. A withdrawn one is not edited: it would be published and indexed again
    without the asker's consent (republishing goes through faq_entry_publish, once consent is given again)."""
    documents = check_related_documents(entry.network_id, related_documents)
    with transaction.atomic():
        entry = FaqEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.is_withdrawn:
            raise HelpdeskError(_("Cette entrée a été retirée de la FAQ : elle ne peut plus être modifiée."))
        entry.title, entry.question_text, entry.answer_text = title, question_text, answer_text
        entry.visibility = visibility
        entry.save()
        entry.related_sheets.set(list(related_sheets))
        entry.related_documents.set(documents)
        reindex_faq_entry(entry)
    return entry
