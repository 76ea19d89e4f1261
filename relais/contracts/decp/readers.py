"""Read step of the DECP pipeline: the records of a file, one at a time, in file order, whatever its size.

Memory does not grow with the file: JSON is streamed by ijson (its C backend, asking for `Decimal` numbers so that
amounts keep their exact value), XML by defusedxml's `iterparse` with each record cleared once read, CSV row by row.
Each record carries its position, its 0-based index in the file: the same file always gives the same positions, so
that an interrupted import resumes after the last position it committed.

A broken file keeps what comes before the break: the records before a JSON or XML syntax error are yielded, then one
`Rejected(SYNTAX)` saying where the error is, and reading stops (a streaming parser cannot resynchronise). Before
giving up on a JSON file, the reader reads the part again leniently, skipping the records already yielded: `NaN`
and `Infinity` (pandas' output for a missing value) as `null`, invalid UTF-8 as Windows-1252 (see `streams`).

The 2022 JSON holds two arrays, `marches.marche` and `marches.contrat-concession`, in either order. Reading them with
one ijson pass each would parse the whole file twice; instead the reader finds where the second array starts
(a C-level search for its key, checked to be a key that follows a closed array) and reads each byte range on its own,
between the few synthetic bytes that make it valid JSON. If that cut turns out wrong (a parse error at the cut), the
two ranges are read again as one. A known key met anywhere else in the file is read by a full pass of its own, so
that no record is ever left out because the search missed it.
"""

from __future__ import annotations

import csv
import io
import os
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import defusedxml
import defusedxml.ElementTree as DefusedElementTree
import ijson

from ..enums import ContractKind, Nature, QuarantineReason, SourceFormat
from .detect import JSON_2022_ARRAYS, XML_RECORDS, csv_delimiter, json_layout, read_head
from .labels import NATURES, Lookup
from .records import RawRecord, Rejected
from .streams import CHUNK_SIZE, UTF8_BOM, ByteSource, repaired_text

_ARRAY_HEAD = b'{"marches": {'
_ARRAY_TAIL = b"}}"
_SPLIT_WINDOW = 256
_SCAN_CHUNK = 1024 * 1024
_ABSENT = object()
_TYPES = Lookup(
    {
        "Marché": ContractKind.CONTRACT,
        "Marché public": ContractKind.CONTRACT,
        "Contrat de concession": ContractKind.CONCESSION,
        "Concession": ContractKind.CONCESSION,
    }
)
_CONCESSION_NATURES = frozenset(
    [
        Nature.WORKS_CONCESSION,
        Nature.SERVICE_CONCESSION,
        Nature.PUBLIC_SERVICE_CONCESSION,
        Nature.PUBLIC_SERVICE_DELEGATION,
    ]
)


def read_records(path: Path | str, source_format: SourceFormat) -> RecordReader:
    """The records of `path`, read as `source_format` (see `detect.detect_format`)."""
    return RecordReader(Path(path), SourceFormat(source_format))


