"""Finding published case sheets: full text, facet filters, facet counts and exports (see ADR 0003).

Everything is answered from the index tables of `search.py` (`SheetTerm`, `SheetFacet`) plus the visibility
columns of `CaseSheet`, with plain SQL that SQLite and PostgreSQL run identically:

- each filter value and each query term is an `id IN (SELECT sheet_id …)` subquery on an indexed
  `(facet, value, sheet)` / `(term, sheet)` lookup, so the database intersects id sets without a join fan-out;
- facet counts are ONE `GROUP BY facet, value` over the facet rows of the filtered id set (conjunctive facets:
  every count is the number of results one would get by adding that value to the current filters);
- relevance is the sum of the matched terms' weights, then the newest publication first.

Members-only sheets are filtered in the same id set, so they never appear in results nor in any count for a
reader outside their network.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal, cast

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.http import urlencode

from relais.core.text import terms
from relais.networks.models import Network
from relais.organisations.enums import StructureType
from relais.reference.models import Cpv, Departement, Region, Theme

from .enums import (
    ContractType,
    EnvironmentalConsideration,
    Procedure,
    ReservedBasis,
    SocialConsideration,
)
from .models import CaseSheet, SheetBuyer, SheetFacet, SheetTerm, Stakeholder
from .search import MAX_TERM_LENGTH, SUMMARY_WEIGHT, TITLE_WEIGHT, index_version
from .snapshot import Snapshot, current_snapshot, match_words, page_by_date, page_by_relevance

PAGE_SIZE: Final = 20
MAX_QUERY_LENGTH: Final = 200
MAX_QUERY_TERMS: Final = 10
MAX_VALUES_PER_FACET: Final = 10
EXPORT_LIMIT: Final = 10_000
SEARCH_CACHE_SECONDS: Final = 300
POSTING_SIZE_CAP: Final = 10_000

Order = Literal["relevance", "date", "-date"]
ORDERS: Final[tuple[Order, ...]] = ("relevance", "date", "-date")

OTHER_VALUES: Final = {"fair_trade": "Commerce équitable", "innovative": "Achat innovant"}

# Facet parameters of the query string, in the order of the search page's sidebar.
FACETS: Final[tuple[str, ...]] = (
    "theme",
    "cpv",
    "type",
    "procedure",
    "social",
    "environmental",
    "reserved",
    "other",
    "structure",
    "region",
    "departement",
    "year",
    "network",
)
# Rows of SheetFacet that answer a filter, and rows that are counted for the sidebar, when they differ from the
# parameter name: a CPV filter matches any level under the code, the sidebar counts CPV divisions.
_FILTER_ROWS: Final = {"cpv": "cpv"}
_COUNT_ROWS: Final = {"cpv": "division"}
_PARAM_OF_COUNT_ROW: Final = {_COUNT_ROWS.get(name, name): name for name in FACETS}

_ENUM_VALUES: Final[dict[str, frozenset[str]]] = {
    "type": frozenset(ContractType.values),
    "procedure": frozenset(Procedure.values),
    "social": frozenset(SocialConsideration.values),
    "environmental": frozenset(EnvironmentalConsideration.values),
    "reserved": frozenset(ReservedBasis.values),
    "structure": frozenset(StructureType.values),
    "other": frozenset(OTHER_VALUES),
}
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
_TERRITORY_CODE = re.compile(r"(?:\d{2,3}|2[ab])", re.IGNORECASE | re.ASCII)
_YEAR = re.compile(r"(?:19|20)\d{2}", re.ASCII)
_CPV = re.compile(r"\d{2,8}(?:-\d)?", re.ASCII)
_PAGE = re.compile(r"\d{1,6}", re.ASCII)


@dataclass(frozen=True)
class SheetSearch:
    """Parameters of a search, as read from a query string. Invalid or unknown values are dropped, never an error.

    Facets are conjunctive: several values of one facet all apply (theme=a&theme=b → sheets with both themes).
    """

    q: str = ""
    theme: tuple[str, ...] = ()
    cpv: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    procedure: tuple[str, ...] = ()
    social: tuple[str, ...] = ()
    environmental: tuple[str, ...] = ()
    reserved: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    structure: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    departement: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    network: tuple[str, ...] = ()
    order: Order = "relevance"
    page: int = 1
    terms: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def from_querydict(cls, data: Mapping[str, Any]) -> SheetSearch:
        """Parse a QueryDict (or any mapping of lists/strings). Reference values (themes, networks, territories)
        are checked against their tables only when present, so an empty search costs no query."""

        def values(name: str) -> list[str]:
            getlist = getattr(data, "getlist", None)
            raw = getlist(name) if getlist else data.get(name, [])
            items = [raw] if isinstance(raw, str) else list(raw or [])
            cleaned: list[str] = []
            for item in items:
                value = str(item).strip()
                if value and value not in cleaned:
                    cleaned.append(value)
            return cleaned[:MAX_VALUES_PER_FACET]

        q_values = values("q")
        q = " ".join(q_values[0].split())[:MAX_QUERY_LENGTH] if q_values else ""
        chosen: dict[str, tuple[str, ...]] = {}
        for name, allowed in _ENUM_VALUES.items():
            chosen[name] = tuple(v for v in values(name) if v in allowed)
        chosen["year"] = tuple(v for v in values("year") if _YEAR.fullmatch(v))
        chosen["cpv"] = tuple(
            dict.fromkeys(_cpv_prefix(v) for v in values("cpv") if _CPV.fullmatch(v) and _cpv_prefix(v))
        )
        chosen["theme"] = _known(values("theme"), _SLUG, Theme.objects.all(), "slug")
        chosen["network"] = _known(values("network"), _SLUG, Network.objects.all(), "slug")
        chosen["region"] = _known(values("region"), _TERRITORY_CODE, Region.objects.all(), "code", upper=True)
        chosen["departement"] = _known(
            values("departement"), _TERRITORY_CODE, Departement.objects.all(), "code", upper=True
        )

        order_values = values("order")
        order: Order = cast(Order, order_values[0]) if order_values and order_values[0] in ORDERS else "relevance"
        page_values = values("page")
        page = int(page_values[0]) if page_values and _PAGE.fullmatch(page_values[0]) else 1
        return cls(q=q, order=order, page=max(1, page), **chosen).with_terms()

    def with_terms(self) -> SheetSearch:
        query_terms = tuple(dict.fromkeys(term[:MAX_TERM_LENGTH] for term in terms(self.q)))[:MAX_QUERY_TERMS]
        return replace(self, terms=query_terms)

    def selected(self) -> list[tuple[str, str]]:
        """(facet, value) pairs of the active filters, in sidebar order."""
        return [(name, value) for name in FACETS for value in getattr(self, name)]

    @property
    def effective_order(self) -> Order:
        """Relevance needs words to rank by; without them the newest sheets come first."""
        return self.order if self.order != "relevance" or self.terms else "-date"

    def query_items(self, *, page: bool = True) -> list[tuple[str, str]]:
        items: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        items.extend(self.selected())
        if self.order != "relevance":
            items.append(("order", self.order))
        if page and self.page > 1:
            items.append(("page", str(self.page)))
        return items

    def urlencode(self, **changes: Any) -> str:
        """The query string of this search with some parameters changed (the page goes back to 1 unless given)."""
        changes.setdefault("page", 1)
        return urlencode(replace(self, **changes).query_items(), doseq=True)

    def without(self, name: str, value: str) -> str:
        """The query string with one filter value removed (for the removable tags of the active filters)."""
        remaining = tuple(v for v in getattr(self, name) if v != value)
        return self.urlencode(**{name: remaining})

    def is_empty(self) -> bool:
        return not self.q and not self.selected()


def _cpv_prefix(value: str) -> str:
    return Cpv.prefix_of(value)


def _known(
    candidates: Sequence[str], shape: re.Pattern[str], queryset: QuerySet[Any], column: str, *, upper: bool = False
) -> tuple[str, ...]:
    wanted = [v.upper() if upper else v for v in candidates if shape.fullmatch(v)]
    if not wanted:
        return ()
    existing = set(queryset.filter(**{f"{column}__in": wanted}).values_list(column, flat=True))
    return tuple(v for v in wanted if v in existing)


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    sheets: list[CaseSheet]
    total: int
    page: int
    num_pages: int
    # Parameter name → values with their counts over the current results, most frequent first.
    facets: dict[str, list[FacetCount]]
    params: SheetSearch

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def end_index(self) -> int:
        return min(self.page * PAGE_SIZE, self.total)


def visible_sheets(member_network_ids: set[int]) -> QuerySet[CaseSheet]:
    """Published sheets a reader may see: public ones and members-only ones of their networks."""
    return CaseSheet.objects.visible_to_networks(member_network_ids)


@dataclass(frozen=True)
class _Condition:
    """One posting list of the index: the sheets having a facet value, or a stemmed term."""

    table: type[SheetFacet] | type[SheetTerm]
    lookup: tuple[tuple[str, str], ...]

    def rows(self) -> QuerySet[Any]:
        return self.table.objects.filter(**dict(self.lookup))


def _conditions(params: SheetSearch) -> list[_Condition]:
    found = [
        _Condition(SheetFacet, (("facet", _FILTER_ROWS.get(name, name)), ("value", value)))
        for name, value in params.selected()
    ]
    found.extend(_Condition(SheetTerm, (("term", term),)) for term in params.terms)
    return found


def _posting_sizes(conditions: list[_Condition]) -> dict[_Condition, int]:
    """Length of each posting list, counted on the covering indexes and capped at POSTING_SIZE_CAP (only the
    shortest list matters, and a common word must not cost a full count), in one statement."""
    parts: list[str] = []
    values: list[str | int] = []
    quote = connection.ops.quote_name
    for position, condition in enumerate(conditions):
        # Identifiers come from the model and this module, never from the request; values are parameters.
        where = " AND ".join(f"{quote(column)} = %s" for column, _ in condition.lookup)
        parts.append(
            f"SELECT {position} AS pos, COUNT(*) AS n FROM (SELECT 1 AS hit FROM "  # noqa: S608
            f"{quote(condition.table._meta.db_table)} WHERE {where} LIMIT {POSTING_SIZE_CAP}) AS capped{position}"
        )
        values.extend(value for _, value in condition.lookup)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), values)
        sizes = dict(cursor.fetchall())
    return {condition: int(sizes.get(position, 0)) for position, condition in enumerate(conditions)}


def matching_sheets(params: SheetSearch, member_network_ids: set[int]) -> QuerySet[CaseSheet]:
    """Visible sheets matching every word and every filter, unordered.

    The shortest posting list drives the query (`id IN (…)`); every other condition is a correlated EXISTS that
    the unique (sheet, term) / (sheet, facet, value) indexes answer with one lookup per candidate. The cost is
    therefore proportional to the rarest word or value, not to the most common one, on both databases."""
    queryset = visible_sheets(member_network_ids)
    conditions = _conditions(params)
    if not conditions:
        return queryset
    sizes = _posting_sizes(conditions)
    if min(sizes.values()) == 0:
        return queryset.none()
    driver, *others = sorted(conditions, key=lambda c: sizes[c])
    ids = driver.rows()
    for condition in others:
        ids = ids.filter(Exists(condition.rows().filter(sheet_id=OuterRef("sheet_id"))))
    # The id set is computed on the narrow index tables first; sheets themselves are read only for the survivors.
    return queryset.filter(pk__in=ids.values("sheet_id"))


def ordered(queryset: QuerySet[CaseSheet], params: SheetSearch) -> QuerySet[CaseSheet]:
    order = params.effective_order
    if order == "date":
        return queryset.order_by("published_at", "pk")
    if order == "-date":
        return queryset.order_by("-published_at", "-pk")
    # One unique-index lookup per word and per sheet, summed (a missing word counts 0): a single `term IN (…)`
    # aggregate lets PostgreSQL scan every term row of each sheet instead.
    score: Any = Value(0)
    for term in params.terms:
        tier = (
            SheetTerm.objects.filter(sheet_id=OuterRef("pk"), term=term)
            .annotate(
                tier=Case(
                    When(weight__gte=TITLE_WEIGHT, then=Value(3)),
                    When(weight__gte=SUMMARY_WEIGHT, then=Value(2)),
                    default=Value(1),
                )
            )
            .values("tier")[:1]
        )
        score = score + Coalesce(Subquery(tier, output_field=IntegerField()), 0)
    return queryset.annotate(relevance=score).order_by("-relevance", "-published_at", "-pk")


def _page_sheets(page_ids: list[int], member_network_ids: set[int]) -> list[CaseSheet]:
    """The sheets of a page, read whole, in the given order. Visibility is applied again, so that ids from the
    cache can never show a sheet the reader may no longer see."""
    found = with_card_data(visible_sheets(member_network_ids).filter(pk__in=page_ids))
    by_id = {sheet.pk: sheet for sheet in found}
    return [by_id[pk] for pk in page_ids if pk in by_id]


def with_card_data(queryset: QuerySet[CaseSheet]) -> QuerySet[CaseSheet]:
    """What a result card shows, fetched in a fixed number of queries whatever the page size."""
    return queryset.select_related("network", "main_cpv", "departement", "region").prefetch_related(
        "themes", Prefetch("buyers", queryset=SheetBuyer.objects.select_related("organisation"))
    )


def facet_counts(matching: QuerySet[CaseSheet], params: SheetSearch) -> dict[str, list[FacetCount]]:
    """Counts of every facet value over the matching sheets, in one GROUP BY (facet, value) query."""
    rows = (
        SheetFacet.objects.filter(sheet_id__in=matching.values("pk"), facet__in=list(_PARAM_OF_COUNT_ROW))
        .order_by()
        .values_list("facet", "value")
        .annotate(count=Count("sheet_id"))
    )
    selected = set(params.selected())
    result: dict[str, list[FacetCount]] = {name: [] for name in FACETS}
    for facet, value, count in rows:
        name = _PARAM_OF_COUNT_ROW[facet]
        result[name].append(FacetCount(value=value, count=count, selected=(name, value) in selected))
    for counts in result.values():
        counts.sort(key=lambda c: (-c.count, c.value))
    return result


def _cache_key(kind: str, *parts: object) -> str:
    return f"casesheets:{kind}:" + hashlib.sha256(repr((index_version(), *parts)).encode()).hexdigest()


def search_sheets(params: SheetSearch, member_network_ids: set[int]) -> SearchResult:
    """One page of the sheets a reader may see that match `params`, the total and the facet counts.

    `member_network_ids` are the networks whose members-only sheets the reader may see
    (`relais.networks.perms.member_network_ids(user)`); pass an empty set for anonymous readers and feeds.

    When the bitmap snapshot of the current index version exists (`snapshot.py`, rebuilt by the task queue after
    every change), filters and counts are bitwise operations in memory and words one covering-index scan.
    Otherwise the same answer comes from SQL: facet counts (with the total) and the ids of a page are then cached
    for a few minutes, per words and filters, per set of reader's networks, keyed on the index version, so that
    nothing cached outlives a change of what it describes."""
    snapshot = current_snapshot()
    if snapshot is not None:
        return _search_in_snapshot(snapshot, params, member_network_ids)
    networks = sorted(member_network_ids)
    search_key = (networks, params.terms, params.selected())
    facets_key = _cache_key("facets", *search_key)
    facets: dict[str, list[FacetCount]] | None = cache.get(facets_key)
    matching: QuerySet[CaseSheet] | None = None
    if facets is None:
        matching = matching_sheets(params, member_network_ids)
        facets = facet_counts(matching, params)
        cache.set(facets_key, facets, timeout=SEARCH_CACHE_SECONDS)
    # Every indexed (= published) sheet has exactly one network row: the total comes with the counts instead of
    # a second pass over the matches.
    total = sum(count.count for count in facets["network"])
    num_pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(params.page, num_pages)
    page_key = _cache_key("page", *search_key, params.effective_order, page)
    page_ids: list[int] | None = cache.get(page_key)
    if page_ids is None:
        page_ids = []
        if total:
            start = (page - 1) * PAGE_SIZE
            matching = matching if matching is not None else matching_sheets(params, member_network_ids)
            page_ids = list(ordered(matching, params).values_list("pk", flat=True)[start : start + PAGE_SIZE])
        cache.set(page_key, page_ids, timeout=SEARCH_CACHE_SECONDS)
    return SearchResult(
        sheets=_page_sheets(page_ids, member_network_ids),
        total=total,
        page=page,
        num_pages=num_pages,
        facets=facets,
        params=replace(params, page=page),
    )


def _matches_in_snapshot(
    snapshot: Snapshot, params: SheetSearch, member_network_ids: set[int]
) -> tuple[int, list[int]]:
    """The visible sheets matching every filter and word (a bitmap), and the "plus one" bitmaps ranking them."""
    result = snapshot.visible(member_network_ids)
    for name, value in params.selected():
        result &= snapshot.postings.get((_FILTER_ROWS.get(name, name), value), 0)
    extra: list[int] = []
    if params.terms and result:
        result, extra = match_words(snapshot, params.terms, result)
    return result, extra


def first_sheets(params: SheetSearch, member_network_ids: set[int], *, size: int) -> tuple[int, list[CaseSheet]]:
    """The number of sheets `search_sheets` finds and its first `size` sheets in the same order, with their network
    but neither the facet counts nor the cards' data: what a short list of results needs (the unified search)."""
    snapshot = current_snapshot()
    if snapshot is None:
        result = search_sheets(replace(params, page=1), member_network_ids)
        if size <= PAGE_SIZE or result.total <= PAGE_SIZE:
            return result.total, result.sheets[:size]
        matching = ordered(matching_sheets(params, member_network_ids), params)
        return result.total, _page_sheets(list(matching.values_list("pk", flat=True)[:size]), member_network_ids)
    matches, extra = _matches_in_snapshot(snapshot, params, member_network_ids)
    total = matches.bit_count()
    if not total:
        return 0, []
    order = params.effective_order
    if order == "relevance":
        ids = page_by_relevance(matches, extra, snapshot, 0, size)
    else:
        ids = page_by_date(matches, snapshot.date_order, 0, size, newest_first=order == "-date")
    found = visible_sheets(member_network_ids).select_related("network").filter(pk__in=ids).order_by()
    by_id = {sheet.pk: sheet for sheet in found}
    return total, [by_id[pk] for pk in ids if pk in by_id]


