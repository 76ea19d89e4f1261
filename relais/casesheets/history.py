"""The history of changes of a published sheet, read from its revisions (snapshots taken by the services)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist

from .models import CaseSheet, SheetRevision

# Parts of the snapshot that are not model fields, with their French names.
_PART_LABELS = {
    "criteria": "critères d'attribution",
    "buyers": "acheteurs",
    "stakeholders": "parties prenantes",
    "impacts": "chiffres d'impact",
    "themes": "thèmes",
    "additional_cpvs": "codes CPV complémentaires",
}
# Bookkeeping that changes with every transition and says nothing about the content.
_IGNORED = frozenset({"public_id", "created_at", "updated_at", "status", "published_at", "return_comment"})


@dataclass(frozen=True)
class HistoryEntry:
    revision: SheetRevision
    changed: list[str]


def _label(name: str) -> str:
    if name in _PART_LABELS:
        return _PART_LABELS[name]
    try:
        field = CaseSheet._meta.get_field(name)
    except FieldDoesNotExist:  # a key of an older snapshot format
        return name
    return str(getattr(field, "verbose_name", name))


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """French names of what differs between two snapshots, in a stable order."""
    keys = sorted((set(before) | set(after)) - _IGNORED)
    return [_label(key) for key in keys if before.get(key) != after.get(key)]


def sheet_history(sheet: CaseSheet) -> list[HistoryEntry]:
    """Revisions, newest first, each with what changed since the previous one (nothing for the first)."""
    revisions = list(SheetRevision.objects.filter(sheet=sheet).select_related("changed_by").order_by("number"))
    entries: list[HistoryEntry] = []
    previous: dict[str, Any] | None = None
    for revision in revisions:
        entries.append(HistoryEntry(revision, changed_fields(previous, revision.data) if previous else []))
        previous = revision.data
    return list(reversed(entries))