class RecordReader(Iterator[RawRecord | Rejected]):
    """Iterates over the records of a file; `bytes_read` says how far in the file it is, for a progress bar."""

    def __init__(self, path: Path, source_format: SourceFormat) -> None:
        self.path = path
        self.source_format = source_format
        self._offset: Callable[[], int] = lambda: 0
        if source_format in (SourceFormat.DECP_2022_XML, SourceFormat.DECP_2019_XML):
            records = self._xml()
        elif source_format == SourceFormat.TABULAR_CSV:
            records = self._csv()
        else:
            records = self._json()
        self._records = self._until_end(records)

    def _until_end(self, records: Iterator[RawRecord | Rejected]) -> Generator[RawRecord | Rejected, None, None]:
        try:
            yield from records
        finally:
            try:
                size = self.path.stat().st_size
            except OSError:
                size = 0
            self._offset = lambda: size  # the file is closed: report its end, not its last read

    def __iter__(self) -> Iterator[RawRecord | Rejected]:
        return self._records  # a `for` loop then runs the generator itself, without a method call per record

    def __next__(self) -> RawRecord | Rejected:
        return next(self._records)

    @property
    def bytes_read(self) -> int:
        return self._offset()

    def close(self) -> None:
        self._records.close()

    # JSON -------------------------------------------------------------------------------------------------------

    def _json(self) -> Iterator[RawRecord | Rejected]:
        segments = _json_segments(self.path, self.source_format)
        position = 0
        clean_numbers = repair = False
        index = 0
        skip = 0
        while index < len(segments):
            segment = segments[index]
            if segment.prefix is None:
                index += 1
                continue
            source = ByteSource(
                self.path,
                segment.start,
                segment.end,
                head=segment.head,
                tail=segment.tail,
                clean_numbers=clean_numbers,
                repair=repair,
            )
            self._offset = source.tell
            read = 0
            try:
                for data in ijson.items(source, segment.prefix, buf_size=CHUNK_SIZE):
                    read += 1
                    if read <= skip:
                        continue  # yielded before a retry of this segment
                    if segment.kind is None:
                        data, kind = _record_and_kind(data)
                    else:
                        kind = segment.kind
                    yield RawRecord(data, self.source_format, kind, position)
                    position += 1
            except ijson.JSONError as error:
                message = _json_message(error)
                skip = max(skip, read)
                # Read this segment again, more leniently, skipping the records already yielded.
                if "UTF8" in message and not repair:
                    repair = True  # decoding invalid bytes as Windows-1252
                    continue
                if not clean_numbers:
                    clean_numbers = True  # turning NaN and Infinity into null
                    continue
                if index + 1 < len(segments) and segment.tail:
                    segments[index : index + 2] = [segment.joined(segments[index + 1])]
                    continue  # the cut was wrong: read both ranges as one
                yield _syntax_error(message, position, source.offset)
                return
            finally:
                source.close()
            index += 1
            skip = 0

    # XML --------------------------------------------------------------------------------------------------------

    def _xml(self) -> Iterator[RawRecord | Rejected]:
        position = 0
        with open(self.path, "rb") as file:
            self._offset = file.tell
            root: Any = None
            depth = 0
            record_depth = 1  # records are the children of <marches>, or the root itself (one bare record)
            try:
                for event, element in DefusedElementTree.iterparse(file, events=("start", "end")):
                    if event == "start":
                        if root is None:
                            root = element
                            record_depth = 0 if _local(element.tag) in XML_RECORDS else 1
                        depth += 1
                        continue
                    depth -= 1
                    if depth != record_depth:
                        continue
                    tag = _local(element.tag)
                    kind = XML_RECORDS.get(tag)
                    if kind is None:
                        yield Rejected(
                            position,
                            ElementTree.tostring(element, encoding="unicode")[:10_000],
                            QuarantineReason.NOT_AN_OBJECT,
                            f"Élément <{tag}> inattendu parmi les marchés.",
                        )
                    else:
                        yield RawRecord(_element_data(element), self.source_format, kind, position)
                    position += 1
                    element.clear()
                    if root is not element:
                        root.clear()  # drop the references <marches> keeps to the records already read
            except ElementTree.ParseError as error:
                line, column = error.position
                yield Rejected(
                    position,
                    "",
                    QuarantineReason.SYNTAX,
                    f"Erreur de syntaxe XML ligne {line}, colonne {column}, après {position} enregistrement(s) : "
                    f"{error}. La suite du fichier n'a pas été lue.",
                )
            except defusedxml.DefusedXmlException as error:
                yield Rejected(
                    position,
                    "",
                    QuarantineReason.SYNTAX,
                    f"XML refusé ({error}) : les déclarations d'entités et DTD ne sont pas acceptées.",
                )

    # CSV --------------------------------------------------------------------------------------------------------

    def _csv(self) -> Iterator[RawRecord | Rejected]:
        delimiter = csv_delimiter(read_head(self.path))
        with open(self.path, "rb") as binary:
            self._offset = binary.tell
            text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
            rows = csv.reader(text, delimiter=delimiter)
            try:
                header = [column.strip() for column in next(rows)]
            except (StopIteration, csv.Error):
                return
            position = 0
            while True:
                try:
                    row = next(rows)
                except StopIteration:
                    return
                except csv.Error as error:
                    yield Rejected(position, "", QuarantineReason.SYNTAX, f"Ligne CSV illisible : {error}.")
                    position += 1
                    continue
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # blank line
                try:
                    delimiter.join(row).encode("utf-8")
                except UnicodeEncodeError:
                    row = [repaired_text(cell.encode("utf-8", "surrogateescape")) for cell in row]
                    if any("\ufffd" in cell for cell in row):
                        yield Rejected(
                            position,
                            delimiter.join(row),
                            QuarantineReason.ENCODING,
                            "Ligne ni en UTF-8 ni en Windows-1252.",
                        )
                        position += 1
                        continue
                data = dict(zip(header, row, strict=False))
                yield RawRecord(data, self.source_format, _kind_of(data), position)
                position += 1


@dataclass(slots=True)
class _Segment:
    """A byte range of a JSON file read on its own: `head` + bytes[start:end] + `tail` is valid JSON whose records
    are at `prefix` (None: nothing to read there)."""

    prefix: str | None
    kind: ContractKind | None
    start: int
    end: int
    head: bytes = b""
    tail: bytes = b""

    def joined(self, following: _Segment) -> _Segment:
        return _Segment(self.prefix, self.kind, self.start, following.end, self.head, following.tail)


