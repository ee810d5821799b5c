"""Strategic targets: the formula evaluator and progress over the years."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from constellation.insights import targets
from constellation.insights.models import Aggregation, Target
from tests.insights.test_field import indicator, member, report

INCOME = ["income_public", "income_grants", "income_retail"]


def evaluate(formula: str, **figures) -> Decimal | None:
    return targets.evaluate(formula, {k: Decimal(v) for k, v in figures.items()}, income_keys=INCOME)


def test_evaluate_follows_arithmetic_with_brackets():
    assert evaluate("(income_public + income_grants) / onsite_visitors * 100", income_public=30, income_grants=20, onsite_visitors=200) == Decimal(25)
    assert evaluate("-onsite_visitors + 2.5", onsite_visitors=1) == Decimal("1.5")


def test_evaluate_division_by_zero_gives_no_value():
    assert evaluate("income_public / onsite_visitors", income_public=10, onsite_visitors=0) is None


def test_evaluate_missing_figure_gives_no_value():
    assert evaluate("income_public / onsite_visitors", income_public=10) is None


def test_evaluate_income_sources_counts_sources_above_zero():
    assert evaluate("income_sources", income_public=10, income_grants=0, income_retail=3) == Decimal(2)
    assert evaluate("income_sources", onsite_visitors=3) is None


@pytest.mark.django_db
def test_validate_formula_accepts_indicator_keys_and_income_sources():
    indicator("onsite_visitors")
    indicator("income_public")

    targets.validate_formula("income_public / onsite_visitors")
    targets.validate_formula("income_sources")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("formula", "code"),
    [
        ("no_such_indicator * 2", "unknown_name"),
        ("__import__('os').system('true')", "syntax"),
        ("__import__", "unknown_name"),
        ("onsite_visitors.real", "syntax"),
        ("onsite_visitors ** 99", "syntax"),
        ("onsite_visitors > 3", "syntax"),
        ("[onsite_visitors]", "syntax"),
        ("(onsite_visitors", "syntax"),
        ("'text'", "syntax"),
        ("True", "syntax"),
        ("1e999", "syntax"),
        ("lambda: 1", "syntax"),
        ("", "syntax"),
    ],
)
def test_validate_formula_rejects_anything_but_arithmetic_over_known_keys(formula, code):
    indicator("onsite_visitors")

    with pytest.raises(ValidationError) as error:
        targets.validate_formula(formula)

    assert error.value.code == code


def test_evaluate_refuses_a_formula_that_was_never_validated():
    with pytest.raises(targets.FormulaError):
        evaluate("__import__('os').getcwd()")


@pytest.mark.django_db
def test_progress_share_with_three_or_more_income_sources_over_two_years(network_a):
    organisations = [member(network_a) for _ in range(5)]
    three = {"income_public": 1, "income_grants": 1, "income_retail": 1}
    for organisation in organisations[:2]:
        report(organisation, network_a, 2023, **three)
    for organisation in organisations[2:]:
        report(organisation, network_a, 2023, income_public=1, income_grants=0)
    for organisation in organisations[:4]:
        report(organisation, network_a, 2024, **three)
    report(organisations[4], network_a, 2024, income_public=5)
    target = Target.objects.create(
        network=network_a, name="Diversified members", formula="income_sources",
        aggregation=Aggregation.SHARE_AT_LEAST, threshold=3, target_value=60, target_year=2025,
    )

    progress = targets.progress(target)

    assert progress.points == [
        targets.Point(2023, Decimal(40), 5, False),
        targets.Point(2024, Decimal(80), 5, False),
    ]
    assert progress.met is True


@pytest.mark.django_db
def test_progress_marks_years_with_too_few_organisations_and_starts_at_the_baseline(network_a):
    organisations = [member(network_a) for _ in range(3)]
    for year, visitors in ((2022, 1), (2023, 10), (2024, 20)):
        for organisation in organisations:
            report(organisation, network_a, year, onsite_visitors=visitors)
    target = Target.objects.create(
        network=network_a, name="Visitors", formula="onsite_visitors", aggregation=Aggregation.SUM,
        target_value=100, target_year=2026, baseline_year=2023,
    )

    progress = targets.progress(target)

    assert progress.points == [targets.Point(2023, Decimal(30), 3, True), targets.Point(2024, Decimal(60), 3, True)]
    assert progress.met is False


@pytest.mark.django_db
def test_progress_of_a_target_below_its_baseline_is_met_by_going_down(network_a):
    organisations = [member(network_a) for _ in range(5)]
    for organisation in organisations:
        report(organisation, network_a, 2023, income_public=1)
        report(organisation, network_a, 2024, income_public=1, income_grants=1)
    target = Target.objects.create(
        network=network_a, name="Dependence", formula="10 - income_sources * 5",  # 5 in 2023, 0 in 2024
        aggregation=Aggregation.MEDIAN, target_value=Decimal("1.5"), target_year=2024, baseline_year=2023,
    )

    progress = targets.progress(target)

    assert [point.value for point in progress.points] == [Decimal(5), Decimal(0)]
    assert progress.met is True


@pytest.mark.django_db
def test_progress_for_many_targets_takes_a_fixed_number_of_queries(network_a, django_assert_num_queries):
    for organisation in [member(network_a) for _ in range(5)]:
        report(organisation, network_a, 2024, onsite_visitors=1)
    many = [
        Target.objects.create(
            network=network_a, name=f"T{n}", formula="onsite_visitors", aggregation=Aggregation.MEAN,
            target_value=1, target_year=2025,
        )
        for n in range(3)
    ]

    with django_assert_num_queries(4):
        result = targets.progress_for(network_a, many)

    assert [result[t.pk].latest.value for t in many] == [Decimal(1)] * 3
