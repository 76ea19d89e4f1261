"""Reads of events: what a person may list, and the registrations an animator works with."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Q

from relais.networks.perms import member_network_ids

from .enums import EventStatus, RegistrationStatus
from .models import Event, EventQuerySet, Feedback, Registration
from .perms import supplier_network_ids


def visible_events(user: Any) -> EventQuerySet:
    """Published and cancelled events the person may see (perms.can_view, as a query)."""
    return Event.objects.visible_to_networks(member_network_ids(user), supplier_network_ids(user)).select_related(
        "network"
    )


def draft_events(animated_network_ids: set[int]) -> EventQuerySet:
    return Event.objects.filter(status=EventStatus.DRAFT, network_id__in=animated_network_ids).select_related("network")


def registration_of(user: Any, event: Event) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(event=event, user=user).select_related("event").first()


def attendance_list(event: Event) -> list[Registration]:
    """Confirmed participants, by name, for the animator's attendance sheet."""
    return list(
        event.registrations.filter(status=RegistrationStatus.CONFIRMED)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email")
    )


def waiting_list(event: Event) -> list[Registration]:
    return list(
        event.registrations.filter(status=RegistrationStatus.WAITING)
        .select_related("user", "organisation")
        .order_by("registered_at", "id")
    )


def feedback_summary(event: Event) -> dict[str, Any]:
    """Number of answers and average rating of an event's satisfaction form."""
    stats = Feedback.objects.filter(registration__event=event).aggregate(
        answers=Count("id"), average=Avg("rating"), commented=Count("id", filter=~Q(comment=""))
    )
    comments = list(
        Feedback.objects.filter(registration__event=event).exclude(comment="").values_list("rating", "comment")
    )
    return {**stats, "comments": comments}
