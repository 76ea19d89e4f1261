"""Building the directory's search index (`SupplierIndexEntry`, ADR 0014).

`supplier_reindex(organisation_id)` rewrites the rows of one organisation (call it after any change of its name,
description, département, coordinates or activities — `reindex.organisation_changed` does);
`suppliers_reindex_all()` rebuilds everything (after a bulk import). Both run in the caller's transaction and
announce the change, so that the directory's snapshot is rebuilt once committed (`snapshot.py`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction

from relais.core.text import terms
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation

from .enums import Coverage
from .index_models import SupplierIndexEntry
from .models import SupplierActivity, SupplierProfile

BATCH_SIZE = 5000
# Words kept per organisation: enough for a name, a description and a few dozen activity titles.
MAX_WORDS = 300
ANYTHING = "*"
COUNTRY = "FR"
NOWHERE = "-"
# Radius coverage by grid cell: a radius goes to the first size at least as large; a cell is that size high and
# twice as wide in degrees of longitude (a kilometre of longitude is at least half a kilometre of latitude below
# 60°), so a point within the radius lies in the supplier's cell or one of its eight neighbours.
GRID_SIZES_KM = (10, 25, 50, 100, 250, 1000)
KM_PER_DEGREE = 111.2
Row = tuple[int, int | None, str, str, str, str, int | None, float | None, float | None]


def cpv_prefix(code8: str) -> str:
    """Significant digits: 77310000 → "7731"; a division keeps its two digits."""
    return code8.rstrip("0").ljust(2, "0")


def what_of_code(code8: str) -> list[str]:
    """The "what" keys of an activity having this code: the code itself and each prefix it is at or under."""
    prefix = cpv_prefix(code8)
    return [f"c{code8}", *(f"p{prefix[:n]}" for n in range(2, len(prefix) + 1))]


def what_of_need_code(code8: str) -> list[str]:
    """The "what" keys an activity needs to fit a need's code: a code at or under it, or one of its ancestors."""
    prefix = cpv_prefix(code8)
    return [f"p{prefix}", *(f"c{prefix[:n].ljust(8, '0')}" for n in range(2, len(prefix)))]


def theme_what(slug: str) -> str:
    return f"t{slug}"


def region_area(code: str) -> str:
    return f"R{code}"


def departement_area(code: str) -> str:
    return f"D{code}"


def radius_area(departement_code: str) -> str:
    return f"r{departement_code}"


def grid_size_of(radius_km: int) -> int:
    return next((size for size in GRID_SIZES_KM if radius_km <= size), GRID_SIZES_KM[-1])


def grid_cell(size_km: int, latitude: float, longitude: float) -> tuple[int, int]:
    height = size_km / KM_PER_DEGREE
    return math.floor(latitude / height), math.floor(longitude / (2 * height))


def grid_area(size_km: int, row: int, column: int) -> str:
    return f"g{size_km}/{row}/{column}"


def grid_areas_around(latitude: float, longitude: float) -> list[str]:
    """The grid keys of every cell where a radius reaching this point may start."""
    keys = []
    for size in GRID_SIZES_KM:
        row, column = grid_cell(size, latitude, longitude)
        keys += [grid_area(size, row + i, column + j) for i in (-1, 0, 1) for j in (-1, 0, 1)]
    return keys


def word_key(term: str) -> str:
    return f"w:{term}"


@dataclass
class _Activity:
    id: int
    organisation_id: int
    title: str
    service_kind: str
    coverage: str
    radius_km: int | None
    cpvs: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    departements: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Place:
    departement: str
    latitude: float | None
    longitude: float | None


def _activities(organisation_ids: list[int] | None) -> dict[int, _Activity]:
    """The activities (of the given organisations, or all) with their codes, in five queries."""
    queryset = SupplierActivity.objects.filter(organisation__kind=OrganisationKind.SUPPLIER)
    if organisation_ids is not None:
        queryset = queryset.filter(organisation_id__in=organisation_ids)
    columns = ("id", "organisation_id", "title", "service_kind", "coverage", "radius_km")
    found = {row[0]: _Activity(*row) for row in queryset.values_list(*columns).iterator(chunk_size=BATCH_SIZE)}
    relations = (
        (SupplierActivity.cpvs.through, "cpv__code8", "cpvs"),
        (SupplierActivity.themes.through, "theme__slug", "themes"),
        (SupplierActivity.regions.through, "region__code", "regions"),
        (SupplierActivity.departements.through, "departement__code", "departements"),
    )
    for through, column, attribute in relations:
        links = through.objects.all()
        if organisation_ids is not None:
            links = links.filter(supplieractivity__organisation_id__in=organisation_ids)
        for activity_id, code in links.values_list("supplieractivity_id", column).iterator(chunk_size=BATCH_SIZE):
            activity = found.get(activity_id)
            if activity is not None:
                getattr(activity, attribute).append(code)
    return found


