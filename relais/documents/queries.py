"""Finding documents: full-text search over metadata and extracted text, filters by type, theme and network.

Access rules are part of the query (`perms.access_filter`), so documents a reader may not see are never in the
results nor in the total. Each query word is an `id IN (SELECT document_id FROM documentterm WHERE term = …)`
condition on an indexed column; relevance is the sum of the matched words' weights. Plain SQL, same results on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Final

from django.db.models import IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.http import urlencode

from relais.core.text import terms

from .enums import DocumentKind
from .models import Document, DocumentTerm, DocumentVersion
from .perms import access_filter
from .search import MAX_TERM_LENGTH

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
    score: Any = Value(0)
    for term in params.terms:
        weight = DocumentTerm.objects.filter(document_id=OuterRef("pk"), term=term).values("weight")[:1]
        score = score + Coalesce(Subquery(weight, output_field=IntegerField()), 0)
    return queryset.annotate(relevance=score).order_by("-relevance", "-created_at", "-pk")


def with_card_data(queryset: QuerySet[Document]) -> QuerySet[Document]:
    return queryset.select_related("network", "author_organisation").prefetch_related(
        "themes", Prefetch("versions", queryset=DocumentVersion.objects.defer("extracted_text").order_by("-number"))
    )


def search_documents(params: DocumentSearch, user: Any) -> DocumentPage:
    """One page of the documents a reader may see that match `params`, with the total."""
    matching = matching_documents(params, user)
    total = matching.count()
    num_pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(params.page, num_pages)
    start = (page - 1) * PAGE_SIZE
    documents = list(with_card_data(ordered(matching, params))[start : start + PAGE_SIZE]) if total else []
    return DocumentPage(documents=documents, total=total, page=page, num_pages=num_pages, params=params)
