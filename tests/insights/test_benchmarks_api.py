"""The insights API: peer comparisons and an organisation's own figures, token only."""

from __future__ import annotations

import json

import pytest

from constellation.insights.models import ExchangeRate, InsightSettings
from tests import factories
from tests.api.conftest import API, bearer
from tests.insights.test_benchmarks import DISTINCTIVE, YEAR, peer, report

BENCHMARKS = f"{API}/insights/benchmarks"
SMALLEST = 70707


def figures_url(slug: str) -> str:
    return f"{API}/insights/organisations/{slug}/figures"


def item(body: dict, key: str) -> dict:
    return next(i for i in body["items"] if i["key"] == key)


@pytest.fixture
def five_reporting(network_a, atomium):
    report(atomium, network_a, onsite_visitors=85000, operating_budget=1200000)
    return [
        peer(network_a, onsite_visitors=v, operating_budget=v * 10) for v in (SMALLEST, 80000, 90000, DISTINCTIVE)
    ]


def test_api_compares_when_five_organisations_report(client, member_bob, five_reporting):
    response = client.get(BENCHMARKS, {"organisation": "atomium"}, headers=bearer(member_bob))

    assert response.status_code == 200
    body = response.json()
    visitors = item(body, "onsite_visitors")
    assert {k: visitors[k] for k in ("own", "suppressed", "count", "lower_quartile", "median", "upper_quartile", "percentile_rank")} == {
        "own": 85000.0, "suppressed": False, "count": 5, "lower_quartile": 80000.0, "median": 85000.0,
        "upper_quartile": 90000.0, "percentile_rank": 50.0,
    }
    assert body["group"] == {
        "network": "neta", "kind": [], "visitors_band": [], "country": [], "region": [], "size": 5,
        "includes_organisation": True, "minimum": 5,
    }
    # The trend repeats the year's figures, without a percentile rank (only the chosen year has one).
    same_year = {k: visitors[k] for k in visitors if k not in ("key", "label", "unit", "is_ratio", "trend")}
    assert visitors["trend"] == [{**same_year, "percentile_rank": None}]


def test_api_suppresses_when_four_organisations_report(client, member_bob, network_a, atomium):
    report(atomium, network_a, onsite_visitors=250)
    for visitors in (100, 200, 300):
        peer(network_a, onsite_visitors=visitors)

    body = client.get(BENCHMARKS, {"organisation": "atomium"}, headers=bearer(member_bob)).json()

    visitors = item(body, "onsite_visitors")
    assert visitors == {
        "key": "onsite_visitors", "label": "On-site visitors", "unit": "count", "is_ratio": False, "year": YEAR,
        "own": 250.0, "suppressed": True, "reason": "Fewer than 5 organisations in this group report it.",
        "count": None, "lower_quartile": None, "median": None, "upper_quartile": None, "percentile_rank": None,
        "trend": [
            {
                "year": YEAR, "own": 250.0, "suppressed": True,
                "reason": "Fewer than 5 organisations in this group report it.", "count": None,
                "lower_quartile": None, "median": None, "upper_quartile": None, "percentile_rank": None,
            }
        ],
    }


def test_api_follows_the_networks_own_minimum(client, member_bob, network_a, five_reporting):
    InsightSettings.objects.create(network=network_a, peer_group_minimum=7)

    body = client.get(BENCHMARKS, {"organisation": "atomium"}, headers=bearer(member_bob)).json()

    assert body["group"]["minimum"] == 7
    assert item(body, "onsite_visitors")["suppressed"] is True


def test_api_never_returns_another_members_raw_figure(client, admin_alice, five_reporting):
    response = client.get(BENCHMARKS, {"organisation": "atomium"}, headers=bearer(admin_alice))

    text = response.content.decode()
    assert response.status_code == 200
    assert str(DISTINCTIVE) not in text
    assert str(SMALLEST) not in text
    assert str(DISTINCTIVE * 10) not in text
    assert "min" not in json.dumps(sorted(item(response.json(), "onsite_visitors")))


def test_api_converts_money_before_the_median(client, member_bob, network_a, atomium):
    ExchangeRate.objects.create(year=YEAR, currency="USD", units_per_base=2)
    report(atomium, network_a, operating_budget=1000)
    for budget in (2000, 4000, 6000, 8000):
        peer(network_a, currency="USD", operating_budget=budget)

    body = client.get(BENCHMARKS, {"organisation": "atomium"}, headers=bearer(member_bob)).json()

    budget = item(body, "operating_budget")
    assert (budget["median"], budget["unit"], body["currency"]) == (2000.0, "money", "EUR")


def test_api_narrows_the_group(client, member_bob, network_a, atomium):
    report(atomium, network_a, onsite_visitors=250)
    for visitors in (100, 200, 300, 400, 500):
        peer(network_a, kinds=["aquarium"], country="JP", visitors_band="over-1m", onsite_visitors=visitors)

    body = client.get(
        BENCHMARKS,
        {"organisation": "atomium", "kind": "aquarium", "region": "AS", "visitors_band": "over-1m", "country": "jp"},
        headers=bearer(member_bob),
    ).json()

    assert body["group"]["size"] == 5
    assert body["group"]["country"] == ["JP"]
    assert item(body, "onsite_visitors")["median"] == 300.0


