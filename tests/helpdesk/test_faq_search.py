"""FAQ search box: every word required, French matching, visibility, relevance by weight tiers then the newest
published — every case on the SQL path and on the bitmap snapshot (ADR 0008), which must agree with `faq_search`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from relais.core.bitmaps import ids_of
from relais.helpdesk import queries, snapshot
from relais.helpdesk.enums import FaqVisibility
from relais.helpdesk.models import FaqEntry
from relais.helpdesk.queries import faq_search, faq_search_page
from relais.helpdesk.search import reindex_faq_entry

from ..conftest import Personas
from .factories import FaqEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["sql", "snapshot", "snapshot-words-in-memory"])
def search_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs three times: on the SQL path; on the snapshot built afresh before each search (as the task
    queue does after each reindex), words read from the index table; and on the snapshot holding every word in
    memory. All must agree."""
    if request.param == "sql":
        monkeypatch.setattr(queries, "current_snapshot", lambda: None)
    else:
        monkeypatch.setattr(queries, "current_snapshot", snapshot.refresh_snapshot)
    if request.param == "snapshot-words-in-memory":
        monkeypatch.setattr(snapshot, "FREQUENT_MIN_ENTRIES", 1)
        monkeypatch.setattr(snapshot, "FREQUENT_MIN_SHARE", 0.0)
    return str(request.param)


def titles(user: Any, text: str, size: int = 20) -> list[str]:
    """The titles of the first results, checked against the FAQ page's own query (`faq_search`, SQL)."""
    total, entries = faq_search_page(user, text, size=size)
    reference = faq_search(user, text)
    assert total == reference.count()
    assert [entry.pk for entry in entries] == [entry.pk for entry in reference[:size]]
    return [entry.title for entry in entries]


def entry(title: str, *, days_ago: int = 0, **fields: Any) -> FaqEntry:
    return FaqEntryFactory.create(
        title=title,
        question_text=fields.pop("question_text", "Question."),
        answer_text=fields.pop("answer_text", "Réponse."),
        published_at=timezone.now() - dt.timedelta(days=days_ago),
        **fields,
    )


def test_every_word_is_required_and_french_matching_applies(personas: Personas) -> None:
    entry("Clauses écologiques des marchés de nettoyage", network=personas.network)
    entry("Clause sociale", network=personas.network)
    assert titles(personas.anonymous, "ÉCOLOGIQUE clauses") == ["Clauses écologiques des marchés de nettoyage"]
    assert titles(personas.anonymous, "clause girafe") == []
    assert len(titles(personas.anonymous, "clause")) == 2


def test_relevance_is_the_sum_of_weight_tiers_then_newest_published(personas: Personas) -> None:
    network = personas.network
    entry("Compostage partagé", days_ago=30, network=network)
    entry("Question A", days_ago=20, network=network, question_text="Le compostage est-il possible ?")
    entry("Question B", days_ago=10, network=network, answer_text="Oui, le compostage.")
    entry("Question C", days_ago=1, network=network, answer_text="Le compostage, encore.")
    # Title (3) > question (2) > answer only (1); the two answer-only ones newest first.
    assert titles(personas.anonymous, "compostage") == ["Compostage partagé", "Question A", "Question C", "Question B"]


def test_tiers_not_raw_weights_decide(personas: Personas) -> None:
    network = personas.network
    # Title (8 → 3) + answer (1 → 1) = 4 against question (2 → 2) + question (2 → 2) = 4: a tie, the newest first,
    # although the raw weights (9 against 4) would rank the older one first.
    entry("Broyeur de végétaux", days_ago=9, network=network, answer_text="Location possible.")
    entry("Question D", days_ago=2, network=network, question_text="Broyeur en location ?")
    assert titles(personas.anonymous, "broyeur location") == ["Question D", "Broyeur de végétaux"]


def test_first_results_only_but_the_full_count(personas: Personas) -> None:
    for day in range(8):
        entry(f"Sourçage n° {day}", days_ago=day, network=personas.network)
    total, entries = faq_search_page(personas.anonymous, "sourçage", size=5)
    assert total == 8
    assert [e.title for e in entries] == [f"Sourçage n° {day}" for day in range(5)]


@pytest.fixture
def restricted(personas: Personas) -> None:
    text = "Le mot Ornithorynque."
    entry("Public", network=personas.network, answer_text=text)
    entry("Adhérents", network=personas.network, members_only=True, answer_text=text)
    entry("Adhérents RN", network=personas.other_network, members_only=True, answer_text=text)


EXPECTED = {
    "anonymous": ["Public"],
    "supplier": ["Public"],
    "member": ["Adhérents", "Public"],
    "facilitator": ["Adhérents", "Public"],
    "animator": ["Adhérents", "Public"],
    "other_animator": ["Adhérents RN", "Public"],
    "site_admin": ["Adhérents RN", "Adhérents", "Public"],
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_members_only_entries_are_found_and_counted_only_by_members(
    personas: Personas, restricted: None, persona: str
) -> None:
    user = personas.all()[persona]
    assert titles(user, "ornithorynques") == EXPECTED[persona]  # newest published first: the last created
    assert faq_search_page(user, "ornithorynque", size=1)[0] == len(EXPECTED[persona])


def test_snapshot_visibility_is_visible_to_networks(personas: Personas, restricted: None) -> None:
    built = snapshot.refresh_snapshot()
    for networks in (set(), {personas.network.pk}, {personas.network.pk, personas.other_network.pk}):
        expected = set(FaqEntry.objects.visible_to_networks(networks).values_list("pk", flat=True))
        assert set(ids_of(built.visible(networks))) == expected


def test_any_word_suggestions_rank_most_words_first(personas: Personas) -> None:
    entry("Nettoyage des vitres", days_ago=1, network=personas.network)
    entry("Nettoyage écologique des vitres", days_ago=5, network=personas.network)
    found = faq_search(personas.anonymous, "nettoyage ecologique vitres", title_only=True, match_all=False)
    assert [e.title for e in found] == ["Nettoyage écologique des vitres", "Nettoyage des vitres"]


def test_publishing_rebuilds_the_snapshot_which_then_answers(
    personas: Personas, search_path: str, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "current_snapshot", snapshot.current_snapshot)
    with django_capture_on_commit_callbacks(execute=True):
        published = entry("Achats de vélos", network=personas.network)
    built = snapshot.current_snapshot()
    assert built is not None
    assert built.public >> published.pk & 1
    with CaptureQueriesContext(connection) as captured:
        assert faq_search_page(personas.anonymous, "vélos", size=5)[0] == 1
    assert not any("GROUP BY" in query["sql"] for query in captured.captured_queries)

    published.visibility = FaqVisibility.MEMBERS
    published.save()
    with django_capture_on_commit_callbacks() as callbacks:
        reindex_faq_entry(published)
    assert snapshot.current_snapshot() is None  # until rebuilt, the SQL path answers
    assert faq_search_page(personas.anonymous, "vélos", size=5)[0] == 0
    for callback in callbacks:
        callback()
    assert faq_search_page(personas.anonymous, "vélos", size=5)[0] == 0
    assert faq_search_page(personas.member, "vélos", size=5)[0] == 1


def test_a_withdrawn_entry_is_neither_found_nor_counted(personas: Personas) -> None:
    """Withdrawing an entry and reindexing it removes its rows: out of both paths, the count included."""
    kept = entry("Achats de gobelets", network=personas.network)
    withdrawn = entry("Gobelets réutilisables", network=personas.network)
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()
    reindex_faq_entry(withdrawn)
    assert not withdrawn.terms.exists()
    assert titles(personas.site_admin, "gobelets") == [kept.title]
