"""The one place where supplier writes tell the directory's search index (`index.py`, re-exported by
`queries.py`) that organisations changed. The refresh runs inside the caller's transaction: a rolled-back write
leaves the index as it was."""

from __future__ import annotations

from typing import Any

from .queries import supplier_reindex, suppliers_reindex_all

# Above this many changed organisations one pass over the whole index is cheaper than one rewrite per organisation.
BULK_THRESHOLD = 200


def organisation_changed(organisation_id: int) -> None:
    supplier_reindex(organisation_id)


def organisation_renamed(*, organisation_id: int, **_: Any) -> None:
    """Receiver of `organisations.signals.organisation_renamed` (connected in `apps.py`, after the renaming's
    commit): a supplier's name is among the words of its directory entry."""
    supplier_reindex(organisation_id)


def directory_changed(organisation_ids: list[int]) -> None:
    """After a bulk import."""
    if len(organisation_ids) > BULK_THRESHOLD:
        suppliers_reindex_all()
        return
    for organisation_id in organisation_ids:
        supplier_reindex(organisation_id)
