"""Bitmaps of a search index held in memory, shared by the searches of case sheets, documents and FAQ entries
(ADR 0007, ADR 0008).

A bitmap is a Python integer: bit n is set when the row of id n is in the set. Visibility, filters and the most
frequent words become bitwise ANDs, a count is a popcount, and a page walks a precomputed order. Each app builds
its own snapshot (what it holds — visibility rules, filters — is that app's business) from these pieces:

- `bitmap_of` / `ids_of`: ids ↔ bitmap;
- `TermTable`: a term index table (one row per owner and stemmed term, with a weight) and the weights of its
  relevance tiers: document frequency, tier bitmaps of the frequent words, a word's postings read with the
  seek/scan choice;
- `match_words`, `levels`, `page_by_relevance`, `page_by_date`: the words of a search, then its page;
- `IndexVersion`, `announce_index_change`, `SnapshotStore`: the version of an index (bumped by every reindex, the
  rebuild enqueued on commit), and the snapshot of that version shared through the cache, copied once per process.

Relevance is the same everywhere: every result has every word; each word adds 1, plus 1 where it weighs at least
a summary word and 1 more where it weighs at least a title word (`TermTable.tier`). Ties: the app's order.
"""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models import Case, F, Value, When
from django.db.models.lookups import GreaterThanOrEqual

# Reading a word's postings for given owners costs a few index seeks each; reading the whole list costs one step
# per owner having the word. Below this ratio the seeks win.
SEEK_COST = 3
ID_CHUNK = 2000
# Below this many results a relevance level is sorted by rank; above, the tie order is scanned.
SORT_BELOW = 4096
SNAPSHOT_TIMEOUT_SECONDS = 7 * 24 * 3600

Tiers = tuple[int, int, int]


