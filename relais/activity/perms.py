"""Who may do what with the weekly digest and the unified search. Each predicate states its rule; views call them
by name. What a reader finds in the digest or the search is decided by each app's own visibility functions, never
here."""

from __future__ import annotations

from typing import Any

from relais.networks.enums import Role
from relais.networks.perms import network_ids_with_roles

# Everyone with a role in a network may receive its digest; the content is filtered for each reader.
DIGEST_ROLES = frozenset(Role.values)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def digest_network_ids(user: Any) -> set[int]:
    """Networks whose weekly digest a person may receive: those where they hold a role (animator, member,
    facilitator or supplier). A supplier's digest only shows what a supplier may read."""
    if not _signed_in(user):
        return set()
    return network_ids_with_roles(user, DIGEST_ROLES)


def can_manage_digest(user: Any) -> bool:
    """A signed-in person chooses their own digests (the page lists only the networks where they hold a role)."""
    return _signed_in(user)


def can_receive_digest(user: Any, network_id: int) -> bool:
    """Checked again at sending time: someone who lost their role in the network stops receiving its digest, even
    if they had opted in."""
    return bool(getattr(user, "email", "")) and network_id in digest_network_ids(user)


def can_search_all(user: Any) -> bool:
    """The unified search is open to everyone, anonymous visitors included: each kind of result is filtered by the
    visibility rules of its own app."""
    return True
