"""The search snapshot is rebuilt by the task queue after each change of the index, and then answers searches."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from relais.casesheets import snapshot
from relais.casesheets.queries import SheetSearch, search_sheets
from relais.casesheets.services import case_sheet_publish
from tests.conftest import Personas
from tests.factories import CaseSheetFactory


@pytest.mark.django_db
def test_publication_rebuilds_the_snapshot_which_then_answers_searches(
    personas: Personas, django_capture_on_commit_callbacks: object
) -> None:
    sheet = CaseSheetFactory.create(submitted=True, network=personas.network, title="Cantine bio et équitable")
    assert snapshot.current_snapshot() is None

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        case_sheet_publish(sheet=sheet, by=personas.animator)

    built = snapshot.current_snapshot()
    assert built is not None
    assert built.public >> sheet.pk & 1
    params = SheetSearch.from_querydict(QueryDict("q=equitable&type=services"))
    with CaptureQueriesContext(connection) as queries:
        result = search_sheets(params, set())
    assert [s.pk for s in result.sheets] == [sheet.pk]
    assert result.total == 1
    # Words from the index table, then the page's sheets with their themes and buyers: no GROUP BY over facets.
    assert not any("GROUP BY" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_a_members_only_sheet_is_not_in_the_public_bitmap(personas: Personas) -> None:
    hidden = CaseSheetFactory.create(published=True, members_only=True, network=personas.network)
    built = snapshot.refresh_snapshot()
    assert not built.public >> hidden.pk & 1
    assert built.visible({personas.network.pk}) >> hidden.pk & 1
    assert not built.visible({personas.other_network.pk}) >> hidden.pk & 1


def test_bitmap_helpers_round_trip() -> None:
    ids = [0, 1, 7, 8, 63, 64, 1000]
    assert list(snapshot.ids_of(snapshot.bitmap_of(ids, 1001))) == ids
    # Ids beyond the snapshot (published after it was built) are ignored rather than failing.
    assert list(snapshot.ids_of(snapshot.bitmap_of([5, 5000], 100))) == [5]


@pytest.mark.django_db
def test_a_common_word_is_read_only_for_the_few_remaining_candidates() -> None:
    """With a filter leaving one sheet and a word held by many, the word is looked up for that sheet only (the
    seek branch of `match_words`), and the answer is the same as reading the whole list."""
    from relais.casesheets.enums import ContractType

    for _ in range(8):
        CaseSheetFactory.create(published=True, title="Cantine bio", contract_type=ContractType.SERVICES)
    works = CaseSheetFactory.create(published=True, title="Cantine neuve", contract_type=ContractType.WORKS)
    CaseSheetFactory.create(published=True, title="Voirie", contract_type=ContractType.WORKS)
    built = snapshot.refresh_snapshot()
    candidates = built.postings[("type", "works")] & built.visible(set())
    assert candidates.bit_count() * snapshot.SEEK_COST < built.document_frequency["cantin"]

    matched, extra = snapshot.match_words(built, ["cantin"], candidates)
    assert list(snapshot.ids_of(matched)) == [works.pk]
    # "cantine" is a title word of that sheet: it counts in both "plus one" bitmaps.
    assert [bitmap >> works.pk & 1 for bitmap in extra] == [1, 1]
    result = search_sheets(SheetSearch.from_querydict(QueryDict("q=cantines&type=works")), set())
    assert [s.pk for s in result.sheets] == [works.pk]


def test_levels_count_how_many_bitmaps_hold_each_sheet() -> None:
    result = snapshot.bitmap_of([1, 2, 3, 4], 8)
    extra = [snapshot.bitmap_of([1, 2], 8), snapshot.bitmap_of([2, 5], 8)]
    by_level = [list(snapshot.ids_of(level)) for level in snapshot.levels(result, extra)]
    assert by_level == [[3, 4], [1], [2]]
