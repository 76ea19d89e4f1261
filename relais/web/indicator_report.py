"""What the buyer dashboard and the observatory show of a scope, and the rows of their exports (issue 4).

A report gathers, for one scope (a buyer, a network, a territory, the country), everything read from the cubes
through `relais.contracts.indicators` and `compliance`: its figures per year, the figures of the scopes it is
compared with, its breakdowns for the selected year (or the whole period) and its legal checks. Then it is turned
into panels — a chart (`relais.web.charts`) followed by its data table — and into a long table for CSV and XLSX, so
that the page and its exports always show the same numbers, rounded the same way.

Shares are percentages with one decimal; shares of considerations are taken among the contracts whose
considerations are known (see `indicators.py`); values are sums of plausible amounts only. The PNAD targets are
drawn as reference lines on the share charts and always called "objectif national non contraignant".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from relais.contracts.compliance import CheckCounts, Compliance, compliance_for
from relais.contracts.indicators import (
    TARGET_NOTE,
    Breakdown,
    Figures,
    Indicators,
    Scope,
    Shares,
    Target,
    breakdowns_for,
    indicators_for,
)

from .charts import BarChart, Reference, bar_chart, format_value

WHOLE_PERIOD = "Toute la période"
BREAKDOWN_CHART_ROWS = 10
_TENTH = Decimal("0.1")

# ── Numbers as the pages write them ─────────────────────────────────────────────────────────────────────────────────


def percent(share: float | None) -> Decimal | None:
    """A share between 0 and 1 as a percentage with one decimal (None stays None: nothing to divide)."""
    if share is None:
        return None
    return (Decimal(repr(share)) * 100).quantize(_TENTH, rounding=ROUND_HALF_UP)


def percent_text(share: float | None) -> str:
    return format_value(percent(share), "%")


def euros_text(value: Decimal | int) -> str:
    return f"{format_value(int(value))}\u00a0€"


def count_text(value: int) -> str:
    return format_value(value)


# ── Labels of the measures ──────────────────────────────────────────────────────────────────────────────────────────

SHARE_LABELS: dict[str, str] = {
    "social": "Part avec au moins une considération sociale",
    "social_clause": "Part avec une clause sociale",
    "social_criterion": "Part avec un critère social",
    "reserved": "Part de marchés réservés",
    "environmental": "Part avec au moins une considération environnementale",
    "environmental_clause": "Part avec une clause environnementale",
    "environmental_criterion": "Part avec un critère environnemental",
    "innovative": "Part de marchés innovants",
    "social_coverage": "Couverture : considérations sociales connues",
    "environmental_coverage": "Couverture : considérations environnementales connues",
    "innovative_coverage": "Couverture : caractère innovant connu",
}
COUNT_LABELS: dict[str, str] = {
    "total": "Marchés notifiés",
    "social_known": "Marchés aux considérations sociales connues",
    "social_some": "Marchés avec au moins une considération sociale",
    "social_clause": "Marchés avec une clause sociale",
    "social_criterion": "Marchés avec un critère social",
    "reserved": "Marchés réservés",
    "environmental_known": "Marchés aux considérations environnementales connues",
    "environmental_some": "Marchés avec au moins une considération environnementale",
    "environmental_clause": "Marchés avec une clause environnementale",
    "environmental_criterion": "Marchés avec un critère environnemental",
    "innovative_known": "Marchés au caractère innovant connu",
    "innovative": "Marchés innovants",
}
# Columns of the per-year tables: the shares the issue asks for, in reading order.
TABLE_SHARES = (
    "social",
    "social_clause",
    "social_criterion",
    "reserved",
    "environmental",
    "environmental_clause",
    "environmental_criterion",
    "innovative",
    "social_coverage",
    "environmental_coverage",
)
SHORT_SHARE_LABELS: dict[str, str] = {
    "social": "Au moins une considération sociale",
    "social_clause": "Clause sociale",
    "social_criterion": "Critère social",
    "reserved": "Marché réservé",
    "environmental": "Au moins une considération environnementale",
    "environmental_clause": "Clause environnementale",
    "environmental_criterion": "Critère environnemental",
    "innovative": "Innovant",
    "social_coverage": "Couverture sociale",
    "environmental_coverage": "Couverture environnementale",
}
MEASURE_TITLES = {"social": "considération sociale", "environmental": "considération environnementale"}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _share(shares: Shares, name: str) -> float | None:
    value: float | None = getattr(shares, name)
    return value


# ── The report ──────────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ScopeFigures:
    """A scope of the comparison (the report's own scope first) and its figures for each year of the report."""

    label: str
    kind: str  # "acheteur", "réseau", "département", "région", "pays"
    indicators: Indicators

    def figures(self, year: int | None) -> Figures:
        """The figures of a year of the report, or of the whole period (None)."""
        if year is None:
            return self.indicators.overall
        return next(item.total for item in self.indicators.per_year if item.year == year)


@dataclass(frozen=True)
class Report:
    """Everything a dashboard shows of one scope. `year` is the selection of the comparison, breakdowns and checks
    (None: the whole period); `years` the years of the scope, each shown in the per-year tables."""

    scope: Scope
    label: str
    years: tuple[int, ...]
    year: int | None
    main: ScopeFigures
    comparisons: tuple[ScopeFigures, ...]
    breakdowns: tuple[tuple[Breakdown, Indicators], ...]
    compliance: Compliance
    targets: tuple[Target, ...]

    @property
    def period_label(self) -> str:
        if self.year is not None:
            return str(self.year)
        if not self.years:
            return WHOLE_PERIOD
        return f"{WHOLE_PERIOD} ({self.years[0]}–{self.years[-1]})" if len(self.years) > 1 else str(self.years[0])

    @property
    def scopes(self) -> tuple[ScopeFigures, ...]:
        return (self.main, *self.comparisons)

    def breakdown_groups(self, indicators: Indicators) -> tuple[Figures, ...]:
        if self.year is None:
            return indicators.overall_groups
        return next((item.groups for item in indicators.per_year if item.year == self.year), ())


def report_for(
    scope: Scope,
    *,
    kind: str,
    year: int | None,
    comparisons: Sequence[tuple[str, Scope]] = (),
    main: Indicators | None = None,
) -> Report:
    """The report of a scope, for the selected year (None: every year of the scope), compared with `comparisons`
    ((kind, scope) pairs: their figures are read for the same years). `main`: the scope's `indicators_for` over
    every year, when the caller already has it (to list the years)."""
    main = indicators_for(scope) if main is None else main
    years = main.years
    wanted = [year] if year is not None else list(years)
    selected = [year] if year is not None else None
    # The targets and the scope's name are read once for the page, not once per table; the breakdowns in one query.
    targets = main.targets
    by_breakdown = breakdowns_for(scope, years=wanted, targets=targets, label=main.label)
    breakdowns = tuple((breakdown, by_breakdown[breakdown]) for breakdown in Breakdown)
    others = tuple(
        ScopeFigures(result.label, other_kind, result)
        for other_kind, other in comparisons
        for result in [indicators_for(other, years=years, targets=targets)]
    )
    shown = [year] if year is not None else list(years)
    return Report(
        scope=scope,
        label=main.label,
        years=years,
        year=year,
        main=ScopeFigures(main.label, kind, main),
        comparisons=others,
        breakdowns=breakdowns,
        compliance=compliance_for(scope, years=selected),
        targets=tuple(target for target in main.targets if any(target.in_force_in(y) for y in shown)),
    )


# ── Panels: a chart and its data table ──────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal | None


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # first cell: the row header


@dataclass(frozen=True)
class ChartFigure:
    """One chart's data, as `relais.web.charts.ChartData` wants it."""

    slug: str
    title: str
    bars: tuple[Bar, ...]
    unit: str = ""
    note: str = ""


@dataclass(frozen=True)
class Panel:
    figure: ChartFigure
    chart: BarChart
    table: Table
    notes: tuple[str, ...] = field(default_factory=tuple)


def target_legend(target: Target) -> str:
    share = format_value(percent(target.share), "%")
    until = f"–{target.valid_until.year}" if target.valid_until else " et après"
    return f"Objectif national : {share} ({target.valid_from.year}{until}) — {TARGET_NOTE}"


def target_note(target: Target) -> str:
    return f"{target.label} — {target.legal_reference}. Un repère, pas une obligation légale."


def _references(targets: Iterable[Target], measure: str) -> tuple[list[Reference], tuple[str, ...]]:
    chosen = [target for target in targets if target.measure == measure]
    references = [Reference(percent(target.share) or Decimal(0), target_legend(target)) for target in chosen]
    return references, tuple(target_note(target) for target in chosen)


def _share_panel(
    *,
    slug: str,
    title: str,
    category: str,
    measure: str,
    rows: Sequence[tuple[str, Figures]],
    targets: Sequence[Target],
) -> Panel:
    known, some = f"{measure}_known", f"{measure}_some"
    bars = tuple(Bar(label, percent(_share(figures.by_number, measure))) for label, figures in rows)
    figure = ChartFigure(slug=slug, title=title, bars=bars, unit="%")
    references, notes = _references(targets, measure)
    table = Table(
        caption=f"Données du graphique « {title} »",
        header=(category, "Part (%)", COUNT_LABELS[some], COUNT_LABELS[known], COUNT_LABELS["total"]),
        rows=tuple(
            (
                label,
                percent_text(_share(figures.by_number, measure)),
                count_text(getattr(figures.number, some)),
                count_text(getattr(figures.number, known)),
                count_text(figures.number.total),
            )
            for label, figures in rows
        ),
    )
    return Panel(figure, bar_chart(figure, maximum=100, references=references), table, notes)


def yearly_share_panels(report: Report) -> list[Panel]:
    """Per year, the share of the scope's contracts with at least one social, then environmental, consideration."""
    rows = [(str(item.year), item.total) for item in report.main.indicators.per_year]
    targets = tuple(t for t in report.main.indicators.targets if any(t.in_force_in(y) for y in report.years))
    return [
        _share_panel(
            slug=f"part-{measure}-par-annee",
            title=f"Part des marchés avec au moins une {MEASURE_TITLES[measure]}, par année",
            category="Année",
            measure=measure,
            rows=rows,
            targets=targets,
        )
        for measure in ("social", "environmental")
    ]


def comparison_panels(report: Report) -> list[Panel]:
    """The same shares for the scope and the scopes it is compared with, for the selection."""
    if not report.comparisons:
        return []
    rows = [(f"{scope.label} ({scope.kind})", scope.figures(report.year)) for scope in report.scopes]
    return [
        _share_panel(
            slug=f"comparaison-{measure}",
            title=f"Comparaison : part des marchés avec au moins une {MEASURE_TITLES[measure]} ({report.period_label})",
            category="Périmètre",
            measure=measure,
            rows=rows,
            targets=report.targets,
        )
        for measure in ("social", "environmental")
    ]


def breakdown_panels(report: Report) -> list[Panel]:
    """Per breakdown, the number of contracts of each group (the largest groups in the chart, all in the table)."""
    panels = []
    for breakdown, indicators in report.breakdowns:
        groups = report.breakdown_groups(indicators)
        label = str(breakdown.label)
        title = f"Marchés par {_lower_first(label)} ({report.period_label})"
        shown = groups[:BREAKDOWN_CHART_ROWS]
        figure = ChartFigure(
            slug=f"ventilation-{breakdown.value.replace('_', '-')}",
            title=title,
            bars=tuple(Bar(group.label, group.number.total) for group in shown),
            note=(
                f"Le graphique montre les {BREAKDOWN_CHART_ROWS} groupes les plus nombreux ; le tableau les donne tous."
                if len(groups) > BREAKDOWN_CHART_ROWS
                else ""
            ),
        )
        table = Table(
            caption=f"Données du graphique « {title} »",
            header=(label, "Marchés notifiés", "Montant (€ HT)", SHARE_LABELS["social"], SHARE_LABELS["environmental"]),
            rows=tuple(
                (
                    group.label,
                    count_text(group.number.total),
                    euros_text(group.value.total),
                    percent_text(group.by_number.social),
                    percent_text(group.by_number.environmental),
                )
                for group in groups
            ),
        )
        panels.append(Panel(figure, bar_chart(figure), table))
    return panels


def yearly_table(report: Report, *, by_value: bool) -> Table:
    """Every year of the scope and the whole period: counts and values, then each share (by number of contracts, or
    by value over plausible amounts)."""
    rows = [(str(item.year), item.total) for item in report.main.indicators.per_year]
    rows.append((WHOLE_PERIOD, report.main.indicators.overall))

    def cells(figures: Figures) -> tuple[str, ...]:
        shares = figures.by_value if by_value else figures.by_number
        return (
            count_text(figures.number.total),
            euros_text(figures.value.total),
            *(percent_text(_share(shares, name)) for name in TABLE_SHARES),
        )

    kind = "par montant" if by_value else "par nombre de marchés"
    return Table(
        caption=f"Chiffres par année, parts {kind}",
        header=("Année", "Marchés notifiés", "Montant (€ HT)", *(SHORT_SHARE_LABELS[name] for name in TABLE_SHARES)),
        rows=tuple((label, *cells(figures)) for label, figures in rows),
    )


def comparison_table(report: Report) -> Table:
    header = ("Périmètre", "Marchés notifiés", "Montant (€ HT)", *(SHORT_SHARE_LABELS[name] for name in TABLE_SHARES))
    rows = []
    for scope in report.scopes:
        figures = scope.figures(report.year)
        rows.append(
            (
                f"{scope.label} ({scope.kind})",
                count_text(figures.number.total),
                euros_text(figures.value.total),
                *(percent_text(_share(figures.by_number, name)) for name in TABLE_SHARES),
            )
        )
    return Table(
        caption=f"Comparaison des parts par nombre de marchés ({report.period_label})", header=header, rows=tuple(rows)
    )


# ── Legal checks ────────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class CheckRow:
    label: str
    counts: CheckCounts

    @property
    def rate_text(self) -> str:
        return percent_text(self.counts.rate_without)

    @property
    def coverage_text(self) -> str:
        return percent_text(self.counts.coverage)


def check_rows(compliance: Compliance) -> list[CheckRow]:
    environmental_since = f"{compliance.environmental_since:%d/%m/%Y}" if compliance.environmental_since else "—"
    social_since = f"{compliance.social_since:%d/%m/%Y}" if compliance.social_since else "—"
    return [
        CheckRow(
            f"Environnement (art. 35) : marchés notifiés à partir du {environmental_since}, hors défense et sécurité",
            compliance.environmental,
        ),
        CheckRow(
            f"Social : marchés au-dessus du seuil européen notifiés à partir du {social_since}",
            compliance.social_bound,
        ),
        CheckRow(
            "Social : marchés au-dessus du seuil européen, toutes dates (repère)", compliance.social_above_threshold
        ),
    ]


# ── Exports: one long table ─────────────────────────────────────────────────────────────────────────────────────────

EXPORT_HEADER = (
    "Périmètre",
    "Nature du périmètre",
    "Année",
    "Ventilation",
    "Catégorie",
    "Indicateur",
    "Valeur",
    "Unité",
)
ExportRow = list[Any]


def figures_rows(prefix: Sequence[Any], figures: Figures) -> list[ExportRow]:
    """Every measure of one group of contracts: counts, values, shares by number and by value (in %, rounded as on
    the page)."""
    rows: list[ExportRow] = []
    for tally_field in fields(figures.number):
        name = tally_field.name
        rows.append([*prefix, COUNT_LABELS[name], getattr(figures.number, name), "marchés"])
    rows.append([*prefix, "Marchés au montant vraisemblable", figures.valued, "marchés"])
    for tally_field in fields(figures.value):
        name = tally_field.name
        label = (
            "Montant notifié"
            if name == "total"
            else f"Montant : {COUNT_LABELS[name][0].lower()}{COUNT_LABELS[name][1:]}"
        )
        rows.append([*prefix, label, getattr(figures.value, name), "€ HT"])
    for name, label in SHARE_LABELS.items():
        rows.append([*prefix, f"{label} (par nombre)", percent(_share(figures.by_number, name)), "%"])
    for name, label in SHARE_LABELS.items():
        if not name.endswith("_coverage"):
            rows.append([*prefix, f"{label} (par montant)", percent(_share(figures.by_value, name)), "%"])
    return rows


def check_export_rows(report: Report) -> list[ExportRow]:
    rows: list[ExportRow] = []
    prefix = [report.main.label, report.main.kind, report.period_label, "Contrôles légaux"]
    for row in check_rows(report.compliance):
        counts = row.counts
        rows += [
            [*prefix, row.label, "Marchés soumis", counts.subject, "marchés"],
            [*prefix, row.label, "Sans considération", counts.without, "marchés"],
            [*prefix, row.label, "Considération inconnue", counts.unknown, "marchés"],
            [*prefix, row.label, "Taux sans considération (parmi les connus)", percent(counts.rate_without), "%"],
        ]
    return rows


def report_rows(report: Report, extra: Callable[[Report], list[ExportRow]] | None = None) -> list[ExportRow]:
    """The long table of a report: each scope of the comparison per year and over the period, the scope's
    breakdowns for the selection, its legal checks, then `extra` rows (the SPASER estimate of a buyer)."""
    rows: list[ExportRow] = []
    for scope in report.scopes:
        for item in scope.indicators.per_year:
            rows += figures_rows([scope.label, scope.kind, item.year, "", ""], item.total)
        rows += figures_rows([scope.label, scope.kind, WHOLE_PERIOD, "", ""], scope.indicators.overall)
    for breakdown, indicators in report.breakdowns:
        label = str(breakdown.label)
        for group in report.breakdown_groups(indicators):
            prefix = [report.main.label, report.main.kind, report.period_label, label, group.label]
            rows += figures_rows(prefix, group)
    rows += check_export_rows(report)
    if extra is not None:
        rows += extra(report)
    return rows
