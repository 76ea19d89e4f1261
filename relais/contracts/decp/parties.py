"""Buyers and holders of a DECP record, however the file nests and writes them.

The formats nest holders differently (`[{…}]` in 2019, `[{"titulaire": {…}}]` in 2022, `{"titulaire": [...]}` once
read from XML) and real files nest them further (`[[{…}]]`, deeper) or mix the shapes. Identifiers are kept as
written without their spaces; a SIRET that lost its leading zero in a spreadsheet gets it back when the key then
checks.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from relais.core.validators import is_valid_siret, normalise_identifier

from . import values
from .labels import EMPTY_MARKERS
from .records import Party

# Buyers and holders repeat across a national file (27 k buyers for 1.5 M contracts): check each SIRET once.
siret_ok = lru_cache(maxsize=16_384)(is_valid_siret)

_NESTING_LIMIT = 8
# Identifier types of the formats, as written by almost every producer (others are upper-cased).
_ID_TYPES = frozenset(["SIRET", "TVA", "TAHITI", "RIDET", "FRWF", "IREP", "UE", "HORS-UE"])


def raw_text(data: Any) -> str:
    """A record (or a part of one) as JSON text, for quarantine and defect details."""
    try:
        return json.dumps(data, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(data)


def clean_identifier(value: Any) -> str:
    """An identifier as written, without its spaces ("2010 345 211" is "2010345211")."""
    text = values.text(value)
    if text and not text.isalnum():
        text = "".join(text.split())
    return text


def siret_of(identifier: str) -> str:
    """A SIRET as written, without separators; a leading zero that a spreadsheet dropped is put back when the key
    then checks."""
    if len(identifier) == 14 and identifier.isdigit():
        return identifier
    identifier = normalise_identifier(identifier)
    if 9 < len(identifier) < 14 and identifier.isdigit():
        padded = identifier.zfill(14)
        if siret_ok(padded):
            return padded
    return identifier


def buyer_of(value: Any) -> Party | None:
    """The buyer (acheteur, autorité concédante), always identified by its SIRET in the formats."""
    if type(value) is dict:
        identifier = clean_identifier(value.get("id"))
        name = values.text(value.get("nom") or value.get("denominationSociale"))
    else:
        identifier = clean_identifier(value)
        name = ""
    if not identifier:
        return None
    return Party(siret_of(identifier), "SIRET", name)


def _holder(value: dict[str, Any]) -> Party | None:
    identifier = value.get("id")
    if type(identifier) is not str or not identifier.isalnum():
        identifier = clean_identifier(identifier)
    name = value.get("denominationSociale") or value.get("nom")
    name = values.text(name) if name is not None else ""
    if not identifier and not name:
        return None
    id_type = value.get("typeIdentifiant")
    if id_type is None:
        id_type = "SIRET" if len(identifier) == 14 and identifier.isdigit() else ""
    elif type(id_type) is not str or id_type not in _ID_TYPES:
        id_type = values.text(id_type).upper()
    if id_type == "SIRET" and not (len(identifier) == 14 and identifier.isdigit()):
        identifier = siret_of(identifier)
    return Party(identifier, id_type, name)


def parties_of(value: Any, unreadable: list[str]) -> list[Party]:
    """Holders however nested: `[{…}]` (2019), `[{"titulaire": {…}}]` (2022), `{"titulaire": [...]}` (XML),
    `[[{…}]]` and deeper (real files), mixed. The two usual shapes are read without recursion."""
    parties: list[Party] = []
    if type(value) is not list:
        _collect_parties(value, parties, unreadable, 0)
        return parties
    for item in value:
        if type(item) is dict:
            if "id" not in item and len(item) == 1:
                for inner in item.values():
                    if type(inner) is dict and "id" in inner:
                        item = inner
            identifier = item.get("id")
            if type(identifier) is str and len(identifier) == 14 and identifier.isdigit():
                id_type = item.get("typeIdentifiant")
                if id_type == "SIRET" or id_type is None:
                    name = item.get("denominationSociale") or item.get("nom")
                    parties.append(Party(identifier, "SIRET", name.strip() if type(name) is str else ""))
                    continue
            if identifier is not None:
                party = _holder(item)
                if party is not None:
                    parties.append(party)
                    continue
        _collect_parties(item, parties, unreadable, 1)
    return parties


def _collect_parties(value: Any, out: list[Party], unreadable: list[str], depth: int) -> None:
    kind = type(value)
    if kind is list:
        for item in value:
            _collect_parties(item, out, unreadable, depth + 1)
    elif kind is dict:
        if "id" in value or "typeIdentifiant" in value or "denominationSociale" in value:
            party = _holder(value)
            if party is None:
                unreadable.append(raw_text(value))
            else:
                out.append(party)
        elif depth < _NESTING_LIMIT:
            for item in value.values():
                _collect_parties(item, out, unreadable, depth + 1)
    elif value is not None:
        text = clean_identifier(value)
        if text in EMPTY_MARKERS:
            return
        if text.isdigit() and 9 <= len(text) <= 14:  # a bare identifier instead of an object
            out.append(Party(siret_of(text), "SIRET" if len(text) >= 13 else "", ""))
        else:
            unreadable.append(text)
