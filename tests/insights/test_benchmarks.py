"""Peer benchmarking: group statistics, the confidentiality threshold, ratios and trends.

The helpers here (`report`, `peer`) are shared by the page and API tests of benchmarks.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from constellation.insights.benchmarks import (
    PeerGroup,
    benchmark_metrics,
    compare,
    peer_rows,
    warm_statistics,
)
from constellation.insights.figures import percentile_rank, quartiles
from constellation.insights.models import (
    Answer,
    ExchangeRate,
    Indicator,
    InsightSettings,
    ResponseStatus,
    Survey,
    SurveyResponse,
    Unit,
)
from constellation.networks.models import Network, Organisation
from tests import factories

YEAR = 2024
DISTINCTIVE = 987654
MONEY = {"operating_budget"}
INCOME = {"income_public", "income_admissions", "income_memberships", "income_retail"}


def indicator(key: str) -> Indicator:
    unit = Unit.AREA if key == "floor_area" else Unit.MONEY if key in MONEY | INCOME else Unit.COUNT
    return Indicator.objects.get_or_create(
        key=key, defaults={"labels": {"en": key}, "unit": unit, "is_income_source": key in INCOME}
    )[0]


def report(organisation: Organisation, network, year: int = YEAR, *, currency: str = "EUR", **figures) -> SurveyResponse:
    """A submitted response of `organisation` to the network's survey of `year`."""
    survey, _created = Survey.objects.get_or_create(network=network, year=year, defaults={"deadline": date(year + 1, 3, 31)})
    response = SurveyResponse.objects.create(
        survey=survey, organisation=organisation, status=ResponseStatus.SUBMITTED, currency=currency,
        submitted_at=timezone.now(),
    )
    for key, value in figures.items():
        Answer.objects.create(response=response, indicator=indicator(key), value=Decimal(value))
    return response


def peer(network, *, country: str = "FR", kinds=(), visitors_band: str = "", year: int = YEAR,
         currency: str = "EUR", **figures) -> Organisation:
    """Another member of the network that reported `figures` for `year`."""
    organisation = factories.OrganisationFactory(country=country, kinds=list(kinds), visitors_band=visitors_band)
    factories.MembershipFactory(organisation=organisation, network=network)
    report(organisation, network, year, currency=currency, **figures)
    return organisation


# --- The threshold -------------------------------------------------------------------------


def test_compare_suppresses_a_figure_four_organisations_report(network_a, atomium):
    report(atomium, network_a, onsite_visitors=250)
    for visitors in (100, 200, 300):
        peer(network_a, onsite_visitors=visitors)

    comparison = compare(atomium, PeerGroup.build(network_a), YEAR)

    figure = comparison.figure("onsite_visitors")
    assert figure.suppressed is True
    assert figure.reason == "Fewer than 5 organisations in this group report it."
    assert (figure.count, figure.median, figure.lower_quartile, figure.upper_quartile) == (None, None, None, None)
    assert figure.percentile_rank is None
    assert figure.own == Decimal(250)


def test_compare_shows_a_figure_five_organisations_report_counting_itself(network_a, atomium):
    report(atomium, network_a, onsite_visitors=250)
    for visitors in (100, 200, 300, 400):
        peer(network_a, onsite_visitors=visitors)

    comparison = compare(atomium, PeerGroup.build(network_a), YEAR)

    figure = comparison.figure("onsite_visitors")
    assert figure.suppressed is False
    assert (figure.count, figure.lower_quartile, figure.median, figure.upper_quartile) == (5, 200, 250, 300)
    assert figure.percentile_rank == 50
    assert comparison.in_group is True
    assert comparison.group_size == 5


def test_compare_counts_only_organisations_reporting_that_figure(network_a, atomium):
    report(atomium, network_a, onsite_visitors=250, floor_area=1000)
    for visitors in (100, 200, 300, 400):
        peer(network_a, onsite_visitors=visitors)

    comparison = compare(atomium, PeerGroup.build(network_a), YEAR)

    assert comparison.figure("onsite_visitors").suppressed is False
    assert comparison.figure("floor_area").suppressed is True
    assert comparison.figure("floor_area").own == 1000


