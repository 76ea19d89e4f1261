"""Indicators of responsible purchasing over the DECP contracts, read from the pre-aggregated cubes (issue 4).

For a scope — a buyer, a network's members, a département, a région, the whole country —, per year of notification
and optionally broken down by CPV division, contract type or procedure: the share of contracts with at least one
social consideration and with each kind (clause, criterion, reserved contract), the same for environmental ones,
innovative contracts, and the coverage (share of contracts whose considerations are known). Each share is given by
number of contracts and by value. National targets of the PNAD 2022–2025 come with them as reference lines, labelled
non-binding.

Rules worth knowing:
- Shares of considerations are taken among contracts whose considerations are KNOWN: the 2019 format has no such
  field, and "unknown" is never counted as "none". Coverage says how many are known.
- Values are sums of plausible amounts only (0 ≤ amount ≤ 10 billion €, `decp.records.MAX_PLAUSIBLE_AMOUNT`): a
  contract without an amount, or with a negative or absurd one, counts in the numbers, never in the values.
- Contracts without a notification date belong to no year and are left out.
- A buyer is a DECP buyer identifier: a SIRET selects that establishment, a SIREN (9 digits) every establishment of
  the legal person.
- A network is the sum of its current members (membership status "adhérent"), each taken as a legal person: every
  contract whose buyer identifier starts with the member's SIREN (`Organisation.siren`, else the first nine digits of
  its SIRET) counts, whatever the establishment that published it, and a SIREN shared by two members counts once.
  Contracts of every year count, including years before the membership. Each network's sums are precomputed at
  refresh time (`NetworkCube`); when its members have changed since, they are added up from the buyer cubes instead.
- Territories are read from rows precomputed per département, région and for the country (`TerritoryCube`): the
  country counts every contract, those whose place of execution gives no département included; a région the
  contracts of its départements.

The cubes are rebuilt by `cubes.indicators_refresh()` at the end of each import.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.db import connection, models
from django.db.models import Max, Q, QuerySet, Sum
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from relais.networks.enums import MembershipStatus
from relais.networks.models import Membership, Network
from relais.reference.models import Cpv
from relais.reference.models import Departement as DepartementRow
from relais.reference.models import Region as RegionRow
from relais.reference.queries import rule_versions

from .enums import ContractType, Procedure
from .models import BuyerBreakdownCube, BuyerYearCube, Contract, NetworkCube, NetworkCubeState, TerritoryCube

TARGET_NOTE = "objectif national non contraignant"
COUNTRY_LABEL = "France entière"


# --- Scopes --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Buyer:
    """One buyer by its DECP identifier: a SIRET (14 characters) selects that establishment, a SIREN (9 digits)
    every establishment of the legal person; any other identifier is matched exactly as published."""

    identifier: str

    @property
    def is_siren(self) -> bool:
        """Nine digits: a legal person, every establishment of which is selected."""
        identifier = self.identifier.strip()
        return len(identifier) == 9 and identifier.isdigit()


@dataclass(frozen=True)
class NetworkScope:
    """The current members of a network (see the module docstring for how members are matched to contracts)."""

    network: Network


@dataclass(frozen=True)
class Departement:
    """Contracts executed in a département (INSEE code: "35", "2A", "974")."""

    code: str


@dataclass(frozen=True)
class Region:
    """Contracts executed in the départements of a région (INSEE code of the région since 2016: "53")."""

    code: str


@dataclass(frozen=True)
class Country:
    """Every contract, those whose place of execution gives no département included."""


Scope = Buyer | NetworkScope | Departement | Region | Country


class Breakdown(models.TextChoices):
    """The dimension a result can be broken down by; the value is the `Contract` field (and the cubes' `dimension`)."""

    CPV_DIVISION = "cpv_division", _("Division CPV")
    CONTRACT_TYPE = "contract_type", _("Catégorie (travaux, fournitures, services)")
    PROCEDURE = "procedure", _("Procédure")


BREAKDOWN_DIMENSIONS: tuple[str, ...] = tuple(Breakdown.values)
# Levels of the territory cube.
LEVEL_DEPARTEMENT, LEVEL_REGION, LEVEL_COUNTRY = "departement", "region", "country"


def member_sirens(network: Network) -> list[str]:
    """SIRENs of a network's current members: `Organisation.siren`, else the first nine digits of its SIRET; members
    with neither are left out (they cannot be matched to DECP buyers)."""
    rows = Membership.objects.filter(network=network, status=MembershipStatus.ACTIVE).values_list(
        "organisation__siren", "organisation__siret"
    )
    return sorted({siren or (siret or "")[:9] for siren, siret in rows} - {""})


def members_signature(sirens: Iterable[str]) -> str:
    """Fingerprint of a set of member SIRENs: a network's cube is valid while its members' fingerprint is unchanged."""
    return hashlib.sha256(",".join(sorted(set(sirens))).encode()).hexdigest()


def _buyer_condition(buyer: Buyer) -> Q:
    identifier = buyer.identifier.strip()
    return Q(buyer_siren=identifier) if buyer.is_siren else Q(buyer_identifier=identifier)


def _region_departements(code: str) -> QuerySet[DepartementRow, Any]:
    return DepartementRow.objects.filter(region__code=code).values("code")


def buyer_year_rows(scope: Scope) -> QuerySet[BuyerYearCube]:
    """Rows of the buyer × year × département cube within a scope; for a territory, the buyers' contracts executed
    there (a région: in its départements; the country: everywhere). Per-buyer lists (compliance, SPASER) group them by
    buyer."""
    rows = BuyerYearCube.objects.all()
    if isinstance(scope, Buyer):
        return rows.filter(_buyer_condition(scope))
    if isinstance(scope, NetworkScope):
        return rows.filter(buyer_siren__in=member_sirens(scope.network))
    if isinstance(scope, Departement):
        return rows.filter(departement_code=scope.code)
    if isinstance(scope, Region):
        return rows.filter(departement_code__in=_region_departements(scope.code))
    return rows


def _territory(scope: Departement | Region | Country) -> Q:
    if isinstance(scope, Departement):
        return Q(level=LEVEL_DEPARTEMENT, code=scope.code)
    if isinstance(scope, Region):
        return Q(level=LEVEL_REGION, code=scope.code)
    return Q(level=LEVEL_COUNTRY, code="")


def cube_rows(scope: Scope, *, breakdown: Breakdown | None = None) -> QuerySet[Any]:
    """The cube rows answering a scope: its totals per year (several rows per year for a buyer: one per identifier and
    département), or its rows of one breakdown, whose value is in `key`. A few hundred rows at most: a network reads
    its own cube while its members are those of the last refresh, else the sum of its members' rows."""
    return _cube_rows(scope, [breakdown] if breakdown else [])


def _cube_rows(scope: Scope, breakdowns: Sequence[Breakdown]) -> QuerySet[Any]:
    """`cube_rows` of several breakdowns at once (their rows carry their `dimension`); none: the totals."""
    dimensions = [breakdown.value for breakdown in breakdowns] or [""]
    if isinstance(scope, NetworkScope):
        sirens = member_sirens(scope.network)
        state = NetworkCubeState.objects.filter(network=scope.network).first()
        if state is not None and state.members_signature == members_signature(sirens):
            return NetworkCube.objects.filter(network=scope.network, dimension__in=dimensions)
        # The membership changed since the last refresh: add up the members' rows (slower, still right).
        if not breakdowns:
            return BuyerYearCube.objects.filter(buyer_siren__in=sirens)
        return BuyerBreakdownCube.objects.filter(buyer_siren__in=sirens, dimension__in=dimensions)
    if isinstance(scope, Buyer):
        if not breakdowns:
            return buyer_year_rows(scope)
        return BuyerBreakdownCube.objects.filter(_buyer_condition(scope), dimension__in=dimensions)
    return TerritoryCube.objects.filter(_territory(scope), dimension__in=dimensions)


def buyer_contracts(buyer: Buyer) -> QuerySet[Contract]:
    """The contracts of a buyer, selected as the cubes do (a SIREN: identifiers of 14 characters starting with it, or
    the SIREN itself)."""
    identifier = buyer.identifier.strip()
    if not buyer.is_siren:
        return Contract.objects.filter(buyer_identifier=identifier)
    siret = Q(buyer_identifier__startswith=identifier, _identifier_length=14)
    if connection.vendor == "sqlite":
        # SQLite's LIKE ignores case, so its indexes cannot serve it: the range of the strings starting with the
        # SIREN (exact in SQLite's binary order) lets the index `contract_buyer_notified` answer. PostgreSQL reads
        # the LIKE itself from that index (pattern operator class).
        siret &= Q(
            buyer_identifier__gte=identifier, buyer_identifier__lt=identifier[:-1] + chr(ord(identifier[-1]) + 1)
        )
    return Contract.objects.alias(_identifier_length=Length("buyer_identifier")).filter(
        Q(buyer_identifier=identifier) | siret
    )


def scope_label(scope: Scope) -> str:
    """The French name of a scope for page titles: the buyer's published name, the network's, the territory's."""
    if isinstance(scope, Buyer):
        name = buyer_year_rows(scope).aggregate(name=Max("buyer_name"))["name"]
        return f"{name} ({scope.identifier})" if name else scope.identifier
    if isinstance(scope, NetworkScope):
        return str(scope.network)
    if isinstance(scope, Departement):
        departement = DepartementRow.objects.filter(code=scope.code).first()
        return str(departement) if departement else scope.code
    if isinstance(scope, Region):
        region = RegionRow.objects.filter(code=scope.code).first()
        return str(region) if region else scope.code
    return COUNTRY_LABEL


# --- Figures -------------------------------------------------------------------------------------------------------

N = TypeVar("N", int, Decimal)


def _ratio(numerator: int | Decimal, denominator: int | Decimal) -> float | None:
    return float(numerator) / float(denominator) if denominator else None


@dataclass(frozen=True)
class Shares:
    """Shares between 0 and 1 (None when the denominator is 0). Considerations and innovation are shares of the
    contracts where they are known; `*_coverage` is the share of contracts where they are known."""

    social: float | None
    social_clause: float | None
    social_criterion: float | None
    reserved: float | None
    environmental: float | None
    environmental_clause: float | None
    environmental_criterion: float | None
    innovative: float | None
    social_coverage: float | None
    environmental_coverage: float | None
    innovative_coverage: float | None


@dataclass(frozen=True)
class Tally(Generic[N]):
    """Numbers of contracts (`Tally[int]`) or sums of their plausible amounts in € excl. VAT (`Tally[Decimal]`).

    `social_known`: contracts whose social considerations are known ("none" or at least one); `social_some`: at
    least one; `social_clause`, `social_criterion`, `reserved`: each kind (a contract may have several). Same for
    environmental ones. `innovative_known` / `innovative`: the "marché innovant" field given / true."""

    total: N
    social_known: N
    social_some: N
    social_clause: N
    social_criterion: N
    reserved: N
    environmental_known: N
    environmental_some: N
    environmental_clause: N
    environmental_criterion: N
    innovative_known: N
    innovative: N

    def shares(self) -> Shares:
        """The shares these figures give (see `Shares`)."""
        return Shares(
            social=_ratio(self.social_some, self.social_known),
            social_clause=_ratio(self.social_clause, self.social_known),
            social_criterion=_ratio(self.social_criterion, self.social_known),
            reserved=_ratio(self.reserved, self.social_known),
            environmental=_ratio(self.environmental_some, self.environmental_known),
            environmental_clause=_ratio(self.environmental_clause, self.environmental_known),
            environmental_criterion=_ratio(self.environmental_criterion, self.environmental_known),
            innovative=_ratio(self.innovative, self.innovative_known),
            social_coverage=_ratio(self.social_known, self.total),
            environmental_coverage=_ratio(self.environmental_known, self.total),
            innovative_coverage=_ratio(self.innovative_known, self.total),
        )


TALLY_FIELDS = tuple(f.name for f in fields(Tally))
# Cube column of each tally field, by number and by value.
NUMBER_COLUMNS = {name: "contracts" if name == "total" else name for name in TALLY_FIELDS}
VALUE_COLUMNS = {name: "value" if name == "total" else f"value_{name}" for name in TALLY_FIELDS}


@dataclass(frozen=True)
class Figures:
    """The indicators of one group of contracts: a year, a breakdown value within a year, or the whole period.

    `key` is the breakdown value ("" when the contracts do not give it) or None for a total; `number` counts
    contracts, `value` sums their plausible amounts, `valued` is how many contracts have one."""

    key: str | None
    label: str
    number: Tally[int]
    value: Tally[Decimal]
    valued: int

    @property
    def by_number(self) -> Shares:
        """Shares by number of contracts."""
        return self.number.shares()

    @property
    def by_value(self) -> Shares:
        """Shares by value, over contracts with a plausible amount only."""
        return self.value.shares()

    @property
    def value_coverage(self) -> float | None:
        """Share of contracts with a plausible amount (those the value shares are about)."""
        return _ratio(self.valued, self.number.total)


@dataclass(frozen=True)
class Target:
    """A national target drawn as a reference line: the PNAD 2022–2025 aims at 100 % of contracts with an
    environmental consideration and 30 % with a social one. It binds nobody (`binding` is False, `note` says so)."""

    measure: str  # "social" or "environmental": the `Shares` field it is drawn against
    share: float  # between 0 and 1
    valid_from: dt.date
    valid_until: dt.date | None
    label: str
    legal_reference: str
    note: str = TARGET_NOTE
    binding: bool = False

    def in_force_in(self, year: int) -> bool:
        """Whether the target covers (part of) a calendar year."""
        return self.valid_from.year <= year and (self.valid_until is None or self.valid_until.year >= year)


@dataclass(frozen=True)
class YearIndicators:
    """One year of a scope: its total, its groups when a breakdown was asked (most contracts first), and the
    targets in force that year."""

    year: int
    total: Figures
    groups: tuple[Figures, ...]
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class Indicators:
    """The answer of `indicators_for`: per year (ascending), then the whole period (`overall`, `overall_groups`)."""

    scope: Scope
    label: str
    breakdown: Breakdown | None
    years: tuple[int, ...]
    per_year: tuple[YearIndicators, ...]
    overall: Figures
    overall_groups: tuple[Figures, ...]
    targets: tuple[Target, ...]


_TARGET_MEASURES = {"environmental_consideration_share": "environmental", "social_consideration_share": "social"}


def national_targets() -> tuple[Target, ...]:
    """The PNAD targets of the dated legal rules (kind `pnad_target`), oldest first."""
    rules = sorted(
        (rule for rule in rule_versions("pnad_target") if rule.code in _TARGET_MEASURES),
        key=lambda rule: (rule.valid_from, rule.code),
    )
    return tuple(
        Target(
            measure=_TARGET_MEASURES[rule.code],
            share=float(rule.value) / 100,
            valid_from=rule.valid_from,
            valid_until=rule.valid_until,
            label=rule.label,
            legal_reference=rule.legal_reference,
        )
        for rule in rules
        if rule.value is not None
    )


def breakdown_labels(breakdown: Breakdown, keys: Iterable[str] = ()) -> dict[str, str]:
    """French label of the values of a breakdown ("45" → "45 — Travaux de construction"; "" → not given). For CPV
    divisions, only those in `keys` are looked up (by their code, "45000000": one indexed read)."""
    if breakdown == Breakdown.CONTRACT_TYPE:
        return {value: str(label) for value, label in ContractType.choices}
    if breakdown == Breakdown.PROCEDURE:
        return {value: str(label) for value, label in Procedure.choices}
    codes = [f"{key}000000" for key in keys if key]
    divisions = Cpv.objects.filter(code8__in=codes).values_list("division", "label_fr")
    return {"": "Division CPV non renseignée"} | {division: f"{division} — {label}" for division, label in divisions}


def _sums(columns: Iterable[str]) -> dict[str, Sum]:
    return {f"sum_{column}": Sum(column) for column in columns}


# Every column read, in one order: a group's figures travel as a list of numbers in this order.
_ALL_COLUMNS = (*NUMBER_COLUMNS.values(), "valued", *VALUE_COLUMNS.values())
_NUMBER_SLICE = slice(0, len(NUMBER_COLUMNS))
_VALUED_INDEX = len(NUMBER_COLUMNS)
_VALUE_SLICE = slice(len(NUMBER_COLUMNS) + 1, len(_ALL_COLUMNS))
_CENT = Decimal("0.01")
Vector = list[Any]


def _vector(row: Mapping[str, Any]) -> Vector:
    return [row[f"sum_{column}"] or 0 for column in _ALL_COLUMNS]


def _add(total: Vector | None, vector: Vector) -> Vector:
    return list(vector) if total is None else [a + b for a, b in zip(total, vector, strict=True)]


def _figures(key: str | None, label: str, vector: Vector | None) -> Figures:
    vector = vector or [0] * len(_ALL_COLUMNS)
    return Figures(
        key=key,
        label=label,
        number=Tally(*(int(n) for n in vector[_NUMBER_SLICE])),
        # Sums read from SQLite are binary floats: back to cents.
        value=Tally(*(Decimal(v).quantize(_CENT) for v in vector[_VALUE_SLICE])),
        valued=int(vector[_VALUED_INDEX]),
    )


def _groups(vectors: Mapping[str, Vector], labels: Mapping[str, str]) -> tuple[Figures, ...]:
    groups = [_figures(key, labels.get(key, key), vector) for key, vector in vectors.items()]
    return tuple(sorted(groups, key=lambda figures: (-figures.number.total, figures.key or "")))


def indicators_for(
    scope: Scope,
    *,
    years: Iterable[int] | None = None,
    breakdown: Breakdown | None = None,
    targets: tuple[Target, ...] | None = None,
    label: str | None = None,
) -> Indicators:
    """The indicators of a scope per year, optionally broken down, with the national targets.

    `years`: the years wanted (each one is answered, with zeros when it has no contract); None: every year the scope
    has contracts in. `breakdown`: CPV division, contract type or procedure, within each year and over the period.
    One query on the cubes (plus the labels and targets), whatever the scope: see `cube_rows`. A page that reads
    several scopes or breakdowns passes the `targets` (`national_targets()`) and the scope's `label` it already has,
    so that they are not read again for each call.
    """
    wanted = sorted(set(years)) if years is not None else None
    rows = cube_rows(scope, breakdown=breakdown)
    if wanted is not None:
        rows = rows.filter(year__in=wanted)
    group = ["year"] if breakdown is None else ["year", "key"]
    found = list(rows.values(*group).annotate(**_sums(_ALL_COLUMNS)).order_by())
    targets = national_targets() if targets is None else targets
    return _indicators(scope, breakdown, found, wanted, targets, scope_label(scope) if label is None else label)


def breakdowns_for(
    scope: Scope, *, years: Iterable[int], targets: tuple[Target, ...], label: str
) -> dict[Breakdown, Indicators]:
    """`indicators_for` of every breakdown of a scope over the given years, read in one query on the cubes."""
    wanted = sorted(set(years))
    rows = _cube_rows(scope, list(Breakdown)).filter(year__in=wanted)
    found: dict[str, list[dict[str, Any]]] = {breakdown.value: [] for breakdown in Breakdown}
    for row in rows.values("dimension", "year", "key").annotate(**_sums(_ALL_COLUMNS)).order_by():
        found[row["dimension"]].append(row)
    return {
        breakdown: _indicators(scope, breakdown, found[breakdown.value], wanted, targets, label)
        for breakdown in Breakdown
    }


def _indicators(
    scope: Scope,
    breakdown: Breakdown | None,
    found: Iterable[Mapping[str, Any]],
    wanted: list[int] | None,
    targets: tuple[Target, ...],
    label: str,
) -> Indicators:
    """The indicators of a scope from its summed cube rows (per year, and per `key` for a breakdown)."""
    year_totals: dict[int, Vector] = {}
    year_groups: dict[int, dict[str, Vector]] = {}
    overall_groups: dict[str, Vector] = {}
    for row in found:
        vector = _vector(row)
        year = row["year"]
        year_totals[year] = _add(year_totals.get(year), vector)
        if breakdown is not None:
            year_groups.setdefault(year, {})[row["key"]] = _add(year_groups.get(year, {}).get(row["key"]), vector)
            overall_groups[row["key"]] = _add(overall_groups.get(row["key"]), vector)
    labels = breakdown_labels(breakdown, overall_groups) if breakdown is not None else {}
    per_year = tuple(
        YearIndicators(
            year=year,
            total=_figures(None, str(year), year_totals.get(year)),
            groups=_groups(year_groups.get(year, {}), labels),
            targets=tuple(target for target in targets if target.in_force_in(year)),
        )
        for year in (wanted if wanted is not None else sorted(year_totals))
    )
    overall: Vector | None = None
    for year in per_year:
        if year.year in year_totals:
            overall = _add(overall, year_totals[year.year])
    return Indicators(
        scope=scope,
        label=label,
        breakdown=breakdown,
        years=tuple(item.year for item in per_year),
        per_year=per_year,
        overall=_figures(None, "Toute la période", overall),
        overall_groups=_groups(overall_groups, labels),
        targets=targets,
    )


def indicator_years(scope: Scope) -> list[int]:
    """Years in which the scope has contracts, ascending (for a year selector)."""
    return sorted(set(cube_rows(scope).values_list("year", flat=True).distinct()))