# --- Who may ask --------------------------------------------------------------------------------


def test_api_needs_a_token(client, five_reporting):
    response = client.get(BENCHMARKS, {"organisation": "atomium"})

    assert response.status_code == 401


@pytest.mark.parametrize("persona", ["outsider_olga", "staff_b"])
def test_api_hides_an_organisation_from_strangers(client, request, persona, five_reporting):
    user = request.getfixturevalue(persona)

    response = client.get(BENCHMARKS, {"organisation": "atomium"}, headers=bearer(user))

    assert response.status_code == 404
    assert str(DISTINCTIVE) not in response.content.decode()


def test_api_hides_an_organisation_from_another_members_admin(client, five_reporting):
    user = factories.UserFactory()
    factories.AffiliationFactory(person=factories.PersonFactory(user=user), organisation=five_reporting[3], is_admin=True)

    response = client.get(BENCHMARKS, {"organisation": "atomium"}, headers=bearer(user))
    own = client.get(BENCHMARKS, {"organisation": five_reporting[3].slug}, headers=bearer(user))

    assert response.status_code == 404
    assert item(own.json(), "onsite_visitors")["own"] == DISTINCTIVE  # its own figure, to itself


def test_api_answers_not_found_for_an_unknown_organisation(client, member_bob, five_reporting):
    response = client.get(BENCHMARKS, {"organisation": "no-such-place"}, headers=bearer(member_bob))

    assert response.status_code == 404


def test_api_lets_staff_compare_any_member(client, staff_a, five_reporting):
    response = client.get(BENCHMARKS, {"organisation": five_reporting[1].slug}, headers=bearer(staff_a))

    assert item(response.json(), "onsite_visitors")["own"] == 80000.0


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "last"}, "year"),
        ({"year": 1066}, "year"),
        ({"region": "XX"}, "region.0"),
        ({"visitors_band": "huge"}, "visitors_band.0"),
        ({"country": "France"}, "country.0"),
        ({"kind": "not a slug"}, "kind.0"),
    ],
)
def test_api_rejects_malformed_input(client, member_bob, five_reporting, params, field):
    response = client.get(BENCHMARKS, {"organisation": "atomium", **params}, headers=bearer(member_bob))

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"year": 2019}, "year"), ({"network": "netb"}, "network"), ({"kind": "dragons"}, "kind")],
)
def test_api_rejects_choices_that_do_not_fit(client, member_bob, network_b, five_reporting, params, field):
    response = client.get(BENCHMARKS, {"organisation": "atomium", **params}, headers=bearer(member_bob))

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_api_requires_the_organisation(client, member_bob, five_reporting):
    response = client.get(BENCHMARKS, headers=bearer(member_bob))

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["organisation"]


# --- An organisation's own figures --------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member_bob", "admin_alice", "staff_a"])
def test_api_figures_go_to_the_organisations_people_and_staff(client, request, persona, network_a, atomium):
    report(atomium, network_a, currency="USD", onsite_visitors=250, operating_budget=DISTINCTIVE)
    user = request.getfixturevalue(persona)

    response = client.get(figures_url("atomium"), {"year": YEAR}, headers=bearer(user))

    assert response.status_code == 200
    body = response.json()
    assert (body["organisation"], body["count"]) == ("atomium", 1)
    [entry] = body["items"]
    assert (entry["network"], entry["year"], entry["currency"]) == ("neta", YEAR, "USD")
    values = {f["indicator"]: f["value"] for f in entry["figures"]}
    assert values == {"onsite_visitors": 250.0, "operating_budget": float(DISTINCTIVE)}


@pytest.mark.parametrize("persona", ["outsider_olga", "staff_b"])
def test_api_figures_are_not_found_for_strangers(client, request, persona, network_a, atomium):
    report(atomium, network_a, operating_budget=DISTINCTIVE)
    user = request.getfixturevalue(persona)

    response = client.get(figures_url("atomium"), headers=bearer(user))

    assert response.status_code == 404
    assert str(DISTINCTIVE) not in response.content.decode()


def test_api_figures_are_not_found_for_another_members_admin(client, network_a, atomium):
    report(atomium, network_a, operating_budget=DISTINCTIVE)
    other = peer(network_a, operating_budget=1)
    user = factories.UserFactory()
    factories.AffiliationFactory(person=factories.PersonFactory(user=user), organisation=other, is_admin=True)

    response = client.get(figures_url("atomium"), headers=bearer(user))

    assert response.status_code == 404


def test_api_figures_show_staff_only_what_was_reported_to_their_network(client, staff_b, network_a, network_b, atomium):
    factories.MembershipFactory(organisation=atomium, network=network_b)
    report(atomium, network_a, operating_budget=DISTINCTIVE)
    report(atomium, network_b, operating_budget=5)

    response = client.get(figures_url("atomium"), headers=bearer(staff_b))

    assert [entry["network"] for entry in response.json()["items"]] == ["netb"]
    assert str(DISTINCTIVE) not in response.content.decode()


def test_api_figures_leave_out_drafts(client, member_bob, network_a, atomium):
    report(atomium, network_a, onsite_visitors=1).__class__.objects.update(status="draft")

    response = client.get(figures_url("atomium"), headers=bearer(member_bob))

    assert response.json() == {"organisation": "atomium", "items": [], "count": 0}
