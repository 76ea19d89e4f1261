"""Who may read a document and who may add to the library. Each predicate states its rule; views call them by name."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from relais.networks.enums import Role
from relais.networks.models import Network
from relais.networks.perms import AUTHOR_ROLES, is_animator, is_member, member_network_ids, network_ids_with_roles

from .access import participant_workgroup_ids
from .enums import AccessLevel
from .models import Document


def access_filter(user: Any) -> Q:
    """The documents a reader may see, as one condition applied inside every query (lists, search, counts):
    public ones; members-only ones of the reader's networks; working-group ones of the groups the reader takes
    part in and of the networks the reader animates. Site admins see everything."""
    if getattr(user, "is_site_admin", False):
        return Q()
    condition = Q(access_level=AccessLevel.PUBLIC)
    members_of = member_network_ids(user)
    if members_of:
        condition |= Q(access_level=AccessLevel.MEMBERS, network_id__in=members_of)
    animated = network_ids_with_roles(user, frozenset({Role.ANIMATOR}))
    if animated:
        condition |= Q(access_level=AccessLevel.WORKGROUP, network_id__in=animated)
    groups = participant_workgroup_ids(user)
    if groups:
        condition |= Q(access_level=AccessLevel.WORKGROUP, workgroup_id__in=groups)
    return condition


def can_view(user: Any, document: Document) -> bool:
    """Public documents are for everyone; members-only ones for the members of the document's network (animators,
    members, facilitators — not suppliers); working-group ones for the group's participants and the network's
    animators."""
    if document.access_level == AccessLevel.PUBLIC:
        return True
    if document.access_level == AccessLevel.MEMBERS:
        return is_member(user, document.network_id)
    return is_animator(user, document.network_id) or (
        document.workgroup_id is not None and document.workgroup_id in participant_workgroup_ids(user)
    )


def upload_network_ids(user: Any) -> set[int]:
    """Networks whose library the user may add documents to: those where they are a member, facilitator or
    animator (site admins: all)."""
    if getattr(user, "is_site_admin", False):
        return set(Network.objects.values_list("id", flat=True))
    return network_ids_with_roles(user, AUTHOR_ROLES)


def can_upload(user: Any, network: Network | int | None = None) -> bool:
    """Members and animators of a network share documents in its library (suppliers do not). Without a network:
    may the user upload to at least one library?"""
    ids = upload_network_ids(user)
    if network is None:
        return bool(ids)
    return (network if isinstance(network, int) else network.pk) in ids


def can_add_version(user: Any, document: Document) -> bool:
    """A new version is uploaded by the person who shared the document (while still a member of the network) or by
    an animator of the network."""
    if is_animator(user, document.network_id):
        return True
    return (
        bool(getattr(user, "is_authenticated", False))
        and document.created_by_id == user.pk
        and can_upload(user, document.network_id)
        and can_view(user, document)
    )


def can_edit(user: Any, document: Document) -> bool:
    """The metadata of a document (title, description, type, themes, CPV codes, author organisation, date,
    licence and who may read it) are corrected by whoever may upload a new version of it: the person who shared
    it, while still a member of the network who can read it, or an animator of the network (site admins too)."""
    return can_add_version(user, document)
