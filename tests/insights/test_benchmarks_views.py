"""The peer-comparison page and the staff-only table of every member's figures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from constellation.insights.models import InsightSettings
from tests import factories
from tests.insights.test_benchmarks import DISTINCTIVE, YEAR, peer, report

URL = reverse("insights:benchmarks")
PEERS_URL = reverse("insights:benchmark-peers")
SMALLEST = 70707
SUPPRESSED = "Fewer than 5 organisations in this group report it."


def distinctive_forms(value: int = DISTINCTIVE) -> list[str]:
    """The ways a page could write the number: raw, grouped in English or French, as a float."""
    return [str(value), f"{value:,}", f"{value:,}".replace(",", "\u202f"), f"{value:,}".replace(",", " "), f"{value}.0"]


@pytest.fixture
def five_reporting(network_a, atomium):
    """Atomium and four peers report on-site visitors; the smallest and biggest peers' are distinctive."""
    report(atomium, network_a, onsite_visitors=85000)
    return [peer(network_a, onsite_visitors=v) for v in (SMALLEST, 80000, 90000, DISTINCTIVE)]


def test_page_shows_group_figures_when_five_organisations_report(login, member_bob, five_reporting):
    response = login(member_bob).get(URL, {"organisation": "atomium", "year": YEAR, "trend": "onsite_visitors"})

    assert response.status_code == 200
    figure = response.context["comparison"].figure("onsite_visitors")
    assert (figure.suppressed, figure.count, figure.median, figure.percentile_rank) == (False, 5, 85000, 50)
    html = response.content.decode()
    row = html.split('<th scope="row">On-site visitors</th>', 1)[1].split("</tr>", 1)[0]
    # Own value, lower quartile, median, upper quartile, percentile rank, organisations reporting.
    assert row.split() == ["<td>85,000</td>", "<td>80,000</td>", "<td>85,000</td>", "<td>90,000</td>", "<td>50</td>", "<td>5</td>"]
    assert "5 organisations in this group reported figures for 2024." in html


def test_page_suppresses_group_figures_when_four_organisations_report(login, member_bob, network_a, atomium):
    report(atomium, network_a, onsite_visitors=250)
    for visitors in (100, 200, 300):
        peer(network_a, onsite_visitors=visitors)

    response = login(member_bob).get(URL, {"organisation": "atomium"})

    figure = response.context["comparison"].figure("onsite_visitors")
    assert (figure.suppressed, figure.median) == (True, None)
    html = response.content.decode()
    assert SUPPRESSED in html
    assert "This group is too small to show: fewer than 5 organisations are in it." in " ".join(html.split())


def test_page_follows_the_networks_own_minimum(login, member_bob, network_a, five_reporting):
    InsightSettings.objects.create(network=network_a, peer_group_minimum=7)

    response = login(member_bob).get(URL, {"organisation": "atomium"})

    assert response.context["comparison"].figure("onsite_visitors").suppressed is True
    assert "Fewer than 7 organisations in this group report it." in response.content.decode()


def test_page_never_shows_another_members_raw_figure(login, admin_alice, five_reporting):
    response = login(admin_alice).get(URL, {"organisation": "atomium", "trend": "onsite_visitors"})

    html = response.content.decode()
    assert response.status_code == 200
    assert [form for form in distinctive_forms() if form in html] == []
    assert [form for form in distinctive_forms(SMALLEST) if form in html] == []  # no group minimum either
    assert five_reporting[0].name not in html
    assert PEERS_URL not in html