def _search_in_snapshot(snapshot: Snapshot, params: SheetSearch, member_network_ids: set[int]) -> SearchResult:
    result, extra = _matches_in_snapshot(snapshot, params, member_network_ids)
    selected = set(params.selected())
    facets: dict[str, list[FacetCount]] = {name: [] for name in FACETS}
    for (facet, value), bitmap in snapshot.postings.items():
        if facet not in _PARAM_OF_COUNT_ROW:
            continue
        name = _PARAM_OF_COUNT_ROW[facet]
        count = (bitmap & result).bit_count()
        if count:
            facets[name].append(FacetCount(value=value, count=count, selected=(name, value) in selected))
    for counts in facets.values():
        counts.sort(key=lambda c: (-c.count, c.value))
    total = result.bit_count()
    num_pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(params.page, num_pages)
    start = (page - 1) * PAGE_SIZE
    order = params.effective_order
    if not total:
        page_ids: list[int] = []
    elif order == "relevance":
        page_ids = page_by_relevance(result, extra, snapshot, start, PAGE_SIZE)
    else:
        page_ids = page_by_date(result, snapshot.date_order, start, PAGE_SIZE, newest_first=order == "-date")
    return SearchResult(
        sheets=_page_sheets(page_ids, member_network_ids),
        total=total,
        page=page,
        num_pages=num_pages,
        facets=facets,
        params=replace(params, page=page),
    )


