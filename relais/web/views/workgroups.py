"""Working-group pages: list, detail, join/leave, and the animators' forms (group, status, meetings, participants,
deliverables). Groups are members-only: an outsider gets a 404, never a hint that the group exists."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from relais.accounts.models import User
from relais.networks.models import Network
from relais.web.forms.workgroups import (
    DeliverableForm,
    DeliverablePublishForm,
    GroupFilterForm,
    MeetingForm,
    MinutesForm,
    ParticipantAddForm,
    WorkGroupForm,
)
from relais.web.paging import page_links
from relais.workgroups import perms, queries, services
from relais.workgroups.enums import WorkGroupStatus
from relais.workgroups.models import Meeting, WorkGroup, WorkGroupDeliverable, WorkGroupParticipant

PAGE_SIZE = 20

# Labels of the buttons that move a group to each status.
TRANSITION_LABELS: dict[str, str] = {
    WorkGroupStatus.RUNNING: "Lancer le groupe (clore les inscriptions)",
    WorkGroupStatus.CLOSED: "Clore le groupe",
}


def _visible_group(request: HttpRequest, public_id: UUID) -> WorkGroup:
    group = get_object_or_404(
        WorkGroup.objects.select_related("network", "theme", "co_pilot", "animator"), public_id=public_id
    )
    if not perms.can_view(request.user, group):
        raise Http404
    return group


def _managed_group(request: HttpRequest, public_id: UUID) -> WorkGroup:
    """The group if the user manages it: 404 when they cannot see it, 403 when they see it without managing it."""
    group = _visible_group(request, public_id)
    if not perms.can_manage(request.user, group):
        raise PermissionDenied
    return group


def _visible_deliverable(request: HttpRequest, public_id: UUID) -> WorkGroupDeliverable:
    deliverable = get_object_or_404(
        WorkGroupDeliverable.objects.select_related("group", "group__network", "group__theme", "group__co_pilot"),
        public_id=public_id,
    )
    if not perms.can_view_deliverable(request.user, deliverable):
        raise Http404
    return deliverable


def _user(request: HttpRequest) -> User:
    """The signed-in person (views calling it are behind login_required)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _pagination(page: Page[Any], filters: dict[str, str]) -> dict[str, Any]:
    """What the DSFR pagination include needs: page numbers around the current one with the first and the last,
    each link keeping the list's filters."""
    paginator = page.paginator

    def query(number: int) -> str:
        return urlencode([*((name, value) for name, value in filters.items() if value), ("page", number)])

    links = page_links(page=page.number, num_pages=paginator.num_pages, query=query)
    return {
        "result": page,
        "page_links": links if paginator.num_pages > 1 else [],
        "first_query": query(1),
        "previous_query": query(page.previous_page_number()) if page.has_previous() else "",
        "next_query": query(page.next_page_number()) if page.has_next() else "",
        "last_query": query(paginator.num_pages),
    }


def _form_status(request: HttpRequest) -> int:
    # 422 tells tests and assistive tooling that the submission was refused; browsers render the page as usual.
    return 422 if request.method == "POST" else 200


@login_required
def workgroup_list(request: HttpRequest) -> HttpResponse:
    filters = GroupFilterForm(request.GET or None)
    status = theme = ""
    if filters.is_valid():
        status, theme = filters.cleaned_data["status"], filters.cleaned_data["theme"]
    groups = queries.group_list(request.user, status=status, theme_slug=theme)
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    creatable = [network for network in Network.objects.order_by("name") if perms.can_create_in(request.user, network)]
    context = {
        "groups": page.object_list,
        "page": page,
        "filters": filters,
        "creatable_networks": creatable,
        **_pagination(page, {"status": status, "theme": theme}),
    }
    return render(request, "web/workgroups/list.html", context)


def workgroup_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    group = _visible_group(request, public_id)
    user = request.user
    can_manage = perms.can_manage(user, group)
    deliverables = group.deliverables.all()
    context = {
        "group": group,
        "cpvs": group.cpvs.all(),
        "participants": group.participations.select_related("user").order_by("user__full_name"),
        "participants_count": group.participations.count(),
        "show_names": perms.can_see_participant_names(user, group),
        "meetings": group.meetings.all(),
        "deliverables": deliverables,
        "can_manage": can_manage,
        # The network's animators and the group's animator remove participants (until it is closed) and correct
        # deliverables.
        "can_remove_participants": perms.animates(user, group) and not group.is_closed,
        "can_edit_deliverables": perms.animates(user, group),
        "can_join": perms.can_join(user, group),
        "can_leave": perms.can_leave(user, group),
        "is_participant": perms.is_participant(user, group),
        "transitions": [(status, TRANSITION_LABELS[status]) for status in services.TRANSITIONS[group.status]]
        if can_manage
        else [],
    }
    return render(request, "web/workgroups/detail.html", context)


