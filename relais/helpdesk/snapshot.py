"""Bitmaps of the FAQ held in memory, so that the search box costs milliseconds at 5,000 entries (ADR 0008).

Built like the case sheets' snapshot (ADR 0007) from the pieces of `relais.core.bitmaps`: the bitmaps of
`FaqEntry.objects.visible_to_networks`, read through that method itself (the entries anyone may see, the public
ones among them, and those of each network for its members), the order
of ties (newest published first), the number of entries having each word and the tier bitmaps of the most frequent
words; the other words are read from `FaqTerm` per search.

The task queue rebuilds it after every reindex (`rebuild_faq_snapshot`, enqueued on commit by
`search.reindex_faq_entry`); it is stored in the shared cache under the index version and copied once per process.
While none exists for the current version, `queries.py` answers from SQL, with the same results.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django_tasks import task

from relais.core.bitmaps import (
    SnapshotStore,
    TermTable,
    Tiers,
    bitmap_of,
    frequent_threshold,
    public_or_networks,
)
from relais.networks.models import Network

from .models import FaqEntry, FaqTerm
from .search import QUESTION_WEIGHT, TITLE_WEIGHT, index_version

# A word held by at least this many entries, and this share of them, is kept in memory (three bitmaps of 600 bytes
# per word at 5,000 entries).
FREQUENT_MIN_ENTRIES = 250
FREQUENT_MIN_SHARE = 0.02
# The question is the FAQ's summary: a word of the question (or repeated in the answer) counts one tier more.
FAQ_TERMS = TermTable(FaqTerm, "entry_id", summary_weight=QUESTION_WEIGHT, title_weight=TITLE_WEIGHT)


@dataclass(frozen=True)
class FaqSnapshot:
    version: str
    nbits: int
    public: int
    by_network: dict[int, int]
    # Entry ids, newest published first (ties: highest id first), and each id's position in that order.
    date_order: list[int]
    rank: dict[int, int]
    document_frequency: dict[str, int]
    # Tier bitmaps of the most frequent words: having it, weighing a question word or more, a title word or more.
    frequent: dict[str, Tiers]
    build_seconds: float

    def visible(self, member_network_ids: Iterable[int]) -> int:
        """`FaqEntry.objects.visible_to_networks(member_network_ids)` as a bitmap."""
        return public_or_networks(self.public, self.by_network, member_network_ids)


def build_snapshot(version: str) -> FaqSnapshot:
    started = time.perf_counter()
    # visible_to_networks(S) = the readable entries that are public or of a network in S: with every network, the
    # entries anyone may see; with none, the public ones. A reader's bitmap is then public | their networks'.
    every_network = set(Network.objects.values_list("pk", flat=True))
    entries = list(
        FaqEntry.objects.visible_to_networks(every_network)
        .order_by("-published_at", "-pk")
        .values_list("pk", "network_id")
    )
    public = FaqEntry.objects.visible_to_networks(set()).values_list("pk", flat=True)
    nbits = max((pk for pk, _ in entries), default=0) + 1
    by_network: dict[int, list[int]] = defaultdict(list)
    for pk, network_id in entries:
        by_network[network_id].append(pk)
    ids = {pk for pk, _ in entries}
    date_order = [pk for pk, _ in entries]
    document_frequency = FAQ_TERMS.document_frequency()
    threshold = frequent_threshold(FREQUENT_MIN_ENTRIES, FREQUENT_MIN_SHARE, len(entries))
    return FaqSnapshot(
        version=version,
        nbits=nbits,
        public=bitmap_of(public, nbits),
        by_network={network_id: bitmap_of(members, nbits) for network_id, members in by_network.items()},
        date_order=date_order,
        rank={pk: position for position, pk in enumerate(date_order)},
        document_frequency=document_frequency,
        frequent=FAQ_TERMS.frequent_tiers(document_frequency, threshold, nbits, ids),
        build_seconds=time.perf_counter() - started,
    )


_store: SnapshotStore[FaqSnapshot] = SnapshotStore(
    "helpdesk:faq-snapshot", lambda: index_version(), lambda version: build_snapshot(version)
)


def current_snapshot() -> FaqSnapshot | None:
    """The snapshot of the current index version, if one has been built; this process keeps its own copy."""
    return _store.current()


def refresh_snapshot() -> FaqSnapshot:
    """Build the snapshot of the current version and share it through the cache (what the task does)."""
    return _store.refresh()


@task()
def rebuild_faq_snapshot() -> float:
    """Background task run after each change of the FAQ index; returns the build time in seconds. Several changes
    committed together enqueue several tasks: the first one builds, the others find the snapshot up to date."""
    if current_snapshot() is not None:
        return 0.0
    return refresh_snapshot().build_seconds
