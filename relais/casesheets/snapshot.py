"""Bitmaps of the facet index held in memory, so that a search at 50,000 sheets costs milliseconds (ADR 0007).

A snapshot turns the `SheetFacet` rows of the published sheets into one integer bitmap per facet value (bit n set
⇔ sheet n has the value), plus the visibility bitmaps and the publication order. Filters are then bitwise ANDs,
the total a popcount and each facet count the popcount of one AND — about 150 operations on 6 KB integers instead
of a GROUP BY over every facet row of the results. The most frequent words are tier bitmaps too; the others come
from the `SheetTerm` table (one covering-index scan per word), so little of the full text lives in memory. The
generic pieces (bitmaps, words, pages, the store) are in `relais.core.bitmaps`, shared with documents and FAQ.

A snapshot is built by the task queue after every change of the index (`rebuild_search_snapshot`, enqueued by
`search.reindex_sheets`), stored in the shared cache under the index version, and copied once per process. While
there is none for the current version, searches take the SQL path of `queries.py`: the results are the same.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django_tasks import task

from relais.core import bitmaps
from relais.core.bitmaps import (
    SEEK_COST,
    SnapshotStore,
    TermTable,
    Tiers,
    bitmap_of,
    frequent_threshold,
    ids_of,
    levels,
    page_by_date,
    page_by_relevance,
    public_or_networks,
)

from .enums import SheetStatus, Visibility
from .models import CaseSheet, SheetFacet, SheetTerm
from .search import SUMMARY_WEIGHT, TITLE_WEIGHT, index_version

# Kept importable from here: the sheet search and its tests use them under these names.
__all__ = [
    "SEEK_COST",
    "Snapshot",
    "bitmap_of",
    "current_snapshot",
    "ids_of",
    "levels",
    "match_words",
    "page_by_date",
    "page_by_relevance",
    "rebuild_search_snapshot",
    "refresh_snapshot",
]

# A word held by at least this many sheets, and by this share of them, is kept in memory (about 18 KB per word at
# 50,000 sheets; a few hundred words).
FREQUENT_MIN_SHEETS = 1000
FREQUENT_MIN_SHARE = 0.02
SHEET_TERMS = TermTable(SheetTerm, "sheet_id", summary_weight=SUMMARY_WEIGHT, title_weight=TITLE_WEIGHT)


@dataclass(frozen=True)
class Snapshot:
    version: str
    nbits: int
    postings: dict[tuple[str, str], int]
    public: int
    by_network: dict[int, int]
    # Sheet ids, newest publication first (ties: highest id first), and each id's position in that order.
    date_order: list[int]
    rank: dict[int, int]
    # Number of published sheets having each stemmed word: the rarest word of a search is read first.
    document_frequency: dict[str, int]
    # The most frequent words, whose postings would be long to read at each search, held as three bitmaps:
    # sheets having the word, those where it weighs a summary word or more, a title word or more.
    frequent: dict[str, Tiers]
    build_seconds: float

    def visible(self, member_network_ids: Iterable[int]) -> int:
        return public_or_networks(self.public, self.by_network, member_network_ids)


def build_snapshot(version: str) -> Snapshot:
    started = time.perf_counter()
    sheets = list(
        CaseSheet.objects.filter(status=SheetStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
        .values_list("pk", "network_id", "visibility")
    )
    nbits = max((pk for pk, _, _ in sheets), default=0) + 1
    public_ids: list[int] = []
    network_ids: dict[int, list[int]] = defaultdict(list)
    for pk, network_id, visibility in sheets:
        network_ids[network_id].append(pk)
        if visibility == Visibility.PUBLIC:
            public_ids.append(pk)
    posting_ids: dict[tuple[str, str], list[int]] = defaultdict(list)
    published = {pk for pk, _, _ in sheets}
    table = connection.ops.quote_name(SheetFacet._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT facet, value, sheet_id FROM {table}")  # noqa: S608 — no user input
        for facet, value, sheet_id in cursor.fetchall():
            if sheet_id in published:
                posting_ids[(facet, value)].append(sheet_id)
    date_order = [pk for pk, _, _ in sheets]
    document_frequency = SHEET_TERMS.document_frequency()
    threshold = frequent_threshold(FREQUENT_MIN_SHEETS, FREQUENT_MIN_SHARE, len(sheets))
    return Snapshot(
        version=version,
        nbits=nbits,
        postings={key: bitmap_of(ids, nbits) for key, ids in posting_ids.items()},
        public=bitmap_of(public_ids, nbits),
        by_network={network_id: bitmap_of(ids, nbits) for network_id, ids in network_ids.items()},
        date_order=date_order,
        rank={pk: position for position, pk in enumerate(date_order)},
        document_frequency=document_frequency,
        frequent=SHEET_TERMS.frequent_tiers(document_frequency, threshold, nbits, published),
        build_seconds=time.perf_counter() - started,
    )


_store: SnapshotStore[Snapshot] = SnapshotStore(
    "casesheets:snapshot", lambda: index_version(), lambda version: build_snapshot(version)
)
_local = _store.local


def current_snapshot() -> Snapshot | None:
    """The snapshot of the current index version, if one has been built; this process keeps its own copy."""
    return _store.current()


def refresh_snapshot() -> Snapshot:
    """Build the snapshot of the current version and share it through the cache."""
    return _store.refresh()


@task()
def rebuild_search_snapshot() -> float:
    """Background task run after each change of the index; returns the build time in seconds. Several changes
    committed together enqueue several tasks: the first one builds, the others find the snapshot up to date."""
    if current_snapshot() is not None:
        return 0.0
    return refresh_snapshot().build_seconds


def match_words(snapshot: Snapshot, words: Iterable[str], candidates: int) -> tuple[int, list[int]]:
    """The candidates having every word, and the "plus one" bitmaps that rank them (`core.bitmaps.match_words`)."""
    return bitmaps.match_words(SHEET_TERMS, snapshot, words, candidates)
