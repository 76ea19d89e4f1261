"""Who may see an event, register to it, run it. Each predicate states its rule; views call them by name."""

from __future__ import annotations

from typing import Any

from relais.networks.enums import Role
from relais.networks.perms import is_animator, is_member, network_ids_with_roles

from .enums import EventAudience, EventKind, EventStatus, RegistrationStatus
from .models import Event, Registration

SUPPLIER_ROLES = frozenset({Role.SUPPLIER})
PARTICIPANT_ROLES = frozenset({Role.MEMBER, Role.FACILITATOR})


def is_supplier_of(user: Any, network_id: int) -> bool:
    return network_id in network_ids_with_roles(user, SUPPLIER_ROLES)


def supplier_network_ids(user: Any) -> set[int]:
    return network_ids_with_roles(user, SUPPLIER_ROLES)


def is_invited_supplier(user: Any, event: Event) -> bool:
    """Suppliers of the network are invited to its market-engagement meetings (they meet the buyers there)."""
    return event.kind == EventKind.MARKET_ENGAGEMENT and is_supplier_of(user, event.network_id)


def can_view(user: Any, event: Event) -> bool:
    """Public events are for everyone; members-only events for the members of the network (and, for a
    market-engagement meeting, its suppliers). Drafts are seen by the network's animators only."""
    if event.status == EventStatus.DRAFT:
        return is_animator(user, event.network_id)
    if event.audience == EventAudience.PUBLIC:
        return True
    return is_member(user, event.network_id) or is_invited_supplier(user, event) or is_animator(user, event.network_id)


def can_create(user: Any, network: Any) -> bool:
    """The network's animators (and site admins) create its events."""
    return is_animator(user, network)


def can_manage(user: Any, event: Event) -> bool:
    """The network's animators edit the event, mark attendance and attach materials."""
    return is_animator(user, event.network_id)


def may_attend(user: Any, event: Event) -> bool:
    """Members of the network register; suppliers of the network register to market-engagement meetings.
    Animators and site admins run events, they do not take places."""
    if not getattr(user, "is_authenticated", False):
        return False
    participants = network_ids_with_roles(user, PARTICIPANT_ROLES)
    return event.network_id in participants or is_invited_supplier(user, event)


def can_register(user: Any, event: Event) -> bool:
    """A person allowed to attend registers while the event is published and has not started."""
    return event.is_open_for_registration() and may_attend(user, event)


def can_give_feedback(user: Any, registration: Registration | None) -> bool:
    """Once the event is over, each participant marked present gives one satisfaction answer."""
    return (
        registration is not None
        and registration.user_id == getattr(user, "pk", None)
        and registration.status == RegistrationStatus.CONFIRMED
        and registration.attended
        and registration.event.has_ended()
    )
