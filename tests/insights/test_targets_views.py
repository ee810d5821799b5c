"""The staff dashboard of strategic targets, and the form that defines them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from constellation.insights.models import Aggregation, Target
from tests.insights.test_field import indicator, member, report

pytestmark = pytest.mark.django_db


def make_target(network, **fields) -> Target:
    values = {
        "name": "Visitors", "formula": "onsite_visitors", "aggregation": Aggregation.SUM,
        "target_value": 1000, "target_year": 2026,
    } | fields
    return Target.objects.create(network=network, **values)


def form_data(**fields) -> dict:
    return {
        "name": "Diversified members", "formula": "income_sources", "aggregation": "share_at_least",
        "threshold": "3", "target_value": "60", "target_year": "2025", "baseline_year": "2023",
    } | fields


def test_targets_dashboard_shows_each_target_with_chart_and_table(login, staff_a, network_a):
    for organisation in [member(network_a) for _ in range(3)]:
        report(organisation, network_a, 2024, onsite_visitors=250_000)
    make_target(network_a, name="A million visitors", target_value=1_000_000)

    response = login(staff_a).get(reverse("insights:targets", args=["neta"]))

    assert response.status_code == 200
    assert '<svg role="img" aria-label="A million visitors"' in response.text
    assert "<caption>A million visitors: value each year</caption>" in response.text
    # Staff read their own network's figures even over fewer members than the public pages show.
    assert "<th scope=\"row\">2024</th>\n              <td>750,000</td>" in response.text
    assert "Too few organisations to publish: for staff only." in response.text
    assert "Not met yet in 2024." in response.text


@pytest.mark.parametrize("url_name", ["insights:targets", "insights:target-create"])
def test_targets_pages_are_404_for_another_networks_staff(login, staff_b, network_a, url_name):
    response = login(staff_b).get(reverse(url_name, args=["neta"]))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["admin_alice", "member_bob", "outsider_olga"])
def test_targets_dashboard_is_404_for_anyone_but_staff(login, network_a, persona, request):
    make_target(network_a)

    response = login(request.getfixturevalue(persona)).get(reverse("insights:targets", args=["neta"]))

    assert response.status_code == 404


def test_targets_dashboard_sends_anonymous_visitors_to_sign_in(network_a):
    response = Client().get(reverse("insights:targets", args=["neta"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_target_edit_of_another_networks_target_is_404_and_changes_nothing(login, staff_b, network_a, network_b):
    target = make_target(network_a)
    indicator("income_public")

    response = login(staff_b).post(reverse("insights:target-edit", args=["netb", target.pk]), form_data())

    assert response.status_code == 404
    target.refresh_from_db()
    assert target.name == "Visitors"


def test_target_create_saves_and_returns_to_the_dashboard(login, staff_a, network_a):
    indicator("income_public")

    response = login(staff_a).post(reverse("insights:target-create", args=["neta"]), form_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("insights:targets", args=["neta"])
    target = Target.objects.get()
    assert (target.network, target.name, target.formula, target.threshold, target.target_value) == (
        network_a, "Diversified members", "income_sources", Decimal(3), Decimal(60),
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"formula": "nope + 1"}, "formula", "Unknown indicator: nope."),
        ({"formula": "__import__('os')"}, "formula", "A formula may use only indicator keys, numbers, + - * / and brackets."),
        ({"threshold": ""}, "threshold", "A share of members needs the value each member must reach."),
        ({"target_value": "150"}, "target_value", "A share is a percentage between 0 and 100."),
        ({"baseline_year": "2030"}, "baseline_year", "The baseline year comes before the target year."),
    ],
)
def test_target_create_with_bad_input_saves_nothing(login, staff_a, network_a, fields, field, message):
    response = login(staff_a).post(reverse("insights:target-create", args=["neta"]), form_data(**fields))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Target.objects.count() == 0


def test_target_create_twice_with_the_same_name_saves_once(login, staff_a, network_a):
    client = login(staff_a)

    client.post(reverse("insights:target-create", args=["neta"]), form_data())
    again = client.post(reverse("insights:target-create", args=["neta"]), form_data())

    assert again.context["form"].errors["name"] == ["This network already has a target with this name."]
    assert Target.objects.count() == 1


def test_target_edit_changes_the_target_and_drops_a_threshold_that_means_nothing(login, staff_a, network_a):
    indicator("onsite_visitors")
    target = make_target(network_a)

    login(staff_a).post(
        reverse("insights:target-edit", args=["neta", target.pk]),
        form_data(name="Visitors", formula="onsite_visitors", aggregation="mean", threshold="7", target_value="500"),
    )

    target.refresh_from_db()
    assert (target.aggregation, target.threshold, target.target_value) == ("mean", None, Decimal(500))


@pytest.mark.parametrize("count", [1, 3])
def test_targets_dashboard_query_count_is_fixed(login, staff_a, network_a, count, django_assert_num_queries):
    for organisation in [member(network_a) for _ in range(3)]:
        report(organisation, network_a, 2023, onsite_visitors=1)
        report(organisation, network_a, 2024, onsite_visitors=2)
    for n in range(count):
        make_target(network_a, name=f"Target {n}")
    client = login(staff_a)

    with django_assert_num_queries(11):
        response = client.get(reverse("insights:targets", args=["neta"]))

    assert len(response.context["items"]) == count
