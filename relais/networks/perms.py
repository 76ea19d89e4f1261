"""Who may do what in a network. Each predicate states the business rule it enforces."""

from __future__ import annotations

from typing import Any

from .enums import Role
from .models import Network, NetworkRole

# Roles that make a person one of "the members of the network" for members-only content. Suppliers are not
# members: the networks are networks of buyers, and members-only sheets may hold buyers' internal lessons.
MEMBER_ROLES = frozenset({Role.ANIMATOR, Role.MEMBER, Role.FACILITATOR})
AUTHOR_ROLES = MEMBER_ROLES


def _roles(user: Any) -> set[tuple[int, str]]:
    """Roles of a user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached: set[tuple[int, str]] | None = getattr(user, "_relais_roles", None)
    if cached is None:
        cached = set(NetworkRole.objects.filter(user=user).values_list("network_id", "role"))
        user._relais_roles = cached
    return cached


def network_ids_with_roles(user: Any, roles: frozenset[str]) -> set[int]:
    return {network_id for network_id, role in _roles(user) if role in roles}


def member_network_ids(user: Any) -> set[int]:
    """Networks whose members-only content the user may read (site admins read all)."""
    if getattr(user, "is_site_admin", False):
        return set(Network.objects.values_list("id", flat=True))
    return network_ids_with_roles(user, MEMBER_ROLES)


def is_animator(user: Any, network: Network | int) -> bool:
    """Animators run the network: they publish sheets and invite people. Site admins can do it too."""
    network_id = network if isinstance(network, int) else network.pk
    return getattr(user, "is_site_admin", False) or (network_id, Role.ANIMATOR) in _roles(user)


def is_member(user: Any, network: Network | int) -> bool:
    network_id = network if isinstance(network, int) else network.pk
    return network_id in member_network_ids(user)


def can_author_in(user: Any, network: Network | int) -> bool:
    """Members, facilitators and animators write case sheets for their network; suppliers do not."""
    network_id = network if isinstance(network, int) else network.pk
    return network_id in network_ids_with_roles(user, AUTHOR_ROLES)
