"""The one place where supplier writes tell the directory's search index (`index.py`, re-exported by
`queries.py`) that organisations changed. The refresh runs inside the caller's transaction: a rolled-back write
leaves the index as it was."""

from __future__ import annotations

from .queries import supplier_reindex, suppliers_reindex_all

# Above this many changed organisations one pass over the whole index is cheaper than one rewrite per organisation.
BULK_THRESHOLD = 200


def organisation_changed(organisation_id: int) -> None:
    supplier_reindex(organisation_id)


def directory_changed(organisation_ids: list[int]) -> None:
    """After a bulk import."""
    if len(organisation_ids) > BULK_THRESHOLD:
        suppliers_reindex_all()
        return
    for organisation_id in organisation_ids:
        supplier_reindex(organisation_id)