def _json_segments(path: Path, source_format: SourceFormat) -> list[_Segment]:
    head = read_head(path)
    layout = json_layout(head)
    size = path.stat().st_size
    start = len(UTF8_BOM) if _starts_with_bom(path) else 0
    if source_format != SourceFormat.DECP_2022_JSON:
        return [_Segment(layout.prefix, None, start, size)]
    segments = [_Segment(layout.prefix, layout.kind, start, size)]
    splits, keys_seen = _array_starts(path)
    for cut, key_at, key, is_array in splits:
        segments[-1].end = cut
        segments[-1].tail = _ARRAY_TAIL
        prefix = f"marches.{key}.item" if is_array else f"marches.{key}"
        segments.append(_Segment(prefix, JSON_2022_ARRAYS[key], key_at, size, _ARRAY_HEAD))
    read_keys = {split[2] for split in splits}
    if layout.prefix:
        read_keys.add(layout.prefix.split(".")[1])
    for key in sorted(keys_seen - read_keys):
        # The key appears where the search could not confirm an array start: a full pass of its own.
        segments.append(_Segment(f"marches.{key}.item", JSON_2022_ARRAYS[key], start, size))
    return segments


def _starts_with_bom(path: Path) -> bool:
    with open(path, "rb") as file:
        return file.read(len(UTF8_BOM)) == UTF8_BOM


def _array_starts(path: Path) -> tuple[list[tuple[int, int, str, bool]], set[str]]:
    """Where the arrays after the first one start: `], "contrat-concession": [` → (offset just after the `]`, offset
    of the key, the key, whether its value is an array). Also which known keys appear anywhere in the file."""
    splits = []
    keys_seen = set()
    with open(path, "rb") as file:
        descriptor = file.fileno()
        for key in JSON_2022_ARRAYS:
            needle = f'"{key}"'.encode()
            for at in _offsets(file, needle):
                keys_seen.add(key)
                start = max(0, at - _SPLIT_WINDOW)
                before = os.pread(descriptor, at - start, start).rstrip()
                after = os.pread(descriptor, _SPLIT_WINDOW, at + len(needle)).lstrip()
                if before.endswith(b",") and after.startswith(b":"):
                    before = before[:-1].rstrip()
                    value = after[1:].lstrip()[:1]
                    if before.endswith((b"]", b"}")) and value in (b"[", b"{"):
                        splits.append((start + len(before), at, key, value == b"["))
    splits.sort()
    return splits, keys_seen


def _offsets(file: BinaryIO, needle: bytes) -> Iterator[int]:
    """Where `needle` occurs in the file, read in chunks: memory stays constant. (A map of the whole file, used
    before, made every page of a 2.5 GB file count as the reading process's resident memory.)"""
    file.seek(0)
    offset, carry = 0, b""  # carry: the end of the previous chunk, where a match may begin
    while chunk := file.read(_SCAN_CHUNK):
        data = carry + chunk
        base = offset - len(carry)
        at = data.find(needle)
        while at != -1:
            yield base + at
            at = data.find(needle, at + len(needle))
        carry = data[-(len(needle) - 1) :] if len(needle) > 1 else b""
        offset += len(chunk)


def _json_message(error: Exception) -> str:
    message = error.args[0] if error.args else str(error)
    if isinstance(message, bytes):
        message = message.decode("utf-8", errors="replace")
    return str(message)


def _syntax_error(message: str, position: int, offset: int) -> Rejected:
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    reason = lines[0] if lines else message
    excerpt = lines[1] if len(lines) > 1 else ""
    return Rejected(
        position,
        excerpt,
        QuarantineReason.SYNTAX,
        f"Erreur de syntaxe JSON vers l'octet {offset:,}".replace(",", " ")
        + f", après {position} enregistrement(s) : {reason}. La suite du fichier n'a pas été lue.",
    )


def _record_and_kind(data: Any) -> tuple[Any, ContractKind]:
    """Kind of a record of a 2019 file (`_type`, else its fields); a record wrapped as `{"marche": {…}}` (files
    converted from XML) is unwrapped."""
    if type(data) is dict and len(data) == 1:
        (key, inner), *_ = data.items()
        if key in XML_RECORDS and type(inner) is dict:
            return inner, XML_RECORDS[key]
    return data, _kind_of(data)


def _kind_of(data: Any) -> ContractKind:
    if type(data) is not dict:
        return ContractKind.CONTRACT
    declared = data.get("_type")
    if type(declared) is str:
        kind = _TYPES.get(declared)
        if kind is not None:
            return kind
    if data.get("autoriteConcedante") or data.get("concessionnaires") or data.get("autoriteConcedante.id"):
        return ContractKind.CONCESSION
    nature = data.get("nature")
    if type(nature) is str and NATURES.get(nature) in _CONCESSION_NATURES:
        return ContractKind.CONCESSION
    return ContractKind.CONTRACT


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[1] if tag[:1] == "{" else tag


def _element_data(element: Any) -> dict[str, Any]:
    """An XML record → the nested dict of the JSON formats: one child → its value, repeated children → a list,
    an empty element → None."""
    data: dict[str, Any] = {}
    for child in element:
        tag = child.tag
        if tag[:1] == "{":
            tag = tag.rsplit("}", 1)[1]
        if len(child):
            value: Any = _element_data(child)
        else:
            text = child.text
            value = text.strip() or None if text else None
        previous = data.get(tag, _ABSENT)
        if previous is _ABSENT:
            data[tag] = value
        elif type(previous) is list:
            previous.append(value)
        else:
            data[tag] = [previous, value]
    return data
