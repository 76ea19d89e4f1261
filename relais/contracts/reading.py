"""The front of an import in reader processes: read, parse, validate and prepare records (identity, search
terms, column values) while the main process writes the previous batches (ADR 0013).

The readers are forked with the reference data already loaded and never touch the database. Each one tokenises
the whole file and prepares every `READERS`-th batch (preparing costs several times tokenising), and sends them
through its own bounded queue (`QUEUED_BATCHES`); the main process takes the batches in turn, so in file order.
Memory stays constant whatever the file's size, and a slow database makes the readers wait. Batches are the ones
the import commits: the main process stays the only writer and keeps the run's position, so a `kill -9` of either
process loses only the uncommitted batch (readers die with their parent: Linux `PR_SET_PDEATHSIG`, and a check of
the parent while they wait).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import queue
import signal
from collections.abc import Iterator
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any

from .bulkload import GC_THRESHOLD
from .decp.parse import parse_record
from .decp.readers import read_records
from .decp.records import ContractRecord, RawRecord, Rejected
from .enums import SourceFormat
from .prepare import ReferenceData, prepare_record

QUEUED_BATCHES = 3
# Readers sharing the records (each tokenises the whole file and prepares every READERS-th batch). On the 2-core
# benchmark machine a second reader competed with the main process and the database server for the cores and
# made the PostgreSQL import slower (docs/benchmarks.md): one, unless the machine has cores to spare.
READERS = 1
_PUT_TIMEOUT = 1.0
_PR_SET_PDEATHSIG = 1

Item = ContractRecord | Rejected
Batch = tuple[list[Item], int | None]  # items, bytes of the file read after them (when the reader knows)


class ReaderError(Exception):
    """The reader process failed: its message says why."""


def prepared_batches(
    path: Path,
    source_format: SourceFormat,
    *,
    start: int,
    reference: ReferenceData,
    batch_size: int,
    share: tuple[int, int] = (0, 1),
) -> Iterator[Batch]:
    """Batches of prepared records from position `start`. With `share` (k, n), only the batches whose number is k
    modulo n are parsed, prepared and yielded: n readers each read the whole file (tokenising is the cheap part)
    and share the work on the records."""
    mine, readers = share
    reader = read_records(path, source_format)
    number = 0
    items: list[Item] = []
    try:
        count = 0  # items of the current batch, whoever prepares it
        for raw in reader:
            if raw.position < start:
                continue  # committed by the interrupted run being resumed
            if number % readers == mine:
                # Parsed as soon as read: the raw record's data is freed while still in the processor's cache,
                # rather than a whole batch of it at the end (reader CPU 12.8 → 9.6 s at 150,000 records).
                item = parse_record(raw) if isinstance(raw, RawRecord) else raw
                if isinstance(item, ContractRecord):
                    prepare_record(item, reference)
                items.append(item)
            count += 1
            if count >= batch_size:
                if items:
                    yield items, getattr(reader, "bytes_read", None)
                    items = []
                number += 1
                count = 0
        if items:
            yield items, getattr(reader, "bytes_read", None)
    finally:
        reader.close()


def _die_with_parent(parent: int) -> None:
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the check before each batch remains
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _put(queue: Queue[Any], message: tuple[Any, ...], parent: int) -> None:
    while True:
        try:
            queue.put(message, timeout=_PUT_TIMEOUT)
            return
        except Exception:  # queue.Full: the main process is busy writing; leave if it is gone
            if os.getppid() != parent:
                os._exit(1)


def _produce(queue: Queue[Any], parent: int, arguments: dict[str, Any]) -> None:
    _die_with_parent(parent)
    gc.freeze()  # what the parent had: never collected here
    # Records hold no reference cycles, but at the default threshold (700 new objects) the collector traversed each
    # batch's records several times while they were built (~20,000 instructions a record), for nothing to collect.
    gc.set_threshold(GC_THRESHOLD)
    try:
        for batch in prepared_batches(**arguments):
            _put(queue, ("batch", batch), parent)
        _put(queue, ("end",), parent)
    except BaseException as error:  # reported to the main process, which fails the run
        _put(queue, ("error", f"{type(error).__name__} : {error}"), parent)


class ReaderProcess:
    """Iterate the prepared batches of a file read by a forked child process; `close()` stops it."""

    def __init__(
        self,
        path: Path,
        source_format: SourceFormat,
        *,
        start: int,
        reference: ReferenceData,
        batch_size: int,
        readers: int = READERS,
    ) -> None:
        context = multiprocessing.get_context("fork")
        self._queues: list[Queue[Any]] = []
        self._processes: list[BaseProcess] = []
        for number in range(readers):
            arguments = {
                "path": path,
                "source_format": source_format,
                "start": start,
                "reference": reference,
                "batch_size": batch_size,
                "share": (number, readers),
            }
            channel: Queue[Any] = context.Queue(maxsize=QUEUED_BATCHES)
            process = context.Process(
                target=_produce, args=(channel, os.getpid(), arguments), name=f"decp-reader-{number}", daemon=True
            )
            process.start()
            self._queues.append(channel)
            self._processes.append(process)

    def __iter__(self) -> Iterator[Batch]:
        """The batches in file order: each reader's in turn."""
        turn = 0
        while True:
            channel, process = self._queues[turn], self._processes[turn]
            try:
                message = channel.get(timeout=_PUT_TIMEOUT)
            except queue.Empty:
                if process.is_alive():
                    continue
                raise ReaderError("Le processus de lecture du fichier s'est arrêté sans le finir.") from None
            if message[0] == "batch":
                yield message[1]
                turn = (turn + 1) % len(self._queues)
            elif message[0] == "end":
                return
            else:
                raise ReaderError(message[1])

    def close(self) -> None:
        for process in self._processes:
            if process.is_alive():
                process.kill()
            process.join()
        for channel in self._queues:
            channel.close()
