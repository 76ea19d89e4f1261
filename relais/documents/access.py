"""The hook through which the working-groups app tells the library who takes part in which group.

`relais.workgroups` sits above `relais.documents` in the layers, so this app cannot import it. A document restricted
to a working group stores the group's integer id; at start-up (`AppConfig.ready`) the workgroups app registers a
`WorkgroupDirectory` here. Without one, the rule fails closed: a working-group document is readable only by the
network's animators and site admins.
"""

from __future__ import annotations

from typing import Any, Protocol


class WorkgroupDirectory(Protocol):
    def participant_workgroup_ids(self, user: Any) -> set[int]:
        """Ids of the working groups whose documents this user may read (participants, co-pilots)."""
        ...

    def workgroup_choices(self, network_id: int, user: Any) -> list[tuple[int, str]]:
        """(id, name) of the groups of this network to which this user may restrict a document."""
        ...

    def workgroup_name(self, workgroup_id: int) -> str:
        """The group's name, for display ("" when unknown)."""
        ...


_directory: WorkgroupDirectory | None = None


def register_workgroup_directory(directory: WorkgroupDirectory | None) -> None:
    """Called once by `relais.workgroups` in its AppConfig.ready (None unregisters, for tests)."""
    global _directory  # a process-wide registry filled at start-up
    _directory = directory


def workgroup_directory() -> WorkgroupDirectory | None:
    return _directory


def participant_workgroup_ids(user: Any) -> set[int]:
    if _directory is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(_directory.participant_workgroup_ids(user))


def workgroup_choices(network_id: int, user: Any) -> list[tuple[int, str]]:
    return [] if _directory is None else list(_directory.workgroup_choices(network_id, user))


def workgroup_name(workgroup_id: int | None) -> str:
    if workgroup_id is None or _directory is None:
        return ""
    return _directory.workgroup_name(workgroup_id)
