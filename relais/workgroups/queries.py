"""Reads of working groups: what a person may list, and who may fill each role of a group."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from relais.accounts.models import User
from relais.networks.enums import MembershipStatus, Role
from relais.networks.models import Network
from relais.networks.perms import member_network_ids
from relais.organisations.models import Organisation

from .enums import Publication, WorkGroupStatus
from .models import WorkGroup, WorkGroupDeliverable, WorkGroupQuerySet
from .perms import PARTICIPANT_ROLES


def groups_visible_to(user: Any) -> WorkGroupQuerySet:
    """Groups of the networks whose members-only content the user may read, closed ones included (history)."""
    return WorkGroup.objects.of_networks(member_network_ids(user))


def group_list(user: Any, *, status: str = "", theme_slug: str = "") -> WorkGroupQuerySet:
    """The listing page: visible groups, filtered by status and theme, open ones first, with counts."""
    groups = groups_visible_to(user)
    if status in WorkGroupStatus.values:
        groups = groups.filter(status=status)
    if theme_slug:
        groups = groups.filter(theme__slug=theme_slug)
    return (
        groups.select_related("network", "theme", "co_pilot")
        .annotate(participants_count=Count("participations", distinct=True))
        .order_by("status", "-created_at")
    )


def eligible_co_pilots(network: Network | int) -> Any:
    """Organisations that may co-pilot a group: those with an active membership of the network."""
    network_id = network if isinstance(network, int) else network.pk
    return Organisation.objects.filter(
        memberships__network_id=network_id, memberships__status=MembershipStatus.ACTIVE
    ).order_by("name")


def eligible_animators(network: Network | int) -> Any:
    """People who may animate a group: active accounts with the animator role in the network."""
    network_id = network if isinstance(network, int) else network.pk
    return User.objects.filter(
        is_active=True, network_roles__network_id=network_id, network_roles__role=Role.ANIMATOR
    ).order_by("full_name", "email")


def eligible_participants(network: Network | int) -> Any:
    """People who may take part in a group: active members and facilitators of the network."""
    network_id = network if isinstance(network, int) else network.pk
    return (
        User.objects.filter(
            is_active=True, network_roles__network_id=network_id, network_roles__role__in=PARTICIPANT_ROLES
        )
        .distinct()
        .order_by("full_name", "email")
    )


def deliverables_visible_to(user: Any) -> Any:
    """Deliverables published to the public, plus members-only ones of the reader's networks."""
    return (
        WorkGroupDeliverable.objects.filter(
            Q(publication=Publication.PUBLIC) | Q(group__network_id__in=member_network_ids(user))
        )
        .select_related("group", "group__network", "group__theme")
        .order_by("-published_on", "-created_at")
    )
