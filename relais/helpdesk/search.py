"""Search index of FAQ entries: stemmed, accent-free terms (relais.core.text.terms) in `FaqTerm`, one row per
(entry, term), the same rows and the same queries on SQLite and PostgreSQL (as casesheets.search, ADR 0003)."""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from relais.core.text import terms

from .models import FaqEntry, FaqTerm

TITLE_WEIGHT = 8
QUESTION_WEIGHT = 2
ANSWER_WEIGHT = 1
MAX_TERM_LENGTH = 40


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
    with transaction.atomic():
        FaqTerm.objects.filter(entry=entry).delete()
        FaqTerm.objects.bulk_create(entry_term_rows(entry), batch_size=2000)
