"""The bitmap pieces shared by the searches of sheets, documents and FAQ entries (ADR 0007, ADR 0008)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from relais.casesheets.models import SheetTerm
from relais.core import bitmaps
from relais.core.bitmaps import (
    IndexVersion,
    SnapshotStore,
    TermTable,
    announce_index_change,
    bitmap_of,
    ids_of,
    levels,
    page_by_date,
    page_by_relevance,
)

TABLE = TermTable(SheetTerm, "sheet_id", summary_weight=4, title_weight=8)


def test_ids_round_trip_and_ids_beyond_the_snapshot_are_left_out() -> None:
    ids = [0, 1, 7, 8, 63, 64, 1000]
    assert list(ids_of(bitmap_of(ids, 1001))) == ids
    assert list(ids_of(bitmap_of([5, 5000], 100))) == [5]
    assert list(ids_of(0)) == []


def test_a_word_adds_one_two_or_three_by_its_weight() -> None:
    assert [TABLE.tier(weight) for weight in (1, 3, 4, 7, 8, 100)] == [1, 1, 2, 2, 3, 3]
    having, summary_or_more, title = TABLE.tiers_of([(1, 1), (2, 4), (3, 9)], 8)
    assert (list(ids_of(having)), list(ids_of(summary_or_more)), list(ids_of(title))) == ([1, 2, 3], [2, 3], [3])


def test_levels_count_how_many_bitmaps_hold_each_id() -> None:
    result = bitmap_of([1, 2, 3, 4], 8)
    extra = [bitmap_of([1, 2], 8), bitmap_of([2, 5], 8)]
    assert [list(ids_of(level)) for level in levels(result, extra)] == [[3, 4], [1], [2]]


@dataclass(frozen=True)
class Order:
    date_order: list[int]
    rank: dict[int, int]


def order(ids: list[int]) -> Order:
    return Order(ids, {pk: position for position, pk in enumerate(ids)})


@pytest.mark.parametrize("sort_below", [0, 4096], ids=["scan", "sort"])
def test_pages_by_relevance_then_tie_order(monkeypatch: pytest.MonkeyPatch, sort_below: int) -> None:
    """Most "plus ones" first, then the tie order — whether a level is sorted or the order scanned."""
    monkeypatch.setattr(bitmaps, "SORT_BELOW", sort_below)
    newest_first = order([6, 2, 9, 4, 1, 7])
    result = bitmap_of([1, 2, 4, 6, 7, 9], 10)
    extra = [bitmap_of([4, 7], 10), bitmap_of([7], 10), bitmap_of([1, 9], 10)]
    # 7: two plus ones; 4, 1 and 9: one (tie order 9, 4, 1); 6 and 2: none (tie order 6, 2).
    assert page_by_relevance(result, extra, newest_first, 0, 10) == [7, 9, 4, 1, 6, 2]
    assert page_by_relevance(result, extra, newest_first, 2, 3) == [4, 1, 6]
    assert page_by_relevance(0, [], newest_first, 0, 5) == []


def test_pages_by_date_both_ways() -> None:
    result = bitmap_of([1, 4, 7, 9], 10)
    date_order = [6, 2, 9, 4, 1, 7]
    assert page_by_date(result, date_order, 0, 3, newest_first=True) == [9, 4, 1]
    assert page_by_date(result, date_order, 1, 2, newest_first=False) == [1, 4]


@dataclass(frozen=True)
class Built:
    version: str
    value: int


def test_a_store_answers_only_for_the_current_version() -> None:
    version = IndexVersion("tests:bitmaps-version")
    builds: list[str] = []

    def build(current: str) -> Built:
        builds.append(current)
        return Built(current, len(builds))

    store = SnapshotStore("tests:bitmaps-snapshot", version.current, build)
    assert store.current() is None
    built = store.refresh()
    assert store.current() == built
    # Another process finds it in the shared cache.
    store.local.clear()
    assert store.current() == built
    version.bump()
    assert store.current() is None
    assert store.refresh().value == 2
    bitmaps.forget_local_copies()
    assert store.local == {}
    cache.clear()


@pytest.mark.django_db
def test_an_index_change_bumps_now_and_on_commit_then_enqueues(django_capture_on_commit_callbacks: object) -> None:
    version = IndexVersion("tests:bitmaps-version")
    before = version.current()
    enqueued: list[str] = []
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        announce_index_change(version, lambda: enqueued.append(version.current()))
        during = version.current()
        assert during != before
        assert enqueued == []  # nothing is rebuilt before the rows are committed
    for callback in callbacks:
        callback()
    assert len(enqueued) == 1
    assert enqueued[0] not in {before, during}
