"""Indicator pages of the public-contract data (issue 4): a buyer's dashboard and the observatory of a territory or
a network, each with its CSV and XLSX exports (the lists of buyers — checks, SPASER — are in
`contracts_indicator_lists`).

The figures are public data (DECP, Licence Ouverte) read from the pre-aggregated cubes, never by scanning the
contracts (the only contracts read are a buyer's own non-compliant ones, a page at a time). One thing is not
public: who the members of a network are. A network's totals are public; its per-member table is for its members
(`perms.can_read_member_figures`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from relais.contracts import perms
from relais.contracts.compliance import Check, non_compliant_contracts, proxy_note
from relais.contracts.cubes import latest_refresh
from relais.contracts.indicators import (
    Buyer,
    Country,
    Departement,
    NetworkScope,
    Scope,
    indicators_for,
)
from relais.contracts.models import Contract
from relais.contracts.observatory import (
    BuyerDepartement,
    buyer_departement,
    buyer_networks,
    buyer_organisation,
    buyer_siren,
    member_figures,
)
from relais.contracts.spaser import ESTIMATE_LABEL, spaser_estimates_for
from relais.networks.models import Network

from ..forms.contracts_indicators import ALL_YEARS, IndicatorFilters, perimeter_groups
from ..indicator_report import (
    EXPORT_HEADER,
    Report,
    breakdown_panels,
    check_rows,
    comparison_panels,
    comparison_table,
    percent_text,
    report_for,
    report_rows,
    yearly_share_panels,
    yearly_table,
)
from ..spreadsheets import table_download

OBSERVATORY_TITLE = "Observatoire de l'achat public responsable"
CONTRACTS_PER_PAGE = 20
# A DECP buyer in an address as published: a SIRET, a SIREN (9 digits: every establishment) or another identifier.
_BUYER_IDENTIFIER = re.compile(r"[0-9A-Za-z]{1,40}")
SOURCE_NOTE = "Source : données essentielles de la commande publique (DECP), Licence Ouverte 2.0."


def observatory_breadcrumb(current: str, *, observatory: bool = True) -> dict[str, Any]:
    """The breadcrumb of the indicator pages: the observatory, then the page."""
    links = [{"url": reverse("web:indicator_observatory"), "title": OBSERVATORY_TITLE}] if observatory else []
    return {"links": links, "current": current}


def _common(report: Report) -> dict[str, Any]:
    """The sections every dashboard shares: per-year charts and tables, comparison, breakdowns, legal checks."""
    since = report.compliance.environmental_since
    return {
        "report": report,
        "yearly_panels": yearly_share_panels(report),
        "yearly_tables": [yearly_table(report, by_value=False), yearly_table(report, by_value=True)],
        "comparison_panels": comparison_panels(report),
        "comparison_table": comparison_table(report) if report.comparisons else None,
        "breakdown_panels": breakdown_panels(report),
        "check_rows": check_rows(report.compliance),
        "proxy_note": proxy_note(since) if since else "",
        "refresh": latest_refresh(),
    }


def year_choices(years: Sequence[int]) -> list[tuple[str, str]]:
    """The options of the year select: the latest year first, then every year together."""
    return [(str(year), str(year)) for year in reversed(years)] + [(ALL_YEARS, "Toutes les années")]


def _report_about(report: Report) -> list[str]:
    return [
        f"Indicateurs d'achat responsable : {report.label} ({report.main.kind}), sélection : {report.period_label}",
        "Parts des considérations calculées parmi les marchés dont les considérations sont connues ; montants : "
        "montants initiaux vraisemblables seulement.",
        *(f"Repère : {target.label} — objectif national non contraignant" for target in report.targets),
    ]


# ── A buyer's dashboard ─────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class BuyerView:
    buyer: Buyer
    report: Report
    networks: list[Network]
    departement: BuyerDepartement | None
    filters: IndicatorFilters
    year_problem: str


def _buyer_view(request: HttpRequest, identifier: str) -> BuyerView:
    """The buyer of the address (404 when it is not an identifier or has no contract) and its report."""
    if not _BUYER_IDENTIFIER.fullmatch(identifier):
        raise Http404
    buyer = Buyer(identifier)
    main = indicators_for(buyer)  # every year of the buyer: the years to choose from, and the report's own figures
    years = list(main.years)
    if not years:
        raise Http404
    filters = IndicatorFilters.from_querydict(request.GET)
    year, year_problem = filters.year_in(years)
    organisation = buyer_organisation(buyer)
    networks = buyer_networks(buyer)
    departement = buyer_departement(buyer, organisation)
    comparisons: list[tuple[str, Scope]] = [("réseau", NetworkScope(network)) for network in networks]
    if departement is not None:
        comparisons.append(("département", Departement(departement.departement.code)))
    comparisons.append(("pays", Country()))
    report = report_for(buyer, kind="acheteur", year=year, comparisons=comparisons, main=main)
    return BuyerView(buyer, report, networks, departement, filters, year_problem)


@dataclass(frozen=True)
class ContractPage:
    """One page of a buyer's contracts failing a check, with the queries of the pages around it."""

    check: Check
    page: Page[Contract]
    previous_query: str
    next_query: str


def _contract_page(request: HttpRequest, buyer: Buyer, check: Check, param: str) -> ContractPage:
    contracts = non_compliant_contracts(buyer, check=check).select_related("departement")
    page = Paginator(contracts, CONTRACTS_PER_PAGE).get_page(request.GET.get(param))
    params = request.GET.copy()

    def query(number: int) -> str:
        params[param] = str(number)
        return f"{params.urlencode()}#controles"

    return ContractPage(
        check=check,
        page=page,
        previous_query=query(page.previous_page_number()) if page.has_previous() else "",
        next_query=query(page.next_page_number()) if page.has_next() else "",
    )


