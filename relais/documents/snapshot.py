"""Bitmaps of the library held in memory, so that a search over 20,000 documents costs milliseconds (ADR 0008).

Built like the case sheets' snapshot (ADR 0007) from the pieces of `relais.core.bitmaps`: one bitmap per access
rule of `perms.access_filter` (public documents; members-only ones per network; working-group ones per network,
for its animators, and per group, for its participants; everything, for site admins), one per filter value of the
search page (type, theme, network), the order of ties (newest shared first), the number of documents having each
word and the tier bitmaps of the most frequent words. The other words are read from `DocumentTerm` per search.

The task queue rebuilds it after every reindex (`tasks.rebuild_document_snapshot`, enqueued on commit by
`search.reindex_document`); it is stored in the shared cache under the index version and copied once per process.
While none exists for the current version, `queries.py` answers from SQL, with the same results.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from relais.core.bitmaps import SnapshotStore, TermTable, Tiers, bitmap_of, frequent_threshold
from relais.networks.enums import Role
from relais.networks.perms import member_network_ids, network_ids_with_roles

from .access import participant_workgroup_ids
from .enums import AccessLevel
from .models import Document, DocumentTerm
from .search import SUMMARY_WEIGHT, TITLE_WEIGHT, index_version

# A word held by at least this many documents, and this share of them, is kept in memory (three bitmaps of
# 2.5 KB per word at 20,000 documents): reading its postings at each search would cost more than a millisecond.
FREQUENT_MIN_DOCUMENTS = 500
FREQUENT_MIN_SHARE = 0.02
DOCUMENT_TERMS = TermTable(DocumentTerm, "document_id", summary_weight=SUMMARY_WEIGHT, title_weight=TITLE_WEIGHT)


@dataclass(frozen=True)
class LibraryReader:
    """What `perms.access_filter` grants a reader, as ids: everything (site admins), or public documents plus the
    members-only ones of `member_of`, the working-group ones of the networks in `animates` and of `workgroups`."""

    everything: bool
    member_of: frozenset[int] = frozenset()
    animates: frozenset[int] = frozenset()
    workgroups: frozenset[int] = frozenset()

    def may_read(self, document: Document) -> bool:
        """`perms.access_filter` for one document already read."""
        if self.everything or document.access_level == AccessLevel.PUBLIC:
            return True
        if document.access_level == AccessLevel.MEMBERS:
            return document.network_id in self.member_of
        return document.network_id in self.animates or document.workgroup_id in self.workgroups


def library_reader(user: Any) -> LibraryReader:
    if getattr(user, "is_site_admin", False):
        return LibraryReader(everything=True)
    return LibraryReader(
        everything=False,
        member_of=frozenset(member_network_ids(user)),
        animates=frozenset(network_ids_with_roles(user, frozenset({Role.ANIMATOR}))),
        workgroups=frozenset(participant_workgroup_ids(user)),
    )


@dataclass(frozen=True)
class DocumentSnapshot:
    version: str
    nbits: int
    everything: int
    public: int
    members_only: dict[int, int]  # per network
    workgroup_by_network: dict[int, int]
    workgroup_by_group: dict[int, int]
    by_network: dict[int, int]
    by_kind: dict[str, int]
    by_theme: dict[int, int]
    # Document ids, newest shared first (ties: highest id first), and each id's position in that order.
    date_order: list[int]
    rank: dict[int, int]
    document_frequency: dict[str, int]
    # Tier bitmaps of the most frequent words: having it, weighing a summary word or more, a title word or more.
    frequent: dict[str, Tiers]
    build_seconds: float

    def visible(self, reader: LibraryReader) -> int:
        """The documents `reader` may see: the bitmaps of `perms.access_filter`'s conditions, ORed."""
        if reader.everything:
            return self.everything
        bitmap = self.public
        for network_id in reader.member_of:
            bitmap |= self.members_only.get(network_id, 0)
        for network_id in reader.animates:
            bitmap |= self.workgroup_by_network.get(network_id, 0)
        for workgroup_id in reader.workgroups:
            bitmap |= self.workgroup_by_group.get(workgroup_id, 0)
        return bitmap


def build_snapshot(version: str) -> DocumentSnapshot:
    started = time.perf_counter()
    documents = list(
        Document.objects.order_by("-created_at", "-pk").values_list(
            "pk", "network_id", "access_level", "workgroup_id", "kind"
        )
    )
    nbits = max((row[0] for row in documents), default=0) + 1
    public: list[int] = []
    members_only: dict[int, list[int]] = defaultdict(list)
    workgroup_by_network: dict[int, list[int]] = defaultdict(list)
    workgroup_by_group: dict[int, list[int]] = defaultdict(list)
    by_network: dict[int, list[int]] = defaultdict(list)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for pk, network_id, access_level, workgroup_id, kind in documents:
        by_network[network_id].append(pk)
        by_kind[kind].append(pk)
        if access_level == AccessLevel.PUBLIC:
            public.append(pk)
        elif access_level == AccessLevel.MEMBERS:
            members_only[network_id].append(pk)
        elif access_level == AccessLevel.WORKGROUP:
            workgroup_by_network[network_id].append(pk)
            if workgroup_id is not None:
                workgroup_by_group[workgroup_id].append(pk)
    by_theme: dict[int, list[int]] = defaultdict(list)
    for document_id, theme_id in Document.themes.through.objects.values_list("document_id", "theme_id"):
        by_theme[theme_id].append(document_id)
    ids = {row[0] for row in documents}
    date_order = [row[0] for row in documents]
    document_frequency = DOCUMENT_TERMS.document_frequency()
    threshold = frequent_threshold(FREQUENT_MIN_DOCUMENTS, FREQUENT_MIN_SHARE, len(documents))

    def bitmaps(groups: dict[Any, list[int]]) -> dict[Any, int]:
        return {key: bitmap_of(members, nbits) for key, members in groups.items()}

    return DocumentSnapshot(
        version=version,
        nbits=nbits,
        everything=bitmap_of(ids, nbits),
        public=bitmap_of(public, nbits),
        members_only=bitmaps(members_only),
        workgroup_by_network=bitmaps(workgroup_by_network),
        workgroup_by_group=bitmaps(workgroup_by_group),
        by_network=bitmaps(by_network),
        by_kind=bitmaps(by_kind),
        by_theme=bitmaps(by_theme),
        date_order=date_order,
        rank={pk: position for position, pk in enumerate(date_order)},
        document_frequency=document_frequency,
        frequent=DOCUMENT_TERMS.frequent_tiers(document_frequency, threshold, nbits, ids),
        build_seconds=time.perf_counter() - started,
    )


_store: SnapshotStore[DocumentSnapshot] = SnapshotStore(
    "documents:snapshot", lambda: index_version(), lambda version: build_snapshot(version)
)


def current_snapshot() -> DocumentSnapshot | None:
    """The snapshot of the current index version, if one has been built; this process keeps its own copy."""
    return _store.current()


def refresh_snapshot() -> DocumentSnapshot:
    """Build the snapshot of the current version and share it through the cache (what the task does)."""
    return _store.refresh()
