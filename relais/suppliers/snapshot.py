"""Bitmaps of the directory held in memory, so that a directory search at 50,000 suppliers costs milliseconds
(ADR 0014, on the shared pieces of `relais.core.bitmaps`, ADR 0007).

A snapshot holds, as one integer bitmap over organisation ids each: the suppliers, those publicly listed, each
structure type and label valid on the snapshot's day, each reservable basis, each kind of service, and the
suppliers covering each area with an activity of each kind; plus the suppliers in name order. Filters are then
bitwise ANDs, the total a popcount and each facet count the popcount of one AND. CPV codes, themes and words are
read from the index (a few seeks); only what concerns many suppliers at once lives here.

The snapshot is rebuilt by the task queue after every change of the index (`supplier_reindex` announces it) and
every day (validity dates); until it exists, searches take the SQL path of `search.py` with the same results.
Structure types, labels and listing changed without a reindex reach the counts at the next rebuild; the rows shown
are always checked against the live listing.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from relais.core.bitmaps import IndexVersion, SnapshotStore, announce_index_change, bitmap_of
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation, OrganisationStructure

from .enums import ServiceKind
from .index import ANYTHING
from .index_models import SupplierIndexEntry
from .models import SupplierActivity, SupplierLabel, SupplierProfile
from .queries import BASES

INDEX_VERSION = IndexVersion("suppliers:index-version")


@dataclass(frozen=True)
class Snapshot:
    version: str
    nbits: int
    suppliers: int
    listed: int
    structures: dict[str, int]
    labels: dict[str, int]
    bases: dict[str, int]
    kinds: dict[str, int]
    # (area, kind) → suppliers having an activity of that kind covering that area.
    areas: dict[tuple[str, str], int]
    name_order: list[int]
    build_seconds: float

    def covering(self, areas: tuple[str, ...], kinds: tuple[str, ...]) -> int:
        wanted = kinds or tuple(ServiceKind.values)
        found = 0
        for area in areas:
            for kind in wanted:
                found |= self.areas.get((area, kind), 0)
        return found


def _version() -> str:
    # A new day is a new version: validity dates of structures and labels are read on the snapshot's day.
    return f"{INDEX_VERSION.current()}:{timezone.localdate().isoformat()}"


def build_snapshot(version: str) -> Snapshot:
    started = time.perf_counter()
    on = timezone.localdate()
    suppliers = list(
        Organisation.objects.filter(kind=OrganisationKind.SUPPLIER).order_by("name", "id").values_list("id", flat=True)
    )
    nbits = (max(suppliers) + 1) if suppliers else 0
    listed = SupplierProfile.objects.filter(public_listing=True).values_list("organisation_id", flat=True)
    by_type: dict[str, list[int]] = defaultdict(list)
    valid = OrganisationStructure.objects.exclude(valid_until__lt=on)
    for organisation_id, structure_type in valid.values_list("organisation_id", "structure_type").iterator():
        by_type[structure_type].append(organisation_id)
    by_label: dict[str, list[int]] = defaultdict(list)
    held = SupplierLabel.objects.exclude(valid_until__lt=on).values_list("organisation_id", "label__slug")
    for organisation_id, slug in held.iterator():
        by_label[slug].append(organisation_id)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for organisation_id, kind in SupplierActivity.objects.values_list("organisation_id", "service_kind").distinct():
        by_kind[kind].append(organisation_id)
    by_area: dict[tuple[str, str], list[int]] = defaultdict(list)
    table = connection.ops.quote_name(SupplierIndexEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT area, service_kind, organisation_id FROM {table} WHERE what = %s",  # noqa: S608
            [ANYTHING],
        )
        for area, kind, organisation_id in cursor.fetchall():
            by_area[(area, kind)].append(organisation_id)
    structures = {key: bitmap_of(ids, nbits) for key, ids in by_type.items()}
    bases = {}
    for basis, types in BASES.items():
        bitmap = 0
        for structure_type in types:
            bitmap |= structures.get(structure_type, 0)
        bases[basis] = bitmap
    supplier_bitmap = bitmap_of(suppliers, nbits)
    return Snapshot(
        version=version,
        nbits=nbits,
        suppliers=supplier_bitmap,
        listed=bitmap_of(listed, nbits) & supplier_bitmap,
        structures=structures,
        labels={key: bitmap_of(ids, nbits) for key, ids in by_label.items()},
        bases=bases,
        kinds={key: bitmap_of(ids, nbits) for key, ids in by_kind.items()},
        areas={key: bitmap_of(ids, nbits) for key, ids in by_area.items()},
        name_order=suppliers,
        build_seconds=time.perf_counter() - started,
    )


_store: SnapshotStore[Snapshot] = SnapshotStore("suppliers:snapshot", _version, build_snapshot)


def current_snapshot() -> Snapshot | None:
    """The snapshot of the current index version and day, if one has been built."""
    return _store.current()


def refresh_snapshot() -> Snapshot:
    """Build the snapshot of the current version and share it through the cache."""
    return _store.refresh()


@task()
def rebuild_directory_snapshot() -> float:
    """Background task run after each change of the index; the build time in seconds (0 when already built)."""
    if current_snapshot() is not None:
        return 0.0
    return refresh_snapshot().build_seconds


def _enqueue_rebuild() -> None:
    rebuild_directory_snapshot.enqueue()


def snapshot_or_rebuild() -> Snapshot | None:
    """The current snapshot; when there is none (a change, a new day), one rebuild is queued for this version and
    the caller takes the SQL path meanwhile."""
    snapshot = current_snapshot()
    if snapshot is None and cache.add(f"suppliers:snapshot-queued:{_version()}", True, timeout=600):
        transaction.on_commit(_enqueue_rebuild)
    return snapshot


def announce_directory_change() -> None:
    """Searches leave the old snapshot for the SQL path at once; the rebuild is queued once committed."""
    announce_index_change(INDEX_VERSION, _enqueue_rebuild)
