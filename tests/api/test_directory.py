"""Public reads: networks and organisations, for anyone, without a token."""

from __future__ import annotations

import pytest

from constellation.networks.models import Topic
from tests import factories
from tests.api.conftest import API

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [item["name"] for item in response.json()["items"]]


def test_organisation_list_answers_items_and_count(client):
    for name in ["Cosmodrome", "Atelier des sciences", "Biodôme"]:
        factories.OrganisationFactory(name=name)

    response = client.get(f"{API}/organisations")

    assert response.status_code == 200
    assert names(response) == ["Atelier des sciences", "Biodôme", "Cosmodrome"]
    assert response.json()["count"] == 3


def test_organisation_list_pages_with_limit_and_offset(client):
    for name in ["Cosmodrome", "Atelier des sciences", "Biodôme"]:
        factories.OrganisationFactory(name=name)

    first = client.get(f"{API}/organisations", {"limit": 2})
    second = client.get(f"{API}/organisations", {"limit": 2, "offset": 2})

    assert names(first) == ["Atelier des sciences", "Biodôme"]
    assert names(second) == ["Cosmodrome"]
    assert first.json()["count"] == second.json()["count"] == 3


def test_organisation_list_filters_by_network(client, atomium, network_b):
    factories.MembershipFactory(organisation__name="Experimentarium", network=network_b)
    factories.OrganisationFactory(name="Nowhere Lab")

    response = client.get(f"{API}/organisations", {"network": "neta"})

    assert names(response) == ["Atomium Science Centre"]
    assert response.json()["items"][0]["networks"] == ["NETA"]


def test_organisation_list_combines_facets_and_alternatives(client):
    factories.OrganisationFactory(name="Aquarium de Paris", country="FR", kinds=["aquarium"], topics=["climate"])
    factories.OrganisationFactory(name="Lisbon Oceanarium", country="PT", kinds=["aquarium"], topics=["climate"])
    factories.OrganisationFactory(name="Paris Planetarium", country="FR", kinds=["planetarium"], topics=["space"])
    factories.OrganisationFactory(name="Madrid Aquarium", country="ES", kinds=["aquarium"], topics=["climate"])

    response = client.get(
        f"{API}/organisations", {"country": ["fr", "PT"], "kind": "aquarium", "topic": "climate"}
    )

    assert names(response) == ["Aquarium de Paris", "Lisbon Oceanarium"]
    assert response.json()["count"] == 2


def test_organisation_list_search_ignores_accents_and_case(client):
    factories.OrganisationFactory(name="Cité des sciences", city="Paris")
    factories.OrganisationFactory(name="Science Museum", city="London")

    response = client.get(f"{API}/organisations", {"q": "CITE paris"})

    assert names(response) == ["Cité des sciences"]


def test_organisation_list_sorts_as_asked(client):
    factories.OrganisationFactory(name="Old", year_founded=1900)
    factories.OrganisationFactory(name="New", year_founded=2010)

    response = client.get(f"{API}/organisations", {"sort": "-founded"})

    assert names(response) == ["New", "Old"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
        ({"sort": "price"}, "sort"),
        ({"country": "France"}, "country.0"),
        ({"kind": "no spaces please"}, "kind.0"),
        ({"q": "x" * 201}, "q"),
        ({"q": "nul\x00byte"}, "q"),
    ],
)
def test_organisation_list_bad_query_answers_422_with_the_field(client, params, field):
    response = client.get(f"{API}/organisations", params)

    assert response.status_code == 422
    assert response.json()["detail"] == "Invalid input"
    assert [error["field"] for error in response.json()["errors"]] == [field]


@pytest.mark.parametrize("rows", [1, 3])
def test_organisation_list_query_count_is_fixed(client, django_assert_num_queries, network_a, rows):
    for _ in range(rows):
        organisation = factories.OrganisationFactory(kinds=["science-centre", "planetarium"])
        factories.MembershipFactory(organisation=organisation, network=network_a)

    # The count, the page, then the kinds and the active memberships for the whole page.
    with django_assert_num_queries(4):
        response = client.get(f"{API}/organisations")

    assert response.json()["count"] == rows
    assert response.json()["items"][0]["kinds"] == ["science-centre", "planetarium"]


def test_organisation_detail_shows_memberships_and_vocabularies(client, atomium):
    atomium.topics.set(Topic.objects.filter(slug="space"))

    response = client.get(f"{API}/organisations/atomium")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Atomium Science Centre"
    assert body["country"] == "BE"
    assert body["topics"] == ["space"]
    assert body["memberships"] == [{"network": "NETA", "status": "active"}]


def test_organisation_detail_unknown_slug_is_404(client, atomium):
    response = client.get(f"{API}/organisations/no-such-place")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_organisation_points_lists_only_those_with_coordinates(client):
    factories.OrganisationFactory(name="On the map", slug="on-the-map", city="Lyon", latitude=45.75, longitude=4.85)
    factories.OrganisationFactory(name="Off the map", latitude=None, longitude=None)

    response = client.get(f"{API}/organisations/points")

    assert response.json() == {
        "items": [
            {
                "name": "On the map", "url": "/organisations/on-the-map/", "city": "Lyon",
                "country_name": "France", "latitude": 45.75, "longitude": 4.85,
            }
        ],
        "count": 1,
    }


def test_network_list_counts_active_members(client, atomium, network_b):
    factories.MembershipFactory(organisation=atomium, network=network_b, status="applied")

    response = client.get(f"{API}/networks")

    counts = {item["acronym"]: item["member_count"] for item in response.json()["items"]}
    assert counts == {"NETA": 1, "NETB": 0}
    assert response.json()["count"] == 2


def test_network_detail_unknown_slug_is_404(client, network_a):
    response = client.get(f"{API}/networks/nope")

    assert response.status_code == 404
