"""Pages of events: agenda, event page with registration, animator's form, attendance, satisfaction form,
materials, iCalendar files."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from relais.events import ical, perms, queries, services
from relais.events.enums import EventAudience, EventStatus, RegistrationStatus
from relais.events.models import Event, Material
from relais.networks.enums import Role
from relais.networks.models import Network
from relais.networks.perms import network_ids_with_roles
from relais.sourcing.enums import NeedStatus
from relais.sourcing.perms import can_view_need
from relais.web.downloads import sandboxed_file
from relais.web.forms.events import EventForm, FeedbackForm, MaterialForm

PAGE_SIZE = 20
R = TypeVar("R", HttpResponse, FileResponse)


def _viewable_event(request: HttpRequest, public_id: UUID) -> Event:
    """The event, or 404 when the person may not see it (a members-only event does not reveal it exists)."""
    event = get_object_or_404(Event.objects.select_related("network"), public_id=public_id)
    if not perms.can_view(request.user, event):
        raise Http404
    return event


def _managed_event(request: HttpRequest, public_id: UUID) -> Event:
    event = _viewable_event(request, public_id)
    if not perms.can_manage(request.user, event):
        raise PermissionDenied
    return event


def _private(response: R, event: Event | None = None) -> R:
    if event is None or event.audience != EventAudience.PUBLIC or event.status == EventStatus.DRAFT:
        response["Cache-Control"] = "private, no-store"
    return response


def _animated_networks(user: Any) -> list[Network]:
    if getattr(user, "is_site_admin", False):
        return list(Network.objects.order_by("name"))
    ids = network_ids_with_roles(user, frozenset({Role.ANIMATOR}))
    return list(Network.objects.filter(id__in=ids).order_by("name"))


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming (or past) events the person may see; animators also find their drafts and the create buttons."""
    past = request.GET.get("periode") == "passes"
    events = queries.visible_events(request.user)
    events = events.past() if past else events.upcoming()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    animated = _animated_networks(request.user)
    context = {
        "page": page,
        "past": past,
        "animated_networks": animated,
        "drafts": list(queries.draft_events({n.pk for n in animated}).order_by("starts_at")) if animated else [],
        "breadcrumb_data": {"links": [], "current": "Événements"},
    }
    return _private(render(request, "web/events/list.html", context))


@require_GET
def event_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    event = _viewable_event(request, public_id)
    registration = queries.registration_of(request.user, event)
    active = registration is not None and registration.status != RegistrationStatus.CANCELLED
    manage = perms.can_manage(request.user, event)
    context = {
        "event": event,
        "registration": registration if active else None,
        "waiting_position": services.waiting_position(registration) if registration else None,
        "can_register": not active and perms.can_register(request.user, event),
        "may_attend": perms.may_attend(request.user, event),
        "can_unregister": active and not event.has_started(),
        "can_give_feedback": perms.can_give_feedback(request.user, registration)
        and not hasattr(registration, "feedback"),
        "can_manage": manage,
        "materials": list(event.materials.all()),
        # A market-engagement meeting prepares buyers' needs: show those the person may read.
        "needs": [
            need
            for need in event.sourcing_needs.exclude(status=NeedStatus.REJECTED).select_related("buyer", "network")
            if can_view_need(request.user, need)
        ],
        "waiting_count": event.registrations.filter(status=RegistrationStatus.WAITING).count() if manage else 0,
        "breadcrumb_data": {
            "links": [{"url": reverse("web:event_list"), "title": "Événements"}],
            "current": event.title,
        },
    }
    return _private(render(request, "web/events/detail.html", context), event)


@login_required
def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    if not perms.can_create(request.user, network):
        raise PermissionDenied
    form = EventForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.network = network
        event = services.event_save(event=event, by=request.user)  # type: ignore[arg-type]
        messages.success(request, "L'événement est enregistré.")
        return redirect("web:event_detail", public_id=event.public_id)
    context = {"form": form, "network": network, "event": None}
    status = 422 if request.method == "POST" else 200
    return _private(render(request, "web/events/form.html", context, status=status))


@login_required
def event_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    event = _managed_event(request, public_id)
    form = EventForm(data=request.POST if request.method == "POST" else None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_save(event=form.save(commit=False), by=request.user)  # type: ignore[arg-type]
        except services.EventError as error:
            form.add_error("capacity", str(error))
        else:
            messages.success(request, "Vos modifications sont enregistrées.")
            return redirect("web:event_detail", public_id=event.public_id)
    context = {"form": form, "network": event.network, "event": event}
    status = 422 if request.method == "POST" else 200
    return _private(render(request, "web/events/form.html", context, status=status))


@login_required
@require_POST
def event_register(request: HttpRequest, public_id: UUID) -> HttpResponse:
    event = _viewable_event(request, public_id)
    if not perms.may_attend(request.user, event):
        raise PermissionDenied
    try:
        registration = services.event_register(event=event, user=request.user)  # type: ignore[arg-type]
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, "Votre inscription est confirmée. Un e-mail de confirmation vous est envoyé.")
        else:
            position = services.waiting_position(registration)
            messages.info(
                request,
                f"L'événement est complet : vous êtes en position {position} sur la liste d'attente. "
                "Vous recevrez un e-mail si une place se libère.",
            )
    return redirect("web:event_detail", public_id=event.public_id)