@login_required
def workgroup_create(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=slug)
    if not perms.can_create_in(request.user, network):
        raise PermissionDenied
    form = WorkGroupForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.workgroup_create(
                network=network,
                by=_user(request),
                title=data["title"],
                theme=data["theme"],
                description=data["description"],
                co_pilot=data["co_pilot"],
                animator=data["animator"],
                cpvs=data["cpv_codes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Le groupe de travail est créé et ouvert aux participants.")
            return redirect("web:workgroup_detail", public_id=group.public_id)
    context = {"form": form, "network": network, "group": None}
    return render(request, "web/workgroups/form.html", context, status=_form_status(request))


@login_required
def workgroup_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    group = _managed_group(request, public_id)
    if group.is_closed:
        messages.error(request, "Un groupe clos ne peut plus être modifié.")
        return redirect("web:workgroup_detail", public_id=group.public_id)
    form = WorkGroupForm(request.POST or None, instance=group, network=group.network)
    if request.method == "POST" and form.is_valid():
        try:
            services.workgroup_update(group=form.instance, by=_user(request), cpvs=form.cleaned_data["cpv_codes"])
        except ValidationError as error:
            form.add_error(None, error)
        except services.WorkGroupError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Vos modifications sont enregistrées.")
            return redirect("web:workgroup_detail", public_id=group.public_id)
    context = {"form": form, "network": group.network, "group": group}
    return render(request, "web/workgroups/form.html", context, status=_form_status(request))


@login_required
@require_POST
def workgroup_status(request: HttpRequest, public_id: UUID) -> HttpResponse:
    group = _managed_group(request, public_id)
    target = request.POST.get("to", "")
    try:
        services.workgroup_set_status(group=group, to=target, by=_user(request))
    except services.WorkGroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Le groupe est maintenant au statut « {WorkGroupStatus(target).label} ».")
    return redirect("web:workgroup_detail", public_id=group.public_id)


@login_required
@require_POST
def workgroup_join(request: HttpRequest, public_id: UUID) -> HttpResponse:
    group = _visible_group(request, public_id)
    if not perms.may_participate_in(request.user, group.network_id):
        raise PermissionDenied
    try:
        services.workgroup_join(group=group, user=_user(request))
    except services.WorkGroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Vous participez maintenant à ce groupe de travail.")
    return redirect("web:workgroup_detail", public_id=group.public_id)


def _name(person: User) -> str:
    return person.full_name or person.email


def _participant_removal(request: HttpRequest, group: WorkGroup, participation: WorkGroupParticipant) -> HttpResponse:
    """The confirmation page (GET) and the removal (POST), shared by leaving a group and removing someone."""
    person = participation.user
    leaving = person.pk == request.user.pk
    if group.is_closed:
        messages.error(request, "Ce groupe est clos : sa liste de participants est conservée.")
        return redirect("web:workgroup_detail", public_id=group.public_id)
    if request.method == "POST":
        try:
            services.workgroup_remove_participant(group=group, user=person, by=_user(request))
        except services.WorkGroupError as error:
            messages.error(request, str(error))
        else:
            if leaving:
                messages.success(request, "Vous avez quitté ce groupe de travail.")
            else:
                messages.success(request, f"{_name(person)} ne participe plus au groupe ; un e-mail l'en informe.")
        return redirect("web:workgroup_detail", public_id=group.public_id)
    context = {"group": group, "person": person, "person_name": _name(person), "leaving": leaving}
    return render(request, "web/workgroups/participant_remove.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def workgroup_leave(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A participant leaves the group, after a confirmation page."""
    group = _visible_group(request, public_id)
    participation = group.participations.select_related("user").filter(user=_user(request)).first()
    if participation is None:
        raise PermissionDenied
    return _participant_removal(request, group, participation)


@login_required
@require_http_methods(["GET", "POST"])
def workgroup_participant_remove(request: HttpRequest, public_id: UUID, participant_id: UUID) -> HttpResponse:
    """The network's animators and the group's animator remove a participant, after a confirmation page; a
    participant may use it to leave."""
    group = _visible_group(request, public_id)
    participation = get_object_or_404(
        WorkGroupParticipant.objects.select_related("user"), group=group, public_id=participant_id
    )
    if not perms.can_remove_participant(request.user, group, participation.user):
        raise PermissionDenied
    return _participant_removal(request, group, participation)


@login_required
def workgroup_participant_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    group = _managed_group(request, public_id)
    form = ParticipantAddForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.workgroup_add_participant(group=group, user=form.cleaned_data["user"], by=_user(request))
        except services.WorkGroupError as error:
            form.add_error("user", str(error))
        else:
            messages.success(
                request, f"{form.cleaned_data['user']} participe maintenant au groupe ; un e-mail l'en informe."
            )
            return redirect("web:workgroup_detail", public_id=group.public_id)
    return render(
        request, "web/workgroups/participant_add.html", {"form": form, "group": group}, status=_form_status(request)
    )


@login_required
def workgroup_meeting_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    group = _managed_group(request, public_id)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_create(
                group=group,
                by=_user(request),
                starts_at=data["starts_at"],
                online_url=data["online_url"],
                venue=data["venue"],
                agenda=data["agenda"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except services.WorkGroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "La réunion est planifiée ; les participants sont prévenus par e-mail.")
            return redirect("web:workgroup_detail", public_id=group.public_id)
    context = {"form": form, "group": group, "meeting": None}
    return render(request, "web/workgroups/meeting_form.html", context, status=_form_status(request))


@login_required
def workgroup_meeting_minutes(request: HttpRequest, public_id: UUID, meeting_id: UUID) -> HttpResponse:
    group = _managed_group(request, public_id)
    meeting: Meeting = get_object_or_404(Meeting, group=group, public_id=meeting_id)
    form = MinutesForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            services.meeting_update(
                meeting=meeting,
                by=_user(request),
                agenda=form.cleaned_data["agenda"],
                minutes=form.cleaned_data["minutes"],
            )
        messages.success(request, "L'ordre du jour et le compte rendu sont enregistrés.")
        return redirect("web:workgroup_detail", public_id=group.public_id)
    context = {"form": form, "group": group, "meeting": meeting}
    return render(request, "web/workgroups/meeting_form.html", context, status=_form_status(request))


@login_required
def workgroup_deliverable_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    group = _managed_group(request, public_id)
    form = DeliverablePublishForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data, checked = form.cleaned_data, form.checked
        deliverable = services.deliverable_publish(
            group=group,
            by=_user(request),
            kind=data["kind"],
            title=data["title"],
            summary=data["summary"],
            recommendations=data["recommendations"],
            publication=data["publication"],
            published_on=data["published_on"],
            file=data["file"] if checked else None,
            original_name=checked.original_name if checked else "",
            content_type=checked.content_type if checked else "",
        )
        messages.success(request, "Le livrable est publié.")
        return redirect("web:workgroup_deliverable_detail", public_id=deliverable.public_id)
    context = {"form": form, "group": group, "deliverable": None}
    return render(request, "web/workgroups/deliverable_form.html", context, status=_form_status(request))


@login_required
def workgroup_deliverable_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The network's animators and the group's animator correct a deliverable; its library document follows."""
    deliverable = _visible_deliverable(request, public_id)
    if not perms.can_edit_deliverable(request.user, deliverable):
        raise PermissionDenied
    title = deliverable.title  # the form writes the submitted values on the instance, even invalid ones
    form = DeliverableForm(request.POST or None, instance=deliverable)
    if request.method == "POST" and form.is_valid():
        try:
            services.deliverable_update(deliverable=form.instance, by=_user(request))
        except ValidationError as error:
            form.add_error(None, list(error.messages))
        except services.WorkGroupError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Le livrable est modifié.")
            return redirect("web:workgroup_deliverable_detail", public_id=deliverable.public_id)
    context = {"form": form, "group": deliverable.group, "deliverable": deliverable, "deliverable_title": title}
    return render(request, "web/workgroups/deliverable_form.html", context, status=_form_status(request))


def workgroup_deliverable_list(request: HttpRequest) -> HttpResponse:
    deliverables = queries.deliverables_visible_to(request.user)
    return render(request, "web/workgroups/deliverable_list.html", {"deliverables": deliverables})


def workgroup_deliverable_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    deliverable = _visible_deliverable(request, public_id)
    context: dict[str, Any] = {
        "deliverable": deliverable,
        "group": deliverable.group,
        "can_view_group": perms.can_view(request.user, deliverable.group),
        "can_edit": perms.can_edit_deliverable(request.user, deliverable),
        "recommendations": [line.strip() for line in deliverable.recommendations.splitlines() if line.strip()],
    }
    return render(request, "web/workgroups/deliverable_detail.html", context)
