"""Strategic targets: a metric per organisation, aggregated over a network, year by year.

A metric is an indicator key or a formula over indicator keys, e.g.
`(income_admissions + income_retail) / onsite_visitors`. Formulas come from staff through a
web form, so they are never handed to `eval`: Python's `ast` parses them and `_evaluate`
walks only numbers, names, + - * / and brackets. Anything else (calls, attributes, powers,
comparisons) is refused when the form is validated, and again if it reached the database
some other way.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from constellation.insights import figures as fig
from constellation.insights.field import (
    income_source_keys,
    income_sources_count,
    peer_group_minimum,
)
from constellation.insights.models import Aggregation, Indicator, Target, Unit
from constellation.networks.models import Network

INCOME_SOURCES = "income_sources"

_OPERATORS: dict[type, Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


class FormulaError(ValueError):
    """The formula is not one we evaluate; the message is ready to show."""


def parse_formula(text: str) -> ast.expr:
    """The formula's syntax tree, if it uses only what we allow; else FormulaError."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        raise FormulaError(_("This formula cannot be read. Check the brackets and operators.")) from error
    for node in ast.walk(tree):
        if isinstance(node, ast.Expression | ast.Name | ast.Load | ast.UAdd | ast.USub):
            continue
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            continue
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
            continue
        if isinstance(node, ast.Constant) and _is_number(node.value):
            continue
        if isinstance(node, ast.Add | ast.Sub | ast.Mult | ast.Div):
            continue
        raise FormulaError(
            _("A formula may use only indicator keys, numbers, + - * / and brackets.")
        )
    return tree.body


def _is_number(value: object) -> bool:
    # bool is an int to Python, and 1e999 reads as infinity: neither is a figure.
    return type(value) is int or (type(value) is float and math.isfinite(value))


def formula_names(tree: ast.expr) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def numeric_indicator_keys() -> set[str]:
    """Keys a formula may name (1 query): every indicator with a number for an answer."""
    return set(Indicator.objects.exclude(unit=Unit.CHOICE).values_list("key", flat=True))


def validate_formula(text: str, *, known_keys: Iterable[str] | None = None) -> None:
    """Raise ValidationError (for forms) if the formula is unreadable or names an unknown key."""
    try:
        tree = parse_formula(text)
    except FormulaError as error:
        raise ValidationError(str(error), code="syntax") from error
    known = set(numeric_indicator_keys() if known_keys is None else known_keys) | {INCOME_SOURCES}
    unknown = sorted(formula_names(tree) - known)
    if unknown:
        raise ValidationError(
            _("Unknown indicator: %(names)s. Use indicator keys such as onsite_visitors, or income_sources."),
            code="unknown_name",
            params={"names": ", ".join(unknown)},
        )


def _evaluate(node: ast.expr, names: Callable[[str], Decimal | None]) -> Decimal | None:
    """The value of an already checked tree; None when a figure is missing or a divisor is 0."""
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        return names(node.id)
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, names)
        if operand is None:
            return None
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left = _evaluate(node.left, names)
        right = _evaluate(node.right, names)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Div) and right == 0:
            return None
        try:
            return _OPERATORS[type(node.op)](left, right)
        except ArithmeticError:  # overflow of absurd constants: no value rather than a 500
            return None
    raise FormulaError(_("A formula may use only indicator keys, numbers, + - * / and brackets."))


def evaluate(text: str, figures: fig.Figures, *, income_keys: Sequence[str] = ()) -> Decimal | None:
    """The formula's value for one organisation's figures (a missing figure gives None)."""
    return _evaluate(parse_formula(text), _namespace(figures, income_keys))


def _namespace(figures: fig.Figures, income_keys: Sequence[str]) -> Callable[[str], Decimal | None]:
    def lookup(name: str) -> Decimal | None:
        if name == INCOME_SOURCES:
            count = income_sources_count(figures, income_keys)
            return None if count is None else Decimal(count)
        return figures.get(name)

    return lookup


def aggregate(values: Sequence[Decimal], aggregation: str, threshold: Decimal | None = None) -> Decimal | None:
    if not values:
        return None
    if aggregation == Aggregation.SUM:
        return sum(values, Decimal(0))
    if aggregation == Aggregation.MEAN:
        return sum(values, Decimal(0)) / len(values)
    if aggregation == Aggregation.MEDIAN:
        return fig.median(values)
    if aggregation == Aggregation.SHARE_AT_LEAST:
        if threshold is None:
            return None
        return Decimal(sum(1 for value in values if value >= threshold)) * 100 / len(values)
    raise ValueError(f"unknown aggregation {aggregation!r}")


@dataclass(frozen=True)
class Point:
    """A target's metric in one year. `suppressed` marks a value over fewer organisations
    than the network publishes: staff may read it, it must not leave the dashboard."""

    year: int
    value: Decimal | None
    organisations: int
    suppressed: bool


@dataclass(frozen=True)
class Progress:
    target: Target
    points: list[Point]

    @property
    def latest(self) -> Point | None:
        with_value = [point for point in self.points if point.value is not None]
        return with_value[-1] if with_value else None

    @property
    def baseline(self) -> Point | None:
        year = self.target.baseline_year
        return next((point for point in self.points if point.year == year and point.value is not None), None)

    @property
    def aims_down(self) -> bool:
        """A target below its baseline value is one to go down to (e.g. a lower HHI)."""
        baseline = self.baseline
        return baseline is not None and self.target.target_value < baseline.value

    @property
    def met(self) -> bool | None:
        """Whether the latest value reaches the target; None when there is no value yet."""
        latest = self.latest
        if latest is None:
            return None
        if self.aims_down:
            return latest.value <= self.target.target_value
        return latest.value >= self.target.target_value


def progress_for(network: Network, targets: Sequence[Target]) -> dict[int, Progress]:
    """Progress of each target over the years with figures, in a fixed 4 queries."""
    table = fig.load_figures(network=network)
    minimum = peer_group_minimum(network)
    income_keys = income_source_keys()
    result = {}
    for target in targets:
        try:
            tree = parse_formula(target.formula)
        except FormulaError:
            result[target.pk] = Progress(target, [])
            continue
        points = []
        for year in table.years():
            if target.baseline_year and year < target.baseline_year:
                continue
            values = [
                value
                for figures in table.for_year(year).values()
                if (value := _evaluate(tree, _namespace(figures, income_keys))) is not None
            ]
            points.append(
                Point(
                    year=year,
                    value=aggregate(values, target.aggregation, target.threshold),
                    organisations=len(values),
                    suppressed=len(values) < minimum,
                )
            )
        result[target.pk] = Progress(target, points)
    return result


def progress(target: Target) -> Progress:
    return progress_for(target.network, [target])[target.pk]


def save_target(*, network: Network, data: dict, target: Target | None = None) -> Target:
    """Create or update a network's target from validated form data.

    The formula is checked again here: a target that cannot be evaluated is never stored.
    A threshold is kept only for a share of members, where it means something.
    """
    validate_formula(data["formula"])
    with transaction.atomic():
        target = target or Target(network=network)
        for field in ("name", "formula", "aggregation", "threshold", "target_value", "target_year", "baseline_year"):
            setattr(target, field, data.get(field))
        target.formula = target.formula.strip()
        if target.aggregation != Aggregation.SHARE_AT_LEAST:
            target.threshold = None
        target.save()
    return target
