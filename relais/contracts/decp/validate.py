"""Validation step of the DECP pipeline: checks against the reference tables, and values derived from a record.

`check_cpv` needs the CPV 2008 nomenclature (`known`: every 8-digit code → its full code, built by the caller from
`reference.Cpv`, or from `reference/data/cpv_2008_fr_en.csv`); the rest needs no table.

The département of the place of execution follows the structure of INSEE and La Poste codes: two characters for a
metropolitan département (2A/2B for Corsica, whose postal codes start with 20: 200xx–201xx are Corse-du-Sud, the
rest Haute-Corse), three for an overseas one (971–974, 976). Overseas collectivities (975, 977, 978, 984–988) and
Monaco (980xx postal codes) are places, but no département; so are a région or a country.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from ..enums import ContractType, QualityFlag
from .labels import Lookup
from .records import ContractRecord

_METROPOLITAN = frozenset([f"{number:02d}" for number in range(1, 96) if number != 20] + ["2A", "2B"])
_OVERSEAS = frozenset(["971", "972", "973", "974", "976"])
# Places with a French postal or INSEE code that belong to no département.
_NO_DEPARTEMENT = frozenset(["975", "977", "978", "980", "984", "986", "987", "988"])

_MEMO_LIMIT = 50_000
_PLACES_SEEN: dict[tuple[str, str], str | None] = {}

_POSTAL, _COMMUNE, _DEPARTEMENT, _SUBDIVISION, _OTHER = "postal", "commune", "departement", "subdivision", "other"
_PLACE_TYPES: Lookup[str] = Lookup(
    {
        "Code postal": _POSTAL,
        "Code commune": _COMMUNE,
        "Code INSEE": _COMMUNE,
        "Code département": _DEPARTEMENT,
        "Code arrondissement": _SUBDIVISION,
        "Code canton": _SUBDIVISION,
        "Code région": _OTHER,
        "Code pays": _OTHER,
    }
)


def check_cpv(record: ContractRecord, known: Mapping[str, str]) -> None:
    """Flags a CPV code absent from CPV 2008 (CPV_UNKNOWN) and writes a known one as its full code.

    A code written without its check digit gets it (CPV_WITHOUT_CHECK_DIGIT). A code with a wrong check digit is
    corrected too, with CPV_CHECK_DIGIT_WRONG: the eight digits name the code and the check digit only repeats them
    (producers that compute it themselves get it wrong, the official algorithm not reproducing every 2008 code), so
    the contract keeps its CPV statistics instead of being set apart as unknown.
    """
    code = record.cpv
    if not code:
        return
    full = known.get(code[:8])
    if full is None or len(code) not in (8, 10):
        record.flag(QualityFlag.CPV_UNKNOWN, code)
    elif len(code) == 8:
        record.flag(QualityFlag.CPV_WITHOUT_CHECK_DIGIT, code)
        record.cpv = full
    elif code != full:
        record.flag(QualityFlag.CPV_CHECK_DIGIT_WRONG, f"{code} → {full}")
        record.cpv = full


def contract_type_of(cpv: str) -> ContractType:
    """Works, supplies or services from the CPV division: 45 → works; 01–44 and 48 → supplies; others → services."""
    division = cpv[:2]
    if len(division) != 2 or not division.isdigit() or division == "00":
        return ContractType.UNKNOWN
    if division == "45":
        return ContractType.WORKS
    number = int(division)
    return ContractType.SUPPLIES if number <= 44 or number == 48 else ContractType.SERVICES


def departement_of(place_code: str, place_type: str) -> str:
    """The INSEE code of the département of a place ("35", "2A", "974"), "" when none applies or it is not known."""
    return _remembered_departement(place_code, place_type) or ""


def check_place(record: ContractRecord, departements: Collection[str] | None = None) -> str:
    """The département of the record's place (also set on `record.departement`), flagging PLACE_UNKNOWN when a
    place is given but not recognised. A région, a country or an overseas collectivity is recognised: it gives no
    département and no flag. `departements`, when given, is the list of codes the database knows."""
    code = _remembered_departement(record.place_code, record.place_type)
    if code is None or (code and departements is not None and code not in departements):
        record.flag(QualityFlag.PLACE_UNKNOWN, f"{record.place_type or 'code'} {record.place_code}".strip())
        code = ""
    record.departement = code
    return code


def _remembered_departement(place_code: str, place_type: str) -> str | None:
    """`_departement`, remembered: a national file names a few tens of thousands of distinct places."""
    key = (place_code, place_type)
    try:
        return _PLACES_SEEN[key]
    except KeyError:
        found = _PLACES_SEEN[key] = _departement(place_code, place_type)
        if len(_PLACES_SEEN) > _MEMO_LIMIT:
            _PLACES_SEEN.clear()
        return found


def _departement(place_code: str, place_type: str) -> str | None:
    """Département code; "" for a place that has none (région, country…) or no place; None when not recognised."""
    code = "".join(place_code.split()).upper()
    if not code:
        return ""
    kind = _PLACE_TYPES.get(place_type) if place_type else None
    if kind == _OTHER:
        return ""
    if kind == _POSTAL:
        found = _from_postal_code(code)
    elif kind == _COMMUNE:
        found = _from_commune_code(code)
    elif kind == _DEPARTEMENT:
        found = _from_departement_code(code)
    elif kind == _SUBDIVISION:
        found = _from_subdivision_code(code)
    else:
        found = None
    if found is None:  # no type, an unknown one, or a code of another type: judge by its shape
        if len(code) == 5:
            found = _from_postal_code(code)
        elif len(code) <= 3:
            found = _from_departement_code(code)
    return found


def _from_postal_code(code: str) -> str | None:
    if len(code) == 4 and code.isdigit():
        code = "0" + code  # a postal code stored as a number lost its leading zero
    if len(code) != 5 or not code.isdigit():
        return _from_commune_code(code)
    if code.startswith("20"):
        return "2A" if code[2] in "01" else "2B"
    return _from_prefix(code)


def _from_commune_code(code: str) -> str | None:
    if len(code) == 4 and code.isdigit():
        code = "0" + code
    if len(code) != 5:
        return None
    if code[:2] in ("2A", "2B") and code[2:].isdigit():
        return code[:2]
    if not code.isdigit():
        return None
    if code.startswith("20"):  # a Corsican commune written with its pre-1976 département number
        return "2A" if code[2] in "01" else "2B"
    return _from_prefix(code)


def _from_prefix(code: str) -> str | None:
    if code.startswith(("97", "98")):
        prefix = code[:3]
        if prefix in _OVERSEAS:
            return prefix
        return "" if prefix in _NO_DEPARTEMENT else None
    return code[:2] if code[:2] in _METROPOLITAN else None


def _from_departement_code(code: str) -> str | None:
    if len(code) == 1 and code.isdigit():
        code = "0" + code
    if code in _METROPOLITAN or code in _OVERSEAS:
        return code
    return "" if code in _NO_DEPARTEMENT else None


def _from_subdivision_code(code: str) -> str | None:
    """Arrondissement ("351", "2A1", "9741") or canton ("3512", "97401") codes start with their département."""
    if code.startswith(("97", "98")):
        return _from_departement_code(code[:3])
    return _from_departement_code(code[:2])
