"""Public pages of case sheets: the search page, a sheet, its attachments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from relais.casesheets import perms
from relais.casesheets.enums import ReservedBasis, SheetStatus, Technique, Visibility
from relais.casesheets.history import sheet_history
from relais.casesheets.models import Attachment, CaseSheet, SheetBuyer, Stakeholder
from relais.casesheets.queries import (
    EXPORT_LIMIT,
    FACETS,
    FacetCount,
    SearchResult,
    SheetSearch,
    facet_labels,
    search_sheets,
)
from relais.networks.perms import member_network_ids
from relais.organisations.models import OrganisationStructure
from relais.web.downloads import sandboxed_file
from relais.web.paging import ActiveFilter, PageLink, page_links

# Sidebar titles of the facets (the query-string names are those of SheetSearch).
FACET_TITLES: dict[str, str] = {
    "theme": "Thème",
    "cpv": "Code CPV (division)",
    "type": "Type de marché",
    "procedure": "Procédure",
    "social": "Considérations sociales",
    "environmental": "Considérations environnementales",
    "reserved": "Marché réservé",
    "other": "Autres pratiques",
    "structure": "Type de structure titulaire",
    "region": "Région",
    "departement": "Département",
    "year": "Année de notification",
    "network": "Réseau",
}
# Facets opened by default in the sidebar; the others stay folded unless one of their values is selected.
OPEN_FACETS = frozenset({"theme", "social", "environmental"})
ORDER_LABELS = {"relevance": "Pertinence", "-date": "Les plus récentes", "date": "Les plus anciennes"}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    input_id: str


@dataclass
class FacetGroup:
    name: str
    title: str
    options: list[FacetOption]
    expanded: bool


def _facet_groups(result: SearchResult, labels: dict[str, dict[str, str]]) -> list[FacetGroup]:
    groups: list[FacetGroup] = []
    for name in FACETS:
        counts = list(result.facets.get(name, []))
        present = {c.value for c in counts}
        # A selected value may have no result left (two exclusive values): keep it so that it can be unticked.
        counts += [
            FacetCount(value=v, count=0, selected=True) for v in getattr(result.params, name) if v not in present
        ]
        if name == "year":
            counts.sort(key=lambda c: c.value, reverse=True)
        options = [
            FacetOption(
                value=c.value,
                label=labels.get(name, {}).get(c.value, c.value),
                count=c.count,
                selected=c.selected,
                input_id=f"facet-{name}-{re.sub(r'[^a-zA-Z0-9_-]', '-', c.value)}",
            )
            for c in counts
        ]
        if options:
            expanded = name in OPEN_FACETS or any(o.selected for o in options)
            groups.append(FacetGroup(name=name, title=FACET_TITLES[name], options=options, expanded=expanded))
    return groups


def _active_filters(params: SheetSearch, labels: dict[str, dict[str, str]]) -> list[ActiveFilter]:
    active = (
        [ActiveFilter(title=_("Recherche"), label=params.q, remove_query=params.urlencode(q=""))] if params.q else []
    )
    for name, value in params.selected():
        label = labels.get(name, {}).get(value, value)
        active.append(ActiveFilter(title=FACET_TITLES[name], label=label, remove_query=params.without(name, value)))
    return active


def _page_links(result: SearchResult) -> list[PageLink]:
    return page_links(page=result.page, num_pages=result.num_pages, query=lambda n: result.params.urlencode(page=n))


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search published sheets by words and facets; everything lives in the query string, so a search is a link."""
    params = SheetSearch.from_querydict(request.GET)
    result = search_sheets(params, member_network_ids(request.user))
    selected: dict[str, list[FacetCount]] = {
        name: [FacetCount(value=v, count=0, selected=True) for v in getattr(params, name)] for name in FACETS
    }
    labels = facet_labels({name: [*result.facets.get(name, []), *selected[name]] for name in FACETS})
    base_query = result.params.urlencode(page=1)
    context: dict[str, Any] = {
        "params": result.params,
        "result": result,
        "facet_groups": _facet_groups(result, labels),
        "active_filters": _active_filters(result.params, labels),
        "page_links": _page_links(result) if result.num_pages > 1 else [],
        "previous_query": result.params.urlencode(page=result.page - 1) if result.has_previous else "",
        "next_query": result.params.urlencode(page=result.page + 1) if result.has_next else "",
        "first_query": result.params.urlencode(page=1),
        "last_query": result.params.urlencode(page=result.num_pages),
        "base_query": base_query,
        "feed_query": urlencode_public(result.params),
        "orders": ORDER_LABELS.items(),
        "export_limit": EXPORT_LIMIT,
        "export_truncated": result.total > EXPORT_LIMIT,
    }
    return render(request, "web/sheets/search.html", context)


