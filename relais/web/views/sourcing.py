"""Pages of sourcing needs (posting, validating, following, answering) and of the in-app notification inbox.

A need that the reader may not see answers 404, like an unknown identifier; a reader who sees it but may not act
gets 403. Suppliers' contact details are shown only to the need's buyer and to the network's animators, and each
display is access-logged; a supplier never sees the other suppliers' answers.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from relais.advisor.results import Advice
from relais.advisor.services import AdvisorError, advise
from relais.core.models import Notification
from relais.networks.models import Network
from relais.organisations.enums import StructureType
from relais.organisations.models import Organisation
from relais.sourcing import perms, queries, services
from relais.sourcing.enums import NeedStatus
from relais.sourcing.models import NeedAttachment, SourcingNeed
from relais.suppliers.enums import ServiceKind
from relais.web.charts import bar_chart
from relais.web.downloads import sandboxed_file
from relais.web.forms.sourcing import AnswerForm, NeedForm, RejectForm
from relais.web.spreadsheets import table_download

access_log = logging.getLogger("relais.access")
PAGE_SIZE = 20


def _need(request: HttpRequest, public_id: UUID) -> SourcingNeed:
    need = get_object_or_404(
        SourcingNeed.objects.select_related("network", "buyer", "author", "place", "event", "decided_by"),
        public_id=public_id,
    )
    if not perms.can_view_need(request.user, need):
        raise Http404
    return need


def _advice(need: SourcingNeed) -> Advice | None:
    """The legal-lever advisor's reading of the need (buyer and animators, both members: unlisted suppliers are
    named). None when the need cannot be read (no CPV code, only themes)."""
    try:
        return advise(
            cpv_codes=[cpv.code for cpv in need.cpvs.all()],
            departement_code=need.place.code,
            amount=need.estimated_amount,
            buyer_category=need.buyer.buyer_category,
            on=timezone.localdate(),
            service_kinds=list(need.service_kinds),
            show_unlisted=True,
        )
    except AdvisorError:
        return None


# ── Lists ────────────────────────────────────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def need_list(request: HttpRequest) -> HttpResponse:
    """Members: their network's validated needs and their own; animators: the validation queue and every need."""
    user = request.user
    if not perms.can_view_need_list(user):
        raise PermissionDenied
    moderated = queries.with_funnel(queries.needs_to_moderate(user))
    queue_first = Case(When(status=NeedStatus.SUBMITTED, then=Value(0)), default=Value(1), output_field=IntegerField())
    context = {
        "own": list(queries.needs_of_buyer_side(user)[:50]),
        "network_needs": Paginator(
            queries.validated_needs_of_networks(user).order_by("answer_deadline", "pk"), PAGE_SIZE
        ).get_page(request.GET.get("page")),
        "moderated": list(moderated.annotate(queue=queue_first).order_by("queue", "-created_at")[:100]),
        "animates": perms.can_follow_funnels(user),
        "can_post": perms.can_post_need(user),
    }
    return render(request, "web/sourcing/need_list.html", context)


FUNNEL_HEADER = (
    "Besoin",
    "Réseau",
    "Acheteur",
    "Nature",
    "Statut",
    "Déposé le",
    "Réponses avant le",
    "Intéressés visés",
    "Fournisseurs correspondants",
    "Notifiés",
    "Ont consulté",
    "Intéressés",
    "Pas intéressés",
)


