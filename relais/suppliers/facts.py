"""What the directory derives about a supplier, each fact with its reason and its legal reference: the reserved
contracts it may answer, whether it can carry out an insertion clause, its track record in the public contracts and
the case sheets it appears in.

Facts derive from the structure types an organisation declared (`organisations.OrganisationStructure`) and their
validity on a given day: a structure whose `valid_until` is before that day is shown as expired and not retained; a
structure without a date counts, flagged "to check"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from relais.casesheets.enums import StakeholderRole
from relais.casesheets.models import CaseSheet, Stakeholder
from relais.casesheets.queries import visible_sheets
from relais.contracts.queries import TrackRecord, holder_track_record, track_record_start
from relais.organisations.enums import StructureType
from relais.organisations.models import Organisation, OrganisationStructure

# ── Legal references (Code de la commande publique, CCP) ────────────────────────────────────────────────────────────
# One table, cited by every fact: the text a buyer reads next to the fact.

RESERVED_DISABILITY: Final = "reserved_l2113_12"
RESERVED_SIAE: Final = "reserved_l2113_13"
RESERVED_PRISON_WORK: Final = "reserved_l2113_13_1"
RESERVED_ESUS: Final = "reserved_l2113_15"
INSERTION_CLAUSE: Final = "insertion_clause"

LEGAL_REFERENCES: Final[Mapping[str, str]] = {
    RESERVED_DISABILITY: (
        "Code de la commande publique, art. L2113-12 et R2113-7 : marchés ou lots réservés aux entreprises adaptées "
        "(C. trav. L5213-13) et aux établissements et services d'aide par le travail (CASF L344-2) employant au "
        "moins 50 % de travailleurs handicapés ; art. L2113-14 pour un marché réservé à la fois à ces structures "
        "et aux SIAE."
    ),
    RESERVED_SIAE: (
        "Code de la commande publique, art. L2113-13 et R2113-7 : marchés ou lots réservés aux structures "
        "d'insertion par l'activité économique (C. trav. L5132-4 : EI, ETTI, AI, ACI, EITI) employant au moins "
        "50 % de travailleurs défavorisés ; art. L2113-14 pour un marché réservé à la fois à ces structures et aux "
        "EA et ESAT."
    ),
    RESERVED_PRISON_WORK: (
        "Code de la commande publique, art. L2113-13-1 : marchés ou lots réservés aux opérateurs économiques qui "
        "emploient des personnes détenues (travail pénitentiaire)."
    ),
    RESERVED_ESUS: (
        "Code de la commande publique, art. L2113-15 : marchés réservés aux entreprises de l'économie sociale et "
        "solidaire (loi 2014-856, art. 1 ; agrément ESUS, art. 11) — uniquement pour les services sociaux et autres "
        "services spécifiques de la liste réglementaire, pour une durée de 3 ans au plus, et pas au même opérateur "
        "deux fois en 3 ans sur ce fondement."
    ),
    INSERTION_CLAUSE: (
        "Code de la commande publique, art. L2112-2 (conditions d'exécution à caractère social) et R2152-7 "
        "(critère d'attribution social) : l'heure d'insertion peut être réalisée par embauche directe, intérim via "
        "une ETTI, mise à disposition par une AI ou un GEIQ, sous-traitance ou cotraitance avec une EI, un ACI, "
        "une EA ou un ESAT."
    ),
}

# Ways to fulfil an insertion clause through a social-economy structure (domain brief, "Ways to fulfil").
INSERTION_WAYS: Final[Mapping[str, str]] = {
    StructureType.ETTI: "intérim d'insertion (ETTI)",
    StructureType.AI: "mise à disposition de personnel (AI)",
    StructureType.GEIQ: "mise à disposition de personnel (GEIQ)",
    StructureType.EI: "sous-traitance ou cotraitance (EI)",
    StructureType.ACI: "sous-traitance ou cotraitance (ACI)",
    StructureType.EA: "sous-traitance ou cotraitance (EA)",
    StructureType.ESAT: "sous-traitance ou cotraitance (ESAT)",
}


@dataclass(frozen=True)
class _Basis:
    code: str
    label: str
    types: frozenset[str]
    condition: str = ""  # what the buyer must also respect, said with the fact


_BASES: Final[tuple[_Basis, ...]] = (
    _Basis(RESERVED_DISABILITY, "Marché réservé aux EA et ESAT (L2113-12)", StructureType.disability()),
    _Basis(RESERVED_SIAE, "Marché réservé aux SIAE (L2113-13)", StructureType.siae()),
    _Basis(
        RESERVED_PRISON_WORK,
        "Marché réservé au travail pénitentiaire (L2113-13-1)",
        frozenset({StructureType.PRISON_WORK}),
    ),
    _Basis(
        RESERVED_ESUS,
        "Marché réservé aux entreprises de l'ESS (L2113-15)",
        frozenset({StructureType.ESUS}),
        condition=(
            "Seulement pour les services sociaux et autres services spécifiques listés, pour 3 ans au plus, et pas "
            "au même opérateur deux fois en 3 ans sur ce fondement."
        ),
    ),
)


@dataclass(frozen=True)
class Fact:
    code: str
    label: str
    reason: str
    legal_reference: str
    holds: bool


def is_valid_on(structure: OrganisationStructure, on: dt.date) -> bool:
    """A structure counts up to and including its `valid_until` day; without a date it counts (to be checked)."""
    return structure.valid_until is None or structure.valid_until >= on


def _name(structure: OrganisationStructure) -> str:
    return str(StructureType(structure.structure_type).label)


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _why(structure: OrganisationStructure, on: dt.date) -> str:
    """One structure in words: "ESUS : agrément valable jusqu'au 31/12/2027 (justificatif : …)"."""
    if structure.valid_until is None:
        text = f"{_name(structure)} : date de validité non renseignée, à vérifier"
    elif structure.valid_until >= on:
        text = f"{_name(structure)} : agrément valable jusqu'au {_day(structure.valid_until)}"
    else:
        return f"{_name(structure)} : agrément expiré le {_day(structure.valid_until)} : non retenu"
    return f"{text} (justificatif : {structure.evidence})" if structure.evidence else text


def _reason(structures: list[OrganisationStructure], on: dt.date, condition: str = "") -> str:
    valid_first = sorted(structures, key=lambda s: (not is_valid_on(s, on), s.structure_type))
    reason = " ; ".join(_why(structure, on) for structure in valid_first) + "."
    if condition and any(is_valid_on(s, on) for s in structures):
        reason = f"{reason} {condition}"
    return reason


def facts_from_structures(structures: Iterable[OrganisationStructure], *, on: dt.date) -> list[Fact]:
    """The facts of a set of structures on a day. A basis appears only when the supplier declared a structure of
    that basis: held when one of them is valid on the day, not held (with the expiry) when all have expired."""
    structures = list(structures)
    facts: list[Fact] = []
    for basis in _BASES:
        relevant = [s for s in structures if s.structure_type in basis.types]
        if relevant:
            facts.append(
                Fact(
                    code=basis.code,
                    label=basis.label,
                    reason=_reason(relevant, on, basis.condition),
                    legal_reference=LEGAL_REFERENCES[basis.code],
                    holds=any(is_valid_on(s, on) for s in relevant),
                )
            )
    ways = [s for s in structures if s.structure_type in INSERTION_WAYS]
    if ways:
        valid = [s for s in ways if is_valid_on(s, on)]
        how = ", ".join(dict.fromkeys(INSERTION_WAYS[s.structure_type] for s in valid))
        reason = _reason(ways, on)
        facts.append(
            Fact(
                code=INSERTION_CLAUSE,
                label="Peut réaliser des heures d'insertion d'une clause sociale",
                reason=f"Par {how}. {reason}" if how else reason,
                legal_reference=LEGAL_REFERENCES[INSERTION_CLAUSE],
                holds=bool(valid),
            )
        )
    return facts


def supplier_facts(organisation: Organisation, *, on: dt.date) -> list[Fact]:
    """The derived facts of a supplier on a day (see `facts_from_structures`)."""
    return facts_from_structures(organisation.structures.all(), on=on)


def supplier_track_record(organisation: Organisation, *, today: dt.date) -> TrackRecord:
    """Contracts the supplier won in the public data (DECP) over the last three years, linked by its SIRET."""
    return holder_track_record(organisation, since=track_record_start(today))


@dataclass(frozen=True)
class SheetAppearance:
    sheet: CaseSheet
    roles: list[str]  # French labels: "Titulaire", "Sous-traitant"…


def supplier_case_sheets(organisation: Organisation, *, member_network_ids: set[int]) -> list[SheetAppearance]:
    """Published case sheets naming the supplier as a stakeholder that the reader may read (the sheets' own rule:
    public ones for everyone, members-only ones for the members of their network), newest first."""
    sheets = (
        visible_sheets(member_network_ids)
        .filter(stakeholders__organisation=organisation)
        .distinct()
        .select_related("network")
        .order_by("-published_at", "-pk")
    )
    sheet_list = list(sheets)
    roles: dict[int, list[str]] = {}
    labels = dict(StakeholderRole.choices)
    for sheet_id, role in (
        Stakeholder.objects.filter(organisation=organisation, sheet__in=[s.pk for s in sheet_list])
        .order_by("role")
        .values_list("sheet_id", "role")
    ):
        roles.setdefault(sheet_id, []).append(str(labels.get(role, role)))
    return [SheetAppearance(sheet=sheet, roles=roles.get(sheet.pk, [])) for sheet in sheet_list]
