"""Text of an uploaded document, for full-text search. Bounded and robust to broken files.

Each reader stops at MAX_PAGES pages (or sheets/rows) and MAX_CHARACTERS characters; XML parts of office packages
are read as streams and refused when their uncompressed size or compression ratio is absurd (zip bombs). Any
failure becomes an `ExtractionError` with a French reason shown on the document page; nothing else escapes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, Final
from xml.etree.ElementTree import ParseError, iterparse  # expat refuses entity-expansion bombs

from .formats import CSV, DOCX, ODS, ODT, PDF, XLSX

MAX_PAGES: Final = 300
MAX_CHARACTERS: Final = 500_000
MAX_ROWS: Final = 20_000
MAX_XML_BYTES: Final = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO: Final = 200

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


class ExtractionError(Exception):
    """The text could not be read; the message (French) says why."""


class _Collector:
    """Accumulates text up to MAX_CHARACTERS, then says it is full."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    @property
    def full(self) -> bool:
        return self.length >= MAX_CHARACTERS

    def add(self, text: str) -> None:
        text = text.strip()
        if text and not self.full:
            text = text[: MAX_CHARACTERS - self.length]
            self.parts.append(text)
            self.length += len(text) + 1

    def text(self) -> str:
        return "\n".join(self.parts)


def _pdf(stream: IO[bytes], out: _Collector) -> None:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    reader = PdfReader(stream, strict=False)
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except Exception as error:  # pypdf raises many kinds of errors on odd encryption
            raise ExtractionError("Le PDF est protégé par un mot de passe.") from error
    try:
        for index, page in enumerate(reader.pages):
            if index >= MAX_PAGES or out.full:
                break
            out.add(page.extract_text() or "")
    except FileNotDecryptedError as error:
        raise ExtractionError("Le PDF est protégé par un mot de passe.") from error


def _xml_part(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    try:
        info = archive.getinfo(name)
    except KeyError as error:
        raise ExtractionError(f"Le document est incomplet (partie {name} absente).") from error
    if info.file_size > MAX_XML_BYTES or info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1024):
        raise ExtractionError("Le document est anormalement volumineux une fois décompressé.")
    return archive.open(info)


def _paragraphs(stream: IO[bytes], paragraph_tags: set[str]) -> Iterator[str]:
    """Text of each paragraph-like element, streamed (elements are cleared once read)."""
    for _event, element in iterparse(stream, events=("end",)):  # noqa: S314 - see the import
        if element.tag in paragraph_tags:
            yield "".join(element.itertext())
            element.clear()


def _docx(stream: IO[bytes], out: _Collector) -> None:
    with zipfile.ZipFile(stream) as archive, _xml_part(archive, "word/document.xml") as part:
        for paragraph in _paragraphs(part, {f"{_W}p"}):
            out.add(paragraph)
            if out.full:
                break


def _odf(stream: IO[bytes], out: _Collector) -> None:
    tags = {f"{_TEXT}p", f"{_TEXT}h"}
    with zipfile.ZipFile(stream) as archive, _xml_part(archive, "content.xml") as part:
        for paragraph in _paragraphs(part, tags):
            out.add(paragraph)
            if out.full:
                break


def _xlsx(stream: IO[bytes], out: _Collector) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(stream, read_only=True, data_only=True)
    try:
        rows = 0
        for index, sheet in enumerate(workbook.worksheets):
            if index >= MAX_PAGES or out.full:
                break
            out.add(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                rows += 1
                if rows > MAX_ROWS or out.full:
                    return
                out.add(" ".join(str(value) for value in row if value is not None))
    finally:
        workbook.close()


def _csv(stream: IO[bytes], out: _Collector) -> None:
    raw = stream.read(MAX_CHARACTERS * 4)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t|")
    except csv.Error:
        dialect = csv.excel
    for index, row in enumerate(csv.reader(io.StringIO(text), dialect)):
        if index >= MAX_ROWS or out.full:
            break
        out.add(" ".join(cell for cell in row if cell))


_READERS: Final[dict[str, Callable[[IO[bytes], _Collector], None]]] = {
    PDF: _pdf,
    DOCX: _docx,
    ODT: _odf,
    ODS: _odf,
    XLSX: _xlsx,
    CSV: _csv,
}


def extract_text(stream: IO[bytes], content_type: str) -> str:
    """The text of a document (at most MAX_CHARACTERS), or ExtractionError with the reason."""
    reader = _READERS.get(content_type)
    if reader is None:
        raise ExtractionError("Ce format de fichier n'est pas pris en charge.")
    out = _Collector()
    try:
        reader(stream, out)
    except ExtractionError:
        raise
    except (zipfile.BadZipFile, ParseError) as error:
        raise ExtractionError("Le fichier est endommagé : son contenu n'a pas pu être lu.") from error
    except Exception as error:  # a broken file must never break the task: record why instead
        raise ExtractionError(f"Le texte n'a pas pu être extrait ({type(error).__name__}).") from error
    return out.text()
