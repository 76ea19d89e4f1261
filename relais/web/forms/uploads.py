"""Checks on uploaded attachments: the CONTENT decides, never the name or the browser's content type.

A case sheet may carry PDF, ODT, DOCX and XLSX documents only. The first bytes are read with `filetype`; office
documents are ZIP containers, so their inner structure is checked too (an OOXML package has `[Content_Types].xml`
and its main part, an ODF package starts with a `mimetype` entry naming its type). A renamed executable or HTML page
is refused, and so is a document whose extension does not match its content.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", ODT: ".odt"}
ACCEPT_ATTRIBUTE = ",".join([*EXTENSIONS.values(), *EXTENSIONS.keys()])

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
            if names and names[0] == "mimetype" and archive.read("mimetype").strip() == ODT.encode():
                return ODT if "content.xml" in names else None
            if "[Content_Types].xml" in names:
                for part, content_type in _OOXML_PARTS.items():
                    if part in names:
                        return content_type
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def detect_content_type(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.mime == PDF:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_content_type(upload)
    return None


def check_attachment(upload: UploadedFile) -> CheckedFile:
    """Refuse anything that is not a genuine PDF, ODT, DOCX or XLSX document within the size limit."""
    limit: int = settings.ATTACHMENT_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            "Le fichier pèse %(size)s : la taille maximale est de %(limit)s.",
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    if size == 0:
        raise ValidationError("Le fichier est vide.", code="empty")
    content_type = detect_content_type(upload)
    if content_type is None:
        raise ValidationError(
            "Ce fichier n'est pas un document PDF, ODT, DOCX ou XLSX valide : son contenu ne correspond pas à "
            "l'un de ces formats.",
            code="file_type",
        )
    name = Path(upload.name or "").name
    if Path(name).suffix.lower() != EXTENSIONS[content_type]:
        raise ValidationError(
            "L'extension du fichier ne correspond pas à son contenu (document %(kind)s) : renommez-le en « %(ext)s ».",
            code="file_extension",
            params={"kind": EXTENSIONS[content_type][1:].upper(), "ext": EXTENSIONS[content_type]},
        )
    return CheckedFile(content_type=content_type, size=size, original_name=name[:255])
