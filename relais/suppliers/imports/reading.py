"""Reading a supplier list as a stream of lines, whatever spreadsheet produced it.

CSV: the encoding is found by decoding the whole file incrementally (UTF-8 with or without BOM, otherwise
Windows-1252 — Excel's "CSV (séparateur : point-virgule)" — otherwise Latin-1), the delimiter from the header line.
XLSX: the first sheet, read in openpyxl's read-only mode. A UTF-16 or binary file is refused with a message saying
how to save it. Nothing is held in memory beyond one line.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from relais.core.text import fold

from ..services import SupplierError

CSV_KIND, XLSX_KIND = "csv", "xlsx"
DELIMITERS = (";", ",", "\t", "|")
_CHUNK = 1 << 20

# What each field of the directory is called in the lists met in practice (folded: lower case, no accents, only
# letters and digits), e.g. the SIAE lists of the regional DREETS and of the Marché de l'inclusion exports.
FIELDS: dict[str, StrOrPromise] = {
    "siret": gettext_lazy("SIRET"),
    "name": gettext_lazy("Raison sociale"),
    "structure_types": gettext_lazy("Type de structure"),
    "departement": gettext_lazy("Département"),
    "city": gettext_lazy("Commune"),
    "postcode": gettext_lazy("Code postal"),
    "address": gettext_lazy("Adresse"),
    "email": gettext_lazy("E-mail"),
    "phone": gettext_lazy("Téléphone"),
    "website": gettext_lazy("Site web"),
}
REQUIRED_FIELDS = ("siret", "name")
SYNONYMS: dict[str, tuple[str, ...]] = {
    "siret": ("siret", "numerosiret", "nsiret", "nosiret", "siretdelastructure", "siretstructure"),
    "name": (
        "raisonsociale", "nom", "nomdelastructure", "nomstructure", "denomination", "structure", "enseigne",
        "nomcommercial", "name", "libelle",
    ),
    "structure_types": (
        "typedestructure", "typestructure", "type", "typesiae", "typedesiae", "kind", "categorie", "statut",
    ),
    "departement": ("departement", "dept", "dep", "codedepartement", "numerodepartement", "numdepartement"),
    "city": ("commune", "ville", "localite", "city"),
    "postcode": ("codepostal", "cp", "postcode", "zipcode"),
    "address": ("adresse", "adressepostale", "voie", "address", "adressedelastructure"),
    "email": ("email", "mail", "courriel", "adresseemail", "adressemail", "emailcontact", "mailcontact"),
    "phone": ("telephone", "tel", "phone", "numerodetelephone", "telephonecontact"),
    "website": ("site", "siteweb", "siteinternet", "url", "web", "website"),
}  # fmt: skip


def fold_header(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text or ""))


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """Column of each field found by its header: exact synonyms first, then a header containing the name."""
    folded = [fold_header(h) for h in headers]
    mapping: dict[str, int] = {}
    for field, names in SYNONYMS.items():
        exact = [i for i, h in enumerate(folded) if h in names and i not in mapping.values()]
        partial = [i for i, h in enumerate(folded) if h and h.startswith(names[0]) and i not in mapping.values()]
        if exact or partial:
            mapping[field] = (exact or partial)[0]
    return mapping


def detect_kind(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                if "xl/workbook.xml" in archive.namelist():
                    return XLSX_KIND
        except zipfile.BadZipFile:
            pass
        raise SupplierError(
            _("Ce fichier n'est ni un CSV ni un classeur XLSX : enregistrez la liste dans l'un de ces formats.")
        )
    return CSV_KIND


def detect_encoding(path: Path) -> str:
    """ "utf-8-sig", "utf-8", "cp1252" or "latin-1", found by reading the whole file once, in chunks."""
    with path.open("rb") as handle:
        head = handle.read(4096)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
            raise SupplierError(
                _(
                    "Encodage non pris en charge (UTF-16 ou fichier binaire) : enregistrez la liste en « CSV UTF-8 » "
                    "ou en XLSX."
                )
            )
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        for encoding in ("utf-8", "cp1252"):
            handle.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                while chunk := handle.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding
    return "latin-1"


def detect_delimiter(line: str) -> str:
    counts = {delimiter: line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class SupplierList:
    """An uploaded list: its kind, encoding, delimiter and header, and its data lines as a stream."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.stat().st_size == 0:
            raise SupplierError(_("Le fichier est vide."))
        self.kind = detect_kind(path)
        self.encoding = detect_encoding(path) if self.kind == CSV_KIND else ""
        self.delimiter = ""
        if self.kind == CSV_KIND:
            with path.open(encoding=self.encoding, newline="") as handle:
                self.delimiter = detect_delimiter(handle.readline())
        lines = self.lines()
        first = next(lines, None)
        if first is None or not any(first[1]):
            raise SupplierError(_("Le fichier est vide : la première ligne doit porter le nom des colonnes."))
        self.headers = [h or _("Colonne %(number)s") % {"number": i + 1} for i, h in enumerate(first[1])]
        if next(lines, None) is None:
            raise SupplierError(_("Le fichier ne contient que la ligne des en-têtes : aucune structure à importer."))

    def lines(self) -> Iterator[tuple[int, list[str]]]:
        """(line number as a spreadsheet shows it, cells), header included, blank lines skipped."""
        if self.kind == XLSX_KIND:
            yield from self._xlsx_lines()
            return
        with self.path.open(encoding=self.encoding, newline="") as handle:
            yield from self._csv_lines(handle)

    def _csv_lines(self, handle: IO[str]) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(handle, delimiter=self.delimiter)
        try:
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    yield reader.line_num, [cell.strip() for cell in cells]
        except csv.Error as error:
            raise SupplierError(
                _("Ligne %(line)s illisible : %(error)s.") % {"line": reader.line_num, "error": error}
            ) from error

    def _xlsx_lines(self) -> Iterator[tuple[int, list[str]]]:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise SupplierError(_("Ce classeur XLSX est illisible (fichier endommagé ?).")) from error
        try:
            sheet = workbook.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_cell(v) for v in values]
                if any(cells):
                    yield number, cells
        finally:
            workbook.close()
