"""Charts as server-rendered SVG (pygal): they work without JavaScript, in the PDF report,
and never stand alone: every template that shows one shows its data table beside it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal
from html import escape

import pygal
from django.utils import formats
from pygal.style import Style

# Colour-blind-safe palette (Okabe-Ito), dark enough on white for WCAG non-text contrast.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#4a5560",
    colors=PALETTE,
    font_family="system-ui, 'Noto Sans', 'Noto Sans Arabic', sans-serif",
    title_font_size=16,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
)


def _number(value) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal | int | float) else value


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _render(chart) -> str:
    """SVG with no script (pygal's tooltip config is inline JavaScript, which we never serve),
    named for assistive technology; the data table beside it carries the figures."""
    svg = _SCRIPT.sub("", chart.render(is_unicode=True, disable_xml_declaration=True))
    label = escape(chart.config.title or "")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def _format(value) -> str:
    """Axis labels and values in the reader's number format: 84,000,000 / 84 000 000."""
    if value is None:
        return ""
    digits = 0 if float(value).is_integer() or abs(value) >= 100 else 2
    return formats.number_format(value, digits, use_l10n=True, force_grouping=True)


def _base(kind, title: str, *, height: int = 320, **options):
    options.setdefault("value_formatter", _format)
    return kind(
        title=title, style=STYLE, height=height, width=720, explicit_size=False, js=[],
        print_values=False, show_legend=options.pop("show_legend", True), legend_at_bottom=True,
        truncate_label=-1, x_label_rotation=options.pop("x_label_rotation", 0), **options,
    )


def _whole(values: Sequence) -> bool:
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, int | float | Decimal) and float(v).is_integer() for v in present)


def count_ticks(values: Sequence, most: int = 6) -> list[int]:
    """Whole-number ticks from 0 up to at least the largest value, steps of 1, 2, 5, 10, 20, 50…

    pygal divides the axis as if values were continuous: with counts of 0 to 1 it labels 0.2,
    0.4… "activities", which reads as nonsense. Counts get ticks a person would count in.
    """
    top = max([math.ceil(v) for v in values if v is not None] + [0])
    step, factor = 1, 1
    while True:
        for multiple in (1, 2, 5):
            step = multiple * factor
            if -(-top // step) <= most - 1:
                last = max(-(-top // step), 1) * step
                return list(range(0, last + 1, step))
        factor *= 10


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence, *, series_name: str = "", horizontal: bool = False,
    integer: bool | None = None,
) -> str:
    """Bars of one series. `integer` gives whole-number ticks (counts); by default it is on when
    every value is a whole number and off otherwise (rates, percentiles with decimals)."""
    numbers = [_number(v) for v in values]
    options = {}
    counts = _whole(numbers) and all(v >= 0 for v in numbers if v is not None)
    if integer or (integer is None and counts):
        options["y_labels"] = count_ticks(numbers)
    chart = _base(pygal.HorizontalBar if horizontal else pygal.Bar, title, show_legend=bool(series_name), **options)
    chart.x_labels = list(labels)
    chart.add(series_name or title, numbers)
    return _render(chart)


def line_chart(title: str, x_labels: Sequence, series: dict[str, Sequence]) -> str:
    chart = _base(pygal.Line, title, show_legend=len(series) > 1)
    chart.x_labels = [str(label) for label in x_labels]
    for name, values in series.items():
        chart.add(name, [_number(v) for v in values])
    return _render(chart)


def box_chart(title: str, groups: dict[str, Sequence]) -> str:
    """Distribution per group (min, quartiles, max)."""
    chart = _base(pygal.Box, title, show_legend=False)
    for name, values in groups.items():
        chart.add(name, [_number(v) for v in values])
    return _render(chart)
