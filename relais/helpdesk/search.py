"""Search index of FAQ entries: stemmed, accent-free terms (relais.core.text.terms) in `FaqTerm`, one row per
(entry, term), the same rows and the same queries on SQLite and PostgreSQL (as casesheets.search, ADR 0003).

Every reindex bumps the index version and, once committed, enqueues the rebuild of the FAQ's bitmap snapshot
(`snapshot.py`, ADR 0008); until it is built, searches take the SQL path."""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from relais.core.bitmaps import IndexVersion, announce_index_change
from relais.core.text import terms

from .models import FaqEntry, FaqTerm

TITLE_WEIGHT = 8
QUESTION_WEIGHT = 2
ANSWER_WEIGHT = 1
MAX_TERM_LENGTH = 40
INDEX_VERSION = IndexVersion("helpdesk:faq-index-version")


def index_version() -> str:
    """A token that changes whenever the FAQ index changes; the search snapshot is keyed on it."""
    return INDEX_VERSION.current()


def _enqueue_snapshot_rebuild() -> None:
    from .snapshot import rebuild_faq_snapshot  # the snapshot module builds on this one

    rebuild_faq_snapshot.enqueue()


def entry_term_rows(entry: FaqEntry) -> list[FaqTerm]:
    """Unsaved index rows of one entry, weights capped so that repeating a word cannot game relevance."""
    weighted: Counter[str] = Counter()
    title_terms = {term[:MAX_TERM_LENGTH] for term in terms(entry.title)}
    for text, weight in (
        (entry.title, TITLE_WEIGHT),
        (entry.question_text, QUESTION_WEIGHT),
        (entry.answer_text, ANSWER_WEIGHT),
    ):
        for term in terms(text):
            weighted[term[:MAX_TERM_LENGTH]] += weight
    return [
        FaqTerm(entry=entry, term=term, weight=min(weight, 100), in_title=term in title_terms)
        for term, weight in weighted.items()
    ]


def reindex_faq_entry(entry: FaqEntry) -> None:
    """Rebuild the index rows of one entry. Whatever changes what a search finds or who finds it (texts,
    visibility, withdrawal, deletion) calls this: a withdrawn entry, or one deleted meanwhile, has no rows at all,
    and the snapshot is rebuilt either way."""
    with transaction.atomic():
        if entry.pk is not None:
            FaqTerm.objects.filter(entry_id=entry.pk).delete()
            if FaqEntry.objects.published().filter(pk=entry.pk).exists():
                FaqTerm.objects.bulk_create(entry_term_rows(entry), batch_size=2000)
        # Inside the transaction: the rebuild is enqueued once these rows are committed, never before.
        announce_index_change(INDEX_VERSION, _enqueue_snapshot_rebuild)
