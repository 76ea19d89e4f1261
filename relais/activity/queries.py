"""Reads of the activity area: the digest choices of a person, and the unified search (re-exported)."""

from __future__ import annotations

from typing import Any

from relais.networks.models import Network

from .models import DigestSubscription
from .perms import digest_network_ids
from .search_all import UnifiedSearch, search_all

__all__ = ["UnifiedSearch", "digest_choices", "search_all"]


def digest_choices(user: Any) -> list[tuple[Network, bool]]:
    """The networks whose digest the person may receive, by name, each with whether they opted in."""
    networks = Network.objects.filter(pk__in=digest_network_ids(user)).order_by("name")
    opted = set(DigestSubscription.objects.filter(user=user, opted_in=True).values_list("network_id", flat=True))
    return [(network, network.pk in opted) for network in networks]