def sheets_for_export(
    params: SheetSearch, member_network_ids: set[int], *, limit: int = EXPORT_LIMIT
) -> tuple[int, Iterator[CaseSheet]]:
    """The total number of matching sheets and an iterator over at most `limit` of them in the search order,
    with everything `export_rows` reads (prefetched chunk by chunk)."""
    matching = matching_sheets(params, member_network_ids)
    total = matching.count()
    queryset = (
        ordered(matching, params)
        .select_related("network", "main_cpv", "departement", "region")
        .prefetch_related(
            "themes",
            "additional_cpvs",
            "criteria",
            Prefetch("buyers", queryset=SheetBuyer.objects.select_related("organisation")),
            Prefetch("stakeholders", queryset=Stakeholder.objects.select_related("organisation")),
        )[:limit]
    )
    return total, queryset.iterator(chunk_size=500)


def public_sheets() -> QuerySet[CaseSheet]:
    """Published public sheets, newest first: what feeds, the sitemap and the home page show to everyone."""
    return CaseSheet.objects.public().order_by("-published_at", "-pk")


def latest_public_sheets(count: int = 6) -> list[CaseSheet]:
    return list(with_card_data(public_sheets())[:count])


def facet_labels(facets: Mapping[str, Iterable[FacetCount]]) -> dict[str, dict[str, str]]:
    """French labels of the facet values present: enum labels, and reference rows read in one query per table
    ("45 — Travaux de construction", "Bretagne", "Ille-et-Vilaine (35)", network names)."""
    values = {name: [c.value for c in counts] for name, counts in facets.items()}
    labels: dict[str, dict[str, str]] = {name: {} for name in facets}
    enums: dict[str, Mapping[str, Any]] = {
        "type": dict(ContractType.choices),
        "procedure": dict(Procedure.choices),
        "social": dict(SocialConsideration.choices),
        "environmental": dict(EnvironmentalConsideration.choices),
        "reserved": dict(ReservedBasis.choices),
        "structure": dict(StructureType.choices),
        "other": OTHER_VALUES,
    }
    for name, choices in enums.items():
        labels[name] = {v: str(choices.get(v, v)) for v in values.get(name, [])}
    if values.get("theme"):
        labels["theme"] = dict(Theme.objects.filter(slug__in=values["theme"]).values_list("slug", "label"))
    if values.get("cpv"):
        by_code8 = {v.ljust(8, "0"): v for v in values["cpv"]}
        labels["cpv"] = {
            by_code8[code8]: f"{by_code8[code8]} — {label}"
            for code8, label in Cpv.objects.filter(code8__in=list(by_code8)).values_list("code8", "label_fr")
        }
    if values.get("region"):
        labels["region"] = dict(Region.objects.filter(code__in=values["region"]).values_list("code", "name"))
    if values.get("departement"):
        labels["departement"] = {
            code: f"{name} ({code})"
            for code, name in Departement.objects.filter(code__in=values["departement"]).values_list("code", "name")
        }
    if values.get("network"):
        labels["network"] = dict(Network.objects.filter(slug__in=values["network"]).values_list("slug", "name"))
    for name, wanted in values.items():
        for value in wanted:
            labels[name].setdefault(value, value)
    return labels


def sheet_counts() -> dict[str, int]:
    """Figures of the home page, over public published sheets (cached like search figures)."""
    key = _cache_key("home-counts")
    counts: dict[str, int] | None = cache.get(key)
    if counts is None:
        counts = CaseSheet.objects.public().aggregate(
            sheets=Count("pk"),
            networks=Count("network", distinct=True),
            with_social=Count(
                "pk", filter=Q(has_insertion_clause=True) | Q(has_social_criterion=True) | ~Q(reserved_basis="")
            ),
        )
        cache.set(key, counts, timeout=SEARCH_CACHE_SECONDS)
    return counts