def bitmap_of(ids: Iterable[int], nbits: int) -> int:
    """The bitmap of `ids`; ids beyond `nbits` (rows added after the snapshot was built) are left out."""
    buffer = bytearray((nbits + 7) // 8)
    for pk in ids:
        if pk < nbits:
            buffer[pk >> 3] |= 1 << (pk & 7)
    return int.from_bytes(buffer, "little")


def public_or_networks(public: int, by_network: Mapping[int, int], network_ids: Iterable[int]) -> int:
    """The items a reader may see when visibility is "public, or members-only of one of the reader's networks"."""
    bitmap = public
    for network_id in network_ids:
        bitmap |= by_network.get(network_id, 0)
    return bitmap


def ids_of(bitmap: int) -> Iterator[int]:
    """The set bits of a bitmap, in increasing order."""
    data = bitmap.to_bytes((bitmap.bit_length() + 7) // 8, "little")
    for index, byte in enumerate(data):
        while byte:
            low = byte & -byte
            yield (index << 3) + low.bit_length() - 1
            byte ^= low


def frequent_threshold(min_rows: int, min_share: float, owners: int) -> float:
    """Words held by at least this many owners are kept in memory as bitmaps."""
    return max(min_rows, min_share * owners)


@dataclass(frozen=True)
class TermTable:
    """A term index table — one row per (owner, stemmed term) with a weight — and the weights from which a word
    counts one relevance tier more (a summary word, a title word)."""

    model: type[models.Model]
    owner_column: str
    summary_weight: int
    title_weight: int

    @property
    def _table(self) -> str:
        return connection.ops.quote_name(self.model._meta.db_table)

    @property
    def _owner(self) -> str:
        return connection.ops.quote_name(self.owner_column)

    def tier(self, weight: int) -> int:
        """What one word adds to an owner's relevance: 3 at a title word's weight, 2 at a summary word's, else 1."""
        return 3 if weight >= self.title_weight else 2 if weight >= self.summary_weight else 1

    def tier_expression(self, field: str = "weight") -> Case:
        """`tier` in SQL, for the fallback path's ordering. Lookup expressions rather than `Q` conditions: a `Q`
        inside an annotation turns the join it goes through into a LEFT JOIN, which SQLite then plans as a scan of
        every entry."""
        return Case(
            When(GreaterThanOrEqual(F(field), Value(self.title_weight)), then=Value(3)),
            When(GreaterThanOrEqual(F(field), Value(self.summary_weight)), then=Value(2)),
            default=Value(1),
        )

    def tiers_of(self, rows: Iterable[tuple[int, int]], nbits: int) -> Tiers:
        """(owner, weight) postings of a word as bitmaps: having it, weighing ≥ a summary word, ≥ a title word."""
        rows = list(rows)
        return (
            bitmap_of((owner for owner, _ in rows), nbits),
            bitmap_of((owner for owner, weight in rows if weight >= self.summary_weight), nbits),
            bitmap_of((owner for owner, weight in rows if weight >= self.title_weight), nbits),
        )

    def document_frequency(self) -> dict[str, int]:
        """Number of owners having each word: the rarest word of a search is read first."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT term, COUNT(*) FROM {self._table} GROUP BY term")  # noqa: S608 — no user input
            return {term: int(count) for term, count in cursor.fetchall()}

    def frequent_tiers(
        self, document_frequency: Mapping[str, int], threshold: float, nbits: int, owners: set[int]
    ) -> dict[str, Tiers]:
        """Tier bitmaps of the words held by at least `threshold` owners, among `owners` (those of the snapshot)."""
        frequent: dict[str, Tiers] = {}
        with connection.cursor() as cursor:
            for term in sorted(t for t, count in document_frequency.items() if count >= threshold):
                cursor.execute(
                    f"SELECT {self._owner}, weight FROM {self._table} WHERE term = %s",  # noqa: S608 — no user input
                    [term],
                )
                frequent[term] = self.tiers_of(((o, w) for o, w in cursor.fetchall() if o in owners), nbits)
        return frequent

    def postings(self, word: str, candidates: int, frequency: int) -> list[tuple[int, int]]:
        """(owner, weight) rows of a word: for the candidates only when they are few compared with the owners
        having the word (index seeks), else the whole list (one index range)."""
        table, owner = self._table, self._owner
        remaining = candidates.bit_count()
        with connection.cursor() as cursor:
            if remaining * SEEK_COST < frequency and connection.vendor == "postgresql":
                # One array parameter: a long IN list would cost more to send and parse than the lookups.
                cursor.execute(
                    f"SELECT {owner}, weight FROM {table} WHERE term = %s AND {owner} = ANY(%s)",  # noqa: S608
                    [word, list(ids_of(candidates))],
                )
                return list(cursor.fetchall())
            if remaining * SEEK_COST < frequency:
                ids = list(ids_of(candidates))
                rows: list[tuple[int, int]] = []
                for start in range(0, len(ids), ID_CHUNK):
                    chunk = ids[start : start + ID_CHUNK]
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.execute(
                        f"SELECT {owner}, weight FROM {table} WHERE term = %s AND {owner} IN ({marks})",  # noqa: S608
                        [word, *chunk],
                    )
                    rows.extend(cursor.fetchall())
                return rows
            cursor.execute(f"SELECT {owner}, weight FROM {table} WHERE term = %s", [word])  # noqa: S608
            return list(cursor.fetchall())


class WordBitmaps(Protocol):
    """What a snapshot holds of its words."""

    @property
    def nbits(self) -> int: ...

    @property
    def document_frequency(self) -> Mapping[str, int]: ...

    @property
    def frequent(self) -> Mapping[str, Tiers]: ...


class TieOrder(Protocol):
    """The order of ties: ids first to last (`date_order`: newest first), and each id's position in it (`rank`)."""

    @property
    def date_order(self) -> Sequence[int]: ...

    @property
    def rank(self) -> Mapping[int, int]: ...


def match_words(
    table: TermTable, snapshot: WordBitmaps, words: Iterable[str], candidates: int
) -> tuple[int, list[int]]:
    """The candidates (a bitmap) having every word, and the bitmaps whose count per owner ranks them.

    Every match has every word, worth 1 each, plus 1 per word weighing like a summary word and 1 more like a title
    word (`TermTable.tier`): the returned bitmaps are those "plus ones". Frequent words come from memory; the
    others are read rarest first from the index, for the remaining candidates only when they are few."""
    unique = set(words)
    in_memory = [word for word in unique if word in snapshot.frequent]
    to_read = sorted(unique - set(in_memory), key=lambda word: snapshot.document_frequency.get(word, 0))
    extra: list[int] = []
    for word in in_memory:
        having, summary_or_more, title = snapshot.frequent[word]
        candidates &= having
        extra += [summary_or_more, title]
    for word in to_read:
        frequency = snapshot.document_frequency.get(word, 0)
        if not frequency or not candidates:
            return 0, []
        having, summary_or_more, title = table.tiers_of(table.postings(word, candidates, frequency), snapshot.nbits)
        candidates &= having
        extra += [summary_or_more, title]
    return candidates, extra


def levels(result: int, extra: list[int]) -> list[int]:
    """levels[v]: the ids of `result` that are in exactly v of the `extra` bitmaps."""
    counts = [result]
    for bitmap in extra:
        bitmap &= result
        shifted = [0] * (len(counts) + 1)
        for value, ids in enumerate(counts):
            shifted[value] |= ids & ~bitmap
            shifted[value + 1] |= ids & bitmap
        counts = shifted
    return counts


def page_by_relevance(result: int, extra: list[int], order: TieOrder, start: int, size: int) -> list[int]:
    """The page of `result` by relevance (most "plus ones" first), then in the tie order."""
    wanted = start + size
    found: list[int] = []
    for level in reversed(levels(result, extra)):
        if not level:
            continue
        need = wanted - len(found)
        if level.bit_count() <= SORT_BELOW:
            found.extend(heapq.nsmallest(need, ids_of(level), key=lambda pk: order.rank.get(pk, 0)))
        else:
            found.extend(page_by_date(level, order.date_order, 0, need, newest_first=True))
        if len(found) >= wanted:
            break
    return found[start:wanted]


def page_by_date(result: int, date_order: Sequence[int], start: int, size: int, *, newest_first: bool) -> list[int]:
    """The page of `result` in the order of `date_order` (or its reverse)."""
    data = result.to_bytes((result.bit_length() + 7) // 8, "little")
    limit = len(data) << 3
    found: list[int] = []
    for pk in date_order if newest_first else reversed(date_order):
        if pk < limit and data[pk >> 3] >> (pk & 7) & 1:
            found.append(pk)
            if len(found) == start + size:
                break
    return found[start:]


@dataclass(frozen=True)
class IndexVersion:
    """A token in the shared cache that changes whenever an index changes; snapshots are keyed on it."""

    key: str

    def current(self) -> str:
        return str(cache.get_or_set(self.key, lambda: uuid.uuid4().hex, timeout=None))

    def bump(self) -> None:
        cache.set(self.key, uuid.uuid4().hex, timeout=None)


def announce_index_change(version: IndexVersion, enqueue_rebuild: Callable[[], object]) -> None:
    """What every reindex does: bump the version now — searches leave the old snapshot for the SQL path at once —
    and again once committed (a reader who cached figures in between computed them on the old rows), then enqueue
    the rebuild of the snapshot, which must see the committed rows."""
    version.bump()
    transaction.on_commit(version.bump)
    transaction.on_commit(enqueue_rebuild)


class Versioned(Protocol):
    @property
    def version(self) -> str: ...


S = TypeVar("S", bound=Versioned)
_STORES: list[SnapshotStore[Any]] = []


class SnapshotStore(Generic[S]):
    """The snapshots of one index: built for the current version, shared through the cache (so the worker that
    builds it and every web process agree), and copied once per process."""

    def __init__(self, name: str, version: Callable[[], str], build: Callable[[str], S]) -> None:
        self.name = name
        self._version = version
        self._build = build
        self.local: dict[str, S] = {}
        _STORES.append(self)

    def cache_key(self, version: str) -> str:
        return f"{self.name}:{version}"

    def current(self) -> S | None:
        """The snapshot of the current index version, if one has been built."""
        version = self._version()
        snapshot = self.local.get("current")
        if snapshot is not None and snapshot.version == version:
            return snapshot
        snapshot = cache.get(self.cache_key(version))
        if snapshot is not None:
            self.local["current"] = snapshot
        return snapshot

    def refresh(self) -> S:
        """Build the snapshot of the current version and share it through the cache."""
        version = self._version()
        snapshot = self._build(version)
        cache.set(self.cache_key(version), snapshot, timeout=SNAPSHOT_TIMEOUT_SECONDS)
        self.local["current"] = snapshot
        return snapshot


def forget_local_copies() -> None:
    """Drop every process copy of every snapshot (tests roll the database back between cases)."""
    for store in _STORES:
        store.local.clear()
