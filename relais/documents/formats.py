"""File formats of the library (IANA media types). Uploads are checked by content in `relais.web.forms.uploads`."""

from __future__ import annotations

from typing import Final

from django.conf import settings

PDF: Final = "application/pdf"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT: Final = "application/vnd.oasis.opendocument.text"
ODS: Final = "application/vnd.oasis.opendocument.spreadsheet"
CSV: Final = "text/csv"

ALLOWED_TYPES: Final = frozenset({PDF, DOCX, XLSX, ODT, ODS, CSV})
DEFAULT_MAX_BYTES: Final = 20 * 1024 * 1024


def max_bytes() -> int:
    """Size limit of a version: the DOCUMENT_MAX_BYTES setting when defined, 20 MB otherwise."""
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))
