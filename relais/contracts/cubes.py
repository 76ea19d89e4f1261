"""Rebuilding the indicator cubes from the contracts: `indicators_refresh()`, called at the end of each DECP import.

Pages must answer in tens of milliseconds over 1.5 M contracts, so they never read `Contract` for figures: they read
cubes holding, per group of contracts, the counts and value sums of every measure (`models.CubeMeasures`). A refresh
is a full rebuild inside one transaction, so readers see the old cubes until it commits, never a half-built one:
delete, then one `INSERT … SELECT … GROUP BY` from `Contract` into the base cube (`BuyerCube`, the finest grain: the
only pass over the contracts), then the cubes pages read, as sums of it: `BuyerYearCube` (buyer × year ×
département), `BuyerBreakdownCube` (buyer × year × breakdown), `TerritoryCube` (départements, then régions and the
country as sums of the départements) and `NetworkCube` (each network's current members, see
`network_cube_refresh`). The SELECTs are written with the ORM (conditional `Count`/`Sum` with `filter=`), so the
same code runs on SQLite and PostgreSQL; only the `INSERT INTO … (columns)` prefix is written by hand.

After an import that wrote the contracts of a few buyers, only those buyers' rows of the three buyer cubes are
rebuilt from their contracts (`indicators_refresh(buyers=…)`); the territories and networks are then rebuilt from the
buyer cubes. At 1.5 M contracts a full rebuild reads ~1.8 GB of contracts.

The legal checks are computed with the rules in the database at refresh time (thresholds, obligation dates): a
refresh after they changed rebuilds every buyer's rows (`rules_fingerprint`), and `load_reference` changing them
calls for a refresh.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Collection, Iterator
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Case, Count, F, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Length, Substr
from django.utils import timezone

from relais.networks.models import Network
from relais.reference.models import Departement as DepartementRow

from .compliance import PLAUSIBLE_AMOUNT, check_conditions
from .enums import ConsiderationStatus
from .indicators import (
    BREAKDOWN_DIMENSIONS,
    LEVEL_COUNTRY,
    LEVEL_DEPARTEMENT,
    LEVEL_REGION,
    member_sirens,
    members_signature,
)
from .models import (
    BuyerBreakdownCube,
    BuyerCube,
    BuyerYearCube,
    Contract,
    IndicatorRefresh,
    NetworkCube,
    NetworkCubeState,
    TerritoryCube,
)

# Above this many buyers touched by an import, rebuilding everything from one pass over the contracts costs less
# than reading the contracts buyer by buyer (see `indicators_refresh`).
INCREMENTAL_MAX_BUYERS = 3_000
_BUYERS_PER_STATEMENT = 500
_KNOWN = [ConsiderationStatus.NONE, ConsiderationStatus.SOME]
# Condition of each measure counted by number and summed by value (None: every contract of the group).
_CONDITIONS: dict[str, Q | None] = {
    "contracts": None,
    "social_known": Q(social_status__in=_KNOWN),
    "social_some": Q(social_status=ConsiderationStatus.SOME),
    "social_clause": Q(social_clause=True),
    "social_criterion": Q(social_criterion=True),
    "reserved": Q(reserved=True),
    "environmental_known": Q(environmental_status__in=_KNOWN),
    "environmental_some": Q(environmental_status=ConsiderationStatus.SOME),
    "environmental_clause": Q(environmental_clause=True),
    "environmental_criterion": Q(environmental_criterion=True),
    "innovative_known": Q(innovative__isnull=False),
    "innovative": Q(innovative=True),
}


def _value_column(name: str) -> str:
    return "value" if name == "contracts" else f"value_{name}"


def _measures() -> dict[str, Any]:
    """Cube column → aggregate over `Contract`, for every column of `CubeMeasures`."""
    measures: dict[str, Any] = {}
    for name, condition in _CONDITIONS.items():
        measures[name] = Count("pk", filter=condition) if condition is not None else Count("pk")
    measures["valued"] = Count("pk", filter=PLAUSIBLE_AMOUNT)
    for name, condition in _CONDITIONS.items():
        valued = PLAUSIBLE_AMOUNT & condition if condition is not None else PLAUSIBLE_AMOUNT
        measures[_value_column(name)] = Sum("amount", filter=valued, default=Decimal(0))
    for name, condition in check_conditions().items():
        measures[name] = Count("pk", filter=condition) if condition is not None else Value(0)
    return measures


# The SIREN of a 14-character identifier (a SIRET); any other identifier stands for itself.
_BUYER_SIREN = Case(
    When(Q(_identifier_length=14), then=Substr("buyer_identifier", 1, 9)),
    default="buyer_identifier",
    output_field=models.CharField(),
)
_DEPARTEMENT_CODE = Coalesce("departement", Value(""), output_field=models.CharField())


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} n'est pas une colonne")
    return field.column


def _insert_select(
    model: type[models.Model], source: QuerySet[Any], dimensions: dict[str, Any], aggregates: dict[str, Any]
) -> int:
    """Fill a cube with one `INSERT INTO cube (columns) SELECT … FROM source GROUP BY dimensions`; `dimensions` and
    `aggregates` map the cube's columns to expressions over `source`. Returns the number of rows written."""
    # Select aliases carry a prefix: a cube column may also be a field of the source ("social_clause", "level").
    selected = {f"d_{column}": expression for column, expression in dimensions.items()}
    measured = {f"m_{column}": expression for column, expression in aggregates.items()}
    select = source.values(**selected).annotate(**measured).order_by()
    aliases = [*selected, *measured]
    if list(select.query.selected or ()) != aliases:  # the INSERT names its columns in this order
        raise RuntimeError(f"Ordre des colonnes inattendu : {list(select.query.selected or ())}")
    sql, params = select.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(_column(model, alias[2:])) for alias in aliases)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)  # table and column names come from the models
        return int(cursor.rowcount)