def urlencode_public(params: SheetSearch) -> str:
    """The query of the Atom feed: the same words and filters, without page nor order (a feed is newest first)."""
    return params.urlencode(page=1, order="relevance")


def _detail_queryset() -> Any:
    return CaseSheet.objects.select_related(
        "network", "author", "main_cpv", "departement__region", "region"
    ).prefetch_related(
        "themes",
        "additional_cpvs",
        "criteria",
        "impacts",
        "attachments",
        "links",
        Prefetch("buyers", queryset=SheetBuyer.objects.select_related("organisation").order_by("role", "id")),
        Prefetch(
            "stakeholders",
            queryset=Stakeholder.objects.select_related("organisation").prefetch_related(
                Prefetch("organisation__structures", queryset=OrganisationStructure.objects.order_by("structure_type"))
            ),
        ),
    )


def _viewable_sheet(request: HttpRequest, public_id: UUID, queryset: Any = None) -> CaseSheet:
    """The sheet, or 404 when the reader may not see it: a members-only or unpublished sheet must not reveal
    that it exists (same answer as for an unknown identifier)."""
    sheet: CaseSheet = get_object_or_404(queryset if queryset is not None else CaseSheet.objects, public_id=public_id)
    if not perms.can_view(request.user, sheet):
        raise Http404
    return sheet


@require_GET
def detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    sheet = _viewable_sheet(request, public_id, _detail_queryset())
    technique_labels = dict(Technique.choices)
    amount_kind = "exact" if sheet.amount_exact is not None else "range" if sheet.amount_min or sheet.amount_max else ""
    context = {
        "sheet": sheet,
        "is_published": sheet.status == SheetStatus.PUBLISHED,
        "is_members_only": sheet.visibility == Visibility.MEMBERS,
        "techniques": [str(technique_labels.get(t, t)) for t in sheet.techniques or []],
        "amount_kind": amount_kind,
        "reserved_label": ReservedBasis(sheet.reserved_basis).label if sheet.reserved_basis else "",
        "region": sheet.region or (sheet.departement.region if sheet.departement else None),
        "criteria_total": sheet.criteria_weight_total(),
        "can_edit": perms.can_edit(request.user, sheet),
        "can_submit": perms.can_submit(request.user, sheet),
        "can_review": perms.can_review(request.user, sheet),
        "can_unpublish": perms.can_unpublish(request.user, sheet),
        "history": sheet_history(sheet) if perms.can_see_history(request.user, sheet) else None,
        "breadcrumb_data": {
            "links": [{"url": reverse("web:sheet_search"), "title": _("Fiches retour d'expérience")}],
            "current": sheet.title,
        },
    }
    response = render(request, "web/sheets/detail.html", context)
    if sheet.visibility != Visibility.PUBLIC or sheet.status != SheetStatus.PUBLISHED:
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def attachment(request: HttpRequest, public_id: UUID, attachment_id: UUID) -> FileResponse:
    """Download an attachment of a sheet the reader may see. Always as a download (never rendered in the page's
    origin) and with nosniff, so an uploaded HTML or SVG file cannot run as a page of the site."""
    sheet = _viewable_sheet(request, public_id)
    item = get_object_or_404(Attachment, sheet=sheet, public_id=attachment_id)
    return sandboxed_file(
        item.file,
        filename=item.original_name or f"piece-jointe-{item.public_id}",
        content_type=item.content_type,
        private=sheet.visibility != Visibility.PUBLIC or sheet.status != SheetStatus.PUBLISHED,
    )
