"""Search index of published case sheets (see ADR 0003).

Published sheets are flattened into two tables kept by the workflow services:
- `SheetTerm`: one row per stemmed term with a weight (title 8, summary/themes/CPV 4, body 1), for full text;
- `SheetFacet`: one row per facet value (theme, CPV division, contract type, procedure, social and environmental
  consideration kinds, reserved basis, supplier structure type, région, département, year, network), plus one
  `cpv` row per significant prefix of each CPV code of the sheet (55524000 → 55, 555, 5552, 55524), so that
  "this code and everything under it" is one indexed equality lookup instead of a LIKE over a join.
The same rows, the same queries: results are identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from relais.core.text import terms
from relais.reference.models import Cpv

from .enums import EnvironmentalConsideration, SheetStatus, SocialConsideration, StakeholderRole
from .models import CaseSheet, SheetFacet, SheetTerm

TITLE_WEIGHT = 8
SUMMARY_WEIGHT = 4
BODY_WEIGHT = 1


def weight_tier(weight: int) -> int:
    """What one word adds to a sheet's relevance: 3 when it weighs like a title word, 2 like a summary, theme, CPV
    or organisation word (or a word repeated in the body), 1 otherwise. Tiers rather than raw weights keep the
    ranking exact with the in-memory bitmaps of the search snapshot (ADR 0007)."""
    return 3 if weight >= TITLE_WEIGHT else 2 if weight >= SUMMARY_WEIGHT else 1


MAX_TERM_LENGTH = 40
INDEX_VERSION_KEY = "casesheets:search-index-version"

# Stakeholder roles whose organisation's structure types describe "the supplier" of the contract.
SUPPLIER_ROLES = frozenset({StakeholderRole.HOLDER, StakeholderRole.CO_CONTRACTOR, StakeholderRole.SUBCONTRACTOR})


def sheet_term_weights(sheet: CaseSheet) -> dict[str, int]:
    """Stemmed terms of a sheet with their summed weights, capped so that repetition cannot game relevance."""
    weighted: Counter[str] = Counter()

    def add(text: str, weight: int) -> None:
        for term in terms(text):
            weighted[term[:MAX_TERM_LENGTH]] += weight

    add(sheet.title, TITLE_WEIGHT)
    add(sheet.summary, SUMMARY_WEIGHT)
    for theme in sheet.themes.all():
        add(theme.label, SUMMARY_WEIGHT)
    add(sheet.main_cpv.label_fr, SUMMARY_WEIGHT)
    for cpv in sheet.additional_cpvs.all():
        add(cpv.label_fr, BODY_WEIGHT)
    for text in (
        sheet.context,
        sheet.actions,
        sheet.value_for_buyer,
        sheet.value_for_supplier,
        sheet.lessons,
        sheet.advice,
        sheet.lots_description,
        sheet.labels_required,
    ):
        add(text, BODY_WEIGHT)
    for criterion in sheet.criteria.all():
        add(criterion.label, BODY_WEIGHT)
    for impact in sheet.impacts.all():
        add(f"{impact.label} {impact.unit}", BODY_WEIGHT)
    for buyer in sheet.buyers.all():
        add(buyer.organisation.name, SUMMARY_WEIGHT)
    for stakeholder in sheet.stakeholders.all():
        add(stakeholder.organisation.name, SUMMARY_WEIGHT)
    return {term: min(weight, 100) for term, weight in weighted.items()}


def cpv_prefixes(code8: str) -> list[str]:
    """Every hierarchy level a code belongs to, as significant prefixes: "55524000" → 55, 555, 5552, 55524.

    `Cpv.prefix_of` of any ancestor code is one of them, so a filter on a code is `value = prefix_of(code)`."""
    significant = Cpv.prefix_of(code8)
    return [significant[:length] for length in range(2, len(significant) + 1)]


def sheet_facets(sheet: CaseSheet) -> set[tuple[str, str]]:
    """(facet, value) pairs of a sheet. Facet names are the query-string parameters of the search page."""
    facets: set[tuple[str, str]] = {
        ("type", sheet.contract_type),
        ("procedure", sheet.procedure),
        ("network", sheet.network.slug),
        ("division", sheet.main_cpv.division),
    }
    facets.update(("theme", theme.slug) for theme in sheet.themes.all())
    facets.update(("division", cpv.division) for cpv in sheet.additional_cpvs.all())
    for cpv in [sheet.main_cpv, *sheet.additional_cpvs.all()]:
        facets.update(("cpv", prefix) for prefix in cpv_prefixes(cpv.code8))
    if sheet.has_insertion_clause:
        facets.add(("social", SocialConsideration.INSERTION_CLAUSE))
    if sheet.has_social_criterion:
        facets.add(("social", SocialConsideration.SOCIAL_CRITERION))
    if sheet.reserved_basis:
        facets.add(("social", SocialConsideration.RESERVED))
        facets.add(("reserved", sheet.reserved_basis))
    if sheet.has_environmental_clause:
        facets.add(("environmental", EnvironmentalConsideration.CLAUSE))
    if sheet.has_environmental_criterion:
        facets.add(("environmental", EnvironmentalConsideration.CRITERION))
    if sheet.labels_required:
        facets.add(("environmental", EnvironmentalConsideration.LABELS))
    if sheet.is_fair_trade:
        facets.add(("other", "fair_trade"))
    if sheet.is_innovative:
        facets.add(("other", "innovative"))
    for stakeholder in sheet.stakeholders.all():
        if stakeholder.role in SUPPLIER_ROLES:
            facets.update(("structure", s.structure_type) for s in stakeholder.organisation.structures.all())
    if sheet.departement:
        facets.add(("departement", sheet.departement.code))
    region = sheet.region or (sheet.departement.region if sheet.departement else None)
    if region:
        facets.add(("region", region.code))
    if sheet.notification_date:
        facets.add(("year", str(sheet.notification_date.year)))
    return facets


def index_rows(sheet: CaseSheet) -> tuple[list[SheetTerm], list[SheetFacet]]:
    """Unsaved index rows of one sheet (also used by the benchmark generator to bulk-insert)."""
    term_rows = [SheetTerm(sheet=sheet, term=t, weight=w) for t, w in sheet_term_weights(sheet).items()]
    facet_rows = [SheetFacet(sheet=sheet, facet=f, value=v) for f, v in sorted(sheet_facets(sheet))]
    return term_rows, facet_rows


def index_version() -> str:
    """A token that changes whenever the index changes; cached search figures are keyed on it."""
    return str(cache.get_or_set(INDEX_VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None))


def _bump_index_version() -> None:
    cache.set(INDEX_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _enqueue_snapshot_rebuild() -> None:
    from .snapshot import rebuild_search_snapshot  # the snapshot module builds on this one

    rebuild_search_snapshot.enqueue()


def reindex_sheets(sheets: Iterable[CaseSheet]) -> None:
    """Bring the index of these sheets up to date: published ones are (re)indexed, others removed."""
    sheets = list(sheets)
    # Bumped now and again once committed: a reader who cached figures in between computed them on the old rows.
    _bump_index_version()
    transaction.on_commit(_bump_index_version)
    transaction.on_commit(_enqueue_snapshot_rebuild)
    with transaction.atomic():
        ids = [s.pk for s in sheets]
        SheetTerm.objects.filter(sheet_id__in=ids).delete()
        SheetFacet.objects.filter(sheet_id__in=ids).delete()
        term_rows: list[SheetTerm] = []
        facet_rows: list[SheetFacet] = []
        for sheet in sheets:
            if sheet.status != SheetStatus.PUBLISHED:
                continue
            terms_of_sheet, facets_of_sheet = index_rows(sheet)
            term_rows.extend(terms_of_sheet)
            facet_rows.extend(facets_of_sheet)
        SheetTerm.objects.bulk_create(term_rows, batch_size=2000)
        SheetFacet.objects.bulk_create(facet_rows, batch_size=2000)


def reindex_sheet(sheet: CaseSheet) -> None:
    reindex_sheets([sheet])