def _fields(*names: str) -> dict[str, Any]:
    return {name: F(name) for name in names}


def _sums(columns: list[str]) -> dict[str, Any]:
    return {column: Sum(column) for column in columns}


def _fill_buyer_cube(measures: dict[str, Any], buyers: list[str] | None = None) -> int:
    """The finest grain, from the contracts: the only pass over `Contract` (the costly one); with `buyers`, over
    their contracts only."""
    source = Contract.objects.filter(notified_year__isnull=False).alias(_identifier_length=Length("buyer_identifier"))
    if buyers is not None:
        source = source.filter(buyer_identifier__in=buyers)
    dimensions = _fields("buyer_identifier", "cpv_division", "contract_type", "procedure") | {
        "buyer_siren": _BUYER_SIREN,
        "year": F("notified_year"),
        "departement_code": _DEPARTEMENT_CODE,
    }
    return _insert_select(BuyerCube, source, dimensions, {"buyer_name": Max("buyer_name")} | measures)


def _buyer_rows(buyers: list[str] | None) -> QuerySet[BuyerCube]:
    rows = BuyerCube.objects.all()
    return rows if buyers is None else rows.filter(buyer_identifier__in=buyers)


def _fill_buyer_year_cube(columns: list[str], buyers: list[str] | None = None) -> int:
    dimensions = _fields("buyer_identifier", "buyer_siren", "year", "departement_code")
    return _insert_select(
        BuyerYearCube, _buyer_rows(buyers), dimensions, {"buyer_name": Max("buyer_name")} | _sums(columns)
    )


def _fill_buyer_breakdown_cube(columns: list[str], buyers: list[str] | None = None) -> int:
    written = 0
    for dimension in BREAKDOWN_DIMENSIONS:
        dimensions = _fields("buyer_identifier", "buyer_siren", "year") | {
            "dimension": Value(dimension),
            "key": F(dimension),
        }
        written += _insert_select(BuyerBreakdownCube, _buyer_rows(buyers), dimensions, _sums(columns))
    return written


def _fill_territory_cube(columns: list[str]) -> int:
    """Départements (and the contracts without one, under ""), then régions and the country as their sums."""
    written = 0
    for dimension in ("", *BREAKDOWN_DIMENSIONS):
        dimensions = {
            "level": Value(LEVEL_DEPARTEMENT),
            "code": F("departement_code"),
            "year": F("year"),
            "dimension": Value(dimension),
            "key": F(dimension) if dimension else Value(""),
        }
        written += _insert_select(TerritoryCube, BuyerCube.objects.all(), dimensions, _sums(columns))
    departements = TerritoryCube.objects.filter(level=LEVEL_DEPARTEMENT)
    regions: dict[str, list[str]] = {}
    for code, region in DepartementRow.objects.filter(region__isnull=False).values_list("code", "region__code"):
        regions.setdefault(region, []).append(code)
    if regions:
        region_of = Case(
            *(When(code__in=codes, then=Value(region)) for region, codes in sorted(regions.items())),
            output_field=models.CharField(),
        )
        dimensions = {"level": Value(LEVEL_REGION), "code": region_of} | _fields("year", "dimension", "key")
        in_a_region = departements.filter(code__in=[code for codes in regions.values() for code in codes])
        written += _insert_select(TerritoryCube, in_a_region, dimensions, _sums(columns))
    dimensions = {"level": Value(LEVEL_COUNTRY), "code": Value("")} | _fields("year", "dimension", "key")
    return written + _insert_select(TerritoryCube, departements, dimensions, _sums(columns))


