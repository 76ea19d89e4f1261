"""Geometry of the dashboard's horizontal bar charts, drawn by the template as inline SVG (no JavaScript library).

The chart is a picture for sighted readers: it carries role="img" and an aria-label summing up its values, and the
page follows it with the data table, which is the accessible alternative (RGAA 1.3, DSFR "graphiques").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .dashboard import Figure

WIDTH = 720
LABEL_WIDTH = 280
VALUE_WIDTH = 70
BAR_HEIGHT = 22
ROW_HEIGHT = 32
PADDING = 8
MAX_LABEL_CHARS = 38


@dataclass(frozen=True)
class ChartBar:
    label: str  # shortened to fit; the table gives the full label
    value_text: str
    y: int
    text_y: int
    width: int
    value_x: int


@dataclass(frozen=True)
class BarChart:
    aria_label: str
    width: int
    height: int
    bar_x: int
    bars: tuple[ChartBar, ...]


def format_value(value: int | Decimal) -> str:
    """French number: decimal comma, narrow no-break space between thousands."""
    text = f"{value:,.1f}" if isinstance(value, Decimal) else f"{value:,}"
    return text.replace(",", "\u202f").replace(".", ",")


def _shorten(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(figure: Figure) -> BarChart:
    """Bars proportional to the largest value, one row per category, the value written after each bar."""
    largest = max((bar.value for bar in figure.bars), default=0)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * PADDING
    bars = []
    for index, bar in enumerate(figure.bars):
        top = PADDING + index * ROW_HEIGHT
        width = round(span * float(bar.value) / float(largest)) if largest else 0
        bars.append(
            ChartBar(
                label=_shorten(bar.label),
                value_text=format_value(bar.value),
                y=top + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                text_y=top + ROW_HEIGHT // 2 + 5,
                width=max(width, 1) if bar.value else 0,
                value_x=LABEL_WIDTH + PADDING + max(width, 1) + 6,
            )
        )
    unit = f" {figure.unit}" if figure.unit else ""
    summary = " ; ".join(f"{bar.label} : {format_value(bar.value)}{unit}" for bar in figure.bars)
    return BarChart(
        aria_label=f"{figure.title}. {summary or 'aucune donnée'}. Les valeurs sont reprises dans le tableau qui suit.",
        width=WIDTH,
        height=2 * PADDING + max(len(bars), 1) * ROW_HEIGHT,
        bar_x=LABEL_WIDTH + PADDING,
        bars=tuple(bars),
    )