@login_required
@require_POST
def event_unregister(request: HttpRequest, public_id: UUID) -> HttpResponse:
    event = _viewable_event(request, public_id)
    try:
        services.event_unregister(event=event, user=request.user)  # type: ignore[arg-type]
    except services.EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Votre inscription est annulée.")
    return redirect("web:event_detail", public_id=event.public_id)


@login_required
def event_attendance(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The animator ticks who came; the page also shows the waiting list and the satisfaction answers."""
    event = _managed_event(request, public_id)
    if request.method == "POST":
        try:
            count = services.event_mark_attendance(
                event=event,
                by=request.user,  # type: ignore[arg-type]
                present_ids=set(request.POST.getlist("present")),
            )
        except services.EventError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Présences enregistrées : {count} participant(s) présent(s).")
        return redirect("web:event_attendance", public_id=event.public_id)
    context = {
        "event": event,
        "participants": queries.attendance_list(event),
        "waiting": queries.waiting_list(event),
        "feedback": queries.feedback_summary(event),
        "can_mark": event.has_started(),
        "breadcrumb_data": {
            "links": [
                {"url": reverse("web:event_list"), "title": "Événements"},
                {"url": reverse("web:event_detail", kwargs={"public_id": event.public_id}), "title": event.title},
            ],
            "current": "Inscrits et présences",
        },
    }
    return _private(render(request, "web/events/attendance.html", context))


@login_required
def event_feedback(request: HttpRequest, public_id: UUID) -> HttpResponse:
    event = _viewable_event(request, public_id)
    registration = queries.registration_of(request.user, event)
    if registration is None or not perms.can_give_feedback(request.user, registration):
        raise PermissionDenied
    if hasattr(registration, "feedback"):
        messages.info(request, "Vous avez déjà donné votre avis sur cet événement. Merci !")
        return redirect("web:event_detail", public_id=event.public_id)
    form = FeedbackForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_feedback_submit(
                registration=registration, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            )
        except services.EventError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Merci pour votre avis !")
        return redirect("web:event_detail", public_id=event.public_id)
    status = 422 if request.method == "POST" else 200
    return _private(render(request, "web/events/feedback.html", {"event": event, "form": form}, status=status))


@login_required
def event_material_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    event = _managed_event(request, public_id)
    form = MaterialForm(
        data=request.POST if request.method == "POST" else None,
        files=request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid() and form.checked is not None:
        try:
            with transaction.atomic():
                services.event_material_add(
                    event=event,
                    by=request.user,  # type: ignore[arg-type]
                    title=form.cleaned_data["title"],
                    upload=form.cleaned_data["file"],
                    original_name=form.checked.original_name,
                    content_type=form.checked.content_type,
                    size=form.checked.size,
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Le support est joint à l'événement.")
            return redirect("web:event_detail", public_id=event.public_id)
    status = 422 if request.method == "POST" else 200
    context = {"event": event, "form": form, "materials": list(event.materials.all())}
    return _private(render(request, "web/events/material_form.html", context, status=status))


@require_GET
def event_material(request: HttpRequest, public_id: UUID, material_id: UUID) -> FileResponse:
    """Download a material of an event the person may see: always as an attachment, never rendered inline."""
    event = _viewable_event(request, public_id)
    item = get_object_or_404(Material, event=event, public_id=material_id)
    response = sandboxed_file(
        item.file,
        filename=item.original_name or f"support-{item.public_id}",
        content_type=item.content_type,
        private=False,
    )
    return _private(response, event)


def _ics_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def event_ics(request: HttpRequest, public_id: UUID) -> HttpResponse:
    event = _viewable_event(request, public_id)
    url = request.build_absolute_uri(reverse("web:event_detail", kwargs={"public_id": event.public_id}))
    registration = queries.registration_of(request.user, event)
    registered = registration is not None and registration.status == RegistrationStatus.CONFIRMED
    show_links = registered or perms.can_manage(request.user, event)
    text = ical.calendar([(event, url)], name=event.title, show_links=show_links)
    return _private(_ics_response(text, f"evenement-{event.public_id}.ics"), event)


@require_GET
def network_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The network's agenda for calendar applications. Calendar clients do not sign in and the feed may be kept in
    shared caches: it lists PUBLIC events only, whoever asks."""
    network = get_object_or_404(Network, slug=slug)
    events = Event.objects.public().filter(network=network).order_by("starts_at")
    items = [
        (event, request.build_absolute_uri(reverse("web:event_detail", kwargs={"public_id": event.public_id})))
        for event in events
    ]
    text = ical.calendar(items, name=f"Agenda — {network.name}")
    return _ics_response(text, f"agenda-{network.slug}.ics")
