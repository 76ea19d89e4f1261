"""Finding documents: full-text search over metadata and extracted text, filters by type, theme and network.

Documents a reader may not see (`perms.access_filter`) are never in the results nor in the total. Every word is
required; relevance is the sum of the words' tiers (1 per word, +1 where it weighs like a description word, +1
like a title word: `core.bitmaps.TermTable.tier`), ties by the newest shared first.

Two paths, same answers (the search tests run every case on both):
- the bitmap snapshot (`snapshot.py`, ADR 0008), rebuilt by the task queue after every reindex: visibility and
  filters are ANDs of bitmaps, frequent words too, the others one index scan each;
- SQL while no snapshot exists for the current index version: each word is an `id IN (SELECT document_id FROM
  documentterm WHERE term = …)` condition, the access rule part of the query, relevance one subquery per word.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final

from django.db.models import IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.http import urlencode

from relais.core.bitmaps import match_words, page_by_date, page_by_relevance
from relais.core.text import terms
from relais.networks.models import Network
from relais.reference.models import Theme

from .enums import DocumentKind
from .models import Document, DocumentTerm, DocumentVersion
from .perms import access_filter
from .search import MAX_TERM_LENGTH
from .snapshot import DOCUMENT_TERMS, DocumentSnapshot, LibraryReader, current_snapshot, library_reader

PAGE_SIZE: Final = 20
MAX_QUERY_LENGTH: Final = 200
MAX_QUERY_TERMS: Final = 10
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
_PAGE = re.compile(r"\d{1,6}")


@dataclass(frozen=True)
class DocumentSearch:
    """Parameters of a library search read from a query string; invalid values are dropped, never an error."""

    q: str = ""
    kind: str = ""
    theme: str = ""
    network: str = ""
    page: int = 1
    terms: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def from_querydict(cls, data: Mapping[str, Any]) -> DocumentSearch:
        def first(name: str) -> str:
            raw = data.get(name, "")
            return str(raw[0] if isinstance(raw, list | tuple) and raw else raw or "").strip()

        q = " ".join(first("q").split())[:MAX_QUERY_LENGTH]
        kind = first("kind")
        theme, network, page = first("theme"), first("network"), first("page")
        return cls(
            q=q,
            kind=kind if kind in DocumentKind.values else "",
            theme=theme if _SLUG.fullmatch(theme) else "",
            network=network if _SLUG.fullmatch(network) else "",
            page=max(1, int(page)) if _PAGE.fullmatch(page) else 1,
        ).with_terms()

    def with_terms(self) -> DocumentSearch:
        found = tuple(dict.fromkeys(term[:MAX_TERM_LENGTH] for term in terms(self.q)))[:MAX_QUERY_TERMS]
        return replace(self, terms=found)

    def urlencode(self, **changes: Any) -> str:
        params = replace(self, **changes)
        items = [(name, getattr(params, name)) for name in ("q", "kind", "theme", "network") if getattr(params, name)]
        if params.page > 1:
            items.append(("page", str(params.page)))
        return urlencode(items)

    def is_empty(self) -> bool:
        return not (self.q or self.kind or self.theme or self.network)


@dataclass
class DocumentPage:
    documents: list[Document]
    total: int
    page: int
    num_pages: int
    params: DocumentSearch

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def visible_documents(user: Any) -> QuerySet[Document]:
    """Documents the reader may see (see `perms.access_filter`)."""
    return Document.objects.filter(access_filter(user))


def matching_documents(params: DocumentSearch, user: Any) -> QuerySet[Document]:
    """Visible documents having every query word (in metadata or extracted text) and every filter, unordered."""
    queryset = visible_documents(user)
    for term in params.terms:
        queryset = queryset.filter(pk__in=DocumentTerm.objects.filter(term=term).values("document_id"))
    if params.kind:
        queryset = queryset.filter(kind=params.kind)
    if params.network:
        queryset = queryset.filter(network__slug=params.network)
    if params.theme:
        queryset = queryset.filter(
            pk__in=Document.themes.through.objects.filter(theme__slug=params.theme).values("document_id")
        )
    return queryset


def ordered(queryset: QuerySet[Document], params: DocumentSearch) -> QuerySet[Document]:
    if not params.terms:
        return queryset.order_by("-created_at", "-pk")
    # One unique-index lookup per word and per document, summed (every matching document has every word).
    score: Any = Value(0)
    for term in params.terms:
        tier = (
            DocumentTerm.objects.filter(document_id=OuterRef("pk"), term=term)
            .annotate(tier=DOCUMENT_TERMS.tier_expression())
            .values("tier")[:1]
        )
        score = score + Coalesce(Subquery(tier, output_field=IntegerField()), 0)
    return queryset.annotate(relevance=score).order_by("-relevance", "-created_at", "-pk")


def with_card_data(queryset: QuerySet[Document]) -> QuerySet[Document]:
    return queryset.select_related("network", "author_organisation").prefetch_related(
        "themes", Prefetch("versions", queryset=DocumentVersion.objects.defer("extracted_text").order_by("-number"))
    )


def _num_pages(total: int, size: int) -> int:
    return max(1, math.ceil(total / size))


def ranked_documents(
    params: DocumentSearch,
    user: Any,
    *,
    page: int,
    size: int,
    load: Callable[[QuerySet[Document]], QuerySet[Document]] = with_card_data,
) -> tuple[int, int, list[Document]]:
    """The number of documents the reader may see that match `params`, the page number brought within the pages,
    and that page's documents (`size` per page) in the search order, read through `load` (what the caller shows
    of them): from the snapshot when one is built for the current index, else from SQL."""
    snapshot = current_snapshot()
    if snapshot is None:
        matching = matching_documents(params, user)
        total = matching.count()
        page = min(page, _num_pages(total, size))
        start = (page - 1) * size
        return total, page, list(load(ordered(matching, params))[start : start + size]) if total else []
    reader = library_reader(user)
    total, page, ids = _ranked_in_snapshot(snapshot, params, reader, page=page, size=size)
    if not ids:
        return total, page, []
    # Read with the access rule applied again: no id can ever show a document the reader may not see.
    found = load(Document.objects.filter(pk__in=ids)).order_by()
    by_id = {document.pk: document for document in found if reader.may_read(document)}
    return total, page, [by_id[pk] for pk in ids if pk in by_id]


def _ranked_in_snapshot(
    snapshot: DocumentSnapshot, params: DocumentSearch, reader: LibraryReader, *, page: int, size: int
) -> tuple[int, int, list[int]]:
    result = snapshot.visible(reader)
    if params.kind:
        result &= snapshot.by_kind.get(params.kind, 0)
    if params.network:
        network_id = Network.objects.filter(slug=params.network).values_list("pk", flat=True).first()
        result &= snapshot.by_network.get(network_id or 0, 0)
    if params.theme:
        theme_id = Theme.objects.filter(slug=params.theme).values_list("pk", flat=True).first()
        result &= snapshot.by_theme.get(theme_id or 0, 0)
    extra: list[int] = []
    if params.terms and result:
        result, extra = match_words(DOCUMENT_TERMS, snapshot, params.terms, result)
    total = result.bit_count()
    page = min(page, _num_pages(total, size))
    start = (page - 1) * size
    if not total:
        return total, page, []
    if params.terms:
        return total, page, page_by_relevance(result, extra, snapshot, start, size)
    return total, page, page_by_date(result, snapshot.date_order, start, size, newest_first=True)


def search_documents(params: DocumentSearch, user: Any) -> DocumentPage:
    """One page of the documents a reader may see that match `params`, with the total."""
    total, page, documents = ranked_documents(params, user, page=params.page, size=PAGE_SIZE)
    return DocumentPage(
        documents=documents, total=total, page=page, num_pages=_num_pages(total, PAGE_SIZE), params=params
    )
