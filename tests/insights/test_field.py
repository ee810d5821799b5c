"""Field-wide figures: reach, its breakdowns, income diversification, and what stays hidden."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from constellation.insights import field
from constellation.insights.models import (
    Answer,
    ExchangeRate,
    Indicator,
    InsightSettings,
    Survey,
    SurveyResponse,
    Unit,
)
from tests import factories

pytestmark = pytest.mark.django_db


def indicator(key: str) -> Indicator:
    income = key.startswith("income_")
    return Indicator.objects.get_or_create(
        key=key,
        defaults={"labels": {"en": key}, "unit": Unit.MONEY if income else Unit.COUNT, "is_income_source": income},
    )[0]


def member(network, *, country: str = "FR", kinds: tuple[str, ...] = ("science-centre",), name: str = ""):
    organisation = factories.OrganisationFactory(country=country, kinds=list(kinds), **({"name": name} if name else {}))
    factories.MembershipFactory(organisation=organisation, network=network)
    return organisation


def report(organisation, network, year: int, *, status: str = "submitted", currency: str = "EUR", **values):
    """One organisation's submitted survey for a year, with the given figures."""
    survey, _ = Survey.objects.get_or_create(network=network, year=year, defaults={"deadline": date(year + 1, 3, 31)})
    response = SurveyResponse.objects.create(survey=survey, organisation=organisation, status=status, currency=currency)
    for key, value in values.items():
        Answer.objects.create(response=response, indicator=indicator(key), value=Decimal(value))
    return response


def members_reporting(network, count: int, year: int = 2024, *, country: str = "FR", **values) -> list:
    organisations = [member(network, country=country) for _ in range(count)]
    for organisation in organisations:
        report(organisation, network, year, **values)
    return organisations


def test_reach_totals_onsite_and_outreach_with_the_number_of_organisations(network_a):
    members_reporting(network_a, 4, onsite_visitors=100_000, outreach_participants=20_000, online_reach=5_000)
    report(member(network_a), network_a, 2024, onsite_visitors=50_000, outreach_participants=1, online_reach=1)

    reach = field.reach(network_a, 2024)

    assert reach == field.Reach(
        year=2024,
        total=field.Cell(Decimal(530_001), 5),
        onsite=field.Cell(Decimal(450_000), 5),
        outreach=field.Cell(Decimal(80_001), 5),
        online=field.Cell(Decimal(20_001), 5),
    )


def test_reach_counts_only_submitted_responses_of_that_network_and_year(network_a, network_b):
    members_reporting(network_a, 5, onsite_visitors=1_000)
    report(member(network_a), network_a, 2024, status="draft", onsite_visitors=99_999)
    members_reporting(network_b, 5, onsite_visitors=7)
    members_reporting(network_a, 5, year=2023, onsite_visitors=3)

    reach = field.reach(network_a, 2024)

    assert reach.total == field.Cell(Decimal(5_000), 5)


def test_reach_total_over_fewer_than_the_minimum_is_hidden(network_a):
    members_reporting(network_a, 4, onsite_visitors=1_000)

    reach = field.reach(network_a, 2024)

    assert reach.total == field.Cell(None, None, field.TOO_FEW, "Fewer than 5 organisations reported.")


def test_reach_minimum_comes_from_the_network_settings(network_a):
    InsightSettings.objects.create(network=network_a, peer_group_minimum=3)
    members_reporting(network_a, 3, onsite_visitors=1_000)

    reach = field.reach(network_a, 2024)

    assert reach.total == field.Cell(Decimal(3_000), 3)


def test_reach_part_hidden_hides_the_other_part_too(network_a):
    members_reporting(network_a, 4, onsite_visitors=1_000)
    members_reporting(network_a, 2, onsite_visitors=1_000, outreach_participants=50)

    reach = field.reach(network_a, 2024)

    assert reach.total == field.Cell(Decimal(6_100), 6)
    assert reach.outreach.reason == field.TOO_FEW
    assert reach.onsite.reason == field.PROTECTS_OTHERS  # total minus on-site would give outreach away


def test_reach_by_country_hides_a_country_of_four_and_protects_it_from_the_total(network_a):
    members_reporting(network_a, 4, country="BE", onsite_visitors=1_000)
    members_reporting(network_a, 6, country="FR", onsite_visitors=2_000)
    members_reporting(network_a, 5, country="NL", onsite_visitors=3_000)

    rows = {row.code: row for row in field.reach_by_country(network_a, 2024)}

    assert rows["BE"].label == "Belgium"
    assert rows["BE"].cell.reason == field.TOO_FEW
    assert rows["NL"].cell.reason == field.PROTECTS_OTHERS  # the smallest shown country
    assert rows["FR"].cell == field.Cell(Decimal(12_000), 6)


def test_reach_by_country_shows_a_country_of_five(network_a):
    members_reporting(network_a, 5, country="BE", onsite_visitors=1_000)
    members_reporting(network_a, 6, country="FR", onsite_visitors=2_000)

    rows = {row.code: row.cell for row in field.reach_by_country(network_a, 2024)}

    assert rows == {"BE": field.Cell(Decimal(5_000), 5), "FR": field.Cell(Decimal(12_000), 6)}


