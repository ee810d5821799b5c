"""How a benchmark figure reads: `{% load benchmarks %}{{ value|figure:metric.unit }}`."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.conf import settings
from django.utils.formats import number_format

from constellation.insights.models import Unit

register = template.Library()


@register.filter
def figure(value: Decimal | None, unit: str) -> str:
    """A value in the reader's number format with its unit; an en dash when there is none."""
    if value is None:
        return "–"
    if unit == Unit.PERCENTAGE:
        return f"{number_format(value, 1, force_grouping=True)} %"
    places = 0 if abs(value) >= 100 else 2
    text = number_format(value, places, force_grouping=True)
    if unit == Unit.MONEY:
        return f"{text} {settings.INSIGHTS_BASE_CURRENCY}"
    if unit == Unit.AREA:
        return f"{text} m²"
    return text


@register.filter
def rank(value: Decimal | None) -> str:
    return "–" if value is None else number_format(value, 0)