def test_compare_threshold_is_configurable_per_network(network_a, network_b, atomium):
    InsightSettings.objects.create(network=network_a, peer_group_minimum=7)
    report(atomium, network_a, onsite_visitors=250)
    for visitors in (100, 200, 300, 400, 500):
        peer(network_a, onsite_visitors=visitors)
    factories.MembershipFactory(organisation=atomium, network=network_b)
    report(atomium, network_b, onsite_visitors=250)
    for visitors in (100, 200, 300, 400, 500):
        peer(network_b, onsite_visitors=visitors)

    in_a = compare(atomium, PeerGroup.build(network_a), YEAR).figure("onsite_visitors")
    in_b = compare(atomium, PeerGroup.build(network_b), YEAR).figure("onsite_visitors")

    assert in_a.suppressed is True
    assert in_a.reason == "Fewer than 7 organisations in this group report it."
    assert in_b.suppressed is False
    assert in_b.count == 6


def test_compare_shows_a_figure_once_the_configured_minimum_is_reached(network_a, atomium):
    InsightSettings.objects.create(network=network_a, peer_group_minimum=7)
    report(atomium, network_a, onsite_visitors=250)
    for visitors in (100, 200, 300, 400, 500, 600):
        peer(network_a, onsite_visitors=visitors)

    figure = compare(atomium, PeerGroup.build(network_a), YEAR).figure("onsite_visitors")

    assert figure.suppressed is False
    assert figure.count == 7


def test_compare_never_holds_a_group_minimum_or_maximum(network_a, atomium):
    report(atomium, network_a, onsite_visitors=250)
    for visitors in (100, 200, 300, DISTINCTIVE):
        peer(network_a, onsite_visitors=visitors)

    figure = compare(atomium, PeerGroup.build(network_a), YEAR).figure("onsite_visitors")

    assert not hasattr(figure, "minimum") and not hasattr(figure, "maximum")
    public = [figure.own, figure.lower_quartile, figure.median, figure.upper_quartile, figure.percentile_rank]
    assert Decimal(DISTINCTIVE) not in public
    assert Decimal(100) not in public


# --- The statistics ----------------------------------------------------------------------


def test_compare_quartiles_and_percentile_rank_on_a_known_set(network_a, atomium):
    report(atomium, network_a, onsite_visitors=20)
    for visitors in (10, 30, 40, 50, 60):
        peer(network_a, onsite_visitors=visitors)

    figure = compare(atomium, PeerGroup.build(network_a), YEAR).figure("onsite_visitors")

    # Six values 10..60: positions 1.25, 2.5 and 3.75 of the sorted list, interpolated.
    assert (figure.lower_quartile, figure.median, figure.upper_quartile) == (
        Decimal("22.5"), Decimal("35"), Decimal("47.5")
    )
    # One value below 20 and 20 itself counting half: 1.5 of 6.
    assert figure.percentile_rank == 25
    values = [Decimal(v) for v in (10, 20, 30, 40, 50, 60)]
    assert figure.percentile_rank == percentile_rank(Decimal(20), values)
    assert (figure.lower_quartile, figure.median, figure.upper_quartile) == quartiles(values)


def test_compare_percentile_rank_counts_ties_as_half(network_a, atomium):
    report(atomium, network_a, onsite_visitors=200)
    for visitors in (100, 200, 200, 300):
        peer(network_a, onsite_visitors=visitors)

    figure = compare(atomium, PeerGroup.build(network_a), YEAR).figure("onsite_visitors")

    # 1 below, 3 equal (counting half): (1 + 1.5) / 5.
    assert figure.percentile_rank == 50


