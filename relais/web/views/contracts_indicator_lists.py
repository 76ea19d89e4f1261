"""Lists of buyers of the public-contract data (issue 4): the legal checks per buyer and the buyers likely obliged to
adopt a SPASER, in a territory or a network, each with its CSV and XLSX exports. Read from the cubes.

Narrowed to a network, a list tells who its members are, which is members-only in Relais: only the network's members
may ask for it (`perms.can_read_member_figures`); the select offers the networks the reader belongs to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from relais.contracts import perms
from relais.contracts.compliance import (
    BuyerCompliance,
    Check,
    CheckCounts,
    compliance_by_buyer,
    compliance_for,
    environmental_obligation_date,
    proxy_note,
    social_obligation_date,
)
from relais.contracts.cubes import latest_refresh
from relais.contracts.indicators import Country, indicator_years
from relais.contracts.spaser import ESTIMATE_LABEL, SpaserEstimate, spaser_likely_obliged, spaser_threshold
from relais.networks.models import Network
from relais.networks.perms import member_network_ids

from ..forms.contracts_indicators import ALL_YEARS, TOP_CHOICES, IndicatorFilters, perimeter_groups
from ..indicator_report import check_rows, percent, percent_text
from ..spreadsheets import table_download
from .contracts_indicators import SOURCE_NOTE, observatory_breadcrumb, year_choices

SPASER_ORDER_LABELS = [("montant", "Montant notifié"), ("nom", "Nom de l'acheteur"), ("marches", "Nombre de marchés")]
SPASER_ORDERS = tuple(value for value, _label in SPASER_ORDER_LABELS)


def _list_filters(request: HttpRequest, *, orders: tuple[str, ...] = ("",)) -> IndicatorFilters | HttpResponse:
    """The filters of a list of buyers. A network narrows it to its members, whom only they may see: an anonymous
    visitor is sent to the login page, anyone else refused."""
    filters = IndicatorFilters.from_querydict(request.GET, orders=orders)
    network = filters.perimeter.network
    if network is not None and not perms.can_read_member_figures(request.user, network):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return filters


def _readable_networks(request: HttpRequest) -> list[Network]:
    """The networks a reader may narrow a list of buyers to."""
    return list(Network.objects.filter(pk__in=member_network_ids(request.user)).order_by("name"))


@dataclass(frozen=True)
class ComplianceRow:
    """One buyer's figures for the check listed: contracts subject to it, without the consideration, unknown; for
    the social check, also those notified since the obligation (`bound`)."""

    identifier: str
    name: str
    counts: CheckCounts
    bound: CheckCounts | None

    @property
    def rate(self) -> Decimal | None:
        return percent(self.counts.rate_without)


@dataclass(frozen=True)
class ComplianceList:
    filters: IndicatorFilters
    year: int | None
    year_problem: str
    years: list[int]
    since: dt.date | None
    rows: list[ComplianceRow]


def _compliance_row(item: BuyerCompliance, check: Check) -> ComplianceRow:
    if check == Check.ENVIRONMENTAL:
        return ComplianceRow(item.identifier, item.name, item.compliance.environmental, None)
    return ComplianceRow(
        item.identifier, item.name, item.compliance.social_above_threshold, item.compliance.social_bound
    )


def _compliance_list(request: HttpRequest) -> ComplianceList | HttpResponse:
    filters = _list_filters(request)
    if isinstance(filters, HttpResponse):
        return filters
    years = indicator_years(filters.perimeter.scope)
    year, year_problem = filters.year_in(years)
    check = filters.check
    items = compliance_by_buyer(filters.perimeter.scope, check=check, years=[year] if year else None, limit=filters.top)
    since = environmental_obligation_date() if check == Check.ENVIRONMENTAL else social_obligation_date()
    rows = [_compliance_row(item, check) for item in items]
    return ComplianceList(filters, year, year_problem, years, since, rows)


@require_GET
def indicator_compliance(request: HttpRequest) -> HttpResponse:
    """Buyers subject to a legal check, those with the most contracts failing it first, in a territory or (for its
    members) a network, with the totals of the perimeter and the note on the notification date."""
    result = _compliance_list(request)
    if isinstance(result, HttpResponse):
        return result
    filters = result.filters
    compliance = compliance_for(filters.perimeter.scope, years=[result.year] if result.year else None)
    context = {
        "filters": filters,
        "perimeter": filters.perimeter,
        "perimeter_groups": perimeter_groups(_readable_networks(request)),
        "problems": [problem for problem in [result.year_problem, *filters.problems.values()] if problem],
        "year_choices": year_choices(result.years),
        "selected_year": str(result.year) if result.year is not None else ALL_YEARS,
        "checks": Check.choices,
        "check": filters.check,
        "top_choices": TOP_CHOICES,
        "rows": result.rows,
        "check_rows": check_rows(compliance),
        "since": result.since,
        "proxy_note": proxy_note(result.since) if result.since else "",
        "export_query": filters.query(
            annee=result.year if result.year is not None else ALL_YEARS, controle=filters.check, nombre=filters.top
        ),
        "refresh": latest_refresh(),
        "breadcrumb_data": observatory_breadcrumb("Contrôles légaux par acheteur"),
    }
    return render(request, "web/contracts/compliance.html", context)


COMPLIANCE_HEADER = (
    "Identifiant de l'acheteur",
    "Acheteur",
    "Contrôle",
    "Marchés soumis",
    "Sans considération",
    "Considération inconnue",
    "Taux sans considération, parmi les connus (%)",
    "Dont notifiés depuis l'obligation",
    "Dont notifiés depuis l'obligation, sans considération",
)


def _compliance_export(request: HttpRequest, fmt: str) -> HttpResponse:
    result = _compliance_list(request)
    if isinstance(result, HttpResponse):
        return result
    check = result.filters.check
    rows = [
        [
            row.identifier,
            row.name,
            str(check.label),
            row.counts.subject,
            row.counts.without,
            row.counts.unknown,
            row.rate,
            row.bound.subject if row.bound else None,
            row.bound.without if row.bound else None,
        ]
        for row in result.rows
    ]
    period = str(result.year) if result.year is not None else "toutes les années"
    return table_download(
        fmt,
        stem=f"controles-{check.value}-{result.filters.perimeter.value}",
        header=COMPLIANCE_HEADER,
        rows=rows,
        sheet="Contrôles",
        about=[
            f"{check.label} — {result.filters.perimeter.label}, {period}",
            *([proxy_note(result.since)] if result.since else []),
            SOURCE_NOTE,
        ],
    )


@require_GET
def indicator_compliance_csv(request: HttpRequest) -> HttpResponse:
    return _compliance_export(request, "csv")


@require_GET
def indicator_compliance_xlsx(request: HttpRequest) -> HttpResponse:
    return _compliance_export(request, "xlsx")


@dataclass(frozen=True)
class SpaserList:
    filters: IndicatorFilters
    year: int | None
    year_problem: str
    years: list[int]
    estimates: list[SpaserEstimate]


_SPASER_SORTS: dict[str, Callable[[SpaserEstimate], Any]] = {
    "montant": lambda estimate: (-estimate.amount, estimate.siren),
    "nom": lambda estimate: (estimate.name.casefold(), estimate.siren),
    "marches": lambda estimate: (-estimate.contracts, estimate.siren),
}


def _spaser_list(request: HttpRequest) -> SpaserList | HttpResponse:
    filters = _list_filters(request, orders=SPASER_ORDERS)
    if isinstance(filters, HttpResponse):
        return filters
    # Years of the whole country: a buyer's amounts count everywhere, whatever the perimeter.
    years = indicator_years(Country())
    year, year_problem = filters.year_in(years)
    if year is None and years:  # the obligation is yearly: "every year" is not a choice here
        year = years[-1]
    scope = None if isinstance(filters.perimeter.scope, Country) else filters.perimeter.scope
    estimates = spaser_likely_obliged(year, scope=scope) if year is not None else []
    return SpaserList(filters, year, year_problem, years, sorted(estimates, key=_SPASER_SORTS[filters.order]))


@require_GET
def indicator_spaser(request: HttpRequest) -> HttpResponse:
    """Buyers whose amounts notified in a year exceed the SPASER threshold of that year: an estimate of the legal
    basis, sortable and exportable, in a territory or (for its members) a network."""
    result = _spaser_list(request)
    if isinstance(result, HttpResponse):
        return result
    filters = result.filters
    context = {
        "filters": filters,
        "perimeter": filters.perimeter,
        "perimeter_groups": perimeter_groups(_readable_networks(request)),
        "problems": [problem for problem in [result.year_problem, *filters.problems.values()] if problem],
        "year_choices": [(str(year), str(year)) for year in reversed(result.years)],
        "selected_year": str(result.year or ""),
        "year": result.year,
        "estimates": [(estimate, percent_text(estimate.share_of_threshold)) for estimate in result.estimates],
        "threshold": spaser_threshold(result.year) if result.year else None,
        "orders": SPASER_ORDER_LABELS,
        "estimate_label": ESTIMATE_LABEL,
        "export_query": filters.query(annee=result.year or "", tri=filters.order),
        "refresh": latest_refresh(),
        "breadcrumb_data": observatory_breadcrumb("SPASER : acheteurs probablement soumis"),
    }
    return render(request, "web/contracts/spaser.html", context)


def _spaser_export(request: HttpRequest, fmt: str) -> HttpResponse:
    result = _spaser_list(request)
    if isinstance(result, HttpResponse):
        return result
    return table_download(
        fmt,
        stem=f"spaser-{result.year or ''}-{result.filters.perimeter.value}",
        header=SPASER_HEADER,
        rows=_spaser_rows(result.estimates),
        sheet="SPASER (estimation)",
        about=[
            f"Acheteurs probablement soumis à l'obligation d'adopter un SPASER en {result.year} — "
            f"{result.filters.perimeter.label}",
            f"{ESTIMATE_LABEL}.",
            SOURCE_NOTE,
        ],
    )


@require_GET
def indicator_spaser_csv(request: HttpRequest) -> HttpResponse:
    return _spaser_export(request, "csv")


@require_GET
def indicator_spaser_xlsx(request: HttpRequest) -> HttpResponse:
    return _spaser_export(request, "xlsx")


def _spaser_rows(estimates: list[SpaserEstimate]) -> list[list[Any]]:
    return [
        [
            estimate.siren,
            estimate.name,
            estimate.year,
            estimate.amount,
            estimate.contracts,
            estimate.valued,
            estimate.threshold,
            percent(estimate.share_of_threshold),
            estimate.likely_obliged,
            estimate.partial,
        ]
        for estimate in estimates
    ]


SPASER_HEADER = (
    "SIREN",
    "Acheteur",
    "Année",
    "Montant notifié estimé (€ HT)",
    "Marchés",
    "Marchés au montant vraisemblable",
    "Seuil SPASER de l'année (€ HT)",
    "Part du seuil (%)",
    "Probablement soumis (estimation)",
    "Année incomplète",
)
