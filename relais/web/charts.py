"""Geometry of the horizontal bar charts of the dashboards (network activity, contract indicators), drawn by the
template `web/charts/_bar_chart.html` as inline SVG (no JavaScript library).

The chart is a picture for sighted readers: it carries role="img" and an aria-label summing up its values (and its
reference lines), and the page follows it with the data table, which is the accessible alternative (RGAA 1.3, DSFR
"graphiques"). Bars are proportional to the largest value, or to a fixed `maximum` (100 for shares in %), so that a
reference line such as a national target can be drawn at its place on the same scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

WIDTH = 720
LABEL_WIDTH = 280
VALUE_WIDTH = 70
BAR_HEIGHT = 22
ROW_HEIGHT = 32
PADDING = 8
MAX_LABEL_CHARS = 38
# Room under the bars for the legend of the reference lines.
LEGEND_HEIGHT = 24
NOT_AVAILABLE = "n.d."

Number = int | Decimal


class BarData(Protocol):
    """What a chart needs of one bar: its category and its value (None: not computable, no bar is drawn)."""

    @property
    def label(self) -> str: ...

    @property
    def value(self) -> Number | None: ...


class ChartData(Protocol):
    """What a chart needs of a figure: a title, bars and the unit of their values ("" for plain counts)."""

    @property
    def title(self) -> str: ...

    @property
    def bars(self) -> Sequence[BarData]: ...

    @property
    def unit(self) -> str: ...


@dataclass(frozen=True)
class Reference:
    """A vertical line at `value` on the chart's scale (e.g. a national target of 30 %), with its legend."""

    value: Number
    label: str


@dataclass(frozen=True)
class ChartBar:
    label: str  # shortened to fit; the table gives the full label
    value_text: str
    y: int
    text_y: int
    width: int
    value_x: int


@dataclass(frozen=True)
class ChartLine:
    x: int
    top: int
    bottom: int
    legend: str
    legend_x: int
    legend_y: int


@dataclass(frozen=True)
class BarChart:
    aria_label: str
    width: int
    height: int
    bar_x: int
    bars: tuple[ChartBar, ...]
    lines: tuple[ChartLine, ...] = ()


def format_value(value: Number | None, unit: str = "") -> str:
    """French number: decimal comma, narrow no-break space between thousands; "n.d." when there is none. A unit of
    "%" sticks to the number with a no-break space, as French typography wants."""
    if value is None:
        return NOT_AVAILABLE
    text = f"{value:,.1f}" if isinstance(value, Decimal) else f"{value:,}"
    text = text.replace(",", "\u202f").replace(".", ",")
    return f"{text}\u00a0{unit}" if unit == "%" else text


def _shorten(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(figure: ChartData, *, maximum: Number | None = None, references: Sequence[Reference] = ()) -> BarChart:
    """One row per category, the value written after each bar. The scale runs from 0 to `maximum` (default: the
    largest value); reference lines are drawn across every row and named in the aria-label."""
    values = [bar.value for bar in figure.bars if bar.value is not None]
    largest = max([*values, *(reference.value for reference in references)], default=0)
    scale = float(maximum if maximum is not None else largest)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * PADDING
    bar_x = LABEL_WIDTH + PADDING
    bars = []
    for index, bar in enumerate(figure.bars):
        top = PADDING + index * ROW_HEIGHT
        width = round(span * min(float(bar.value) / scale, 1.0)) if scale and bar.value else 0
        bars.append(
            ChartBar(
                label=_shorten(bar.label),
                value_text=format_value(bar.value, figure.unit),
                y=top + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                text_y=top + ROW_HEIGHT // 2 + 5,
                width=max(width, 1) if bar.value else 0,
                value_x=bar_x + max(width, 1) + 6,
            )
        )
    rows_bottom = PADDING + max(len(bars), 1) * ROW_HEIGHT
    lines = tuple(
        ChartLine(
            x=bar_x + round(span * min(float(reference.value) / scale, 1.0)) if scale else bar_x,
            top=PADDING // 2,
            bottom=rows_bottom,
            legend=reference.label,
            legend_x=PADDING,
            legend_y=rows_bottom + 6 + (index + 1) * 16,
        )
        for index, reference in enumerate(references)
    )
    unit = f" {figure.unit}" if figure.unit and figure.unit != "%" else ""
    summary = " ; ".join(f"{bar.label} : {format_value(bar.value, figure.unit)}{unit}" for bar in figure.bars)
    described = "".join(f" {reference.label}." for reference in references)
    return BarChart(
        aria_label=(
            f"{figure.title}. {summary or 'aucune donnée'}.{described} "
            "Les valeurs sont reprises dans le tableau qui suit."
        ),
        width=WIDTH,
        height=rows_bottom + PADDING + (len(lines) * 16 + LEGEND_HEIGHT // 2 if lines else 0),
        bar_x=bar_x,
        bars=tuple(bars),
        lines=lines,
    )