def test_compare_converts_money_to_the_base_currency_before_the_median(network_a, atomium):
    ExchangeRate.objects.create(year=YEAR, currency="USD", units_per_base=Decimal(2))
    report(atomium, network_a, operating_budget=1000)
    for budget in (2000, 4000, 6000, 8000):
        peer(network_a, currency="USD", operating_budget=budget)
    peer(network_a, currency="JPY", operating_budget=DISTINCTIVE)  # no rate that year: left out

    figure = compare(atomium, PeerGroup.build(network_a), YEAR).figure("operating_budget")

    # In EUR: 1000, 1000, 2000, 3000, 4000.
    assert (figure.count, figure.median) == (5, Decimal(2000))
    assert (figure.lower_quartile, figure.upper_quartile) == (Decimal(1000), Decimal(3000))


def test_compare_ratios_of_the_organisation_and_the_group(network_a, atomium):
    report(
        atomium, network_a, onsite_visitors=50000, floor_area=2500, operating_budget=1000000, staff_fte=40,
        income_public=600, income_admissions=300, income_retail=100,
    )
    for visitors in (20000, 30000, 40000, 60000):
        peer(network_a, onsite_visitors=visitors, floor_area=2000, operating_budget=1000000)

    comparison = compare(atomium, PeerGroup.build(network_a), YEAR)

    assert comparison.figure("visitors_per_square_metre").own == 20
    assert comparison.figure("cost_per_visitor").own == 20
    assert comparison.figure("earned_income_share").own == 40
    assert comparison.figure("staff_per_10000_visitors").own == 8
    # Per m²: 10, 15, 20, 20, 30; cost per visitor: 50, 33.3, 25, 20, 16.7.
    assert comparison.figure("visitors_per_square_metre").median == 20
    assert comparison.figure("cost_per_visitor").median == 25
    assert comparison.figure("earned_income_share").suppressed is True


# --- The group ---------------------------------------------------------------------------


def test_peer_group_narrows_by_kind_size_and_place(network_a, atomium):
    report(atomium, network_a, onsite_visitors=1)
    aquarium = peer(network_a, kinds=["aquarium"], visitors_band="50k-250k", country="DE", onsite_visitors=1)
    centre = peer(network_a, kinds=["science-centre"], visitors_band="50k-250k", country="JP", onsite_visitors=1)
    big = peer(network_a, kinds=["aquarium"], visitors_band="over-1m", country="ES", onsite_visitors=1)

    assert PeerGroup.build(network_a, kinds=["aquarium"]).member_ids(YEAR) == {aquarium.pk, big.pk}
    assert PeerGroup.build(network_a, visitors_bands=["50k-250k"]).member_ids(YEAR) == {aquarium.pk, centre.pk}
    assert PeerGroup.build(network_a, regions=["EU"]).member_ids(YEAR) == {atomium.pk, aquarium.pk, big.pk}
    assert PeerGroup.build(network_a, regions=["AS"], countries=["es"]).member_ids(YEAR) == {centre.pk, big.pk}
    assert PeerGroup.build(network_a, kinds=["aquarium"], countries=["DE"]).member_ids(YEAR) == {aquarium.pk}


def test_peer_group_leaves_out_drafts_and_other_networks(network_a, network_b, atomium):
    report(atomium, network_a, onsite_visitors=1)
    draft = peer(network_a, onsite_visitors=1)
    SurveyResponse.objects.filter(organisation=draft).update(status=ResponseStatus.DRAFT)
    elsewhere = peer(network_b, onsite_visitors=1)

    members = PeerGroup.build(network_a).member_ids(YEAR)

    assert members == {atomium.pk}
    assert elsewhere.pk not in members


def test_compare_percentile_rank_when_the_organisation_is_outside_the_group(network_a, atomium):
    report(atomium, network_a, onsite_visitors=250)
    for visitors in (100, 200, 300, 400, 500):
        peer(network_a, country="JP", onsite_visitors=visitors)

    comparison = compare(atomium, PeerGroup.build(network_a, regions=["AS"]), YEAR)

    assert comparison.in_group is False
    figure = comparison.figure("onsite_visitors")
    assert (figure.count, figure.median, figure.percentile_rank) == (5, 300, 40)


# --- Trends and freshness ----------------------------------------------------------------------


