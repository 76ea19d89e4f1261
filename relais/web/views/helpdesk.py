"""Pages of the helpdesk (asking, following, handling questions) and of the FAQ built from answered questions.

A question that the reader may not see answers 404, like an unknown identifier, so that its existence is not
revealed; a reader who sees it but may not perform an action gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from relais.casesheets import perms as sheet_perms
from relais.documents.queries import visible_documents
from relais.helpdesk import perms, queries, services
from relais.helpdesk.models import FaqEntry, Question, QuestionAttachment
from relais.networks.models import Network
from relais.organisations.models import Organisation
from relais.web.downloads import sandboxed_file
from relais.web.forms.helpdesk import (
    AssignForm,
    FaqEntryForm,
    InboxFilterForm,
    MessageForm,
    NoteForm,
    QuestionForm,
    SettingsForm,
    faq_initial_from_entry,
    helpdesk_team,
    question_initial_for_faq,
)

PAGE_SIZE = 20
SUGGESTIONS = 5


def _question(request: HttpRequest, public_id: UUID) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("network", "organisation", "asker", "assignee", "theme", "cpv"),
        public_id=public_id,
    )
    if not perms.can_view_question(request.user, question):
        raise Http404
    return question


def _refused(data: Any) -> int:
    # 422 tells tests and assistive tooling that the submission was refused; browsers render the page as usual.
    return 422 if data is not None else 200


# ── The asker's side ──────────────────────────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def my_questions(request: HttpRequest) -> HttpResponse:
    questions = queries.questions_of_asker_side(request.user).order_by("-created_at")
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_ask": perms.can_ask(request.user), "today": timezone.localdate()}
    return render(request, "web/helpdesk/my_questions.html", context)


@login_required
def ask(request: HttpRequest) -> HttpResponse:
    """Step 1 (GET ?titre=…): the FAQ entries matching the title are shown before the form; step 2: the form."""
    if not perms.can_ask(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    title = (data or request.GET).get("title", "")[:200]
    form = QuestionForm(data, request.FILES if data is not None else None, user=request.user, initial={"title": title})
    if data is not None and form.is_valid():
        network = form.cleaned_data["network"]
        question = services.question_ask(
            network=network,
            organisation=Organisation.objects.get(pk=form.organisations[network.pk]),
            asker=request.user,  # type: ignore[arg-type]
            category=form.cleaned_data["category"],
            theme=form.cleaned_data["theme"],
            cpv=form.cleaned_data["cpv"],
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            files=form.cleaned_data["attachments"],
        )
        messages.success(request, "Votre question est envoyée au guichet du réseau.")
        return redirect("web:helpdesk_question", public_id=question.public_id)
    suggestions = list(queries.faq_search(request.user, title, title_only=True, match_all=False)[:SUGGESTIONS])
    context = {"form": form, "title": title, "suggestions": suggestions if title.strip() else []}
    return render(request, "web/helpdesk/ask.html", context, status=_refused(data))


@login_required
@require_GET
def question_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    question = _question(request, public_id)
    return _render_detail(request, question)


def _render_detail(request: HttpRequest, question: Question, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    handles = perms.can_handle(user, question)
    context: dict[str, Any] = {
        "question": question,
        "thread": question.messages.select_related("author").prefetch_related("attachments"),
        "question_attachments": question.attachments.filter(message__isnull=True),
        "overdue": question.is_overdue(timezone.localdate()),
        "handles": handles,
        # Internal notes are fetched only for the helpdesk team: the asker's page never queries them.
        "notes": question.internal_notes.select_related("author") if handles else None,
        "can_answer": perms.can_answer(user, question),
        "can_assign": perms.can_assign(user, question),
        "can_close": perms.can_close(user, question),
        "can_reply": perms.can_reply(user, question),
        "can_reopen": perms.can_reopen(user, question),
        "can_set_consent": perms.can_set_consent(user, question),
        "can_publish_faq": perms.can_publish_faq(user, question),
        "faq_entry": FaqEntry.objects.filter(source_question=question).first(),
    }
    if context["can_answer"]:
        context["answer_form"] = forms.get("answer_form") or MessageForm(label="Votre réponse", prefix="answer")
    if context["can_reply"]:
        context["reply_form"] = forms.get("reply_form") or MessageForm(label="Votre message", prefix="reply")
    if handles:
        context["note_form"] = forms.get("note_form") or NoteForm()
    if context["can_assign"]:
        initial = {"assignee": question.assignee.public_id if question.assignee else None}
        context["assign_form"] = forms.get("assign_form") or AssignForm(question=question, initial=initial)
    return render(request, "web/helpdesk/question_detail.html", context, status=status)


def _act(
    request: HttpRequest,
    public_id: UUID,
    allowed: Callable[[Any, Question], bool],
    action: Callable[[Question], object],
    success: str,
) -> HttpResponse:
    question = _question(request, public_id)
    if not allowed(request.user, question):
        raise PermissionDenied
    try:
        action(question)
    except services.HelpdeskError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("web:helpdesk_question", public_id=question.public_id)


def _post_message(
    request: HttpRequest,
    public_id: UUID,
    *,
    allowed: Callable[[Any, Question], bool],
    service: Callable[..., object],
    label: str,
    prefix: str,
    success: str,
) -> HttpResponse:
    """A message in the question's thread (the team's answer or the asker's reply), with its attachments."""
    question = _question(request, public_id)
    if not allowed(request.user, question):
        raise PermissionDenied
    form = MessageForm(request.POST, request.FILES, label=label, prefix=prefix)
    if not form.is_valid():
        return _render_detail(request, question, 422, **{f"{prefix}_form": form})
    service(
        question=question,
        by=request.user,
        body=form.cleaned_data["body"],
        files=form.cleaned_data["attachments"],
    )
    messages.success(request, success)
    return redirect("web:helpdesk_question", public_id=question.public_id)


