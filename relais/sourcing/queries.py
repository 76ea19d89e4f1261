"""Reads of sourcing needs: the lists of each side, a need's matches and its funnel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from relais.core.models import Notification
from relais.networks.enums import Role
from relais.networks.perms import member_network_ids, network_ids_with_roles

from .enums import Answer, NeedStatus
from .models import NeedMatch, SourcingNeed
from .perms import POSTER_ROLES, supplier_organisation_ids


def _needs() -> QuerySet[SourcingNeed]:
    return SourcingNeed.objects.select_related("network", "buyer", "place")


def needs_of_buyer_side(user: Any) -> QuerySet[SourcingNeed]:
    """Needs of the organisations the user is a member for (in the need's network), and the ones they wrote."""
    if not getattr(user, "is_authenticated", False):
        return SourcingNeed.objects.none()
    pairs = Q(pk__in=[])
    for network_id, organisation_id in user.network_roles.filter(
        role__in=POSTER_ROLES, organisation__isnull=False
    ).values_list("network_id", "organisation_id"):
        pairs |= Q(network_id=network_id, buyer_id=organisation_id)
    return _needs().filter(pairs | Q(author=user))


def validated_needs_of_networks(user: Any) -> QuerySet[SourcingNeed]:
    """Validated needs of the networks the user is a member of (buyers, facilitators, animators)."""
    return _needs().filter(network_id__in=member_network_ids(user), status=NeedStatus.VALIDATED)


def needs_to_moderate(user: Any) -> QuerySet[SourcingNeed]:
    """Every need of the networks the user animates (site admins: all), the validation queue first."""
    if getattr(user, "is_site_admin", False):
        return _needs()
    return _needs().filter(network_id__in=network_ids_with_roles(user, frozenset({Role.ANIMATOR})))


def with_funnel(needs: QuerySet[SourcingNeed]) -> QuerySet[SourcingNeed]:
    """Each need with its funnel counts (`notified`, `opened`, `interested`, `not_interested`), for the animators'
    list and its export."""
    return needs.annotate(
        matched=Count("matches"),
        notified=Count("matches", filter=Q(matches__notified_at__isnull=False)),
        opened=Count("matches", filter=Q(matches__opened_at__isnull=False)),
        interested=Count("matches", filter=Q(matches__answer__in=Answer.positive())),
        not_interested=Count("matches", filter=Q(matches__answer=Answer.NOT_INTERESTED)),
    )


def requests_of_supplier(user: Any) -> QuerySet[NeedMatch]:
    """Needs sent to the user's supplier organisations, newest first, with the need's page data."""
    return (
        NeedMatch.objects.filter(supplier_id__in=supplier_organisation_ids(user), notified_at__isnull=False)
        .select_related("need__network", "need__buyer", "need__place", "supplier")
        .order_by("-notified_at", "pk")
    )


def interested_matches(need: SourcingNeed) -> QuerySet[NeedMatch]:
    """Suppliers that said they are interested (alone or in a group), with their contacts: buyer and animators
    only (perms.can_view_contacts)."""
    return (
        need.matches.filter(answer__in=Answer.positive())
        .select_related("supplier", "answered_by")
        .prefetch_related("supplier__contacts")
        .order_by("answered_at", "pk")
    )


@dataclass(frozen=True)
class FunnelStep:
    label: str
    value: int


@dataclass(frozen=True)
class Funnel:
    """notified → opened → answered interested / not interested, for one need."""

    title: str
    bars: tuple[FunnelStep, ...]
    matched: int
    batches: int
    reminders: int
    unit: str = ""


def need_funnel(need: SourcingNeed) -> Funnel:
    figures = need.matches.aggregate(
        matched=Count("pk"),
        notified=Count("pk", filter=Q(notified_at__isnull=False)),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        interested=Count("pk", filter=Q(answer=Answer.INTERESTED)),
        group=Count("pk", filter=Q(answer=Answer.INTERESTED_GROUP)),
        not_interested=Count("pk", filter=Q(answer=Answer.NOT_INTERESTED)),
        batches=Count("batch", distinct=True),
    )
    reminders = sum(need.matches.values_list("reminders_sent", flat=True))
    return Funnel(
        title=f"Suivi des sollicitations : {need.title}",
        bars=(
            FunnelStep("Notifiés", figures["notified"]),
            FunnelStep("Ont consulté le besoin", figures["opened"]),
            FunnelStep("Intéressés", figures["interested"]),
            FunnelStep("Intéressés en groupement", figures["group"]),
            FunnelStep("Pas intéressés", figures["not_interested"]),
        ),
        matched=figures["matched"],
        batches=figures["batches"],
        reminders=reminders,
    )


def unread_notification_count(user: Any) -> int:
    """How many notifications of the user's inbox are unread (the navigation's badge)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