def _comparison_note(view: BuyerView) -> str:
    """Where the scopes a buyer is compared with come from."""
    parts = []
    if view.networks:
        parts.append("Réseaux : ceux dont l'organisation de cet acheteur (même SIREN) est adhérente.")
    if view.departement is not None:
        origin = (
            "celui de son organisation dans Relais"
            if view.departement.from_organisation
            else "celui où sont exécutés la plupart de ses marchés (les données ne donnent pas l'adresse de l'acheteur)"
        )
        parts.append(f"Département : {origin}.")
    return " ".join(parts)


@require_GET
def indicator_buyer(request: HttpRequest, identifier: str) -> HttpResponse:
    """A buyer's dashboard: its figures per year, compared with its networks, its département and the country, its
    breakdowns, its legal checks with the contracts that fail them, and its SPASER estimate. Public data."""
    view = _buyer_view(request, identifier)
    report = view.report
    context = _common(report) | {
        "buyer": view.buyer,
        "siren": buyer_siren(view.buyer),
        "networks": view.networks,
        "departement": view.departement,
        "filters": view.filters,
        "problems": [problem for problem in [view.year_problem, *view.filters.problems.values()] if problem],
        "year_choices": year_choices(report.years),
        "selected_year": str(report.year) if report.year is not None else ALL_YEARS,
        "export_query": view.filters.query(annee=report.year if report.year is not None else ALL_YEARS),
        "contract_pages": [
            _contract_page(request, view.buyer, Check.ENVIRONMENTAL, "page_environnement"),
            _contract_page(request, view.buyer, Check.SOCIAL, "page_social"),
        ],
        "spaser": [
            (estimate, percent_text(estimate.share_of_threshold)) for estimate in spaser_estimates_for(view.buyer)
        ],
        "comparison_note": _comparison_note(view),
        "spaser_label": ESTIMATE_LABEL,
        "breadcrumb_data": observatory_breadcrumb(report.label),
    }
    return render(request, "web/contracts/buyer_dashboard.html", context)


def _buyer_export(request: HttpRequest, identifier: str, fmt: str) -> HttpResponse:
    view = _buyer_view(request, identifier)
    report = view.report

    def spaser_rows(report: Report) -> list[list[Any]]:
        prefix = [report.main.label, report.main.kind]
        return [
            [*prefix, estimate.year, "SPASER (estimation)", "", "Montant notifié estimé", estimate.amount, "€ HT"]
            for estimate in spaser_estimates_for(view.buyer)
        ]

    return table_download(
        fmt,
        stem=f"indicateurs-acheteur-{view.buyer.identifier}",
        header=EXPORT_HEADER,
        rows=report_rows(report, spaser_rows),
        sheet="Indicateurs",
        about=[*_report_about(report), f"SPASER : {ESTIMATE_LABEL}.", SOURCE_NOTE],
    )


@require_GET
def indicator_buyer_csv(request: HttpRequest, identifier: str) -> HttpResponse:
    return _buyer_export(request, identifier, "csv")


@require_GET
def indicator_buyer_xlsx(request: HttpRequest, identifier: str) -> HttpResponse:
    return _buyer_export(request, identifier, "xlsx")


# ── The observatory ─────────────────────────────────────────────────────────────────────────────────────────────────


def _observatory(request: HttpRequest) -> tuple[IndicatorFilters, Report, str]:
    filters = IndicatorFilters.from_querydict(request.GET)
    perimeter = filters.perimeter
    main = indicators_for(perimeter.scope)
    year, year_problem = filters.year_in(list(main.years))
    report = report_for(perimeter.scope, kind=perimeter.kind, year=year, comparisons=perimeter.comparisons(), main=main)
    return filters, report, year_problem


@require_GET
def indicator_observatory(request: HttpRequest) -> HttpResponse:
    """The figures of the country, a région, a département or a network, chosen in the query string. A network's
    members and their figures are listed for its members only."""
    filters, report, year_problem = _observatory(request)
    network = filters.perimeter.network
    can_read_members = network is not None and perms.can_read_member_figures(request.user, network)
    context = _common(report) | {
        "filters": filters,
        "perimeter": filters.perimeter,
        "perimeter_groups": perimeter_groups(list(Network.objects.order_by("name"))),
        "problems": [problem for problem in [year_problem, *filters.problems.values()] if problem],
        "year_choices": year_choices(report.years),
        "selected_year": str(report.year) if report.year is not None else ALL_YEARS,
        "export_query": filters.query(annee=report.year if report.year is not None else ALL_YEARS),
        "lists_query": filters.query(annee=report.year or ""),
        "network": network,
        "can_read_members": can_read_members,
        "members": [
            (member, percent_text(member.social_share), percent_text(member.environmental_share))
            for member in member_figures(network, years=[report.year] if report.year else None)
        ]
        if network is not None and can_read_members
        else [],
        "breadcrumb_data": observatory_breadcrumb(OBSERVATORY_TITLE, observatory=False),
    }
    return render(request, "web/contracts/observatory.html", context)


def _observatory_export(request: HttpRequest, fmt: str) -> HttpResponse:
    filters, report, _problem = _observatory(request)
    return table_download(
        fmt,
        stem=f"observatoire-{filters.perimeter.value}",
        header=EXPORT_HEADER,
        rows=report_rows(report),
        sheet="Indicateurs",
        about=[*_report_about(report), SOURCE_NOTE],
    )


@require_GET
def indicator_observatory_csv(request: HttpRequest) -> HttpResponse:
    return _observatory_export(request, "csv")


@require_GET
def indicator_observatory_xlsx(request: HttpRequest) -> HttpResponse:
    return _observatory_export(request, "xlsx")