@login_required
@require_POST
def answer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _post_message(
        request,
        public_id,
        allowed=perms.can_answer,
        service=services.question_answer,
        label="Votre réponse",
        prefix="answer",
        success="Votre réponse est envoyée : la personne qui a posé la question est prévenue.",
    )


@login_required
@require_POST
def reply(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _post_message(
        request,
        public_id,
        allowed=perms.can_reply,
        service=services.question_reply,
        label="Votre message",
        prefix="reply",
        success="Votre message est ajouté à la question.",
    )


@login_required
@require_POST
def note(request: HttpRequest, public_id: UUID) -> HttpResponse:
    question = _question(request, public_id)
    if not perms.can_add_note(request.user, question):
        raise PermissionDenied
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, question, 422, note_form=form)
    services.question_add_note(question=question, by=request.user, body=form.cleaned_data["note"])  # type: ignore[arg-type]
    messages.success(request, "La note interne est enregistrée.")
    return redirect("web:helpdesk_question", public_id=question.public_id)


@login_required
@require_POST
def assign(request: HttpRequest, public_id: UUID) -> HttpResponse:
    question = _question(request, public_id)
    if not perms.can_assign(request.user, question):
        raise PermissionDenied
    form = AssignForm(request.POST, question=question)
    if not form.is_valid():
        return _render_detail(request, question, 422, assign_form=form)
    services.question_assign(question=question, assignee=form.cleaned_data["assignee"], by=request.user)  # type: ignore[arg-type]
    messages.success(request, "La question est attribuée.")
    return redirect("web:helpdesk_question", public_id=question.public_id)


