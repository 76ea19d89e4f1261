"""Reads of the helpdesk: the asker's questions, the helpdesk inbox, FAQ search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum

from relais.core.bitmaps import match_words, page_by_relevance
from relais.core.text import terms
from relais.networks.enums import Role
from relais.networks.models import Network, NetworkRole
from relais.networks.perms import member_network_ids, network_ids_with_roles

from .models import FaqEntry, HelpdeskSettings, Question, QuestionQuerySet
from .snapshot import FAQ_TERMS, current_snapshot

MAX_QUERY_TERMS = 12


def questions_of_asker_side(user: Any) -> QuestionQuerySet:
    """Questions of the organisations the user has a role for, each in the network of that role."""
    if not getattr(user, "is_authenticated", False):
        return Question.objects.none()
    pairs = NetworkRole.objects.filter(user=user, organisation__isnull=False).values_list(
        "network_id", "organisation_id"
    )
    condition = Q(pk__in=[])
    for network_id, organisation_id in pairs:
        condition |= Q(network_id=network_id, organisation_id=organisation_id)
    return Question.objects.filter(condition).select_related("network", "organisation", "asker")


def inbox_network_ids(user: Any) -> set[int]:
    """Networks whose every question the user handles (animators; site admins handle all)."""
    if getattr(user, "is_site_admin", False):
        return set(Network.objects.values_list("id", flat=True))
    return network_ids_with_roles(user, frozenset({Role.ANIMATOR}))


@dataclass(frozen=True)
class InboxFilters:
    status: str = ""
    category: str = ""
    assignee: str = ""  # "", "me", "none" or a user's public id
    overdue: bool = False
    network_id: int | None = None


def inbox(user: Any, filters: InboxFilters, today: dt.date) -> QuestionQuerySet:
    """Questions the user handles: all those of the networks they animate, and those assigned to them as expert."""
    if not getattr(user, "is_authenticated", False):
        return Question.objects.none()
    expert_networks = HelpdeskSettings.objects.filter(experts=user).values_list("network_id", flat=True)
    questions = Question.objects.filter(
        Q(network_id__in=inbox_network_ids(user)) | Q(network_id__in=list(expert_networks), assignee=user)
    )
    if filters.network_id:
        questions = questions.filter(network_id=filters.network_id)
    if filters.status:
        questions = questions.filter(status=filters.status)
    if filters.category:
        questions = questions.filter(category=filters.category)
    if filters.assignee == "me":
        questions = questions.filter(assignee=user)
    elif filters.assignee == "none":
        questions = questions.filter(assignee__isnull=True)
    elif filters.assignee:
        questions = questions.filter(assignee__public_id=filters.assignee)
    if filters.overdue:
        questions = questions.overdue(today)
    return questions.select_related("network", "organisation", "assignee").order_by("due_on", "created_at")


def visible_faq(user: Any) -> Any:
    return FaqEntry.objects.visible_to_networks(member_network_ids(user))


def faq_query_terms(text: str) -> list[str]:
    return sorted(set(terms(text)))[:MAX_QUERY_TERMS]


def faq_search(user: Any, text: str, *, title_only: bool = False, match_all: bool = True) -> Any:
    """FAQ entries the user may read that contain the words of `text` (accents, case and usual endings ignored).

    `match_all` keeps entries holding every word (the FAQ search box), ranked like every search of Relais: the sum
    of the words' tiers (1 per word, +1 where it weighs like a question word, +1 like a title word), ties by the
    newest published. Otherwise entries holding any word, the ones holding most words first (suggestions shown
    while a member words a new question). `faq_search_page` gives the first results of the search box from the
    bitmap snapshot, with the same answers."""
    query_terms = faq_query_terms(text)
    entries = visible_faq(user)
    if not query_terms:
        return entries.none() if text.strip() else entries.order_by("-published_at", "-pk")
    term_filter = Q(terms__term__in=query_terms)
    if title_only:
        term_filter &= Q(terms__in_title=True)
    entries = entries.filter(term_filter).annotate(
        score=Sum(FAQ_TERMS.tier_expression("terms__weight")), hits=Count("terms__term", distinct=True)
    )
    if match_all:
        entries = entries.filter(hits=len(query_terms))
    return entries.order_by("-hits", "-score", "-published_at", "-pk")


def faq_search_page(user: Any, text: str, *, size: int) -> tuple[int, list[FaqEntry]]:
    """The number of entries `faq_search(user, text)` finds (every word required) and the first `size` of them in
    its order, with their network: from the bitmap snapshot when one is built for the current index (ADR 0008),
    else from SQL. The entries are read with the visibility rule applied again."""
    query_terms = faq_query_terms(text)
    snapshot = current_snapshot()
    if snapshot is None or not query_terms:
        entries = faq_search(user, text)
        total = entries.count()
        return total, list(entries.select_related("network")[:size]) if total else []
    result = snapshot.visible(member_network_ids(user))
    extra: list[int] = []
    if result:
        result, extra = match_words(FAQ_TERMS, snapshot, query_terms, result)
    total = result.bit_count()
    if not total:
        return 0, []
    ids = page_by_relevance(result, extra, snapshot, 0, size)
    by_id = {entry.pk: entry for entry in visible_faq(user).select_related("network").filter(pk__in=ids).order_by()}
    return total, [by_id[pk] for pk in ids if pk in by_id]
