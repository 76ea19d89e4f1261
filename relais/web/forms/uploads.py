"""Checks on uploaded attachments: the CONTENT decides, never the name or the browser's content type.

A case sheet may carry PDF, ODT, DOCX and XLSX documents only; the document library also takes ODS spreadsheets
and CSV tables (callers pass `allowed=` and `max_bytes=`). The first bytes are read with `filetype`; office
documents are ZIP containers, so their inner structure is checked too (an OOXML package has `[Content_Types].xml`
and its main part, an ODF package starts with a `mimetype` entry naming its type). CSV has no signature: it is
accepted only as readable text without control characters nor markup, so a renamed HTML or SVG page is refused.
A renamed executable or HTML page is refused, and so is a document whose extension does not match its content.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from relais.core.validators import contains_markup

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
CSV = "text/csv"

EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", ODT: ".odt", ODS: ".ods", CSV: ".csv"}
# What case sheets accept (the historical default of check_attachment).
SHEET_TYPES = frozenset({PDF, DOCX, XLSX, ODT})
# Order of the formats in messages ("PDF, ODT, DOCX ou XLSX").
_DISPLAY_ORDER = (PDF, ODT, DOCX, XLSX, ODS, CSV)
_ODF_TYPES = (ODT, ODS)
# Control characters never found in a CSV table (tab, CR and LF are allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def accept_attribute(allowed: frozenset[str]) -> str:
    """The `accept` attribute of a file input for these content types (extensions first, then types)."""
    ordered = [t for t in EXTENSIONS if t in allowed]
    return ",".join([*(EXTENSIONS[t] for t in ordered), *ordered])


def type_names(allowed: frozenset[str]) -> str:
    """ "PDF, ODT, DOCX ou XLSX": the names of the accepted formats, for messages."""
    names = [EXTENSIONS[t][1:].upper() for t in _DISPLAY_ORDER if t in allowed]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " ou " + names[-1]


ACCEPT_ATTRIBUTE = accept_attribute(SHEET_TYPES)

# Main part of each OOXML package we accept.
_OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}
_HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    original_name: str


def _zip_content_type(upload: UploadedFile) -> str | None:
    """Content type of an office package judged from its structure, or None when it is no document we accept."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                declared = archive.read("mimetype").strip()
                for odf_type in _ODF_TYPES:
                    if declared == odf_type.encode():
                        return odf_type if "content.xml" in names else None
                return None
            if "[Content_Types].xml" in names:
                for part, content_type in _OOXML_PARTS.items():
                    if part in names:
                        return content_type
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def _looks_like_csv(head: bytes) -> bool:
    """Readable text (UTF-8 or Windows-1252), no control characters, no HTML/SVG/script markup."""
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        try:
            # The head may cut a multi-byte character at its very end; otherwise try Windows-1252 (Excel's CSV).
            text = head[: error.start].decode("utf-8-sig") if error.start >= len(head) - 3 else head.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return bool(text.strip()) and not _CONTROL.search(text) and not contains_markup(text)


def detect_content_type(upload: UploadedFile, *, allow_csv: bool = False) -> str | None:
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return CSV if allow_csv and _looks_like_csv(head) else None
    if kind.mime == PDF:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_content_type(upload)
    return None


def check_attachment(
    upload: UploadedFile, *, allowed: frozenset[str] = SHEET_TYPES, max_bytes: int | None = None
) -> CheckedFile:
    """Refuse anything that is not a genuine document of an `allowed` type within the size limit
    (`max_bytes`, by default the ATTACHMENT_MAX_BYTES setting of case-sheet attachments)."""
    limit: int = settings.ATTACHMENT_MAX_BYTES if max_bytes is None else max_bytes
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            _("Le fichier pèse %(size)s : la taille maximale est de %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    if size == 0:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    content_type = detect_content_type(upload, allow_csv=CSV in allowed)
    if content_type is None or content_type not in allowed:
        raise ValidationError(
            _(
                "Ce fichier n'est pas un document %(names)s valide : son contenu ne correspond pas à l'un de ces "
                "formats."
            ),
            code="file_type",
            params={"names": type_names(allowed)},
        )
    name = Path(upload.name or "").name
    if Path(name).suffix.lower() != EXTENSIONS[content_type]:
        raise ValidationError(
            _(
                "L'extension du fichier ne correspond pas à son contenu (document %(kind)s) : renommez-le en "
                "« %(ext)s »."
            ),
            code="file_extension",
            params={"kind": EXTENSIONS[content_type][1:].upper(), "ext": EXTENSIONS[content_type]},
        )
    return CheckedFile(content_type=content_type, size=size, original_name=name[:255])
