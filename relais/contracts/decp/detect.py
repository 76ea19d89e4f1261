"""Detect step of the DECP pipeline: which format a file holds, from its first kilobytes (never from its name).

- `<` → XML: the 2022 format when its first records use elements that only the 2.0 formats have (considerations,
  techniques, types of price…), else the 2019 format; the root is `<marches>` or one bare `<marche>` /
  `<contrat-concession>`.
- `{` or `[` → JSON: `{"marches": {"marche": [...], "contrat-concession": [...]}}` is the 2022 format; a
  `{"marches": [...]}` list (or a bare array, or one bare record) is the 2019 format, unless its first record has
  fields of the 2.0 formats: then it is the 2.0.0 draft, whose lists are flat (`"considerationsSociales": [...]`).
- anything else → the ministry's tabular CSV export, recognised by its header.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import ijson

from ..enums import ContractKind, SourceFormat
from .streams import UTF8_BOM, without_non_json_numbers

PEEK_BYTES = 64 * 1024

# Record arrays of the 2022 JSON format (XML-style wrappers) and the kind of their records.
JSON_2022_ARRAYS = {"marche": ContractKind.CONTRACT, "contrat-concession": ContractKind.CONCESSION}
XML_RECORDS = {"marche": ContractKind.CONTRACT, "contrat-concession": ContractKind.CONCESSION}

# Fields that exist only from the 2.0 formats on: their presence in a record tells a 2.0 file from a 2019 one.
_FIELDS_SINCE_2_0 = frozenset(
    [
        "considerationsSociales",
        "considerationsEnvironnementales",
        "techniques",
        "technique",
        "modalitesExecution",
        "modaliteExecution",
        "typesPrix",
        "typePrix",
        "ccag",
        "offresRecues",
        "attributionAvance",
        "typeGroupementOperateurs",
        "sousTraitanceDeclaree",
        "actesSousTraitance",
        "modificationsActesSousTraitance",
    ]
)
_RECORD_FIELDS = frozenset(["id", "acheteur", "autoriteConcedante", "objet", "_type", "titulaires", "codeCPV"])
_CSV_BUYER_COLUMNS = frozenset(["acheteur.id", "acheteur_id", "acheteur"])
_XML_TAG = re.compile(rb"<([A-Za-z_][\w.:\-]*)")


class UnknownFormat(ValueError):
    """The file is none of the supported DECP formats; the message says why, in French, for the person importing."""


@dataclass(frozen=True, slots=True)
class JsonLayout:
    """Where the records of a JSON file are: the ijson prefix of the first array (None when the head of the file
    shows none) and, for the 2022 format, the kind of its records."""

    source_format: SourceFormat
    prefix: str | None
    kind: ContractKind | None = None


def detect_format(path: Path | str) -> SourceFormat:
    """The format of a DECP file, from its content. Raises `UnknownFormat` with a French message otherwise."""
    head = read_head(Path(path))
    first = head.lstrip()[:1]
    if first == b"<":
        return xml_format(head)
    if first in (b"{", b"["):
        return json_layout(head).source_format
    csv_delimiter(head)
    return SourceFormat.TABULAR_CSV


def read_head(path: Path, size: int = PEEK_BYTES) -> bytes:
    """The first bytes of the file, without a UTF-8 byte-order mark."""
    with open(path, "rb") as file:
        head = file.read(size)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnknownFormat("Le fichier est encodé en UTF-16 : enregistrez-le en UTF-8 puis importez-le de nouveau.")
    head = head.removeprefix(UTF8_BOM)
    if not head.strip():
        raise UnknownFormat("Le fichier est vide.")
    return head


def xml_format(head: bytes) -> SourceFormat:
    tags = [match.rsplit(b":", 1)[-1].decode("ascii", "replace") for match in _XML_TAG.findall(head)]
    if not tags or (tags[0] != "marches" and tags[0] not in XML_RECORDS):
        root = tags[0] if tags else "?"
        raise UnknownFormat(
            f"Fichier XML dont l'élément racine <{root}> n'est pas celui des données essentielles "
            "(<marches>, <marche> ou <contrat-concession>)."
        )
    return SourceFormat.DECP_2022_XML if _FIELDS_SINCE_2_0.intersection(tags) else SourceFormat.DECP_2019_XML


def json_layout(head: bytes) -> JsonLayout:
    """Reads the head of a JSON file event by event (ijson) until the layout is known."""
    source = io.BytesIO(without_non_json_numbers(head))
    root_keys: set[str] = set()
    record_keys: set[str] = set()
    records_prefix: str | None = None
    marches_type = ""
    first_array: tuple[str, str] | None = None  # key of the first known array of a 2022 "marches" object, its type
    pending_key = ""
    try:
        for prefix, event, value in ijson.parse(source):
            if prefix == "" and event == "start_array":
                records_prefix = "item"
            elif prefix == "" and event == "map_key":
                root_keys.add(value)
            elif prefix == "marches" and event in ("start_map", "start_array") and not marches_type:
                marches_type = event
                if event == "start_array":
                    records_prefix = "marches.item"
            elif marches_type == "start_map" and prefix == "marches" and event == "map_key":
                pending_key = value if value in JSON_2022_ARRAYS else ""
            elif pending_key and prefix == f"marches.{pending_key}" and event in ("start_array", "start_map"):
                first_array = (pending_key, event)
                break
            elif records_prefix and prefix == records_prefix and event == "map_key":
                record_keys.add(value)
            elif records_prefix and prefix == records_prefix and event == "end_map":
                break
    except ijson.JSONError:
        pass  # the head ends in the middle of the file (or the file is broken: the reader will say where)
    if marches_type == "start_map":
        if first_array is None:
            return JsonLayout(SourceFormat.DECP_2022_JSON, None)
        key, event = first_array
        suffix = ".item" if event == "start_array" else ""
        return JsonLayout(SourceFormat.DECP_2022_JSON, f"marches.{key}{suffix}", JSON_2022_ARRAYS[key])
    if records_prefix is None:
        if "marches" in root_keys or not root_keys & _RECORD_FIELDS:
            raise UnknownFormat(
                "Fichier JSON sans tableau « marches » ni enregistrement reconnaissable : "
                "ce ne sont pas des données essentielles de la commande publique."
            )
        records_prefix, record_keys = "", root_keys  # one bare record (the official 1.5 examples)
    draft = bool(record_keys & _FIELDS_SINCE_2_0)
    return JsonLayout(SourceFormat.DECP_2_0_0_DRAFT if draft else SourceFormat.DECP_2019_JSON, records_prefix)


def csv_delimiter(head: bytes) -> str:
    """The delimiter of the ministry's tabular export (";" or ","), checked against its header."""
    first_line = head.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    columns = {column.strip().strip('"').strip() for column in first_line.split(delimiter)}
    if "id" in columns and ("objet" in columns or "codeCPV" in columns) and columns & _CSV_BUYER_COLUMNS:
        return delimiter
    raise UnknownFormat(
        "Contenu non reconnu : ni JSON, ni XML, ni export tabulaire (CSV) des données essentielles "
        f"(début du fichier : « {first_line[:80]} »)."
    )
