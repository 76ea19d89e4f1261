"""Background imports queued from the import page."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task

from .models import ImportRun
from .services import decp_import


@task()
def import_decp_file(*, run_id: int, path: str) -> int:
    """Import the file of a queued run; returns the number of records read. A run deleted meanwhile is skipped."""
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        return 0
    return decp_import(path=Path(path), run=run).read
