"""Background tasks of the library. They run in the worker (`manage.py db_worker`), never in a request."""

from __future__ import annotations

from django_tasks import task

from .search import document_version_extract


@task()
def extract_document_text(*, version_id: int) -> str:
    """Extract and index the text of an uploaded version (status pending → done, or failed with its reason)."""
    version = document_version_extract(version_id=version_id)
    return version.extraction_status if version is not None else "missing"