def test_page_never_shows_another_members_raw_figure_in_french(login, admin_alice, five_reporting):
    client = login(admin_alice)
    client.cookies["django_language"] = "fr"

    html = client.get(URL, {"organisation": "atomium"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert [form for form in distinctive_forms() if form in html] == []


def test_page_defaults_to_the_members_own_organisation_and_latest_year(login, member_bob, network_a, atomium):
    report(atomium, network_a, 2022, onsite_visitors=1)
    report(atomium, network_a, 2023, onsite_visitors=2)
    peer(network_a, year=2024, onsite_visitors=3)

    response = login(member_bob).get(URL)

    comparison = response.context["comparison"]
    assert (comparison.organisation, comparison.group.network, comparison.year) == (atomium, network_a, 2023)
    assert comparison.years == [2022, 2023, 2024]


def test_page_narrows_the_group_by_its_facets(login, member_bob, network_a, atomium):
    report(atomium, network_a, onsite_visitors=250)
    for visitors in (100, 200, 300, 400, 500):
        peer(network_a, kinds=["aquarium"], country="JP", onsite_visitors=visitors)
    peer(network_a, kinds=["zoo"], onsite_visitors=DISTINCTIVE)

    response = login(member_bob).get(URL, {"organisation": "atomium", "kind": "aquarium", "region": "AS"})

    comparison = response.context["comparison"]
    assert (comparison.group_size, comparison.in_group) == (5, False)
    assert comparison.figure("onsite_visitors").median == 300
    assert "Peer group: Aquarium · Asia." in response.content.decode()


def test_page_reports_an_unknown_kind_as_a_form_error(login, member_bob, five_reporting):
    response = login(member_bob).get(URL, {"organisation": "atomium", "kind": "dragons"})

    assert response.status_code == 200
    assert "comparison" not in response.context
    assert response.context["form"].errors["kind"] == ["Select a valid choice. dragons is not one of the available choices."]


def test_page_answers_htmx_with_the_results_only(login, member_bob, five_reporting):
    response = login(member_bob).get(URL, {"organisation": "atomium"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html
    assert 'id="benchmark-scope" hx-swap-oob="true"' in html


def test_page_charts_come_with_their_data_tables(login, member_bob, network_a, atomium):
    report(atomium, network_a, onsite_visitors=250, floor_area=10)
    for visitors in (100, 200, 300, 400):
        peer(network_a, onsite_visitors=visitors, floor_area=10)

    html = login(member_bob).get(URL, {"organisation": "atomium"}).content.decode()

    assert html.count("<svg ") == 2
    assert "On-site visitors over the years" in html
    assert "Your percentile rank in the group, 2024" in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


# --- Who may compare what ------------------------------------------------------------------


def test_page_asks_strangers_to_sign_in(client, five_reporting):
    response = client.get(URL, {"organisation": "atomium"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_page_hides_an_organisation_from_an_outsider(login, outsider_olga, five_reporting):
    response = login(outsider_olga).get(URL, {"organisation": "atomium"})

    assert response.status_code == 404


def test_page_tells_an_outsider_there_is_nothing_to_compare(login, outsider_olga, five_reporting):
    response = login(outsider_olga).get(URL)

    assert response.status_code == 200
    assert response.context["form"] is None
    assert "You can compare the organisations you work at" in response.content.decode()


def test_page_hides_an_organisation_from_another_members_admin(login, network_a, five_reporting):
    other = five_reporting[0]
    user = factories.UserFactory()
    factories.AffiliationFactory(person=factories.PersonFactory(user=user), organisation=other, is_admin=True)

    response = login(user).get(URL, {"organisation": "atomium"})
    own = login(user).get(URL)

    assert response.status_code == 404
    assert own.context["comparison"].organisation == other
    assert [o for o, _name in own.context["form"].fields["organisation"].choices] == [other.slug]


def test_page_hides_an_organisation_from_another_networks_staff(login, staff_b, five_reporting):
    response = login(staff_b).get(URL, {"organisation": "atomium"})

    assert response.status_code == 404


def test_page_lets_staff_compare_any_member_of_their_network(login, staff_a, five_reporting):
    response = login(staff_a).get(URL, {"organisation": five_reporting[1].slug})

    assert response.status_code == 200
    assert response.context["comparison"].figure("onsite_visitors").own == 80000
    assert PEERS_URL in response.content.decode()


def test_page_ignores_a_network_the_organisation_is_not_in(login, member_bob, network_a, network_b, five_reporting):
    response = login(member_bob).get(URL, {"organisation": "atomium", "network": network_b.slug})

    assert response.context["comparison"].group.network == network_a


# --- Every member's figures: staff only ----------------------------------------------------------


def test_peers_page_shows_staff_every_members_raw_figure(login, staff_a, five_reporting):
    response = login(staff_a).get(PEERS_URL, {"organisation": "atomium"})

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<td>{DISTINCTIVE:,}</td>" in html
    assert [row.name for row, _cells in response.context["rows"]] == sorted(
        ["Atomium Science Centre", *[o.name for o in five_reporting]]
    )


def test_peers_page_exports_csv_for_staff(login, staff_a, five_reporting):
    response = login(staff_a).get(PEERS_URL, {"organisation": "atomium", "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    visitors = header.index("onsite_visitors")
    assert sorted(line.split(",")[visitors] for line in lines[1:]) == sorted(
        ["85000.00", f"{SMALLEST}.00", "80000.00", "90000.00", f"{DISTINCTIVE}.00"]
    )


@pytest.mark.parametrize("persona", ["member_bob", "admin_alice", "staff_b", "outsider_olga"])
def test_peers_page_is_not_found_for_anyone_but_the_networks_staff(request, login, persona, five_reporting):
    user = request.getfixturevalue(persona)

    response = login(user).get(PEERS_URL, {"organisation": "atomium"})
    export = login(user).get(PEERS_URL, {"organisation": "atomium", "format": "csv"})

    assert (response.status_code, export.status_code) == (404, 404)
    assert str(DISTINCTIVE) not in response.content.decode() + export.content.decode()


# --- Queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("peers", [1, 3])
def test_page_queries_are_fixed(login, member_bob, network_a, atomium, django_assert_num_queries, peers):
    report(atomium, network_a, onsite_visitors=250)
    for visitors in range(peers):
        peer(network_a, onsite_visitors=visitors, floor_area=10)
    client = login(member_bob)

    # 17 for the comparison, +1 for the network's member countries (cached afterwards)
    with django_assert_num_queries(18):
        response = client.get(URL, {"organisation": "atomium"})

    assert response.status_code == 200


def test_country_choices_are_the_networks_member_countries(login, member_bob, network_a, atomium):
    report(atomium, network_a, onsite_visitors=250)

    page = login(member_bob).get(URL, {"organisation": "atomium"}).content.decode()

    assert '<option value="BE"' in page
    assert '<option value="JP"' not in page