def test_reach_by_country_and_kind_never_differ_by_one_member(network_a):
    for _ in range(5):
        report(member(network_a, country="BE", kinds=("planetarium",)), network_a, 2024, onsite_visitors=1_000)
    report(member(network_a, country="FR", kinds=("planetarium",)), network_a, 2024, onsite_visitors=7_000)
    for _ in range(4):
        report(member(network_a, country="FR", kinds=("science-centre",)), network_a, 2024, onsite_visitors=2_000)
    data = field.FieldData.load(network_a)

    by_country = {row.code: row.cell for row in data.reach_by_country(2024)}
    by_kind = {row.code: row.cell for row in data.reach_by_kind(2024)}

    # Planetaria (BE's five and one in France) minus Belgium would be that French planetarium.
    assert by_country["BE"].reason == field.PROTECTS_OTHERS
    assert by_kind["planetarium"].reason == field.PROTECTS_OTHERS
    assert by_kind["science-centre"].reason == field.TOO_FEW
    assert by_country["FR"] == field.Cell(Decimal(15_000), 5)


def test_reach_sum_dominated_by_one_member_is_hidden(network_a):
    members_reporting(network_a, 5, country="LU", onsite_visitors=100)
    report(member(network_a, country="LU"), network_a, 2024, onsite_visitors=987_654)
    members_reporting(network_a, 5, country="FR", onsite_visitors=50_000)

    by_country = {row.code: row.cell for row in field.reach_by_country(network_a, 2024)}

    assert by_country["LU"].reason == field.DOMINATED
    assert by_country["LU"].note == "One organisation makes up nearly all of this figure."
    # The total minus France would be Luxembourg's dominated sum.
    assert by_country["FR"].reason == field.PROTECTS_OTHERS


def test_reach_by_kind_counts_an_organisation_in_each_of_its_kinds(network_a):
    for _ in range(5):
        report(member(network_a, kinds=("science-centre", "planetarium")), network_a, 2024, onsite_visitors=10)
    for _ in range(5):
        report(member(network_a, kinds=()), network_a, 2024, onsite_visitors=1)

    rows = [(row.code, row.label, row.cell.value) for row in field.reach_by_kind(network_a, 2024)]

    assert rows == [
        ("planetarium", "Planetarium", Decimal(50)),
        ("science-centre", "Science centre", Decimal(50)),
        ("", "Kind not given", Decimal(5)),
    ]


def test_reach_by_year_gives_every_year_with_figures(network_a):
    organisations = members_reporting(network_a, 5, year=2022, onsite_visitors=10)
    for organisation in organisations:
        report(organisation, network_a, 2023, onsite_visitors=20)

    series = field.reach_by_year(network_a)

    assert [(item.year, item.total.value) for item in series] == [(2022, Decimal(50)), (2023, Decimal(100))]


def test_hhi_of_half_and_half_is_5000_and_of_one_source_10000(network_a):
    halves = member(network_a)
    single = member(network_a)
    report(halves, network_a, 2024, income_public=50_000, income_admissions=50_000)
    report(single, network_a, 2024, income_public=80_000, income_grants=0)

    hhi = field.hhi_by_organisation(network_a, 2024)

    assert hhi == {halves.pk: Decimal(5000), single.pk: Decimal(10000)}


def test_hhi_is_the_same_whatever_the_currency(network_a):
    ExchangeRate.objects.create(year=2024, currency="SEK", units_per_base=Decimal("11.5"))
    organisation = member(network_a)
    report(organisation, network_a, 2024, currency="SEK", income_public=75_000, income_retail=25_000)

    hhi = field.hhi_by_organisation(network_a, 2024)

    assert hhi == {organisation.pk: Decimal(6250)}


def test_diversification_counts_organisations_per_band_with_the_median(network_a):
    for incomes in (
        {"income_public": 1},  # 10,000
        {"income_public": 1, "income_grants": 1},  # 5,000: moderate, the upper edge
        {"income_public": 1, "income_grants": 1, "income_retail": 1},  # 3,333
        {"income_public": 1, "income_grants": 1, "income_retail": 1, "income_other": 1},  # 2,500
        {f"income_{k}": 1 for k in ("public", "grants", "retail", "other", "corporate")},  # 2,000
    ):
        report(member(network_a), network_a, 2024, **incomes)

    result = field.diversification(network_a, 2024)

    assert [(row.code, row.cell.value) for row in result.bands] == [
        ("diversified", 1), ("moderate", 3), ("concentrated", 1),
    ]
    assert result.median.value.quantize(Decimal(1)) == Decimal(3333)


def test_diversification_over_fewer_than_the_minimum_is_hidden(network_a):
    members_reporting(network_a, 4, income_public=1)

    result = field.diversification(network_a, 2024)

    assert result.median.reason == field.TOO_FEW
    assert [row.cell.value for row in result.bands] == [None, None, None]


def test_income_sources_count_counts_sources_above_zero():
    keys = ["income_public", "income_grants", "income_retail"]

    assert field.income_sources_count({"income_public": Decimal(5), "income_grants": Decimal(0)}, keys) == 1
    assert field.income_sources_count({"onsite_visitors": Decimal(5)}, keys) is None


def test_field_data_loads_in_a_fixed_number_of_queries(network_a, django_assert_num_queries):
    members_reporting(network_a, 3, onsite_visitors=1, income_public=1)

    with django_assert_num_queries(6):
        field.FieldData.load(network_a)
