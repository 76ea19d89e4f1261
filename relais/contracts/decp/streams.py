"""The bytes a JSON reader sees: one range of a file, cleaned of what breaks a strict JSON parser.

Real DECP files are written by dataframe tools and hand-made scripts: a UTF-8 byte-order mark at the start,
`NaN` or `Infinity` where a value is missing (not JSON, yet Python's and pandas' default output), and now and then
a file or a record in Windows-1252. `ByteSource` is the file-like object ijson reads: it serves a byte range of the
file between optional synthetic bytes (to read one array of a file on its own, see `readers`), in 16 KB chunks
(small chunks keep ijson at its fastest). The repairs cost a search of every chunk, so a clean file is served
as is, and the reader switches them on only when the parser stumbles: `clean_numbers` turns the `NaN` tokens into
`null`, `repair` decodes invalid UTF-8 as Windows-1252 (the encoding of such files in practice).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import BinaryIO

UTF8_BOM = codecs.BOM_UTF8
CHUNK_SIZE = 16 * 1024

# A NaN or Infinity token where a JSON value is expected (after ":", "," or "["). Inside a string the same text
# ("ratio : NaN, …") would be rewritten too: a price paid for never losing a record to pandas' output.
_NON_JSON_NUMBER = re.compile(rb"([:,\[]\s*)-?(?:NaN|Infinity)(?![A-Za-z0-9_])")
_LEADING_NON_JSON_NUMBER = re.compile(rb"\A(\s*)-?(?:NaN|Infinity)(?![A-Za-z0-9_])")
_VALUE_STARTS = (b":", b",", b"[")
# Kept back from the end of a chunk when it may hold the start of such a token, to see it whole with the next one.
_TOKEN_GUARD = 16


def _windows_1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


REPAIR_ERRORS = "decp-windows-1252"
codecs.register_error(REPAIR_ERRORS, _windows_1252)


def without_non_json_numbers(data: bytes) -> bytes:
    if b"NaN" in data or b"Infinity" in data:
        return _NON_JSON_NUMBER.sub(rb"\1null", data)
    return data


def repaired_text(raw: bytes) -> str:
    """UTF-8 where it is valid, Windows-1252 for the bytes that are not."""
    return raw.decode("utf-8", errors=REPAIR_ERRORS)


class ByteSource:
    """Bytes `start`..`end` of a file, preceded by `head` and followed by `tail`, for ijson to read."""

    def __init__(
        self,
        path: Path,
        start: int,
        end: int,
        *,
        head: bytes = b"",
        tail: bytes = b"",
        clean_numbers: bool = False,
        repair: bool = False,
    ) -> None:
        self._file: BinaryIO = open(path, "rb")  # noqa: SIM115 (closed by close(), the reader's finally)
        self._file.seek(start)
        self.offset = start
        self._remaining = end - start
        self._head = head
        self._tail = tail
        self._carry = b""
        self._last_significant = b""
        self._clean_numbers = clean_numbers
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors=REPAIR_ERRORS) if repair else None

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        if self._head:
            head, self._head = self._head, b""
            return head
        while self._remaining > 0:
            raw = self._file.read(min(CHUNK_SIZE, self._remaining))
            if not raw:
                self._remaining = 0
                break
            self._remaining -= len(raw)
            self.offset += len(raw)
            if not self._clean_numbers and self._decoder is None:
                return raw
            chunk = self._clean(raw, final=self._remaining == 0)
            if chunk:
                return chunk
        chunk = self._carry + self._tail
        self._carry = self._tail = b""
        return chunk

    def _clean(self, raw: bytes, *, final: bool) -> bytes:
        if self._decoder is not None:
            raw = self._decoder.decode(raw, final=final).encode("utf-8")
        chunk = self._carry + raw if self._carry else raw
        self._carry = b""
        if not self._clean_numbers:
            return chunk
        if b"NaN" in chunk or b"Infinity" in chunk:
            chunk = _NON_JSON_NUMBER.sub(rb"\1null", chunk)
            if self._last_significant in _VALUE_STARTS:  # a token whose ":" or "," ended the previous chunk
                chunk = _LEADING_NON_JSON_NUMBER.sub(rb"\1null", chunk, count=1)
        if not final and (b"N" in chunk[-_TOKEN_GUARD:] or b"I" in chunk[-_TOKEN_GUARD:]):
            self._carry = chunk[-_TOKEN_GUARD:]  # may hold the start of a token: see it whole with the next chunk
            chunk = chunk[:-_TOKEN_GUARD]
        significant = chunk.rstrip()
        if significant:
            self._last_significant = significant[-1:]
        return chunk

    def tell(self) -> int:
        """How far in the file the source has read."""
        return self.offset

    def close(self) -> None:
        self._file.close()
