"""The database-free front of the DECP import: detect → read → parse → validate, for one file.

The loader (`contracts.loader`, with the database) consumes what `iter_contracts` yields. For a progress bar, an
exact count of the records would cost a full tokenising pass (about three quarters of the time of reading the file
itself); `estimate_record_count` gives instead, in a fraction of a second, the number of `objet` fields (one per
record: modifications have `objetModification`), and the reader's `bytes_read` gives the progress in bytes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from pathlib import Path

from ..enums import SourceFormat
from .detect import detect_format
from .parse import parse_record
from .readers import read_records
from .records import ContractRecord, Rejected
from .validate import check_cpv, check_place

_COUNT_CHUNK = 16 * 1024 * 1024
_OBJECT_MARKERS = {
    SourceFormat.DECP_2022_XML: b"<objet>",
    SourceFormat.DECP_2019_XML: b"<objet>",
    SourceFormat.TABULAR_CSV: b"\n",
}


def iter_contracts(
    path: Path | str,
    *,
    known_cpv: Mapping[str, str] | None = None,
    departements: Collection[str] | None = None,
) -> Iterator[ContractRecord | Rejected]:
    """Every record of a DECP file, parsed, in file order: a `ContractRecord` (with its defects) or a `Rejected`.

    With `known_cpv` (8-digit code → full code) CPV codes are checked against CPV 2008; the département of each
    record is always derived (`departements` restricts it to the codes of the database)."""
    reader = read_records(path, detect_format(path))
    try:
        for item in reader:
            if type(item) is Rejected:
                yield item
                continue
            record = parse_record(item)  # type: ignore[arg-type]
            if type(record) is ContractRecord:
                if known_cpv is not None:
                    check_cpv(record, known_cpv)
                check_place(record, departements)
            yield record
    finally:
        reader.close()


def estimate_record_count(path: Path | str) -> int:
    """About how many records the file holds (for an ETA, not for checks): its `objet` fields, or its lines."""
    source_format = detect_format(path)
    marker = _OBJECT_MARKERS.get(source_format, b'"objet"')
    count = 0
    tail = b""
    with open(path, "rb") as file:
        while chunk := file.read(_COUNT_CHUNK):
            data = tail + chunk
            count += data.count(marker)
            # Keep the end of the chunk, less one byte, so that a marker cut in two is counted once, with the next one.
            tail = data[-(len(marker) - 1) :] if len(marker) > 1 else b""
    if source_format == SourceFormat.TABULAR_CSV:
        count -= 1  # the header
    return max(count, 0)
