"""Bitmaps of the facet index held in memory, so that a search at 50,000 sheets costs milliseconds (ADR 0007).

A snapshot turns the `SheetFacet` rows of the published sheets into one integer bitmap per facet value (bit n set
⇔ sheet n has the value), plus the visibility bitmaps and the publication order. Filters are then bitwise ANDs,
the total a popcount and each facet count the popcount of one AND — about 150 operations on 6 KB integers instead
of a GROUP BY over every facet row of the results. Words still come from the `SheetTerm` table (one covering-index
scan per search), so nothing of the full text lives in memory.

A snapshot is built by the task queue after every change of the index (`rebuild_search_snapshot`, enqueued by
`search.reindex_sheets`), stored in the shared cache under the index version, and copied once per process. While
there is none for the current version, searches take the SQL path of `queries.py`: the results are the same.
"""

from __future__ import annotations

import heapq
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django_tasks import task

from .enums import SheetStatus, Visibility
from .models import CaseSheet, SheetFacet, SheetTerm
from .search import SUMMARY_WEIGHT, TITLE_WEIGHT, index_version

SNAPSHOT_TIMEOUT_SECONDS = 7 * 24 * 3600
# A word held by at least this many sheets, and by this share of them, is kept in memory (about 18 KB per word at
# 50,000 sheets; a few hundred words).
FREQUENT_MIN_SHEETS = 1000
FREQUENT_MIN_SHARE = 0.02


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
    frequent: dict[str, tuple[int, int, int]]
    build_seconds: float

    def visible(self, member_network_ids: Iterable[int]) -> int:
        bitmap = self.public
        for network_id in member_network_ids:
            bitmap |= self.by_network.get(network_id, 0)
        return bitmap