def _fill_network_cube(network: Network, columns: list[str]) -> int:
    """One network's rows, from its current members' rows of the buyer cubes, and the fingerprint of those members."""
    sirens = member_sirens(network)
    NetworkCube.objects.filter(network=network).delete()
    written = 0
    if sirens:
        constants = {"network": Value(network.pk)}
        totals = BuyerYearCube.objects.filter(buyer_siren__in=sirens)
        dimensions = constants | {"year": F("year"), "dimension": Value(""), "key": Value("")}
        written += _insert_select(NetworkCube, totals, dimensions, _sums(columns))
        breakdowns = BuyerBreakdownCube.objects.filter(buyer_siren__in=sirens)
        dimensions = constants | _fields("year", "dimension", "key")
        written += _insert_select(NetworkCube, breakdowns, dimensions, _sums(columns))
    NetworkCubeState.objects.update_or_create(
        network=network,
        defaults={"members_signature": members_signature(sirens), "refreshed_at": timezone.now()},
    )
    return written


def network_cube_refresh(*, network: Network) -> int:
    """Recompute one network's cube from the buyer cubes, for its current members (after a membership change; the
    network's pages are right without it, only slower). Returns the number of rows written."""
    with transaction.atomic():
        return _fill_network_cube(network, list(_measures()))


def network_cube_refresh_if_stale(*, network: Network) -> int:
    """`network_cube_refresh` unless the cube was made for the network's current members (a change queues one
    refresh per membership written: the first does the work). Returns the number of rows written."""
    state = NetworkCubeState.objects.filter(network=network).first()
    if state is not None and state.members_signature == members_signature(member_sirens(network)):
        return 0
    return network_cube_refresh(network=network)


def rules_fingerprint() -> str:
    """A digest of the conditions of the legal checks, with the rules now in the database (dates, thresholds)."""
    conditions = sorted((name, repr(condition)) for name, condition in check_conditions().items())
    return hashlib.sha256(repr(conditions).encode()).hexdigest()


def indicators_refresh(*, buyers: Collection[str] | None = None) -> IndicatorRefresh:
    """Rebuild the indicator cubes from the contracts, in one transaction, and record the refresh (its duration and
    the rows of each cube). Contracts without a notification date are left out. Safe to run at any time; nothing is
    left half-built if it fails.

    With `buyers` (the identifiers of the buyers whose contracts an import wrote), only their rows of the buyer
    cubes are rebuilt, from their contracts; the territories' and networks' rows are then rebuilt whole from the
    buyer cubes, which is cheaper than reading every contract. Everything is rebuilt when `buyers` is None, when
    they are more than `INCREMENTAL_MAX_BUYERS`, when there was no refresh yet, or when the legal rules changed
    since the latest one (the other buyers' checks would be stale)."""
    started = time.perf_counter()
    measures = _measures()
    columns = list(measures)
    fingerprint = rules_fingerprint()
    chosen = sorted(set(buyers)) if buyers is not None and len(buyers) <= INCREMENTAL_MAX_BUYERS else None
    with transaction.atomic():
        latest = latest_refresh()
        if chosen is not None and (latest is None or latest.rules_fingerprint != fingerprint):
            chosen = None
        rows = {"buyer": 0, "buyer_year": 0, "buyer_breakdown": 0}
        for part in [None] if chosen is None else _chunks(chosen):
            for model in (BuyerCube, BuyerYearCube, BuyerBreakdownCube):
                rows_of = model._default_manager.all()
                (rows_of if part is None else rows_of.filter(buyer_identifier__in=part)).delete()
            rows["buyer"] += _fill_buyer_cube(measures, part)
            rows["buyer_year"] += _fill_buyer_year_cube(columns, part)
            rows["buyer_breakdown"] += _fill_buyer_breakdown_cube(columns, part)
        TerritoryCube.objects.all().delete()
        NetworkCube.objects.all().delete()
        rows["territory"] = _fill_territory_cube(columns)
        rows["network"] = sum(_fill_network_cube(network, columns) for network in Network.objects.order_by("pk"))
        total = TerritoryCube.objects.filter(level=LEVEL_COUNTRY, dimension="").aggregate(total=Sum("contracts"))
        return IndicatorRefresh.objects.create(
            finished_at=timezone.now(),
            duration_seconds=time.perf_counter() - started,
            contracts=total["total"] or 0,
            rows=rows,
            buyers=None if chosen is None else len(chosen),
            rules_fingerprint=fingerprint,
        )


def _chunks(values: list[str]) -> Iterator[list[str]]:
    """Lists of at most `_BUYERS_PER_STATEMENT` values (SQLite limits the parameters of a statement)."""
    for start in range(0, len(values), _BUYERS_PER_STATEMENT):
        yield values[start : start + _BUYERS_PER_STATEMENT]


def latest_refresh() -> IndicatorRefresh | None:
    """The latest rebuild of the cubes (None before the first one)."""
    return IndicatorRefresh.objects.order_by("-finished_at", "-pk").first()
