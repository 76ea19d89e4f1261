"""The directory search: words, CPV (with its hierarchy), theme, territory, structure types, labels, kind of service
and reservable basis, with facet counts and pages — for the directory page, its map and its exports (ADR 0014).

Visibility is applied here, once, for every path: anonymous visitors and suppliers only find the suppliers who
agreed to a public page (`perms.sees_unlisted_suppliers`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final

from django.db import connection
from django.utils import timezone
from django.utils.http import urlencode

from relais.core.bitmaps import bitmap_of, page_by_date
from relais.core.text import terms
from relais.organisations.enums import OrganisationKind, StructureType
from relais.organisations.models import Organisation, OrganisationStructure
from relais.reference.models import Departement, Label, Region, Theme

from .enums import ServiceKind
from .index import ANYTHING, word_key
from .index_models import SupplierIndexEntry
from .models import SupplierActivity, SupplierLabel, SupplierProfile
from .perms import sees_unlisted_suppliers
from .queries import (
    BASES,
    BASIS_LABELS,
    ActivityKeys,
    Territory,
    TerritoryError,
    normalise_cpv,
    territory_of_departement,
    territory_of_region,
    valid_structures_sql,
)
from .snapshot import Snapshot, snapshot_or_rebuild

__all__ = [
    "BASES",
    "BASIS_LABELS",
    "DirectoryPage",
    "DirectorySearch",
    "FacetValue",
    "SupplierRow",
    "directory_ids",
    "directory_search",
    "parse_directory_search",
    "supplier_rows",
]

PAGE_SIZE: Final = 20
EXPORT_LIMIT: Final = 10_000
MAP_LIMIT: Final = 2_000
MAX_QUERY_TERMS: Final = 10
MULTI_VALUED: Final = ("structure", "label", "kind", "basis")
PARAMETERS: Final = ("q", "cpv", "theme", "departement", "region", "structure", "label", "kind", "basis")
_TERRITORY = re.compile(r"\d{2,3}|2[AB]", re.ASCII)


@dataclass(frozen=True)
class DirectorySearch:
    """Parameters of a directory search; every one is in the query string, so a search is a link. Several values
    of one filter are alternatives (OR); different filters all apply (AND)."""

    q: str = ""
    cpv: str = ""  # 8 digits: the code, the codes under it and the codes above it
    theme: str = ""
    departement: str = ""  # suppliers covering it
    region: str = ""  # suppliers covering it or one of its départements
    structure: tuple[str, ...] = ()
    label: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()
    page: int = 1

    @classmethod
    def from_querydict(cls, data: Mapping[str, Any]) -> DirectorySearch:
        return parse_directory_search(data)[0]

    def query_items(self, *, page: bool = True) -> list[tuple[str, str]]:
        items: list[tuple[str, str]] = []
        for name in PARAMETERS:
            value = getattr(self, name)
            items += [(name, v) for v in value] if isinstance(value, tuple) else [(name, value)] if value else []
        if page and self.page > 1:
            items.append(("page", str(self.page)))
        return items

    def urlencode(self, *, page: int | None = None) -> str:
        params = self if page is None else replace(self, page=page)
        return urlencode(params.query_items())

    def without(self, name: str, value: str = "") -> str:
        """The query string of this search without one filter (or one value of a multi-valued one), page 1."""
        current = getattr(self, name)
        cleared: Any = tuple(v for v in current if value and v != value) if isinstance(current, tuple) else ""
        return replace(self, page=1, **{name: cleared}).urlencode()

    @property
    def is_empty(self) -> bool:
        return not self.query_items(page=False)


def _many(data: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(data, "getlist", None)
    values = getlist(name) if getlist else [data.get(name)] if data.get(name) else []
    return [str(v).strip() for v in values if str(v).strip()]


def parse_directory_search(data: Mapping[str, Any]) -> tuple[DirectorySearch, dict[str, str]]:
    """The search of a query string, and a French message per invalid parameter (left out of the search)."""
    problems: dict[str, str] = {}
    values: dict[str, Any] = {"q": str(data.get("q") or "").strip()[:200]}
    cpv = str(data.get("cpv") or "").strip()
    if cpv:
        try:
            # A group of codes may be given by its first digits ("77" for division 77).
            values["cpv"] = normalise_cpv(cpv if len(cpv) > 8 or "-" in cpv else cpv.ljust(8, "0"))
        except TerritoryError:
            problems["cpv"] = (
                f"Code CPV invalide : « {cpv[:20]} » (8 chiffres, avec ou sans clé, ou leurs premiers chiffres pour "
                "un groupe : 77310000, 77310000-6, 77)."
            )
    for name, model, column in (
        ("theme", Theme, "slug"),
        ("departement", Departement, "code"),
        ("region", Region, "code"),
    ):
        value = str(data.get(name) or "").strip()
        if not value:
            continue
        if name != "theme" and not _TERRITORY.fullmatch(value.upper()):
            problems[name] = "Code INSEE attendu (par exemple 35, 2A ou 53)."
        elif not model.objects.filter(**{column: value.upper() if name != "theme" else value}).exists():
            problems[name] = {
                "theme": "Thème inconnu.",
                "departement": "Département inconnu.",
                "region": "Région inconnue.",
            }[name]
        else:
            values[name] = value.upper() if name != "theme" else value
    choices = {
        "structure": {v for v, _ in StructureType.choices},
        "kind": {v for v, _ in ServiceKind.choices},
        "basis": set(BASES),
    }
    for name, allowed in choices.items():
        given = _many(data, name)
        values[name] = tuple(v for v in dict.fromkeys(given) if v in allowed)
        if len(values[name]) < len(set(given)):
            problems[name] = "Valeur inconnue ignorée."
    labels = _many(data, "label")
    known = set(Label.objects.filter(slug__in=labels).values_list("slug", flat=True)) if labels else set()
    values["label"] = tuple(v for v in dict.fromkeys(labels) if v in known)
    if len(values["label"]) < len(set(labels)):
        problems["label"] = "Label inconnu ignoré."
    page = str(data.get("page") or "1")
    values["page"] = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    return DirectorySearch(**values), problems


# ── Results ────────────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class DirectoryPage:
    organisation_ids: list[int]
    total: int
    page: int
    num_pages: int
    params: DirectorySearch
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.organisation_ids else 0

    @property
    def end_index(self) -> int:
        return (self.page - 1) * PAGE_SIZE + len(self.organisation_ids)


def _territory(params: DirectorySearch) -> Territory | None:
    if params.departement:
        return territory_of_departement(params.departement)
    if params.region:
        return territory_of_region(params.region)
    return None


def _activity_keys(params: DirectorySearch) -> ActivityKeys | None:
    """What an activity of a found supplier must be (CPV or theme, territory, kind), or None when nothing asks."""
    territory = _territory(params)
    if not (params.cpv or params.theme or territory or params.kind):
        return None
    return ActivityKeys.of(
        (params.cpv,) if params.cpv else (), (params.theme,) if params.theme else (), territory, params.kind
    )


def _words(params: DirectorySearch) -> list[str]:
    return [word_key(term[:95]) for term in dict.fromkeys(terms(params.q)[:MAX_QUERY_TERMS])]


def _index() -> str:
    return connection.ops.quote_name(SupplierIndexEntry._meta.db_table)


# ── SQL path (no snapshot yet) ─────────────────────────────────────────────────────────────────────────────────────


def matching_sql(params: DirectorySearch, viewer: Any, on: dt.date | None = None) -> tuple[str, list[Any]]:
    """`SELECT id FROM <organisations>` of the suppliers found by the search that the viewer may see."""
    on = on or timezone.localdate()
    where = ["o.kind = %s"]
    args: list[Any] = [OrganisationKind.SUPPLIER]
    keys = _activity_keys(params)
    if keys is not None:
        condition, condition_args = keys.where()
        where.append(f"o.id IN (SELECT w.organisation_id FROM {_index()} w WHERE {condition})")  # noqa: S608
        args += condition_args
    for word in _words(params):
        where.append(f"o.id IN (SELECT organisation_id FROM {_index()} WHERE what = %s AND area = '')")  # noqa: S608
        args.append(word)
    for types in (params.structure, sorted(set().union(*(BASES[basis] for basis in params.basis)))):
        if types:
            sql, sql_args = valid_structures_sql(types, on)
            where.append(f"o.id IN ({sql})")
            args += sql_args
    if params.label:
        marks = ", ".join(["%s"] * len(params.label))
        where.append(
            f"o.id IN (SELECT sl.organisation_id FROM {SupplierLabel._meta.db_table} sl "  # noqa: S608
            f"JOIN {Label._meta.db_table} l ON l.id = sl.label_id WHERE l.slug IN ({marks}) "
            "AND (sl.valid_until IS NULL OR sl.valid_until >= %s))"
        )
        args += [*params.label, on]
    if not sees_unlisted_suppliers(viewer):
        where.append(f"o.id IN (SELECT organisation_id FROM {SupplierProfile._meta.db_table} WHERE public_listing)")  # noqa: S608
    organisation = Organisation._meta.db_table
    return f"SELECT o.id FROM {organisation} o WHERE {' AND '.join(where)}", args  # noqa: S608


def _sql_counts(matching: str, args: list[Any], on: dt.date) -> dict[tuple[str, str], int]:
    """The number found and, among them, the suppliers of each structure type, basis, label and kind (one
    statement)."""
    structures = OrganisationStructure._meta.db_table
    valid = "(s.valid_until IS NULL OR s.valid_until >= %s)"
    parts = [
        "SELECT 'total', '', COUNT(*) FROM r",
        f"SELECT 'structure', s.structure_type, COUNT(*) FROM r JOIN {structures} s ON s.organisation_id = r.id "  # noqa: S608
        f"WHERE {valid} GROUP BY s.structure_type",
        f"SELECT 'label', l.slug, COUNT(*) FROM r JOIN {SupplierLabel._meta.db_table} sl ON sl.organisation_id = r.id "  # noqa: S608
        f"JOIN {Label._meta.db_table} l ON l.id = sl.label_id "
        "WHERE (sl.valid_until IS NULL OR sl.valid_until >= %s) GROUP BY l.slug",
        f"SELECT 'kind', a.service_kind, COUNT(DISTINCT a.organisation_id) FROM r "  # noqa: S608
        f"JOIN {SupplierActivity._meta.db_table} a ON a.organisation_id = r.id GROUP BY a.service_kind",
    ]
    part_args: list[Any] = [on, on]
    for basis, types in BASES.items():
        marks = ", ".join(["%s"] * len(types))
        parts.append(
            f"SELECT 'basis', %s, COUNT(DISTINCT s.organisation_id) FROM r JOIN {structures} s "  # noqa: S608
            f"ON s.organisation_id = r.id WHERE s.structure_type IN ({marks}) AND {valid}"
        )
        part_args += [basis, *sorted(types), on]
    with connection.cursor() as cursor:
        cursor.execute(f"WITH r AS ({matching}) " + " UNION ALL ".join(parts), args + part_args)
        return {(family, value): int(count) for family, value, count in cursor.fetchall()}


def _sql_ids(matching: str, args: list[Any], *, offset: int, limit: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {Organisation._meta.db_table} WHERE id IN ({matching}) "  # noqa: S608
            "ORDER BY name, id LIMIT %s OFFSET %s",
            [*args, limit, offset],
        )
        return [row[0] for row in cursor.fetchall()]


# ── Snapshot path ──────────────────────────────────────────────────────────────────────────────────────────────────


def _postings(condition: str, args: list[Any], nbits: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT organisation_id FROM {_index()} w WHERE {condition}", args)  # noqa: S608
        return bitmap_of((row[0] for row in cursor.fetchall()), nbits)


def _any_of(bitmaps: dict[str, int], values: tuple[str, ...] | list[str]) -> int:
    found = 0
    for value in values:
        found |= bitmaps.get(value, 0)
    return found


def snapshot_result(params: DirectorySearch, viewer: Any, snapshot: Snapshot) -> int:
    """The bitmap of the suppliers found, from the snapshot and a few index seeks (CPV, theme, words)."""
    result = snapshot.suppliers if sees_unlisted_suppliers(viewer) else snapshot.listed
    keys = _activity_keys(params)
    if keys is not None and keys.whats != (ANYTHING,):
        result &= _postings(*keys.where(), snapshot.nbits)
    elif keys is not None and keys.territory is not None:
        result &= snapshot.covering(keys.territory.areas, keys.service_kinds)
    elif keys is not None:
        result &= _any_of(snapshot.kinds, keys.service_kinds)
    for word in _words(params):
        if result:
            result &= _postings("w.what = %s AND w.area = ''", [word], snapshot.nbits)
    if params.structure:
        result &= _any_of(snapshot.structures, params.structure)
    if params.basis:
        result &= _any_of(snapshot.bases, params.basis)
    if params.label:
        result &= _any_of(snapshot.labels, params.label)
    return result


def _snapshot_counts(result: int, snapshot: Snapshot) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {("total", ""): result.bit_count()}
    families = {
        "structure": snapshot.structures,
        "label": snapshot.labels,
        "kind": snapshot.kinds,
        "basis": snapshot.bases,
    }
    for family, bitmaps in families.items():
        for value, bitmap in bitmaps.items():
            if count := (result & bitmap).bit_count():
                counts[(family, value)] = count
    return counts


def _still_visible(ids: list[int], viewer: Any) -> list[int]:
    """The rows shown are checked against the live listing (a snapshot may be a few seconds old)."""
    if not ids or sees_unlisted_suppliers(viewer):
        return ids
    listed = set(
        SupplierProfile.objects.filter(organisation_id__in=ids, public_listing=True).values_list(
            "organisation_id", flat=True
        )
    )
    return [pk for pk in ids if pk in listed]


def _facets(params: DirectorySearch, counts: dict[tuple[str, str], int]) -> dict[str, list[FacetValue]]:
    labels: dict[str, dict[str, str]] = {
        "structure": {v: str(label) for v, label in StructureType.choices},
        "kind": {v: str(label) for v, label in ServiceKind.choices},
        "basis": BASIS_LABELS,
        "label": dict(Label.objects.values_list("slug", "name")),
    }
    facets: dict[str, list[FacetValue]] = {}
    for name, choices in labels.items():
        selected = getattr(params, name)
        facets[name] = [
            FacetValue(value, label, counts.get((name, value), 0), value in selected)
            for value, label in choices.items()
            if counts.get((name, value)) or value in selected
        ]
    return facets


# ── Entry points ───────────────────────────────────────────────────────────────────────────────────────────────────


def directory_search(params: DirectorySearch, viewer: Any, *, on: dt.date | None = None) -> DirectoryPage:
    """One page of the suppliers found (by name), their number and the facet counts among them. An unknown
    territory finds nothing rather than everything."""
    snapshot = snapshot_or_rebuild() if on is None else None
    on = on or timezone.localdate()
    try:
        if snapshot is not None:
            result = snapshot_result(params, viewer, snapshot)
            counts = _snapshot_counts(result, snapshot)
        else:
            matching, args = matching_sql(params, viewer, on)
            counts = _sql_counts(matching, args, on)
    except TerritoryError:
        return DirectoryPage([], 0, 1, 1, params, _facets(params, {}))
    total = counts.pop(("total", ""), 0)
    num_pages = max(1, -(-total // PAGE_SIZE))
    page = min(params.page, num_pages)
    offset = (page - 1) * PAGE_SIZE
    if snapshot is not None:
        ids = page_by_date(result, snapshot.name_order, offset, PAGE_SIZE, newest_first=True)
    else:
        ids = _sql_ids(matching, args, offset=offset, limit=PAGE_SIZE)
    return DirectoryPage(
        _still_visible(ids, viewer), total, page, num_pages, replace(params, page=page), _facets(params, counts)
    )


def directory_ids(
    params: DirectorySearch, viewer: Any, *, limit: int, on: dt.date | None = None
) -> tuple[int, list[int]]:
    """(number found, ids of the first `limit` by name): for the exports and the map."""
    snapshot = snapshot_or_rebuild() if on is None else None
    try:
        if snapshot is not None:
            result = snapshot_result(params, viewer, snapshot)
            ids = page_by_date(result, snapshot.name_order, 0, limit, newest_first=True)
            return result.bit_count(), _still_visible(ids, viewer)
        matching, args = matching_sql(params, viewer, on)
    except TerritoryError:
        return 0, []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({matching}) r", args)  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) if row else 0, _sql_ids(matching, args, offset=0, limit=limit)


# ── What the results show ──────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class SupplierRow:
    """A supplier as the result list, the map and the exports show it (never its contacts: personal data)."""

    organisation: Organisation
    structures: list[str]  # valid structure types, in words
    activities: list[str]
    kinds: list[str]
    labels: list[str]
    departement: str
    latitude: float | None
    longitude: float | None
    public_listing: bool


def supplier_rows(organisation_ids: list[int], *, on: dt.date | None = None) -> list[SupplierRow]:
    """The rows of these suppliers, in the given order (five queries whatever their number)."""
    on = on or timezone.localdate()
    organisations = Organisation.objects.select_related("departement").in_bulk(organisation_ids)
    structures: dict[int, list[str]] = {}
    type_labels = dict(StructureType.choices)
    valid = OrganisationStructure.objects.filter(organisation_id__in=organisation_ids).exclude(valid_until__lt=on)
    for organisation_id, structure_type in valid.values_list("organisation_id", "structure_type"):
        structures.setdefault(organisation_id, []).append(str(type_labels.get(structure_type, structure_type)))
    activities: dict[int, list[tuple[str, str]]] = {}
    rows = SupplierActivity.objects.filter(organisation_id__in=organisation_ids).order_by("title")
    for organisation_id, title, kind in rows.values_list("organisation_id", "title", "service_kind"):
        activities.setdefault(organisation_id, []).append((title, kind))
    labels: dict[int, list[str]] = {}
    held = SupplierLabel.objects.filter(organisation_id__in=organisation_ids).exclude(valid_until__lt=on)
    for organisation_id, name in held.values_list("organisation_id", "label__name"):
        labels.setdefault(organisation_id, []).append(name)
    profiles = {
        organisation_id: (latitude, longitude, listed)
        for organisation_id, latitude, longitude, listed in SupplierProfile.objects.filter(
            organisation_id__in=organisation_ids
        ).values_list("organisation_id", "latitude", "longitude", "public_listing")
    }
    kind_labels = dict(ServiceKind.choices)
    found = []
    for pk in organisation_ids:
        organisation = organisations.get(pk)
        if organisation is None:
            continue
        latitude, longitude, listed = profiles.get(pk, (None, None, False))
        own = activities.get(pk, [])
        found.append(
            SupplierRow(
                organisation=organisation,
                structures=sorted(structures.get(pk, [])),
                activities=[title for title, _kind in own],
                kinds=sorted({str(kind_labels.get(kind, kind)) for _title, kind in own}),
                labels=sorted(labels.get(pk, [])),
                departement=str(organisation.departement) if organisation.departement else "",
                latitude=latitude,
                longitude=longitude,
                public_listing=listed,
            )
        )
    return found