def bitmap_of(ids: Iterable[int], nbits: int) -> int:
    buffer = bytearray((nbits + 7) // 8)
    for sheet_id in ids:
        if sheet_id < nbits:
            buffer[sheet_id >> 3] |= 1 << (sheet_id & 7)
    return int.from_bytes(buffer, "little")


def ids_of(bitmap: int) -> Iterator[int]:
    """The set bits of a bitmap, in increasing order."""
    data = bitmap.to_bytes((bitmap.bit_length() + 7) // 8, "little")
    for index, byte in enumerate(data):
        while byte:
            low = byte & -byte
            yield (index << 3) + low.bit_length() - 1
            byte ^= low


def tiers_of(rows: list[tuple[int, int]], nbits: int) -> tuple[int, int, int]:
    """(sheet, weight) postings of a word as bitmaps: having it, weighing ≥ a summary word, ≥ a title word."""
    return (
        bitmap_of((sheet_id for sheet_id, _ in rows), nbits),
        bitmap_of((sheet_id for sheet_id, weight in rows if weight >= SUMMARY_WEIGHT), nbits),
        bitmap_of((sheet_id for sheet_id, weight in rows if weight >= TITLE_WEIGHT), nbits),
    )


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
    terms_table = connection.ops.quote_name(SheetTerm._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, COUNT(*) FROM {terms_table} GROUP BY term")  # noqa: S608 — no user input
        document_frequency = {term: int(count) for term, count in cursor.fetchall()}
    threshold = max(FREQUENT_MIN_SHEETS, FREQUENT_MIN_SHARE * len(sheets))
    frequent: dict[str, tuple[int, int, int]] = {}
    with connection.cursor() as cursor:
        for term in sorted(t for t, count in document_frequency.items() if count >= threshold):
            cursor.execute(f"SELECT sheet_id, weight FROM {terms_table} WHERE term = %s", [term])  # noqa: S608
            rows = [(sheet_id, weight) for sheet_id, weight in cursor.fetchall() if sheet_id in published]
            frequent[term] = tiers_of(rows, nbits)
    return Snapshot(
        version=version,
        nbits=nbits,
        postings={key: bitmap_of(ids, nbits) for key, ids in posting_ids.items()},
        public=bitmap_of(public_ids, nbits),
        by_network={network_id: bitmap_of(ids, nbits) for network_id, ids in network_ids.items()},
        date_order=date_order,
        rank={pk: position for position, pk in enumerate(date_order)},
        document_frequency=document_frequency,
        frequent=frequent,
        build_seconds=time.perf_counter() - started,
    )


_local: dict[str, Snapshot] = {}


def _cache_key(version: str) -> str:
    return f"casesheets:snapshot:{version}"


def current_snapshot() -> Snapshot | None:
    """The snapshot of the current index version, if one has been built; this process keeps its own copy."""
    version = index_version()
    snapshot = _local.get("current")
    if snapshot is not None and snapshot.version == version:
        return snapshot
    snapshot = cache.get(_cache_key(version))
    if snapshot is not None:
        _local["current"] = snapshot
    return snapshot


def refresh_snapshot() -> Snapshot:
    """Build the snapshot of the current version and share it through the cache."""
    version = index_version()
    snapshot = build_snapshot(version)
    cache.set(_cache_key(version), snapshot, timeout=SNAPSHOT_TIMEOUT_SECONDS)
    _local["current"] = snapshot
    return snapshot


@task()
def rebuild_search_snapshot() -> float:
    """Background task run after each change of the index; returns the build time in seconds. Several changes
    committed together enqueue several tasks: the first one builds, the others find the snapshot up to date."""
    if current_snapshot() is not None:
        return 0.0
    return refresh_snapshot().build_seconds


# Reading a word's postings for given sheets costs a few index seeks each; reading the whole list costs one step
# per sheet having the word. Below this ratio the seeks win.
SEEK_COST = 3
ID_CHUNK = 2000


def match_words(snapshot: Snapshot, words: Iterable[str], candidates: int) -> tuple[int, list[int]]:
    """The candidates (a bitmap) having every word, and the bitmaps whose count per sheet ranks them.

    Every matching sheet has every word, which is worth 1, plus 1 per word weighing like a summary word and 1 more
    like a title word (`search.weight_tier`): the returned bitmaps are those "plus ones". Frequent words come from
    memory; the others are read rarest first from the covering index (term, sheet, weight), for the remaining
    candidates only when they are few compared with the sheets having the word."""
    unique = set(words)
    in_memory = [word for word in unique if word in snapshot.frequent]
    to_read = sorted(unique - set(in_memory), key=lambda word: snapshot.document_frequency.get(word, 0))
    extra: list[int] = []
    for word in in_memory:
        having, summary_or_more, title = snapshot.frequent[word]
        candidates &= having
        extra += [summary_or_more, title]
    table = connection.ops.quote_name(SheetTerm._meta.db_table)
    for word in to_read:
        frequency = snapshot.document_frequency.get(word, 0)
        remaining = candidates.bit_count()
        if not frequency or not remaining:
            return 0, []
        rows: list[tuple[int, int]] = []
        with connection.cursor() as cursor:
            if remaining * SEEK_COST < frequency and connection.vendor == "postgresql":
                # One array parameter: a long IN list would cost more to send and parse than the lookups.
                cursor.execute(
                    f"SELECT sheet_id, weight FROM {table} WHERE term = %s AND sheet_id = ANY(%s)",  # noqa: S608
                    [word, list(ids_of(candidates))],
                )
                rows = cursor.fetchall()
            elif remaining * SEEK_COST < frequency:
                ids = list(ids_of(candidates))
                for start in range(0, len(ids), ID_CHUNK):
                    chunk = ids[start : start + ID_CHUNK]
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.execute(
                        f"SELECT sheet_id, weight FROM {table} WHERE term = %s AND sheet_id IN ({marks})",  # noqa: S608
                        [word, *chunk],
                    )
                    rows.extend(cursor.fetchall())
            else:
                cursor.execute(f"SELECT sheet_id, weight FROM {table} WHERE term = %s", [word])  # noqa: S608
                rows = cursor.fetchall()
        having, summary_or_more, title = tiers_of(rows, snapshot.nbits)
        candidates &= having
        extra += [summary_or_more, title]
    return candidates, extra


def levels(result: int, extra: list[int]) -> list[int]:
    """levels[v]: the sheets of `result` that are in exactly v of the `extra` bitmaps."""
    counts = [result]
    for bitmap in extra:
        bitmap &= result
        shifted = [0] * (len(counts) + 1)
        for value, sheets in enumerate(counts):
            shifted[value] |= sheets & ~bitmap
            shifted[value + 1] |= sheets & bitmap
        counts = shifted
    return counts


# Below this many sheets a level is sorted by publication rank; above, the publication order is scanned.
SORT_BELOW = 4096


def page_by_relevance(result: int, extra: list[int], snapshot: Snapshot, start: int, size: int) -> list[int]:
    """The page of `result` by relevance (most "plus ones" first), then newest publication first."""
    wanted = start + size
    found: list[int] = []
    for level in reversed(levels(result, extra)):
        if not level:
            continue
        need = wanted - len(found)
        if level.bit_count() <= SORT_BELOW:
            found.extend(heapq.nsmallest(need, ids_of(level), key=lambda pk: snapshot.rank.get(pk, 0)))
        else:
            found.extend(page_by_date(level, snapshot.date_order, 0, need, newest_first=True))
        if len(found) >= wanted:
            break
    return found[start:wanted]


def page_by_date(result: int, date_order: list[int], start: int, size: int, *, newest_first: bool) -> list[int]:
    data = result.to_bytes((result.bit_length() + 7) // 8, "little")
    limit = len(data) << 3
    found: list[int] = []
    for pk in date_order if newest_first else reversed(date_order):
        if pk < limit and data[pk >> 3] >> (pk & 7) & 1:
            found.append(pk)
            if len(found) == start + size:
                break
    return found[start:]
