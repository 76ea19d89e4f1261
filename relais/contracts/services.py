"""Importing DECP files: one run per file, committed batch by batch with the run's counters and position, so
that a run killed at any moment resumes where its last committed batch ended and ends in the state an
uninterrupted run would have reached (`loader.py` merges records in an order-independent way)."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .bulkload import (
    ensure_contract_indexes,
    ensure_foreign_keys,
    ensure_term_indexes,
    first_load_prepare,
    import_session,
    side_by_side,
)
from .cubes import indicators_refresh
from .decp.detect import UnknownFormat, detect_format
from .enums import QualityFlag, RunStatus
from .linking import LoadCache
from .loader import ReferenceData, flag_shared_identifiers, load_batch
from .models import BuyerBreakdownCube, BuyerYearCube, Contract, ContractTerm, ImportRun, TerritoryCube
from .queries import FOLDER_EXTENSIONS
from .reading import Batch, ReaderProcess, prepared_batches
from .search import index_contracts_of_run

DEFAULT_BATCH_SIZE = 2000
# Files from this size on are read in a second process (ADR 0013); below, forking costs more than it saves.
PARALLEL_MIN_BYTES = 8 * 1024 * 1024
SIGNATURE_CHUNK = 1024 * 1024
# A failed run is resumed too: once the cause is fixed, importing the file again continues where it stopped.
UNFINISHED = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.INTERRUPTED, RunStatus.FAILED)


class DecpImportError(Exception):
    """An import that cannot start (unreadable path, unknown format): its message is in French."""


@dataclass(frozen=True)
class Progress:
    run: ImportRun
    records: int  # records handled in this process (resumed ones excluded)
    elapsed: float
    fraction: float | None  # share of the file's bytes read, when known


ProgressCallback = Callable[[Progress], None]


def file_signature(path: Path) -> str:
    """Size + SHA-256 of the first and last mebibyte: recognises the same file when resuming, cheaply."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as handle:
        digest.update(handle.read(SIGNATURE_CHUNK))
        if size > SIGNATURE_CHUNK:
            handle.seek(max(SIGNATURE_CHUNK, size - SIGNATURE_CHUNK))
            digest.update(handle.read(SIGNATURE_CHUNK))
    return digest.hexdigest()


