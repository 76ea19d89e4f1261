"""Network members and activity: the members-only directory (with its referents) and the animators' activity
dashboard, each with its CSV and XLSX exports.

The directory holds personal data (referents' names and professional contacts): every view and export is logged on
the "relais.access" logger, pages are never cached, and only animators export it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from relais.accounts.models import User
from relais.activity.dashboard import (
    FIRST_ANSWER_UNIT,
    ActivityReport,
    Figure,
    Period,
    PeriodError,
    activity_report,
    parse_period,
)
from relais.activity.members import EXPORT_COLUMNS, MemberFilters, departement_choices, export_rows, member_directory
from relais.networks.models import Network
from relais.networks.perms import is_animator, is_member
from relais.organisations.enums import OrganisationKind
from relais.web.charts import BarChart, bar_chart
from relais.web.spreadsheets import append_row, csv_response, sheet_title, xlsx_response

# Reads of personal data (referents of member organisations) are logged on their own logger (see settings LOGGING).
access_log = logging.getLogger("relais.access")


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):  # views calling it are behind login_required
        raise PermissionDenied
    return request.user


def _member_network(request: HttpRequest, slug: str) -> Network:
    """The network if the reader is one of its members (member, facilitator, animator) or a site admin."""
    network = get_object_or_404(Network, slug=slug)
    if not is_member(request.user, network):
        raise PermissionDenied
    return network


def _animated_network(request: HttpRequest, slug: str) -> Network:
    """The network if the reader animates it (or is a site admin)."""
    network = get_object_or_404(Network, slug=slug)
    if not is_animator(request.user, network):
        raise PermissionDenied
    return network


# ── Members directory ────────────────────────────────────────────────────────────────────────────────────────────


@login_required
@require_GET
@never_cache
def members_directory(request: HttpRequest, slug: str) -> HttpResponse:
    """The network's member organisations and their referents, for the members of the network."""
    network = _member_network(request, slug)
    user = _user(request)
    filters = MemberFilters.from_querydict(request.GET)
    rows = member_directory(network, filters)
    access_log.info("members_directory_viewed user=%s network=%s count=%d", user.public_id, network.slug, len(rows))
    context = {
        "network": network,
        "rows": rows,
        "filters": filters,
        "kinds": OrganisationKind.choices,
        "departements": departement_choices(network),
        "can_export": is_animator(user, network),
        "query": request.GET.urlencode(),
        "breadcrumb_data": {"links": [], "current": f"Adhérents de {network}"},
    }
    return render(request, "web/activity/members.html", context)


def _members_export(request: HttpRequest, slug: str, fmt: str) -> tuple[Network, list[dict[str, Any]]]:
    network = _animated_network(request, slug)
    user = _user(request)
    rows = list(export_rows(member_directory(network, MemberFilters.from_querydict(request.GET))))
    access_log.info(
        "members_directory_exported user=%s network=%s format=%s count=%d", user.public_id, network.slug, fmt, len(rows)
    )
    return network, rows


def _members_filename(network: Network, extension: str) -> str:
    return f"adherents-{network.slug}-{timezone.localdate():%Y%m%d}.{extension}"


@login_required
@require_GET
def members_export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    network, rows = _members_export(request, slug, "csv")
    return csv_response(
        list(EXPORT_COLUMNS.values()),
        ([row[key] for key in EXPORT_COLUMNS] for row in rows),
        _members_filename(network, "csv"),
    )


@login_required
@require_GET
def members_export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    network, rows = _members_export(request, slug, "xlsx")
    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet("Adhérents")
    append_row(sheet, list(EXPORT_COLUMNS.values()), bold=True)
    for row in rows:
        append_row(sheet, [row[key] for key in EXPORT_COLUMNS])
    about: Any = workbook.create_sheet("À lire")
    about.append([f"Adhérents du réseau {network.name} (adhésions actives)"])
    about.append(["Données personnelles des référents : usage réservé à l'animation du réseau, ne pas diffuser."])
    about.append([f"Généré le {timezone.localtime():%d/%m/%Y à %H:%M}"])
    return xlsx_response(workbook, _members_filename(network, "xlsx"))


