"""Exports of a search of case sheets as CSV, XLSX and JSON: same filters as the search page, same visibility for
the reader, at most EXPORT_LIMIT rows (with a note saying so).

CSV is written for French spreadsheets: UTF-8 with a BOM, `;` separator, decimal comma. Text cells that a
spreadsheet would run as a formula (starting with = + - @, tab or carriage return) are prefixed with a quote.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from relais.casesheets.exports import EXPORT_COLUMNS, ExportValue, export_rows
from relais.casesheets.queries import EXPORT_LIMIT, SheetSearch, sheets_for_export
from relais.networks.perms import member_network_ids

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise_formula(text: str) -> str:
    """A text cell that a spreadsheet would evaluate is kept as text (OWASP "CSV injection")."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def spreadsheet_value(value: ExportValue) -> str | int | Decimal | dt.date | dt.datetime | None:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, str):
        return neutralise_formula(value)
    if isinstance(value, dt.datetime):
        # Spreadsheets have no time zones: local (Paris) time without offset.
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    return value


def csv_value(value: ExportValue) -> str:
    cell = spreadsheet_value(value)
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return f"{cell:f}".replace(".", ",")
    if isinstance(cell, dt.datetime | dt.date):
        return cell.isoformat(sep=" ") if isinstance(cell, dt.datetime) else cell.isoformat()
    return str(cell)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")  # French thousands separator (narrow no-break space)


def truncation_note(total: int, exported: int) -> str:
    return (
        f"Export limité aux {_number(exported)} premières fiches sur {_number(total)} correspondant à la recherche : "
        "affinez les filtres pour obtenir les autres."
    )


def _export(request: HttpRequest) -> tuple[int, Iterator[dict[str, ExportValue]]]:
    params = SheetSearch.from_querydict(request.GET)
    total, sheets = sheets_for_export(params, member_network_ids(request.user), limit=EXPORT_LIMIT)
    return total, export_rows(sheets)


def _filename(extension: str) -> str:
    return f"fiches-relais-{timezone.localdate():%Y%m%d}.{extension}"


def _decorate(response: HttpResponse | StreamingHttpResponse, request: HttpRequest, total: int) -> None:
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Total-Count"] = str(total)
    if total > EXPORT_LIMIT:
        response["X-Export-Truncated"] = f"{EXPORT_LIMIT}/{total}"
    if request.user.is_authenticated:
        # Members may export members-only sheets: never keep such a file in a shared cache.
        response["Cache-Control"] = "private, no-store"


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[dict[str, ExportValue]], total: int) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(list(EXPORT_COLUMNS.values()))
    exported = 0
    for row in rows:
        exported += 1
        yield writer.writerow([csv_value(row[key]) for key in EXPORT_COLUMNS])
    if total > exported:
        yield writer.writerow([truncation_note(total, exported)])


@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    total, rows = _export(request)
    response = StreamingHttpResponse(_csv_lines(rows, total), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    _decorate(response, request, total)
    return response


@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    total, rows = _export(request)
    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet("Fiches")
    bold = Font(bold=True)
    header = []
    for title in EXPORT_COLUMNS.values():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    exported = 0
    for row in rows:
        exported += 1
        sheet.append([spreadsheet_value(row[key]) for key in EXPORT_COLUMNS])
    about: Any = workbook.create_sheet("À lire")
    about.append(["Export des fiches retour d'expérience de Relais"])
    about.append([f"Recherche : {request.GET.urlencode() or '(toutes les fiches)'}"])
    about.append([f"Généré le {timezone.localtime():%d/%m/%Y à %H:%M}"])
    about.append([f"{exported} fiche(s) exportée(s) sur {total}"])
    if total > exported:
        about.append([truncation_note(total, exported)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    _decorate(response, request, total)
    return response


@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    total, rows = _export(request)
    results = list(rows)
    payload: dict[str, Any] = {
        "count": total,
        "exported": len(results),
        "truncated": total > len(results),
        "note": truncation_note(total, len(results)) if total > len(results) else "",
        "columns": EXPORT_COLUMNS,
        "results": results,
    }
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    _decorate(response, request, total)
    return response
