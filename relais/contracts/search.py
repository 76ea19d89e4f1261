"""Search of public contracts (ADR 0011): the posting lists of `ContractTerm` and the query that answers a search
(its parameters are read by `search_params.py`).

At 1.5 million contracts the contract rows are wide (object, JSON fields): reading them to filter or count costs
more than the target allows. So every filter is a term with its posting list — stemmed words of the object,
words of the names, and one term per filter value (a CPV code at each level of its hierarchy, procedure,
considerations, département, région, buyer, holder) — and each posting carries the contract's notification date
and plausible amount. A search is then an intersection of posting lists read in the order of the index
(term, date, contract, amount), newest first, with the date and amount ranges as index conditions: the database
reads narrow index pages only, and the contracts themselves only for the page shown. The same SQL runs on SQLite
and PostgreSQL (the merge of sorted lists is PostgreSQL's choice, a lookup per candidate SQLite's).

Counts stop at `COUNT_CAP` ("plus de 1 000 marchés"), and so do pages: counting a large intersection exactly would
cost more than the page itself. Exports go further, to `EXPORT_LIMIT` rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Final

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet

from relais.core.text import terms
from relais.organisations.models import Organisation
from relais.reference.models import Cpv, Departement

from .bulk import insert_rows
from .decp.records import MAX_PLAUSIBLE_AMOUNT
from .models import Contract, ContractHolder, ContractTerm
from .search_params import MAX_TERM_LENGTH, ContractSearch

# Prefixes of the terms that are not words of the object (object words are [a-z0-9]+, never with a colon).
BUYER_WORD, HOLDER_WORD = "a:", "t:"
CPV, PROCEDURE, TYPE, SOCIAL, ENVIRONMENTAL = "c:", "p:", "y:", "s:", "e:"
DEPARTEMENT, REGION = "d:", "r:"
BUYER, BUYER_SIREN, HOLDER, HOLDER_SIREN = "b:", "bs:", "h:", "hs:"

# Names the loader gives an organisation created from a bare identifier: they say nothing worth indexing.
_PLACEHOLDER_NAME = re.compile(r"SIRE[NT] \d+")
_REINDEX_CHUNK: Final = 1000

PAGE_SIZE: Final = 20
COUNT_CAP: Final = 1_000
EXPORT_LIMIT: Final = 10_000
POSTING_SIZE_CAP: Final = 10_000

TermRow = tuple[int, str, int, int | None]  # contract id, term, sort key, plausible amount in cents
TERM_COLUMNS: Final = ("contract_id", "term", "sort_key", "amount_cents")
_ID_BITS: Final = 32
_ID_MASK: Final = (1 << _ID_BITS) - 1


# ── The index ───────────────────────────────────────────────────────────────────────────────────────────────────────


def word_terms(*, object: str, buyer_names: Iterable[str] = (), holder_names: Iterable[str] = ()) -> set[str]:
    """Stemmed words of a contract's object, and of its buyer's and holders' names with their prefix."""
    found = {term[:MAX_TERM_LENGTH] for term in terms(object)}
    for prefix, names in ((BUYER_WORD, buyer_names), (HOLDER_WORD, holder_names)):
        for name in names:
            if name and not _PLACEHOLDER_NAME.fullmatch(name):
                found.update((prefix + term)[:MAX_TERM_LENGTH] for term in terms(name))
    return found


def cpv_terms(cpv: str) -> list[str]:
    """One term per level of the CPV hierarchy a code belongs to: "55524000-9" → c:55, c:555, c:5552, c:55524.
    A filter on any code is then one term: `CPV + Cpv.prefix_of(code)`."""
    return list(_cpv_terms(cpv[:8]))


@functools.lru_cache(maxsize=1 << 14)
def _cpv_terms(code8: str) -> tuple[str, ...]:
    """`cpv_terms` of an 8-digit code, cached: a national file uses a few thousand codes."""
    if len(code8) < 2 or not code8.isdigit():
        return ()
    significant = Cpv.prefix_of(code8)
    return tuple(CPV + significant[:length] for length in range(2, len(significant) + 1))


def _party_terms(identifier: str, full: str, siren: str) -> list[str]:
    if not identifier:
        return []
    found = [(full + identifier)[:MAX_TERM_LENGTH]]
    if len(identifier) == 14 and identifier.isdigit():
        found.append(siren + identifier[:9])
    return found


