"""The public state-of-the-field page and its open data."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from tests.insights.test_field import member, members_reporting, report

pytestmark = pytest.mark.django_db


def field_page(**params):
    return Client().get(reverse("insights:field"), params)


def open_data(**params) -> list[dict[str, str]]:
    response = Client().get(reverse("insights:field-csv"), params)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def country_rows(rows: list[dict[str, str]], year: str = "2024") -> dict[str, dict[str, str]]:
    return {row["group_code"]: row for row in rows if row["breakdown"] == "country" and row["year"] == year}


def test_field_page_headline_says_how_many_people_and_organisations(network_a):
    members_reporting(network_a, 5, onsite_visitors=2_000_000, outreach_participants=500_000)

    response = field_page(network="neta", year=2024)

    assert response.status_code == 200
    assert "12,500,000 people reached on site and through outreach by 5 organisations in 2024." in response.text
    assert reverse("insights:field-csv") + "?network=neta" in response.text


def test_field_page_defaults_to_the_latest_year_without_login(network_a):
    members_reporting(network_a, 5, year=2023, onsite_visitors=1)
    members_reporting(network_a, 5, year=2024, onsite_visitors=2)

    response = field_page()

    assert response.context["network"] == network_a
    assert response.context["year"] == 2024


def test_field_page_hides_a_country_of_four_and_shows_one_of_five(network_a):
    members_reporting(network_a, 4, country="BE", onsite_visitors=111_111)
    members_reporting(network_a, 6, country="FR", onsite_visitors=10)

    hidden = field_page(network="neta", year=2024)
    report(member(network_a, country="BE"), network_a, 2024, onsite_visitors=111_111)
    shown = field_page(network="neta", year=2024)

    assert "444,444" not in hidden.text
    assert "<th scope=\"row\">Belgium</th><td><span class=\"meta\">Not shown: Fewer than 5 organisations reported." in hidden.text
    assert "<th scope=\"row\">Belgium</th><td>555,555</td><td>5</td>" in shown.text


def test_field_csv_hides_a_country_of_four_with_the_reason_and_shows_one_of_five(network_a):
    members_reporting(network_a, 4, country="BE", onsite_visitors=111_111)
    members_reporting(network_a, 6, country="FR", onsite_visitors=10)

    hidden = country_rows(open_data(network="neta"))
    report(member(network_a, country="BE"), network_a, 2024, onsite_visitors=111_111)
    shown = country_rows(open_data(network="neta"))

    assert (hidden["BE"]["value"], hidden["BE"]["organisations"], hidden["BE"]["hidden_because"]) == ("", "", "too_few")
    # France alone would give Belgium away as the total minus France: hidden too.
    assert (hidden["FR"]["value"], hidden["FR"]["hidden_because"]) == ("", "protects_others")
    assert (shown["BE"]["value"], shown["BE"]["organisations"], shown["BE"]["hidden_because"]) == ("555555", "5", "")


def test_field_page_and_csv_never_show_one_members_figure(network_a):
    members_reporting(network_a, 6, country="FR", onsite_visitors=1_000, income_public=10, income_grants=10)
    loner = member(network_a, country="LU", kinds=("planetarium",))
    report(
        loner, network_a, 2024, onsite_visitors=987_654, outreach_participants=987_654,
        online_reach=987_654, income_public=987_654,
    )

    page = field_page(network="neta", year=2024)
    data = Client().get(reverse("insights:field-csv"), {"network": "neta"}).content.decode()

    for text in (page.text, data):
        assert "987654" not in text
        assert "987,654" not in text
    assert "Luxembourg" in page.text


def test_field_page_with_too_few_organisations_shows_no_total(network_a):
    members_reporting(network_a, 3, onsite_visitors=123_456)

    response = field_page(network="neta", year=2024)

    assert "The total for 2024 is not shown: fewer than 5 organisations reported it." in response.text
    assert "123,456" not in response.text
    assert "370,368" not in response.text


def test_field_page_charts_have_their_data_table(network_a):
    members_reporting(network_a, 5, onsite_visitors=1_000, income_public=1, income_grants=1)

    response = field_page(network="neta", year=2024)

    assert response.text.count('<svg role="img"') == 2
    assert response.text.count("The table below gives the same figures.") == 2
    assert "<caption>Members by income diversification in 2024</caption>" in response.text
    assert "<caption>People reached each year, on site and through outreach</caption>" in response.text


def test_field_page_for_an_unknown_network_is_404(network_a):
    response = field_page(network="nope")

    assert response.status_code == 404


def test_field_page_for_a_year_without_figures_says_so(network_a):
    members_reporting(network_a, 5, year=2024, onsite_visitors=1)
    report(member(network_a), network_a, 2025, status="draft", onsite_visitors=1)

    response = field_page(network="neta", year=2025)

    assert "No figures submitted for 2025 yet." in response.text


@pytest.mark.parametrize("years", [1, 3])
def test_field_page_query_count_is_the_same_for_one_or_three_years(network_a, years, django_assert_num_queries):
    organisations = members_reporting(network_a, 5, year=2024, onsite_visitors=1, income_public=1)
    for year in range(2021, 2021 + years - 1):
        for organisation in organisations:
            report(organisation, network_a, year, onsite_visitors=1, income_public=1)

    with django_assert_num_queries(8):
        response = field_page(network="neta")

    assert len(response.context["series"]) == years


@pytest.mark.parametrize("years", [1, 3])
def test_field_csv_query_count_is_the_same_for_one_or_three_years(network_a, years, django_assert_num_queries):
    organisations = members_reporting(network_a, 5, year=2024, onsite_visitors=1)
    for year in range(2021, 2021 + years - 1):
        for organisation in organisations:
            report(organisation, network_a, year, onsite_visitors=1)

    with django_assert_num_queries(8):
        rows = open_data(network="neta")

    assert len({row["year"] for row in rows}) == years


def test_field_page_without_any_network_says_so(db):
    response = field_page()

    assert response.status_code == 200
    assert "No network has published figures yet." in response.text