def test_compare_trend_applies_the_threshold_per_year(network_a, atomium):
    report(atomium, network_a, 2023, onsite_visitors=150)
    report(atomium, network_a, 2024, onsite_visitors=250)
    for visitors in (100, 200, 300, 400):
        organisation = peer(network_a, year=2023, onsite_visitors=visitors)
        if visitors < 400:
            report(organisation, network_a, 2024, onsite_visitors=visitors)

    comparison = compare(atomium, PeerGroup.build(network_a), 2024)

    trend = comparison.trends["onsite_visitors"]
    assert [(p.year, p.own, p.suppressed) for p in trend] == [(2023, 150, False), (2024, 250, True)]
    assert trend[0].median == 200
    assert trend[1].median is None
    assert comparison.years == [2023, 2024]


def test_compare_sees_a_new_submission_at_once(network_a, atomium):
    report(atomium, network_a, onsite_visitors=250)
    for visitors in (100, 200, 300):
        peer(network_a, onsite_visitors=visitors)
    assert compare(atomium, PeerGroup.build(network_a), YEAR).figure("onsite_visitors").suppressed is True

    peer(network_a, onsite_visitors=400)

    assert compare(atomium, PeerGroup.build(network_a), YEAR).figure("onsite_visitors").suppressed is False


def test_compare_sees_a_corrected_exchange_rate_at_once(network_a, atomium):
    rate = ExchangeRate.objects.create(year=YEAR, currency="USD", units_per_base=Decimal(2))
    report(atomium, network_a, operating_budget=1000)
    for budget in (2000, 4000, 6000, 8000):
        peer(network_a, currency="USD", operating_budget=budget)
    assert compare(atomium, PeerGroup.build(network_a), YEAR).figure("operating_budget").median == 2000

    rate.units_per_base = Decimal(4)
    rate.save()

    assert compare(atomium, PeerGroup.build(network_a), YEAR).figure("operating_budget").median == 1000


def test_compare_queries_are_fixed_whatever_the_group_size(network_a, atomium, django_assert_num_queries):
    report(atomium, network_a, onsite_visitors=250)
    for visitors in range(1, 30):
        peer(network_a, onsite_visitors=visitors, floor_area=visitors)

    network = Network.objects.select_related("insight_settings").get(pk=network_a.pk)

    # Metrics, reporting years, exchange rates; on this first (uncached) call the group's
    # responses, answers and rates; then the organisation's answers and rates.
    with django_assert_num_queries(8):
        compare(atomium, PeerGroup.build(network), YEAR)
    # Cached: the group's three queries are spared.
    with django_assert_num_queries(5):
        compare(atomium, PeerGroup.build(network), YEAR)


@pytest.mark.parametrize("minimum", [1, 2])
def test_compare_never_goes_below_three_even_if_settings_say_so(network_a, atomium, minimum):
    InsightSettings.objects.create(network=network_a, peer_group_minimum=minimum)
    report(atomium, network_a, onsite_visitors=250)
    peer(network_a, onsite_visitors=100)

    figure = compare(atomium, PeerGroup.build(network_a), YEAR).figure("onsite_visitors")

    assert figure.suppressed is True


def test_peer_rows_list_every_members_raw_figures(network_a, atomium):
    report(atomium, network_a, onsite_visitors=250)
    other = peer(network_a, onsite_visitors=DISTINCTIVE)

    rows = peer_rows(PeerGroup.build(network_a), YEAR, benchmark_metrics())

    values = {row.organisation_id: row.values["onsite_visitors"] for row in rows}
    assert values == {atomium.pk: 250, other.pk: DISTINCTIVE}


def test_warm_statistics_spares_the_first_comparison_its_group_queries(network_a, atomium, django_assert_num_queries):
    report(atomium, network_a, onsite_visitors=250)
    peer(network_a, onsite_visitors=100)
    network = Network.objects.select_related("insight_settings").get(pk=network_a.pk)

    warm_statistics(network)

    with django_assert_num_queries(5):
        compare(atomium, PeerGroup.build(network), YEAR)