def _activity_rows(activity: _Activity, place: _Place) -> Iterator[Row]:
    whats: dict[str, str] = {ANYTHING: ""}
    for code8 in sorted(set(activity.cpvs)):
        for what in what_of_code(code8):
            # The most precise code under a prefix is kept as the row's detail (for the reasons of a match).
            whats.setdefault(what, code8)
    for slug in sorted(set(activity.themes)):
        whats[theme_what(slug)] = slug
    radius: int | None = None
    coordinates: tuple[float | None, float | None] = (None, None)
    if activity.coverage == Coverage.COUNTRY:
        areas = [COUNTRY]
    elif activity.coverage == Coverage.REGIONS:
        areas = [region_area(code) for code in sorted(set(activity.regions))]
    elif activity.coverage == Coverage.DEPARTEMENTS:
        areas = [departement_area(code) for code in sorted(set(activity.departements))]
    elif activity.coverage == Coverage.RADIUS and activity.radius_km:
        radius = activity.radius_km
        areas = [radius_area(place.departement)] if place.departement else []
        if place.latitude is not None and place.longitude is not None:
            coordinates = (place.latitude, place.longitude)
            size = grid_size_of(radius)
            areas.append(grid_area(size, *grid_cell(size, place.latitude, place.longitude)))
    else:
        areas = []
    # An activity without a usable place (no département listed yet…) is still found when no place is asked.
    areas = areas or [NOWHERE]
    for what, detail in whats.items():
        for area in areas:
            yield (
                activity.organisation_id,
                activity.id,
                what,
                area,
                detail,
                activity.service_kind,
                radius,
                *coordinates,
            )


def _organisation_rows(
    organisation_id: int, texts: Iterable[str], activities: list[_Activity], place: _Place
) -> Iterator[Row]:
    words: dict[str, None] = {}
    for text in (*texts, *(activity.title for activity in activities)):
        for term in terms(text):
            words.setdefault(term[:95])
    for term in list(words)[:MAX_WORDS]:
        yield (organisation_id, None, word_key(term), "", "", "", None, None, None)
    for activity in activities:
        yield from _activity_rows(activity, place)


def _insert(rows: list[Row]) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(SupplierIndexEntry._meta.db_table)
    columns = "organisation_id, activity_id, what, area, detail, service_kind, radius_km, latitude, longitude"
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",  # noqa: S608 — no user input
            rows,
        )


def _write(organisation_ids: list[int] | None) -> int:
    organisations = Organisation.objects.filter(kind=OrganisationKind.SUPPLIER)
    profiles = SupplierProfile.objects.filter(latitude__isnull=False)
    if organisation_ids is not None:
        organisations = organisations.filter(id__in=organisation_ids)
        profiles = profiles.filter(organisation_id__in=organisation_ids)
    coordinates = {pk: (lat, lon) for pk, lat, lon in profiles.values_list("organisation_id", "latitude", "longitude")}
    by_organisation: dict[int, list[_Activity]] = defaultdict(list)
    for activity in _activities(organisation_ids).values():
        by_organisation[activity.organisation_id].append(activity)
    batch: list[Row] = []
    written = 0
    columns = ("id", "name", "description", "departement__code")
    for pk, name, description, departement in organisations.values_list(*columns).iterator(chunk_size=BATCH_SIZE):
        place = _Place(departement or "", *coordinates.get(pk, (None, None)))
        batch.extend(_organisation_rows(pk, (name, description), by_organisation.get(pk, []), place))
        if len(batch) >= BATCH_SIZE:
            _insert(batch)
            written += len(batch)
            batch = []
    _insert(batch)
    return written + len(batch)


def supplier_reindex(organisation_id: int) -> int:
    """Rewrite the index rows of one organisation (none if it is not a supplier); the number of rows written."""
    from .snapshot import announce_directory_change

    with transaction.atomic():
        SupplierIndexEntry.objects.filter(organisation_id=organisation_id).delete()
        written = _write([organisation_id])
        announce_directory_change()
        return written


def suppliers_reindex_all() -> int:
    """Rebuild the whole index; the number of rows written."""
    from .snapshot import announce_directory_change

    with transaction.atomic():
        SupplierIndexEntry.objects.all().delete()
        written = _write(None)
        announce_directory_change()
        return written
