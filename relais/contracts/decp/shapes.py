"""Bringing flattened records back to the nested shape of the DECP formats before parsing.

Consolidations and spreadsheet exports flatten records: `"acheteur.id": "…"` instead of `"acheteur": {"id": …}`,
and the ministry's tabular export has one column per holder (`titulaire_id_1`, `titulaire_typeIdentifiant_1`…),
lists written as Python literals (`['Clause sociale']`) and quality markers instead of values.
"""

from __future__ import annotations

import ast
from typing import Any

# Quality markers of the ministry's tabular export: "MQ" (manquant) for a missing value, "CDL" for a cell with no
# value for this row. "INX " prefixes a value that the ministry found unusable: the value is kept and left to our
# own checks (an "INX 67151000-0" CPV code is then reported as absent from the nomenclature).
_TABULAR_ABSENT = frozenset(["", "MQ", "CDL"])
_TABULAR_UNUSABLE = "INX "
_TABULAR_RENAMED = {
    "acheteur_id": "acheteur.id",
    "acheteur_nom": "acheteur.nom",
    "lieuExecution_code": "lieuExecution.code",
    "lieuExecution_typeCode": "lieuExecution.typeCode",
    "lieuExecution_nom": "lieuExecution.nom",
    "titulaire_id": "titulaire_id_1",
    "titulaire_typeIdentifiant": "titulaire_typeIdentifiant_1",
    "titulaire_nom": "titulaire_denominationSociale_1",
}
# The modification columns of the tabular export (one modification per row at most).
_TABULAR_MODIFICATION = {
    "idModification": "id",
    "montantModification": "montant",
    "dureeMoisModification": "dureeMois",
    "dateNotificationModificationModification": "dateNotificationModification",
    "datePublicationDonneesModificationModification": "datePublicationDonneesModification",
}
_MAX_LITERAL_LENGTH = 5_000
_MAX_DEPTH = 8


def needs_unflattening(data: dict[str, Any]) -> bool:
    keys = "".join(data)
    return "." in keys or "\ufeff" in keys


def unflatten(data: dict[str, Any]) -> dict[str, Any]:
    """`{"acheteur.id": "x", "lieuExecution.code": "35"}` → `{"acheteur": {"id": "x"}, "lieuExecution": {…}}`.

    A nested value already present wins over a flattened one; a byte-order mark glued to a key (files concatenated
    without care) is dropped."""
    out: dict[str, Any] = {}
    dotted: list[tuple[list[str], Any]] = []
    for key, value in data.items():
        key = key.lstrip("\ufeff").strip()
        if "." in key:
            dotted.append((key.split(".", _MAX_DEPTH), value))
        else:
            out[key] = value
    for parts, value in dotted:
        target = out
        for part in parts[:-1]:
            inner = target.get(part)
            if type(inner) is not dict:
                inner = {}
                target[part] = inner
            target = inner
        target.setdefault(parts[-1], value)
    return out


def from_tabular(row: dict[str, str]) -> dict[str, Any]:
    """One row of the ministry's tabular export → a record in the nested shape of the JSON formats."""
    flat: dict[str, Any] = {}
    for key, cell in row.items():
        value = cell.strip()
        if value in _TABULAR_ABSENT:
            continue
        if value.startswith(_TABULAR_UNUSABLE):
            value = value[len(_TABULAR_UNUSABLE) :].strip()
        key = key.lstrip("\ufeff").strip()
        flat[_TABULAR_RENAMED.get(key, key)] = _literal_list(value) if value[:1] == "[" else value

    holders = []
    for number in range(1, 100):
        identifier = flat.pop(f"titulaire_id_{number}", None)
        id_type = flat.pop(f"titulaire_typeIdentifiant_{number}", None)
        name = flat.pop(f"titulaire_denominationSociale_{number}", None) or flat.pop(f"titulaire_nom_{number}", None)
        if identifier is None and id_type is None and name is None:
            if f"titulaire_id_{number + 1}" not in flat:
                break
            continue
        holders.append({"id": identifier, "typeIdentifiant": id_type, "denominationSociale": name})
    if holders:
        flat["titulaires"] = holders

    modification = {new: flat.pop(old) for old, new in _TABULAR_MODIFICATION.items() if old in flat}
    holder_id = flat.pop("idTitulaireModification", None)
    holder_type = flat.pop("typeIdentifiantTitulaireModification", None)
    if holder_id is not None:
        modification["titulaires"] = [{"id": holder_id, "typeIdentifiant": holder_type}]
    if modification:
        flat["modifications"] = [modification]
    return unflatten(flat)


def _literal_list(value: str) -> Any:
    """ "['Clause sociale', 'Critère social']" → the list; anything else is kept as written."""
    if len(value) > _MAX_LITERAL_LENGTH or not value.endswith("]"):
        return value
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return value
    if isinstance(parsed, (list, tuple)):
        return [str(item) for item in parsed if item is not None]
    return value