@login_required
@require_GET
def need_funnel_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The funnel of every need of the networks the reader animates, as CSV or XLSX (no supplier named)."""
    if not perms.can_follow_funnels(request.user):
        raise PermissionDenied
    needs = queries.with_funnel(queries.needs_to_moderate(request.user)).order_by("-created_at", "pk")
    rows = [
        [
            need.title,
            need.network.name,
            need.buyer.name,
            need.get_kind_display(),
            need.get_status_display(),
            timezone.localdate(need.created_at),
            need.answer_deadline,
            need.interested_target,
            need.matched,  # type: ignore[attr-defined]
            need.notified,  # type: ignore[attr-defined]
            need.opened,  # type: ignore[attr-defined]
            need.interested,  # type: ignore[attr-defined]
            need.not_interested,  # type: ignore[attr-defined]
        ]
        for need in needs[:5000]
    ]
    return table_download(
        fmt,
        stem="besoins-sourcage-suivi",
        header=FUNNEL_HEADER,
        rows=rows,
        sheet="Suivi des besoins",
        about=(
            "Suivi des besoins de sourçage des réseaux que vous animez : fournisseurs correspondants, notifiés, "
            "ayant consulté le besoin, intéressés (seuls ou en groupement) et pas intéressés.",
        ),
    )


@login_required
@require_GET
def need_my_requests(request: HttpRequest) -> HttpResponse:
    """A supplier's list of the needs sent to its organisation, with its answer."""
    if not perms.can_view_my_requests(request.user):
        raise PermissionDenied
    page = Paginator(queries.requests_of_supplier(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/sourcing/my_requests.html", {"page": page, "today": timezone.localdate()})


# ── Posting ──────────────────────────────────────────────────────────────────────────────────────────────────────


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    if not perms.can_post_need(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = NeedForm(data, request.FILES if data is not None else None, user=request.user)
    if data is not None and form.is_valid():
        network: Network = form.cleaned_data["network"]
        try:
            need = services.need_post(
                network=network,
                buyer=Organisation.objects.get(pk=form.organisations[network.pk]),
                author=request.user,  # type: ignore[arg-type]
                data=form.need_input(),
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except services.SourcingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Votre besoin est enregistré : l'animation du réseau va le valider.")
            return redirect("web:need_detail", public_id=need.public_id)
    return render(request, "web/sourcing/need_form.html", {"form": form}, status=422 if data is not None else 200)


# ── A need ───────────────────────────────────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def need_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    need = _need(request, public_id)
    return _render_detail(request, need)


def _render_detail(request: HttpRequest, need: SourcingNeed, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    match = perms.match_of(user, need)
    if match is not None and match.opened_at is None:
        services.need_open(match=match)
    buyer_side = perms.is_buyer_side(user, need)
    moderates = perms.can_moderate(user, need)
    context: dict[str, Any] = {
        "need": need,
        "cpvs": list(need.cpvs.all()),
        "themes": list(need.themes.all()),
        "attachments": list(need.attachments.all()),
        "structure_labels": [
            StructureType(code).label for code in need.structure_types if code in StructureType.values
        ],
        "service_labels": [ServiceKind(code).label for code in need.service_kinds if code in ServiceKind.values],
        "match": match,
        "buyer_side": buyer_side,
        "moderates": moderates,
        "can_validate": perms.can_validate(user, need),
        "can_reject": perms.can_reject(user, need),
        "can_close": perms.can_close(user, need),
        "can_answer": perms.can_answer(user, need),
        "interested": None,
        "advice": None,
        "funnel": None,
    }
    if context["can_answer"] and match is not None:
        initial = {"answer": match.answer, "reason": match.reason} if match.answer else None
        context["answer_form"] = forms.get("answer_form") or AnswerForm(initial=initial)
    if perms.can_view_contacts(user, need):
        interested = list(queries.interested_matches(need))
        context["interested"] = interested
        if interested:
            access_log.info(
                "need_contacts_viewed user=%s need=%s suppliers=%s",
                user.public_id,  # type: ignore[union-attr]
                need.public_id,
                ",".join(str(match.supplier.public_id) for match in interested),
            )
    if buyer_side or moderates:
        context["advice"] = _advice(need)
    if perms.can_view_funnel(user, need):
        funnel = queries.need_funnel(need)
        context["funnel"] = funnel
        context["funnel_chart"] = bar_chart(funnel)
        context["all_matches"] = list(need.matches.select_related("supplier").order_by("batch", "-score", "pk"))
    return render(request, "web/sourcing/need_detail.html", context, status=status)


@login_required
def need_validate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    need = _need(request, public_id)
    if not perms.can_validate(request.user, need):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.need_validate(need=need, by=request.user)  # type: ignore[arg-type]
        except services.SourcingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Le besoin est validé : les fournisseurs correspondants vont être sollicités.")
        return redirect("web:need_detail", public_id=need.public_id)
    return render(request, "web/sourcing/need_confirm.html", {"need": need, "action": "validate"})


@login_required
def need_reject(request: HttpRequest, public_id: UUID) -> HttpResponse:
    need = _need(request, public_id)
    if not perms.can_reject(request.user, need):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = RejectForm(data)
    if data is not None and form.is_valid():
        try:
            services.need_reject(need=need, by=request.user, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except services.SourcingError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, "Le besoin est refusé ; son auteur en est informé.")
            return redirect("web:need_detail", public_id=need.public_id)
    context = {"need": need, "action": "reject", "form": form}
    return render(request, "web/sourcing/need_confirm.html", context, status=422 if data is not None else 200)


@login_required
def need_close(request: HttpRequest, public_id: UUID) -> HttpResponse:
    need = _need(request, public_id)
    if not perms.can_close(request.user, need):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.need_close(need=need, by=request.user)  # type: ignore[arg-type]
        except services.SourcingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Le besoin est clos : plus aucun fournisseur n'est sollicité.")
        return redirect("web:need_detail", public_id=need.public_id)
    return render(request, "web/sourcing/need_confirm.html", {"need": need, "action": "close"})


@login_required
@require_POST
def need_answer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    need = _need(request, public_id)
    if not perms.can_answer(request.user, need):
        raise PermissionDenied
    match = perms.match_of(request.user, need)
    if match is None:
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.need_answer(
                match=match,
                by=request.user,  # type: ignore[arg-type]
                answer=form.cleaned_data["answer"],
                reason=form.cleaned_data["reason"],
            )
        except services.SourcingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Votre réponse est enregistrée et transmise à l'acheteur.")
            return redirect("web:need_detail", public_id=need.public_id)
    return _render_detail(request, need, status=422, answer_form=form)


@login_required
@require_GET
def need_attachment(request: HttpRequest, public_id: UUID, attachment_id: UUID) -> FileResponse:
    """Always a download, with nosniff and a sandbox policy, never cached: only readers of the need get it."""
    need = _need(request, public_id)
    item = get_object_or_404(NeedAttachment, need=need, public_id=attachment_id)
    return sandboxed_file(item.file, filename=item.filename or f"piece-jointe-{item.public_id}")


# ── Notifications ────────────────────────────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.filter(recipient_id=request.user.pk).order_by("-created_at", "-pk")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = items.filter(read_at__isnull=True).count()
    return render(request, "web/sourcing/notification_list.html", {"page": page, "unread": unread})


@login_required
@require_POST
def notification_read(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Mark one notification read and follow its link (only a link inside the site)."""
    notification = get_object_or_404(Notification, public_id=public_id, recipient=request.user)
    services.notifications_mark_read(user=request.user, notification=notification)  # type: ignore[arg-type]
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None) and target.startswith("/"):
        return redirect(target)
    return redirect("web:notification_list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_read(user=request.user)  # type: ignore[arg-type]
    messages.success(request, f"{count} notification(s) marquée(s) comme lue(s)." if count else "Rien à marquer.")
    return redirect("web:notification_list")