def sort_key(contract_id: int, notified_on: dt.date | None) -> int:
    """(day of notification << 32) | contract id: sorted in descending order, the newest notification comes first
    (then the highest id), contracts without a date last (day 0); the id is the key's low 32 bits.

    One column rather than (date, id): the database intersects two posting lists on one equality, which PostgreSQL
    estimates well and merges in index order; on two columns it multiplies their selectivities, expects a handful of
    rows, and hashes whole lists instead of stopping at the first page."""
    if not 0 < contract_id <= _ID_MASK:
        raise ValueError(f"Identifiant de marché hors de la plage de l'index de recherche : {contract_id}")
    return (notified_on.toordinal() if notified_on else 0) << _ID_BITS | contract_id


def contract_id_of(key: int) -> int:
    return key & _ID_MASK


def _day_key(day: dt.date) -> int:
    """The smallest sort key of a day (its contracts' keys are between this and the next day's)."""
    return day.toordinal() << _ID_BITS


def amount_cents(amount: Decimal | None) -> int | None:
    """The amount in cents when plausible (0 to `MAX_PLAUSIBLE_AMOUNT`), else None: filters ignore the others."""
    if amount is None or not 0 <= amount <= MAX_PLAUSIBLE_AMOUNT:
        return None
    return int(amount * 100)


@functools.lru_cache(maxsize=1 << 16)
def _text_terms(text: str, prefix: str = "") -> frozenset[str]:
    """The terms of a text (an object, a name), with a prefix, cut to the column's length: objects and names
    recur in the DECP (one buyer, one holder, the same object for the lots of a consultation), so they are cached."""
    return frozenset((prefix + term)[:MAX_TERM_LENGTH] for term in terms(text))