def files_of(path: Path) -> list[Path]:
    """A file, or the DECP files of a folder (recursively, in name order)."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FOLDER_EXTENSIONS)
    if path.is_file():
        return [path]
    raise DecpImportError(f"Fichier ou dossier introuvable : {path}")


def import_run_prepare(*, path: Path, requested_by: Any = None, resume: bool = True) -> ImportRun:
    """The run that will import `path`: the unfinished run of the same file when resuming, else a new one."""
    if not path.is_file():
        raise DecpImportError(f"Fichier introuvable : {path}")
    signature = file_signature(path)
    if resume:
        unfinished = ImportRun.objects.filter(source_signature=signature, status__in=UNFINISHED).first()
        if unfinished is not None:
            return unfinished
    return ImportRun.objects.create(
        source_name=path.name,
        source_size=path.stat().st_size,
        source_signature=signature,
        requested_by=requested_by if getattr(requested_by, "is_authenticated", False) else None,
    )


def decp_import(
    *,
    path: Path,
    run: ImportRun | None = None,
    requested_by: Any = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: ProgressCallback | None = None,
    resume: bool = True,
    parallel: bool | None = None,
) -> ImportRun:
    """Import one DECP file (any supported format, detected from its content) and return its run.

    Each batch of `batch_size` records is written in one transaction together with the run's counters and
    position. A run that fails records the error and keeps what its committed batches wrote; running the same
    file again resumes it. The file is read in a second process (`parallel`; by default for files of
    `PARALLEL_MIN_BYTES` or more). The search index of the contracts written is built once all batches are in,
    and on an empty contracts table the secondary indexes are dropped during the load and rebuilt (ADR 0013)."""
    path = Path(path)
    if run is None:
        run = import_run_prepare(path=path, requested_by=requested_by, resume=resume)
    try:
        source_format = detect_format(path)
    except UnknownFormat as error:
        _finish(run, RunStatus.FAILED, str(error))
        raise DecpImportError(str(error)) from error
    reference = ReferenceData.load()
    run.source_format = source_format
    run.status = RunStatus.RUNNING
    run.started_at = run.started_at or timezone.now()
    run.error = ""
    run.save()
    started = time.perf_counter()
    previous_duration = run.duration_seconds
    size = max(1, run.source_size)
    handled = 0
    cache = LoadCache()

    def commit(batch: list[Any], bytes_read: int | None) -> None:
        nonlocal handled
        with transaction.atomic():
            counts = load_batch(batch, run=run, reference=reference, cache=cache, index=False)
            counts.add_to(run)
            run.position = batch[-1].position + 1
            if isinstance(bytes_read, int):
                run.bytes_read = bytes_read
            run.duration_seconds = previous_duration + time.perf_counter() - started
            run.save()
        handled += len(batch)
        if progress is not None:
            fraction = min(1.0, run.bytes_read / size) if run.bytes_read else None
            progress(Progress(run, handled, time.perf_counter() - started, fraction))

    if parallel is None:
        parallel = run.source_size >= PARALLEL_MIN_BYTES
    try:
        with import_session(), ExitStack() as stack:
            first_load = first_load_prepare()
            batches: Iterator[Batch]
            if parallel:
                reader = ReaderProcess(
                    path, source_format, start=run.position, reference=reference, batch_size=batch_size
                )
                stack.callback(reader.close)
                batches = iter(reader)
            else:
                batches = prepared_batches(
                    path, source_format, start=run.position, reference=reference, batch_size=batch_size
                )
            for batch, bytes_read in batches:
                commit(batch, bytes_read)
            _after_load(run, first_load=first_load)
        _vacuum_after_load()
    except Exception as error:
        _finish(run, RunStatus.FAILED, f"{type(error).__name__} : {error}"[:2000])
        raise
    run.duration_seconds = previous_duration + time.perf_counter() - started
    _finish(run, RunStatus.DONE, "")
    return run


def _buyers_written_by(run: ImportRun) -> list[str]:
    written = Contract.objects.filter(last_run=run).order_by()  # no ORDER BY: it would join the DISTINCT
    return list(written.values_list("buyer_identifier", flat=True).distinct())


def _after_load(run: ImportRun, *, first_load: bool) -> None:
    """Once every batch is in: identifiers shared by distinct contracts, the search index of what the run wrote
    (set-based), the indexes dropped for a first load, and the indicator cubes."""
    if connection.vendor == "postgresql":
        # Statistics for the plans below (a first load starts without any), of the columns they filter and group
        # on only: sampling every column costs 0.9 s at 150,000 contracts, these 0.1 s. The whole table is
        # analysed at the end (`_vacuum_after_load`), side by side with the rest.
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Contract._meta.db_table)
            cursor.execute(f"ANALYZE {table} (buyer_identifier, identifier, quality_flags, last_run_id)")
    with transaction.atomic():
        # Counted with the run's defects: contracts found sharing their identifier with another one.
        shared = flag_shared_identifiers()
        if shared:
            key = str(int(QualityFlag.IDENTIFIER_SHARED))
            run.flag_counts = {**run.flag_counts, key: run.flag_counts.get(key, 0) + shared}
            run.save(update_fields=["flag_counts", "updated_at"])

    def search_index() -> None:
        index_contracts_of_run(run.pk)
        ensure_term_indexes()

    # The figures of the buyers whose contracts the run wrote, then of territories and networks (all of them after a
    # first load, which touches every buyer).
    touched = None if first_load else _buyers_written_by(run)

    def contracts_indexes_and_cubes() -> None:
        ensure_contract_indexes()
        indicators_refresh(buyers=touched)

    side_by_side(search_index, contracts_indexes_and_cubes)
    ensure_foreign_keys()


def _vacuum_after_load() -> None:
    """On PostgreSQL, refresh the statistics and visibility map of the tables a load filled: without it the
    contract search cannot answer from its index alone and is several times slower until autovacuum passes, and
    the pages' plans are guesses. Two connections side by side: the contracts, and the search index with the
    cubes (rewritten whole by the refresh; `BuyerCube` is only read whole by the refresh itself). VACUUM cannot
    run inside a transaction: skipped when the import is itself inside one (tests, nested calls)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return

    def run(*statements: str) -> Callable[[], None]:
        def execute() -> None:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)

        return execute

    quote = connection.ops.quote_name
    side_by_side(
        run(f"VACUUM (ANALYZE) {quote(Contract._meta.db_table)}"),
        run(
            f"VACUUM (ANALYZE) {quote(ContractTerm._meta.db_table)}",
            *(f"ANALYZE {quote(cube._meta.db_table)}" for cube in (BuyerYearCube, BuyerBreakdownCube, TerritoryCube)),
        ),
    )


def _finish(run: ImportRun, status: RunStatus, error: str) -> None:
    run.status = status
    run.error = error
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at", "duration_seconds", "updated_at"])


def stale_runs_mark_interrupted(*, older_than_seconds: int = 3600) -> int:
    """Runs left "running" by a process that died (killed, machine restarted) are shown as interrupted, to be
    resumed by importing the same file again."""
    limit = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    return ImportRun.objects.filter(status=RunStatus.RUNNING, updated_at__lt=limit).update(status=RunStatus.INTERRUPTED)


def import_queue(*, path: Path, requested_by: Any) -> ImportRun:
    """Queue the import of a file already on the worker's disk (uploaded, or dropped in `DECP_IMPORT_DIR`); the
    task starts once the transaction commits. A file whose import is unfinished resumes that run."""
    from .tasks import import_decp_file  # the task module imports this one

    try:
        detect_format(path)
    except UnknownFormat as error:
        raise DecpImportError(str(error)) from error
    run = import_run_prepare(path=path, requested_by=requested_by)
    transaction.on_commit(lambda: import_decp_file.enqueue(run_id=run.pk, path=str(path)))
    return run