@login_required
@require_POST
def close(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _act(
        request,
        public_id,
        perms.can_close,
        lambda question: services.question_close(question=question, by=request.user),  # type: ignore[arg-type]
        "La question est close.",
    )


@login_required
@require_POST
def reopen(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _act(
        request,
        public_id,
        perms.can_reopen,
        lambda question: services.question_reopen(question=question, by=request.user),  # type: ignore[arg-type]
        "La question est rouverte : le guichet est prévenu.",
    )


@login_required
@require_POST
def consent(request: HttpRequest, public_id: UUID) -> HttpResponse:
    given = request.POST.get("consent") == "yes"
    return _act(
        request,
        public_id,
        perms.can_set_consent,
        lambda question: services.question_set_consent(question=question, by=request.user, consent=given),  # type: ignore[arg-type]
        "Merci : votre question pourra être publiée, anonymisée, dans la FAQ."
        if given
        else "Votre accord est retiré : votre question ne figure pas dans la FAQ.",
    )


@login_required
@require_GET
def attachment(request: HttpRequest, public_id: UUID, attachment_id: UUID) -> FileResponse:
    """Always a download, with nosniff and a sandbox policy, never cached: questions are private."""
    question = _question(request, public_id)
    item = get_object_or_404(QuestionAttachment, question=question, public_id=attachment_id)
    return sandboxed_file(item.file, filename=item.original_name or f"piece-jointe-{item.public_id}")


# ── The helpdesk team ─────────────────────────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    if not perms.can_view_inbox(request.user):
        raise PermissionDenied
    network_ids = queries.inbox_network_ids(request.user)
    team: list[Any] = []
    for network_id in sorted(network_ids)[:10]:
        team.extend(user for user in helpdesk_team(network_id) if user not in team)
    form = InboxFilterForm(request.GET or None, team=team)
    filters = queries.InboxFilters()
    if form.is_bound and form.is_valid():
        filters = queries.InboxFilters(
            status=form.cleaned_data["status"],
            category=form.cleaned_data["category"],
            assignee=form.cleaned_data["assignee"],
            overdue=form.cleaned_data["overdue"],
        )
    today = timezone.localdate()
    questions = queries.inbox(request.user, filters, today)
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    animated = Network.objects.filter(pk__in=network_ids).order_by("name")
    context = {"form": form, "page": page, "today": today, "networks": animated}
    return render(request, "web/helpdesk/inbox.html", context)


@login_required
def settings_edit(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    if not perms.can_edit_settings(request.user, network):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = SettingsForm(data, instance=services.helpdesk_settings_for(network))
    if data is not None and form.is_valid():
        form.save()
        messages.success(request, "Les réglages du guichet sont enregistrés.")
        return redirect("web:helpdesk_settings", slug=network.slug)
    return render(request, "web/helpdesk/settings.html", {"form": form, "network": network}, status=_refused(data))


# ── FAQ ───────────────────────────────────────────────────────────────────────────────────────────────────────────


@require_GET
def faq_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:200]
    entries = queries.faq_search(request.user, text).select_related("network")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/helpdesk/faq_list.html", {"page": page, "q": text})


def _faq_withdrawn(request: HttpRequest) -> HttpResponse:
    """A withdrawn entry answers 410 with a page saying so (links in past digests and bookmarks lead here), and
    shows nothing of the entry: the asker no longer agrees to its publication."""
    return render(request, "web/helpdesk/faq_withdrawn.html", status=410)


def _faq_entry(request: HttpRequest, public_id: UUID) -> FaqEntry:
    """The entry, if the reader may see it (404 otherwise, as for an unknown identifier, even once withdrawn)."""
    entry = get_object_or_404(FaqEntry.objects.select_related("network", "theme"), public_id=public_id)
    if not perms.can_view_faq(request.user, entry):
        raise Http404
    return entry


@require_GET
def faq_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    entry = _faq_entry(request, public_id)
    if entry.is_withdrawn:
        return _faq_withdrawn(request)
    sheets = [sheet for sheet in entry.related_sheets.all() if sheet_perms.can_view(request.user, sheet)]
    documents = visible_documents(request.user).filter(faq_entries=entry).order_by("title")
    context = {
        "entry": entry,
        "sheets": sheets,
        "documents": documents,
        "can_edit": perms.can_edit_faq(request.user, entry),
    }
    return render(request, "web/helpdesk/faq_detail.html", context)


@login_required
def faq_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Turn an answered question into an anonymised FAQ entry: only with the asker's consent."""
    question = _question(request, public_id)
    if not perms.can_publish_faq(request.user, question):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    # Republishing an entry withdrawn earlier starts from its anonymised text, not from the question's.
    withdrawn = FaqEntry.objects.filter(source_question=question).first()
    initial = faq_initial_from_entry(withdrawn) if withdrawn else question_initial_for_faq(question)
    form = FaqEntryForm(data, network=question.network, initial=initial)
    if data is not None and form.is_valid():
        try:
            entry = services.faq_entry_publish(
                question=question,
                by=request.user,  # type: ignore[arg-type]
                title=form.cleaned_data["title"],
                question_text=form.cleaned_data["question_text"],
                answer_text=form.cleaned_data["answer_text"],
                visibility=form.cleaned_data["visibility"],
                related_sheets=form.cleaned_data["related_sheets_text"],
                related_documents=form.cleaned_data["related_documents_text"],
            )
        except services.HelpdeskError as error:
            messages.error(request, str(error))
            return redirect("web:helpdesk_question", public_id=question.public_id)
        messages.success(request, "L'entrée de FAQ est publiée.")
        return redirect("web:faq_detail", public_id=entry.public_id)
    context = {"form": form, "question": question, "entry": None}
    return render(request, "web/helpdesk/faq_form.html", context, status=_refused(data))


@login_required
def faq_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    entry = _faq_entry(request, public_id)
    if entry.is_withdrawn:
        return _faq_withdrawn(request)
    if not perms.can_edit_faq(request.user, entry):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = FaqEntryForm(data, instance=entry, network=entry.network)
    if data is not None and form.is_valid():
        try:
            services.faq_entry_update(
                entry=entry,
                by=request.user,  # type: ignore[arg-type]
                title=form.cleaned_data["title"],
                question_text=form.cleaned_data["question_text"],
                answer_text=form.cleaned_data["answer_text"],
                visibility=form.cleaned_data["visibility"],
                related_sheets=form.cleaned_data["related_sheets_text"],
                related_documents=form.cleaned_data["related_documents_text"],
            )
        except services.HelpdeskError as error:  # withdrawn while the animator was editing
            messages.error(request, str(error))
            return redirect("web:faq_list")
        messages.success(request, "L'entrée de FAQ est enregistrée.")
        return redirect("web:faq_detail", public_id=entry.public_id)
    context = {"form": form, "question": None, "entry": entry}
    return render(request, "web/helpdesk/faq_form.html", context, status=_refused(data))
