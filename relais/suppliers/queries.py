"""Matching suppliers to a need (`suppliers_matching`), on the directory's search index (ADR 0014).

Used by the sourcing needs (which suppliers to notify) and the legal-lever advisor (how many eligible suppliers
cover a place). The directory page's search is in `search.py` and reads the same index through `ActivityKeys`.
The index is maintained by `index.py`; its two entry points are re-exported here for `reindex.py`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.casesheets.enums import ReservedBasis
from relais.organisations.enums import StructureType
from relais.organisations.models import Organisation, OrganisationStructure
from relais.reference.models import Departement, Theme

from .enums import ServiceKind
from .index import (
    ANYTHING,
    COUNTRY,
    cpv_prefix,
    departement_area,
    grid_areas_around,
    radius_area,
    region_area,
    supplier_reindex,
    suppliers_reindex_all,
    theme_what,
    what_of_need_code,
)
from .index_models import SupplierIndexEntry
from .models import SupplierActivity

__all__ = [
    "SupplierMatch",
    "TerritoryError",
    "cpv_prefix",
    "supplier_reindex",
    "suppliers_matching",
    "suppliers_reindex_all",
]

EARTH_RADIUS_KM = 6371.0
# Points of a matching activity: what it does…
EXACT_CPV, NARROWER_CPV, BROADER_CPV, SAME_THEME = 40, 30, 20, 15
# …and how closely it covers the place.
LOCAL, REGIONAL, NATIONAL = 30, 20, 10
# An organisation with several matching activities ranks a little higher (at most this many extra points).
MAX_EXTRA_ACTIVITIES = 3
ID_CHUNK = 2000

# Reservable bases (Code de la commande publique) and the structure types that make a supplier eligible.
BASES: dict[str, frozenset[str]] = {
    ReservedBasis.L2113_12: StructureType.disability(),
    ReservedBasis.L2113_13: StructureType.siae(),
    ReservedBasis.L2113_13_1: frozenset({StructureType.PRISON_WORK}),
    ReservedBasis.L2113_15: frozenset({StructureType.ESUS}),
}
BASIS_LABELS: dict[str, str] = {value: str(label) for value, label in ReservedBasis.choices if value in BASES}


class TerritoryError(ValueError):
    """A département, CPV code or point that cannot be used, with a French message."""


@dataclass(frozen=True)
class SupplierMatch:
    organisation_id: int
    score: int  # higher is better
    reasons: tuple[str, ...]  # French, e.g. "CPV 77310000 — activité « Espaces verts »"


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def normalise_cpv(code: str) -> str:
    """ "77310000-6" or "77310000" → "77310000"; anything else is refused."""
    code8 = code.strip().split("-")[0]
    if len(code8) != 8 or not code8.isdigit():
        raise TerritoryError(
            _("Code CPV invalide : « %(code)s » (8 chiffres attendus, par exemple 77310000).") % {"code": code}
        )
    return code8


@dataclass(frozen=True)
class Territory:
    """Where a need is (or which territory a directory search asks about), as index areas. The `r<département>`
    areas — a radius around an address in the territory — count when the place has no coordinates or the supplier
    has none; with a point, radius activities are found by grid cell and kept when their circle holds it."""

    areas: tuple[str, ...]
    point: tuple[float, float] | None = None
    departement_code: str = ""
    region_name: str = ""

    def index_areas(self) -> tuple[str, ...]:
        if self.point is None:
            return self.areas
        return (*self.areas, *grid_areas_around(*self.point))


def territory_of_departement(code: str, point: tuple[float, float] | None = None) -> Territory:
    departement = Departement.objects.select_related("region").filter(code=code).first()
    if departement is None:
        raise TerritoryError(_("Département inconnu : « %(code)s ».") % {"code": code})
    areas = [COUNTRY, departement_area(departement.code), radius_area(departement.code)]
    region = departement.region
    if region is not None:
        areas.append(region_area(region.code))
    return Territory(
        areas=tuple(areas), point=point, departement_code=departement.code, region_name=region.name if region else ""
    )


def territory_of_region(code: str) -> Territory:
    """Suppliers covering a région: the whole country, the région, one of its départements, or a radius around an
    address in it."""
    departements = list(Departement.objects.select_related("region").filter(region__code=code))
    if not departements:
        raise TerritoryError(_("Région inconnue : « %(code)s ».") % {"code": code})
    region = departements[0].region
    areas = [COUNTRY, region_area(code)]
    areas += [area for d in departements for area in (departement_area(d.code), radius_area(d.code))]
    return Territory(areas=tuple(areas), region_name=region.name if region else code)


def _check_point(point: tuple[float, float] | None) -> tuple[float, float] | None:
    if point is None:
        return None
    latitude, longitude = float(point[0]), float(point[1])
    if math.isnan(latitude) or math.isnan(longitude) or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise TerritoryError(_("Coordonnées invalides : latitude entre -90 et 90, longitude entre -180 et 180."))
    return latitude, longitude


def _marks(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


@dataclass(frozen=True)
class ActivityKeys:
    """Which index rows an activity must have: one of the `whats` in one of the territory's areas (any area
    without a territory), of one of the `service_kinds` when some are asked."""

    whats: tuple[str, ...]
    territory: Territory | None = None
    service_kinds: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        cpv_codes: Sequence[str] = (),
        theme_slugs: Sequence[str] = (),
        territory: Territory | None = None,
        service_kinds: Sequence[str] = (),
    ) -> ActivityKeys:
        whats = [what for code8 in cpv_codes for what in what_of_need_code(code8)]
        whats += [theme_what(slug) for slug in theme_slugs]
        return cls(tuple(dict.fromkeys(whats or [ANYTHING])), territory, tuple(service_kinds))

    def where(self, alias: str = "w") -> tuple[str, list[Any]]:
        conditions = [f"{alias}.what IN ({_marks(self.whats)})"]
        params: list[Any] = list(self.whats)
        if self.territory is not None:
            areas = self.territory.index_areas()
            conditions.append(f"{alias}.area IN ({_marks(areas)})")
            params += areas
        else:
            conditions.append(f"{alias}.activity_id IS NOT NULL")
        if self.service_kinds:
            conditions.append(f"{alias}.service_kind IN ({_marks(self.service_kinds)})")
            params += self.service_kinds
        return " AND ".join(conditions), params


def valid_structures_sql(structure_types: Sequence[str], on: dt.date) -> tuple[str, list[Any]]:
    """Organisations holding one of the structure types, valid on the date (no expiry, or not expired)."""
    table = OrganisationStructure._meta.db_table
    return (
        f"SELECT organisation_id FROM {table} "  # noqa: S608 — table name from the model, values bound
        f"WHERE structure_type IN ({_marks(structure_types)}) AND (valid_until IS NULL OR valid_until >= %s)",
        [*structure_types, on],
    )


# ── Matching ───────────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class _Candidate:
    organisation_id: int
    # activity id → (what points, what reason, where points, where reason)
    activities: dict[int, tuple[int, str, int, str]] = field(default_factory=dict)
    name: str = ""
    best: tuple[int, tuple[int, str, int, str]] = (0, (0, "", 0, ""))
    score: int = 0

    def rank(self) -> None:
        """The best activity (most points, then the oldest) and the score: its points, plus one per other
        matching activity (at most MAX_EXTRA_ACTIVITIES)."""
        self.best = max(self.activities.items(), key=lambda item: (item[1][0] + item[1][2], -item[0]))
        what, _why, where, _where_why = self.best[1]
        self.score = what + where + min(len(self.activities) - 1, MAX_EXTRA_ACTIVITIES)


def _what_score(what: str, detail: str, cpv_codes: Sequence[str], themes: dict[str, str]) -> tuple[int, str]:
    if what.startswith("t"):
        return SAME_THEME, f"Thème « {themes.get(detail, detail)} »"
    if what == ANYTHING:
        return 0, ""
    best = 0
    for need in cpv_codes:
        if detail == need:
            best = max(best, EXACT_CPV)
        elif detail.startswith(cpv_prefix(need)):
            best = max(best, NARROWER_CPV)
        elif need.startswith(cpv_prefix(detail)):
            best = max(best, BROADER_CPV)
    return best, f"CPV {detail}"


def _where_score(
    area: str, radius_km: int | None, coordinates: tuple[float | None, float | None], territory: Territory | None
) -> tuple[int, str] | None:
    """Points and reason of a coverage row; None when a radius does not reach the point."""
    if territory is None:
        return 0, ""
    if area == COUNTRY:
        return NATIONAL, "Couvre toute la France"
    if area.startswith("R"):
        return REGIONAL, f"Couvre la région {territory.region_name or area[1:]}"
    if area.startswith("D"):
        return LOCAL, f"Couvre le département {area[1:]}"
    latitude, longitude = coordinates
    if territory.point is not None and latitude is not None and longitude is not None:
        if area.startswith("r"):
            return None  # a supplier with coordinates is placed by its grid row
        distance = haversine_km((latitude, longitude), territory.point)
        if radius_km is None or distance > radius_km:
            return None
        return LOCAL, f"Intervient dans un rayon de {radius_km} km autour de son adresse (lieu à {distance:.0f} km)"
    if not area.startswith("r"):
        return None
    why = "lieu sans coordonnées" if territory.point is None else "adresse sans coordonnées"
    return (
        LOCAL,
        f"Intervient dans un rayon de {radius_km} km autour de son adresse, dans le département {area[1:]} "
        f"({why} : comparé au département)",
    )


def suppliers_matching(
    *,
    cpv_codes: Sequence[str] = (),
    theme_slugs: Sequence[str] = (),
    departement_code: str | None = None,
    point: tuple[float, float] | None = None,
    service_kinds: Sequence[str] = (),
    structure_types: Sequence[str] = (),
    on: dt.date | None = None,
    limit: int | None = None,
) -> list[SupplierMatch]:
    """Supplier organisations having an activity that fits a need, best first (score, then name).

    - What: an activity matches when one of its CPV codes is in the hierarchy of a need's code — the same code
      (40 points), a narrower one (need 77000000, activity 77310000: 30) or a broader one (activity 77300000 covers
      need 77310000: 20) — or when it shares a theme (15). Without codes and themes, every activity matches.
    - Where (with `departement_code`): an activity covering the whole country (10), the département's région (20),
      the département (30), or a radius around the supplier's address (30) that reaches `point` (great-circle
      distance ≤ radius); when no point is given, or the supplier has no coordinates, a radius counts when the
      supplier's own département is the asked one. A `point` without a département only finds radius coverage and
      the whole country.
    - `service_kinds`: the activity is of one of these kinds. `structure_types`: the organisation holds one of them,
      valid on `on` (no expiry date, or not expired; today by default) — an expired agreement does not count.
    - An organisation's score is that of its best activity (what + where), plus one point per other matching
      activity (at most three); its reasons explain the best one.

    Every supplier counts, listed publicly or not: this serves the members' tools (needs, advisor), never a public
    page. Raises `TerritoryError` for an unknown département, a bad CPV code or bad coordinates."""
    codes = tuple(dict.fromkeys(normalise_cpv(code) for code in cpv_codes))
    on = on or timezone.localdate()
    point = _check_point(point)
    territory: Territory | None = None
    if departement_code:
        territory = territory_of_departement(departement_code, point)
    elif point is not None:
        territory = Territory(areas=(COUNTRY,), point=point)
    keys = ActivityKeys.of(codes, theme_slugs, territory, service_kinds)
    condition, params = keys.where()
    if structure_types:
        sub, sub_params = valid_structures_sql(structure_types, on)
        condition += f" AND w.organisation_id IN ({sub})"
        params += sub_params
    table = SupplierIndexEntry._meta.db_table
    columns = "w.organisation_id, w.activity_id, w.what, w.area, w.detail, w.radius_km, w.latitude, w.longitude"
    themes = dict(Theme.objects.filter(slug__in=theme_slugs).values_list("slug", "label")) if theme_slugs else {}
    candidates: dict[int, _Candidate] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} w WHERE {condition}", params)  # noqa: S608 — values bound
        for organisation_id, activity_id, what, area, detail, radius_km, latitude, longitude in cursor.fetchall():
            where = _where_score(area, radius_km, (latitude, longitude), territory)
            if where is None:
                continue
            points, why = _what_score(what, detail, codes, themes)
            candidate = candidates.setdefault(organisation_id, _Candidate(organisation_id))
            before = candidate.activities.get(activity_id, (-1, "", -1, ""))
            candidate.activities[activity_id] = (
                *((points, why) if points > before[0] else before[:2]),
                *(where if where[0] > before[2] else before[2:]),
            )
    for candidate in candidates.values():
        candidate.rank()
    ranked = _rank(candidates, limit)
    if limit is not None:
        ranked = ranked[:limit]
    return _explain(ranked, service_kinds, structure_types, on)


def _by_ids(sql: str, ids: list[int]) -> list[tuple[Any, ...]]:
    """Rows of a statement whose `{ids}` is a list of ids, read in chunks (the ORM costs more than the query here)."""
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(ids), ID_CHUNK):
            chunk = ids[start : start + ID_CHUNK]
            cursor.execute(sql.format(ids=_marks(chunk)), chunk)
            rows.extend(cursor.fetchall())
    return rows


def _rank(candidates: dict[int, _Candidate], limit: int | None) -> list[_Candidate]:
    """Best score first, then by name. Names are read only for the scores that reach the limit (in chunks: a need
    may match thousands)."""
    ids = list(candidates)
    if limit is not None and len(ids) > limit:
        floor = sorted((c.score for c in candidates.values()), reverse=True)[limit - 1]
        ids = [pk for pk in ids if candidates[pk].score >= floor]
    table = Organisation._meta.db_table
    names = f"SELECT id, name FROM {table} WHERE kind = 'supplier' AND id IN ({{ids}})"  # noqa: S608 — ids bound
    for pk, name in _by_ids(names, ids):
        candidates[pk].name = name
    return sorted(
        (candidates[pk] for pk in ids if candidates[pk].name),
        key=lambda c: (-c.score, c.name.casefold(), c.organisation_id),
    )


def _explain(
    ranked: list[_Candidate], service_kinds: Sequence[str], structure_types: Sequence[str], on: dt.date
) -> list[SupplierMatch]:
    """The reasons of each match, in words: the best activity's code or theme and coverage, then the filters."""
    best = {candidate.organisation_id: candidate.best for candidate in ranked}
    titles: dict[int, tuple[str, str]] = {}
    activity_ids = [activity_id for activity_id, _values in best.values()]
    table = SupplierActivity._meta.db_table
    sql = f"SELECT id, title, service_kind FROM {table} WHERE id IN ({{ids}})"  # noqa: S608 — ids bound
    rows = _by_ids(sql, activity_ids)
    titles.update((pk, (title, kind)) for pk, title, kind in rows)
    structures: dict[int, list[str]] = {}
    if structure_types:
        labels = dict(StructureType.choices)
        organisation_ids = list(best)
        for start in range(0, len(organisation_ids), ID_CHUNK):
            held = OrganisationStructure.objects.filter(
                organisation_id__in=organisation_ids[start : start + ID_CHUNK], structure_type__in=structure_types
            ).exclude(valid_until__lt=on)
            for organisation_id, structure_type, valid_until in held.values_list(
                "organisation_id", "structure_type", "valid_until"
            ):
                text = str(labels.get(structure_type, structure_type))
                if valid_until is not None:
                    text += f" (valable jusqu'au {valid_until:%d/%m/%Y})"
                structures.setdefault(organisation_id, []).append(text)
    kinds = dict(ServiceKind.choices)
    matches = []
    for candidate in ranked:
        activity_id, (_what, what_why, _where, where_why) = best[candidate.organisation_id]
        title, kind = titles.get(activity_id, ("", ""))
        activity = f"activité « {title} »"
        reasons = [f"{what_why} — {activity}" if what_why else activity.capitalize()]
        if where_why:
            reasons.append(where_why)
        if service_kinds:
            reasons.append(f"Type de prestation : {kinds.get(kind, kind)}")
        reasons.extend(f"Structure : {text}" for text in sorted(structures.get(candidate.organisation_id, [])))
        extra = len(candidate.activities) - 1
        if extra:
            reasons.append(f"{extra} autre(s) activité(s) correspondante(s)")
        matches.append(SupplierMatch(candidate.organisation_id, candidate.score, tuple(reasons)))
    return matches
