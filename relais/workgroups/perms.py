"""Who may see and act on a working group. Each predicate states its rule; views call them by name."""

from __future__ import annotations

from typing import Any

from relais.networks.enums import Role
from relais.networks.perms import is_animator, is_member, network_ids_with_roles

from .enums import Publication, WorkGroupStatus
from .models import WorkGroup, WorkGroupDeliverable

# People who take part in groups: the members of the network's member organisations and its facilitators.
# Animators run the groups instead; suppliers are not members of a network of buyers.
PARTICIPANT_ROLES = frozenset({Role.MEMBER, Role.FACILITATOR})


def can_view(user: Any, group: WorkGroup) -> bool:
    """Groups, their meetings and their history are for the members of the group's network only (site admins
    included); everybody else gets a 404, so that a group's existence is not revealed."""
    return is_member(user, group.network_id)


def can_create_in(user: Any, network: Any) -> bool:
    """Only the network's animators (and site admins) create working groups."""
    return is_animator(user, network)


def can_manage(user: Any, group: WorkGroup) -> bool:
    """The network's animators edit a group, move its status, plan meetings, write minutes, add participants
    and publish deliverables."""
    return is_animator(user, group.network_id)


def animates(user: Any, group: WorkGroup) -> bool:
    """The people who run a group: the network's animators (site admins included) and the group's own animator,
    as long as they are still a member of the network."""
    if can_manage(user, group):
        return True
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.pk == group.animator_id
        and is_member(user, group.network_id)
    )


def may_participate_in(user: Any, network_id: int) -> bool:
    """Members and facilitators of a network may take part in its groups."""
    return network_id in network_ids_with_roles(user, PARTICIPANT_ROLES)


def is_participant(user: Any, group: WorkGroup) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return group.participations.filter(user=user).exists()


def can_join(user: Any, group: WorkGroup) -> bool:
    """A member or facilitator of the network joins a group by themselves while it is open for participants."""
    return (
        group.status == WorkGroupStatus.OPEN
        and may_participate_in(user, group.network_id)
        and not is_participant(user, group)
    )


def can_leave(user: Any, group: WorkGroup) -> bool:
    """A participant may leave a group until it is closed (a closed group keeps its history)."""
    return group.status != WorkGroupStatus.CLOSED and is_participant(user, group)


def can_remove_participant(user: Any, group: WorkGroup, participant: Any) -> bool:
    """The network's animators and the group's animator remove any participant; a participant removes only
    themselves (leaves the group). Whether the group's status still allows it is the service's check."""
    if animates(user, group):
        return True
    return bool(getattr(user, "is_authenticated", False)) and user.pk == participant.pk and is_participant(user, group)


def can_see_participant_names(user: Any, group: WorkGroup) -> bool:
    """Participants' names are personal data shared within the network only."""
    return is_member(user, group.network_id)


def can_view_deliverable(user: Any, deliverable: WorkGroupDeliverable) -> bool:
    """A deliverable published to the public is for everyone; a members-only one for the network's members."""
    return deliverable.publication == Publication.PUBLIC or is_member(user, deliverable.group.network_id)


def can_edit_deliverable(user: Any, deliverable: WorkGroupDeliverable) -> bool:
    """The network's animators and the group's animator correct a deliverable (title, summary, recommendations,
    publication), whatever the group's status: deliverables are mostly written once the group is closed."""
    return animates(user, deliverable.group)