# ── Activity dashboard ───────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Panel:
    figure: Figure
    chart: BarChart


@dataclass(frozen=True)
class SectionPanels:
    title: str
    panels: list[Panel]


def _period_or_error(request: HttpRequest) -> Period | PeriodError:
    try:
        return parse_period(request.GET.get("du"), request.GET.get("au"), timezone.localdate())
    except PeriodError as error:
        return error


def _period_error_page(request: HttpRequest, network: Network, error: PeriodError) -> HttpResponse:
    context = {
        "network": network,
        "error": error,
        "du": request.GET.get("du", "")[:20],
        "au": request.GET.get("au", "")[:20],
        "breadcrumb_data": {"links": [], "current": f"Activité de {network}"},
    }
    return render(request, "web/activity/dashboard.html", context, status=400)


@login_required
@require_GET
def activity_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Figures of the network over a period (default: the last twelve months), as charts and data tables."""
    network = _animated_network(request, slug)
    period = _period_or_error(request)
    if isinstance(period, PeriodError):
        return _period_error_page(request, network, period)
    report = activity_report(network, period)
    sections = [
        SectionPanels(section.title, [Panel(figure, bar_chart(figure)) for figure in section.figures])
        for section in report.sections
    ]
    context = {
        "network": network,
        "period": period,
        "du": period.start.isoformat(),
        "au": period.end.isoformat(),
        "sections": sections,
        "first_answer_unit": FIRST_ANSWER_UNIT,
        "query": f"du={period.start.isoformat()}&au={period.end.isoformat()}",
        "breadcrumb_data": {"links": [], "current": f"Activité de {network}"},
    }
    return render(request, "web/activity/dashboard.html", context)


ACTIVITY_HEADER = ("Réseau", "Du", "Au", "Indicateur", "Catégorie", "Valeur", "Unité")


def _activity_rows(report: ActivityReport) -> list[list[Any]]:
    """One row per value of every figure (a "long" table, ready for a pivot table)."""
    network = report.network.name
    return [
        [network, report.period.start, report.period.end, figure.title, bar.label, bar.value, figure.unit]
        for figure in report.figures
        for bar in figure.bars
    ]


def _activity_filename(report: ActivityReport, extension: str) -> str:
    period = report.period
    return f"activite-{report.network.slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{extension}"


@login_required
@require_GET
def activity_export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    network = _animated_network(request, slug)
    period = _period_or_error(request)
    if isinstance(period, PeriodError):
        return _period_error_page(request, network, period)
    report = activity_report(network, period)
    return csv_response(ACTIVITY_HEADER, _activity_rows(report), _activity_filename(report, "csv"))


@login_required
@require_GET
def activity_export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    """Every figure in one long table, then one sheet per figure (with its total) and a sheet of definitions."""
    network = _animated_network(request, slug)
    period = _period_or_error(request)
    if isinstance(period, PeriodError):
        return _period_error_page(request, network, period)
    report = activity_report(network, period)
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    sheet: Any = workbook.create_sheet(sheet_title("Indicateurs", used))
    append_row(sheet, ACTIVITY_HEADER, bold=True)
    for row in _activity_rows(report):
        append_row(sheet, row)
    for figure in report.figures:
        figure_sheet: Any = workbook.create_sheet(sheet_title(figure.title, used))
        append_row(figure_sheet, [figure.category_label, figure.value_label], bold=True)
        for bar in figure.bars:
            append_row(figure_sheet, [bar.label, bar.value])
        if figure.summable:
            append_row(figure_sheet, ["Total", figure.total], bold=True)
    about: Any = workbook.create_sheet(sheet_title("À lire", used))
    about.append([f"Activité du réseau {network.name}, {period.label()}"])
    about.append([f"Généré le {timezone.localtime(report.generated_at):%d/%m/%Y à %H:%M}"])
    for figure in report.figures:
        if figure.note:
            about.append([figure.title, figure.note])
    return xlsx_response(workbook, _activity_filename(report, "xlsx"))
