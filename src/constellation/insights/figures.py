"""The figures every insight is computed from, loaded in a fixed number of queries.

`load_figures` returns, for each (organisation, year), the submitted answers as numbers in
the base currency (money converted through the exchange-rate table; a money figure in a
currency with no rate for that year is left out rather than compared wrongly). The
statistics helpers are plain functions over lists of Decimals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from constellation.insights.models import Answer, ExchangeRate, ResponseStatus, Unit

Figures = dict[str, Decimal]


@dataclass
class FigureTable:
    """Submitted figures: rows[(organisation_id, year)] = {indicator_key: value in base currency}."""

    rows: dict[tuple[int, int], Figures] = field(default_factory=dict)
    choices: dict[tuple[int, int], dict[str, str]] = field(default_factory=dict)
    unconverted: int = 0  # money figures left out for want of an exchange rate

    def for_year(self, year: int) -> dict[int, Figures]:
        return {org: figures for (org, y), figures in self.rows.items() if y == year}

    def years(self) -> list[int]:
        return sorted({year for _org, year in self.rows})


def exchange_rates(years: Iterable[int]) -> dict[tuple[int, str], Decimal]:
    return {
        (rate.year, rate.currency): rate.units_per_base
        for rate in ExchangeRate.objects.filter(year__in=list(years))
    }


def to_base(value: Decimal, currency: str, year: int, rates: dict[tuple[int, str], Decimal]) -> Decimal | None:
    if currency == settings.INSIGHTS_BASE_CURRENCY:
        return value
    rate = rates.get((year, currency))
    return None if rate is None else value / rate


def load_figures(
    *, network=None, organisation_ids: Iterable[int] | None = None, years: Iterable[int] | None = None,
    keys: Iterable[str] | None = None,
) -> FigureTable:
    """Submitted answers as a table: 2 queries (answers, exchange rates)."""
    answers = Answer.objects.filter(response__status=ResponseStatus.SUBMITTED)
    if network is not None:
        answers = answers.filter(response__survey__network=network)
    if organisation_ids is not None:
        answers = answers.filter(response__organisation_id__in=list(organisation_ids))
    if years is not None:
        answers = answers.filter(response__survey__year__in=list(years))
    if keys is not None:
        answers = answers.filter(indicator__key__in=list(keys))
    rows = list(
        answers.values_list(
            "response__organisation_id", "response__survey__year", "response__currency",
            "indicator__key", "indicator__unit", "value", "choice",
        )
    )
    rates = exchange_rates({row[1] for row in rows})
    table = FigureTable()
    for organisation_id, year, currency, key, unit, value, choice in rows:
        if unit == Unit.CHOICE:
            table.choices.setdefault((organisation_id, year), {})[key] = choice
            continue
        if value is None:
            continue
        if unit == Unit.MONEY:
            value = to_base(value, currency, year, rates)
            if value is None:
                table.unconverted += 1
                continue
        table.rows.setdefault((organisation_id, year), {})[key] = value
    return table


def median(values: Sequence[Decimal]) -> Decimal | None:
    return quantile(values, Decimal("0.5"))


def quantile(values: Sequence[Decimal], q: Decimal) -> Decimal | None:
    """Linear interpolation between closest ranks (the usual spreadsheet definition)."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * Decimal(q)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    fraction = position - lower
    return ordered[lower] + (ordered[upper] - ordered[lower]) * fraction


def quartiles(values: Sequence[Decimal]) -> tuple[Decimal, Decimal, Decimal] | None:
    if not values:
        return None
    return (quantile(values, Decimal("0.25")), quantile(values, Decimal("0.5")), quantile(values, Decimal("0.75")))


def percentile_rank(value: Decimal, values: Sequence[Decimal]) -> Decimal | None:
    """Share of the group (0-100) at or below `value`, counting ties as half."""
    if not values:
        return None
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return (Decimal(below) + Decimal(equal) / 2) / len(values) * 100


def herfindahl(parts: Iterable[Decimal]) -> Decimal | None:
    """Herfindahl-Hirschman index of income shares, 0 to 10,000: 10,000 = one single source."""
    positive = [p for p in parts if p and p > 0]
    total = sum(positive, Decimal(0))
    if not positive or total == 0:
        return None
    return sum(((p / total) * 100) ** 2 for p in positive)


def group_by(table_rows: dict[int, Figures], key: str) -> list[Decimal]:
    return [figures[key] for figures in table_rows.values() if key in figures]


def safe_ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def counts_by(values: Iterable[tuple[object, Decimal]]) -> dict[object, list[Decimal]]:
    grouped: dict[object, list[Decimal]] = defaultdict(list)
    for label, value in values:
        grouped[label].append(value)
    return dict(grouped)
