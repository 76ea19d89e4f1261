"""Background tasks of the library. They run in the worker (`manage.py db_worker`), never in a request."""

from __future__ import annotations

from django_tasks import task

from .search import document_version_extract
from .snapshot import current_snapshot, refresh_snapshot


@task()
def extract_document_text(*, version_id: int) -> str:
    """Extract and index the text of an uploaded version (status pending → done, or failed with its reason)."""
    version = document_version_extract(version_id=version_id)
    return version.extraction_status if version is not None else "missing"


@task()
def rebuild_document_snapshot() -> float:
    """Rebuild the search snapshot after a change of the library's index (enqueued on commit by `reindex_document`);
    returns the build time in seconds. Several changes committed together enqueue several tasks: the first one
    builds, the others find the snapshot up to date."""
    if current_snapshot() is not None:
        return 0.0
    return refresh_snapshot().build_seconds