def _name_terms(prefix: str, names: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for name in names:
        if name and not _PLACEHOLDER_NAME.fullmatch(name):
            found |= _text_terms(name, prefix)
    return found


def organisation_name_terms(*, buyer_name: str = "", holder_names: Iterable[str] = ()) -> set[str]:
    """The words of the names Relais knows for a contract's buyer and holders (its organisations)."""
    return _name_terms(BUYER_WORD, [buyer_name]) | _name_terms(HOLDER_WORD, holder_names)


# The columns of `Contract` a contract's terms are made of (`terms_of`; names of linked organisations aside): read
# from the table by `contract_term_rows`, from the row the import prepares by `prepare.prepare_record`.
TERM_SOURCE_COLUMNS: Final = (
    "object",
    "buyer_name",
    "buyer_identifier",
    "cpv",
    "procedure",
    "contract_type",
    "social_status",
    "social_clause",
    "social_criterion",
    "reserved",
    "environmental_status",
    "environmental_clause",
    "environmental_criterion",
    "departement_id",
)


def terms_of(values: Mapping[str, Any], holders: Iterable[tuple[str, str]], regions: Mapping[str, str]) -> set[str]:
    """Every term of one contract, from its stored values (`values`: the columns of `Contract` read by
    `contract_term_rows`, names of linked organisations aside) and its holders' (identifier, published name).
    The import computes the same set from a record (`record_terms`), in its reader process."""
    # Written out term by term, with the cached parts (texts, CPV codes): the import runs it for every record.
    found = set(_text_terms(values["object"]))
    buyer_name = values["buyer_name"]
    if buyer_name:
        found |= _name_terms(BUYER_WORD, (buyer_name,))
    found.update(_cpv_terms(values["cpv"][:8]))
    found.update(_party_terms(values["buyer_identifier"], BUYER, BUYER_SIREN))
    for identifier, name in holders:
        if name:
            found |= _name_terms(HOLDER_WORD, (name,))
        found.update(_party_terms(identifier, HOLDER, HOLDER_SIREN))
    for prefix, value in ((PROCEDURE, values["procedure"]), (TYPE, values["contract_type"])):
        if value:
            found.add(prefix + value)
    found.add(SOCIAL + values["social_status"])
    if values["social_clause"]:
        found.add(SOCIAL + "clause")
    if values["social_criterion"]:
        found.add(SOCIAL + "criterion")
    if values["reserved"]:
        found.add(SOCIAL + "reserved")
    found.add(ENVIRONMENTAL + values["environmental_status"])
    if values["environmental_clause"]:
        found.add(ENVIRONMENTAL + "clause")
    if values["environmental_criterion"]:
        found.add(ENVIRONMENTAL + "criterion")
    departement = str(values["departement_id"] or "")  # the INSEE code (the key is `Departement.code`)
    if departement:
        found.add(DEPARTEMENT + departement)
        if departement in regions:
            found.add(REGION + regions[departement])
    return found


def region_codes() -> dict[str, str]:
    """Département code → région code."""
    return dict(Departement.objects.filter(region__isnull=False).values_list("code", "region__code"))


def contract_term_rows(contract_ids: Sequence[int]) -> list[TermRow]:
    """The index rows of these contracts as plain tuples (`TERM_COLUMNS`), read in three small queries: the
    contracts' columns, their holders, the régions of départements. Names are those published in the data and
    those of the linked organisations (the 2022 format publishes no buyer name: a buyer is found by the name Relais
    knows, when it knows one)."""
    regions = region_codes()
    holders: dict[int, list[tuple[str, str, str]]] = {}
    for contract_id, identifier, name, organisation_name in ContractHolder.objects.filter(
        contract_id__in=contract_ids
    ).values_list("contract_id", "identifier", "name", "organisation__name"):
        holders.setdefault(contract_id, []).append((identifier, name, organisation_name or ""))
    rows: list[TermRow] = []
    for values in Contract.objects.filter(pk__in=contract_ids).values(
        "pk", "buyer__name", "notified_on", "amount", *TERM_SOURCE_COLUMNS
    ):
        pk = values["pk"]
        parties = holders.get(pk, [])
        found = terms_of(values, [(identifier, name) for identifier, name, _ in parties], regions)
        found |= organisation_name_terms(
            buyer_name=values["buyer__name"] or "", holder_names=[known for _, _, known in parties]
        )
        key = sort_key(pk, values["notified_on"])
        cents = amount_cents(values["amount"])
        rows.extend((pk, term, key, cents) for term in sorted(found))
    return rows


def reindex_contracts(contract_ids: Iterable[int]) -> int:
    """Rebuild the index rows of these contracts and return the number of rows written. The loader calls it for
    the contracts each batch creates or changes, inside the batch's transaction; unknown ids are ignored.

    An import writes about thirty rows per contract: they go through the import's fast writer (`bulk.insert_rows`:
    COPY on PostgreSQL), never through model instances."""
    ids = list(dict.fromkeys(contract_ids))
    written = 0
    with transaction.atomic():
        for start in range(0, len(ids), _REINDEX_CHUNK):
            chunk = ids[start : start + _REINDEX_CHUNK]
            ContractTerm.objects.filter(contract_id__in=chunk).delete()
            rows = contract_term_rows(chunk)
            insert_rows(ContractTerm, TERM_COLUMNS, rows)
            written += len(rows)
    return written


def _index_sql(condition: str) -> str:
    """INSERT … SELECT of the index rows of the contracts matching `condition` (SQL over the alias `c`), from the
    terms the import stored with them (`Contract.search_terms`, a JSON list): one row per term, with the sort key
    and plausible amount computed as `sort_key` and `amount_cents` do."""
    quote = connection.ops.quote_name
    terms, contracts = quote(ContractTerm._meta.db_table), quote(Contract._meta.db_table)
    cap = int(MAX_PLAUSIBLE_AMOUNT)
    if connection.vendor == "postgresql":
        day = "(c.notified_on - DATE '0001-01-01' + 1)::bigint"
        cents = "(c.amount * 100)::bigint"
        source = f"{contracts} c CROSS JOIN LATERAL jsonb_array_elements_text(c.search_terms::jsonb) AS j(value)"
    else:
        day = "CAST(julianday(c.notified_on) - 1721424.5 AS INTEGER)"  # 0001-01-01 is day 1, as `date.toordinal`
        cents = "CAST(ROUND(c.amount * 100) AS INTEGER)"
        source = f"{contracts} c, json_each(c.search_terms) AS j"
    return (
        f"INSERT INTO {terms} (contract_id, term, sort_key, amount_cents) "  # noqa: S608 — names from the models
        f"SELECT c.id, j.value, ((CASE WHEN c.notified_on IS NULL THEN 0 ELSE {day} END) << {_ID_BITS}) | c.id, "
        f"CASE WHEN c.amount >= 0 AND c.amount <= {cap} THEN {cents} END "
        f"FROM {source} WHERE c.search_terms <> '' AND {condition}"
    )


def index_contracts(contract_ids: Iterable[int]) -> None:
    """Rebuild the index rows of these contracts, set-based from the terms the import stored with them; contracts
    written otherwise (no stored terms) are indexed by `reindex_contracts`."""
    ids = list(dict.fromkeys(contract_ids))
    if not ids:
        return
    quote = connection.ops.quote_name
    table = quote(ContractTerm._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), _REINDEX_CHUNK):
            chunk = ids[start : start + _REINDEX_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE contract_id IN ({marks})", chunk)  # noqa: S608
            cursor.execute(_index_sql(f"c.id IN ({marks})"), chunk)
        bare = Contract.objects.filter(pk__in=ids, search_terms="").values_list("pk", flat=True)
        reindex_contracts(list(bare))


def index_contracts_of_run(run_id: int) -> int:
    """Rebuild the index rows of every contract an import run created or changed (those it last wrote), in two
    statements; returns the number of rows written. When the index is empty (a first load) there is nothing to
    delete."""
    quote = connection.ops.quote_name
    table, contracts = quote(ContractTerm._meta.db_table), quote(Contract._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        indexed = ContractTerm.objects.exists()
        if indexed:
            cursor.execute(
                f"DELETE FROM {table} WHERE contract_id IN (SELECT id FROM {contracts} WHERE last_run_id = %s)",  # noqa: S608
                [run_id],
            )
        # Into an index already holding millions of rows, rows sorted in the order of its lookup index (term, sort
        # key) reach each of its pages once: 300,000 rows into 30 M took 4.2–4.9 s sorted, 5.7–6.8 s not. A first
        # load builds that index after this insert: no sort.
        cursor.execute(_index_sql("c.last_run_id = %s") + (" ORDER BY 2, 3" if indexed else ""), [run_id])
        written = int(cursor.rowcount)
        if connection.vendor == "postgresql":
            # A page of results reads its holders (and their organisations) by contract id: without statistics
            # (a first load, autovacuum not passed yet) PostgreSQL scans the whole table for them (36 ms at 150,000
            # contracts instead of 1.5 ms).
            for model in (ContractHolder, Organisation):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        return written


# ── The query ───────────────────────────────────────────────────────────────────────────────────────────────────────


def search_terms(params: ContractSearch) -> list[str]:
    """The terms a contract must all have to match `params`."""
    found = list(params.terms)
    if params.cpv:
        found.append(CPV + Cpv.prefix_of(params.cpv))
    for prefix, value in (
        (TYPE, params.type),
        (PROCEDURE, params.procedure),
        (SOCIAL, params.social),
        (ENVIRONMENTAL, params.environmental),
        (DEPARTEMENT, params.departement),
    ):
        if value:
            found.append(prefix + value)
    if params.region and not params.departement:
        found.append(REGION + params.region)
    for party, words, full, siren in (
        (params.buyer, BUYER_WORD, BUYER, BUYER_SIREN),
        (params.holder, HOLDER_WORD, HOLDER, HOLDER_SIREN),
    ):
        if party is None:
            continue
        if party.siret:
            found.append(full + party.siret)
        elif party.siren:
            found.append(siren + party.siren)
        found.extend((words + term)[:MAX_TERM_LENGTH] for term in party.terms)
    return list(dict.fromkeys(found))


def _posting_sizes(index_terms: list[str]) -> dict[str, int]:
    """How many contracts have each term, counted on the index and capped at POSTING_SIZE_CAP (only the shortest
    list matters, and a common term must not cost a full count), in one statement."""
    quote = connection.ops.quote_name
    table, term = quote(ContractTerm._meta.db_table), quote("term")
    parts = [
        f"SELECT {position} AS pos, COUNT(*) AS n FROM (SELECT 1 AS hit FROM {table} "  # noqa: S608
        f"WHERE {term} = %s LIMIT {POSTING_SIZE_CAP}) AS capped{position}"
        for position in range(len(index_terms))
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), index_terms)
        sizes = dict(cursor.fetchall())
    return {value: int(sizes.get(position, 0)) for position, value in enumerate(index_terms)}


def _cents_range(params: ContractSearch) -> tuple[int | None, int | None]:
    """The amount filters in cents, among plausible amounts (a minimum above them all matches nothing)."""
    low = high = None
    if params.amount_min is not None:
        low = int(min(params.amount_min, MAX_PLAUSIBLE_AMOUNT + Decimal("0.01")) * 100)
    if params.amount_max is not None:
        high = int(min(params.amount_max, MAX_PLAUSIBLE_AMOUNT) * 100)
    return low, high


def matching_keys(params: ContractSearch) -> QuerySet[Any, int]:
    """The contracts matching `params`, newest notification first (contracts without a date last), as a lazy query
    of keys: slice it for a page (`contract_id_of` gives the ids), count a slice of it for the capped count.

    With terms, the rarest one drives the query and every other one is a correlated EXISTS on the same sort key:
    both sides are read in the order of the (term, sort key, amount) index, which PostgreSQL merges and SQLite
    probes. Without terms (dates or amounts alone), the contracts' own indexes answer, with their ids as keys."""
    index_terms = search_terms(params)
    low, high = _cents_range(params)
    if not index_terms:
        contracts = Contract.objects.all()
        if params.notified_from:
            contracts = contracts.filter(notified_on__gte=params.notified_from)
        if params.notified_to:
            contracts = contracts.filter(notified_on__lte=params.notified_to)
        if low is not None or high is not None:
            contracts = contracts.filter(amount__gte=Decimal(low or 0) / 100)
            contracts = contracts.filter(amount__lte=Decimal(high) / 100 if high is not None else MAX_PLAUSIBLE_AMOUNT)
        # On PostgreSQL the index `contract_recent` (notified_on DESC NULLS LAST, id DESC) serves this order.
        ordered = contracts.order_by(F("notified_on").desc(nulls_last=True), F("pk").desc())
        return ordered.values_list("pk", flat=True)  # ids, whose low 32 bits are themselves
    sizes = _posting_sizes(index_terms)
    if min(sizes.values()) == 0:
        return ContractTerm.objects.none().values_list("sort_key", flat=True)
    driver, *others = sorted(index_terms, key=lambda value: sizes[value])
    postings = ContractTerm.objects.filter(term=driver)
    if params.notified_from:
        postings = postings.filter(sort_key__gte=_day_key(params.notified_from))
    if params.notified_to:
        postings = postings.filter(
            sort_key__gte=_day_key(dt.date.min), sort_key__lt=_day_key(params.notified_to) + (1 << _ID_BITS)
        )
    if low is not None:
        postings = postings.filter(amount_cents__gte=low)
    if high is not None:
        postings = postings.filter(amount_cents__lte=high)
    for other in others:
        postings = postings.filter(Exists(ContractTerm.objects.filter(term=other, sort_key=OuterRef("sort_key"))))
    return postings.order_by("-sort_key").values_list("sort_key", flat=True)


def contracts_in_order(ids: Sequence[int]) -> list[Contract]:
    """The contracts of these ids, in that order, with what a row of results shows (holders in the file's order)."""
    found = (
        Contract.objects.filter(pk__in=ids)
        .select_related("departement")
        .prefetch_related(
            Prefetch("holders", queryset=ContractHolder.objects.select_related("organisation").order_by("rank"))
        )
    )
    by_id = {contract.pk: contract for contract in found}
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass
class ContractPage:
    contracts: list[Contract]
    total: int  # at most `cap`
    capped: bool  # more than `cap` contracts match
    page: int
    num_pages: int
    params: ContractSearch
    cap: int = COUNT_CAP

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.contracts else 0

    @property
    def end_index(self) -> int:
        return (self.page - 1) * PAGE_SIZE + len(self.contracts)


def search_contracts(params: ContractSearch) -> ContractPage:
    """One page of the contracts matching `params`, newest first, and their number counted up to COUNT_CAP.
    Pages stop at COUNT_CAP results too: past that, filters are the way."""
    keys = matching_keys(params)
    found = keys.order_by()[: COUNT_CAP + 1].count()
    total = min(found, COUNT_CAP)
    num_pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(params.page, num_pages)
    start = (page - 1) * PAGE_SIZE
    page_keys = list(keys[start : start + PAGE_SIZE]) if total else []
    contracts = contracts_in_order([contract_id_of(key) for key in page_keys])
    return ContractPage(
        contracts=contracts,
        total=total,
        capped=found > COUNT_CAP,
        page=page,
        num_pages=num_pages,
        params=replace(params, page=page),
        cap=COUNT_CAP,
    )


def contracts_for_export(params: ContractSearch, *, limit: int = EXPORT_LIMIT) -> tuple[int, bool, Iterator[Contract]]:
    """The number of matching contracts counted up to `limit`, whether there are more, and an iterator over at most
    `limit` of them in the search order, read 500 at a time."""
    keys = list(matching_keys(params)[: limit + 1])
    capped = len(keys) > limit
    ids = [contract_id_of(key) for key in keys[:limit]]

    def rows() -> Iterator[Contract]:
        for start in range(0, len(ids), 500):
            yield from contracts_in_order(ids[start : start + 500])

    return len(ids), capped, rows()
