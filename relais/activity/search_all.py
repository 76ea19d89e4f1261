"""One search box over case sheets, documents, FAQ entries and events, results grouped by kind.

Each group is answered by its own app with that app's visibility rules and French matching (`relais.core.text.terms`:
accents, case and usual endings ignored), so nothing a reader may not see is listed nor counted:
- case sheets: `casesheets.queries.first_sheets`, the first results of the sheet search page (`search_sheets`);
- documents: `documents.queries.ranked_documents`, the library search's order (term index over metadata and
  extracted text);
- FAQ entries: `helpdesk.queries.faq_search_page`, the first results of `faq_search` (every word required);
Sheets, documents and FAQ entries are answered from their apps' in-memory bitmap snapshots when built (ADR 0007,
ADR 0008), from SQL otherwise, with the same results;
- events: they have no term index (a few hundred per network and year). The `EVENT_SCAN_LIMIT` most recent
  events the reader may see (`events.queries.visible_events`) are read and their title, description and venue
  turned into terms in Python; an event matches when it holds every word of the query.

A group shows its count and its first results; "voir tous les résultats" leads to that kind's own search page with
the same words (events, which have no search page of their own, to this page restricted to events).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import Truncator

from relais.casesheets.enums import Visibility
from relais.casesheets.queries import SheetSearch, first_sheets
from relais.core.text import terms
from relais.documents import queries as document_queries
from relais.documents.enums import AccessLevel
from relais.documents.queries import DocumentSearch
from relais.events.enums import EventAudience
from relais.events.queries import visible_events
from relais.helpdesk.enums import FaqVisibility
from relais.helpdesk.queries import faq_search_page
from relais.networks.perms import member_network_ids

Kind = Literal["sheets", "documents", "faq", "events"]
KINDS: Final[tuple[Kind, ...]] = ("sheets", "documents", "faq", "events")
# The value of `type` in the query string of this page (French, as the rest of the URLs) for each kind.
KIND_PARAMS: Final[dict[Kind, str]] = {
    "sheets": "fiches",
    "documents": "documents",
    "faq": "faq",
    "events": "evenements",
}
KIND_LABELS: Final[dict[Kind, str]] = {
    "sheets": "Fiches d'expérience",
    "documents": "Documents",
    "faq": "Questions fréquentes",
    "events": "Événements",
}
PER_GROUP: Final = 5
# Results shown when the page is restricted to one kind that has no search page of its own (events).
SINGLE_KIND_LIMIT: Final = 50
EVENT_SCAN_LIMIT: Final = 2000
MAX_QUERY_LENGTH: Final = 200
MAX_QUERY_TERMS: Final = 10
EXCERPT_CHARS: Final = 220


@dataclass(frozen=True)
class Hit:
    """One result as the page shows it, whatever its kind."""

    title: str
    url: str
    excerpt: str
    network: str
    kind_label: str
    when: dt.datetime | dt.date | None
    restricted: bool  # members-only (or working-group) content, marked as such for the reader who may see it


@dataclass(frozen=True)
class ResultGroup:
    kind: Kind
    label: str
    total: int
    hits: list[Hit]
    more_url: str

    @property
    def has_more(self) -> bool:
        return self.total > len(self.hits)


@dataclass(frozen=True)
class UnifiedSearch:
    q: str
    terms: tuple[str, ...]
    groups: list[ResultGroup] = field(default_factory=list)
    only: Kind | None = None

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def searched(self) -> bool:
        """Whether a search was made: a query of stop words only ("de la") finds nothing, and says so."""
        return bool(self.q)


def clean_query(raw: object) -> str:
    return " ".join(str(raw or "").split())[:MAX_QUERY_LENGTH]


def query_terms(q: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(terms(q)))[:MAX_QUERY_TERMS]


def kind_from_param(value: object) -> Kind | None:
    return next((kind for kind, param in KIND_PARAMS.items() if param == value), None)


def _excerpt(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(EXCERPT_CHARS)


def _url(name: str, q: str, **params: str) -> str:
    return reverse(name) + "?" + urlencode({"q": q, **params})


def sheet_group(q: str, user: Any, limit: int = PER_GROUP) -> ResultGroup:
    params = SheetSearch.from_querydict({"q": q})
    total, sheets = first_sheets(params, member_network_ids(user), size=limit)
    hits = [
        Hit(
            title=sheet.title,
            url=reverse("web:sheet_detail", kwargs={"public_id": sheet.public_id}),
            excerpt=_excerpt(sheet.summary),
            network=str(sheet.network),
            kind_label="Fiche d'expérience",
            when=sheet.published_at,
            restricted=sheet.visibility != Visibility.PUBLIC,
        )
        for sheet in sheets
    ]
    return ResultGroup("sheets", KIND_LABELS["sheets"], total, hits, _url("web:sheet_search", q))


def document_group(q: str, user: Any, limit: int = PER_GROUP) -> ResultGroup:
    params = DocumentSearch.from_querydict({"q": q})
    total, _page, documents = document_queries.ranked_documents(
        params, user, page=1, size=limit, load=lambda documents: documents.select_related("network")
    )
    hits = [
        Hit(
            title=document.title,
            url=reverse("web:document_detail", kwargs={"public_id": document.public_id}),
            excerpt=_excerpt(document.description),
            network=str(document.network),
            kind_label=str(document.get_kind_display()),
            when=document.document_date or document.created_at,
            restricted=document.access_level != AccessLevel.PUBLIC,
        )
        for document in documents
    ]
    return ResultGroup("documents", KIND_LABELS["documents"], total, hits, _url("web:document_list", q))


def faq_group(q: str, user: Any, limit: int = PER_GROUP) -> ResultGroup:
    total, entries = faq_search_page(user, q, size=limit)
    hits = [
        Hit(
            title=entry.title,
            url=reverse("web:faq_detail", kwargs={"public_id": entry.public_id}),
            excerpt=_excerpt(entry.question_text),
            network=str(entry.network),
            kind_label=str(entry.get_category_display()),
            when=entry.published_at,
            restricted=entry.visibility != FaqVisibility.PUBLIC,
        )
        for entry in entries
    ]
    return ResultGroup("faq", KIND_LABELS["faq"], total, hits, _url("web:faq_list", q))


def matching_events(words: tuple[str, ...], user: Any, now: dt.datetime | None = None) -> list[Any]:
    """Events the reader may see holding every word, upcoming ones first (soonest first), then past ones (latest
    first). Only the `EVENT_SCAN_LIMIT` events starting last are scanned (see the module docstring)."""
    if not words:
        return []
    wanted = set(words)
    candidates = visible_events(user).order_by("-starts_at", "-pk")[:EVENT_SCAN_LIMIT]
    found = [event for event in candidates if wanted <= set(terms(f"{event.title} {event.description} {event.venue}"))]
    moment = now or timezone.now()
    upcoming = sorted((e for e in found if e.ends_at >= moment), key=lambda e: (e.starts_at, e.pk))
    past = [e for e in found if e.ends_at < moment]  # already latest first
    return upcoming + past


def event_group(q: str, user: Any, limit: int = PER_GROUP, now: dt.datetime | None = None) -> ResultGroup:
    events = matching_events(query_terms(q), user, now)
    hits = [
        Hit(
            title=event.title,
            url=reverse("web:event_detail", kwargs={"public_id": event.public_id}),
            excerpt=_excerpt(event.description),
            network=str(event.network),
            kind_label=str(event.get_kind_display()),
            when=event.starts_at,
            restricted=event.audience != EventAudience.PUBLIC,
        )
        for event in events[:limit]
    ]
    more = _url("web:search_all", q, type=KIND_PARAMS["events"])
    return ResultGroup("events", KIND_LABELS["events"], len(events), hits, more)


_GROUPS: Final[dict[Kind, Callable[[str, Any, int], ResultGroup]]] = {
    "sheets": sheet_group,
    "documents": document_group,
    "faq": faq_group,
    "events": event_group,
}


def search_all(q: str, user: Any, *, only: Kind | None = None) -> UnifiedSearch:
    """The results of `q` for this reader, one group per kind (or only `only`, with more results).

    A query without any significant word (empty, or only stop words) searches nothing: the apps would otherwise
    list everything."""
    q = clean_query(q)
    words = query_terms(q)
    if not words:
        return UnifiedSearch(q=q, terms=words, only=only)
    kinds = (only,) if only else KINDS
    limit = SINGLE_KIND_LIMIT if only else PER_GROUP
    groups = [_GROUPS[kind](q, user, limit) for kind in kinds]
    if only == "events":  # already the page of all matching events: no link to itself
        groups = [replace(group, more_url="") for group in groups]
    return UnifiedSearch(q=q, terms=words, groups=groups, only=only)
