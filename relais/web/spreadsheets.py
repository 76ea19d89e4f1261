"""Small CSV and XLSX downloads built in memory (dashboards' figures, directories, lists of a few thousand rows).

CSV is written for French spreadsheets (BOM, `;`), cells guarded against formula injection and written the French
way by `relais.web.exports`; workbooks are written by openpyxl in write-only mode. Every download is an attachment
that a shared cache never keeps.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_value, spreadsheet_value

# Characters a sheet name may not hold, and its longest length (Excel's rules).
_SHEET_FORBIDDEN = "[]:*?/\\"
_SHEET_NAME_LENGTH = 31


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> HttpResponse:
    """A CSV for French spreadsheets (BOM, `;`), cells guarded against formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([csv_value(title) for title in header])
    for row in rows:
        writer.writerow([csv_value(value) for value in row])
    return attachment(HttpResponse("\ufeff" + buffer.getvalue(), content_type=CSV_CONTENT_TYPE), filename)


def append_row(sheet: Any, values: Sequence[Any], *, bold: bool = False) -> None:
    """One row of a write-only sheet, in bold for a header or a total."""
    if not bold:
        sheet.append([spreadsheet_value(value) for value in values])
        return
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=spreadsheet_value(value))
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE), filename)


def sheet_title(title: str, used: set[str]) -> str:
    """An XLSX sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = "".join(" " if char in _SHEET_FORBIDDEN else char for char in title)[:_SHEET_NAME_LENGTH].strip()
    name, number = clean, 2
    while name in used:
        suffix = f" ({number})"
        name, number = clean[: _SHEET_NAME_LENGTH - len(suffix)] + suffix, number + 1
    used.add(name)
    return name


def table_download(
    fmt: str,
    *,
    stem: str,
    header: Sequence[str],
    rows: list[list[Any]],
    sheet: str,
    about: Sequence[str],
) -> HttpResponse:
    """One table as a CSV (`fmt` "csv") or as a workbook whose sheet "À lire" holds `about` and the time it was
    generated; the file is named `<stem>-<date>.<extension>`."""
    filename = f"{stem}-{timezone.localdate():%Y%m%d}"
    if fmt == "csv":
        return csv_response(header, rows, f"{filename}.csv")
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    data: Any = workbook.create_sheet(sheet_title(sheet, used))
    append_row(data, header, bold=True)
    for row in rows:
        append_row(data, row)
    notes: Any = workbook.create_sheet(sheet_title("À lire", used))
    for line in (*about, f"Généré le {timezone.localtime():%d/%m/%Y à %H:%M}"):
        notes.append([line])
    return xlsx_response(workbook, f"{filename}.xlsx")
