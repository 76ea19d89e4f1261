"""What the document library needs to know about working groups, registered in `relais.documents.access` at
start-up (the library sits below this app and cannot import it)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from relais.networks.perms import is_animator

from .models import WorkGroup


class WorkGroupDirectory:
    def participant_workgroup_ids(self, user: Any) -> set[int]:
        """A working-group document is read by the group's participants, its animator, and the people of its
        co-piloting organisation in the network."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return set()
        condition = Q(participations__user=user) | Q(animator=user)
        co_pilot_orgs = user.network_roles.filter(organisation__isnull=False).values_list(
            "network_id", "organisation_id"
        )
        for network_id, organisation_id in co_pilot_orgs:
            condition |= Q(network_id=network_id, co_pilot_id=organisation_id)
        return set(WorkGroup.objects.filter(condition).values_list("id", flat=True))

    def workgroup_choices(self, network_id: int, user: Any) -> list[tuple[int, str]]:
        """The network's animators restrict a document to any group of the network; others to their groups."""
        groups = WorkGroup.objects.filter(network_id=network_id)
        if not is_animator(user, network_id):
            groups = groups.filter(id__in=self.participant_workgroup_ids(user))
        return list(groups.order_by("title").values_list("id", "title"))

    def workgroup_name(self, workgroup_id: int) -> str:
        return WorkGroup.objects.filter(pk=workgroup_id).values_list("title", flat=True).first() or ""
