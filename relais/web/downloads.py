"""Serving stored uploads so that none of them can run as a page of the site.

Every file leaves through a permission-checked view and this one function: a download unless the caller vouches
for an inline image, a declared type kept only when it is well formed, nosniff and a sandboxing CSP, and no shared
caching for private files. A file missing from storage is a 404, not a server error."""

from __future__ import annotations

import re

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

_SAFE_CONTENT_TYPE = re.compile(r"^[a-z0-9.+-]+/[a-z0-9.+-]+$")


def sandboxed_file(
    field: FieldFile, *, filename: str, content_type: str = "", inline: bool = False, private: bool = True
) -> FileResponse:
    try:
        handle = field.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    declared = content_type.lower()
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=filename,
        content_type=declared if _SAFE_CONTENT_TYPE.match(declared) else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
