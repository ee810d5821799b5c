from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def make_directory(network_a, network_b):
    lyon = factories.OrganisationFactory(
        name="Cap Sciences Lyon", city="Lyon", country="FR", kinds=["science-centre"], topics=["sdg-13"],
        descriptions={"en": "Interactive exhibits about the climate.", "fr": "Expositions sur le climat."},
    )
    factories.MembershipFactory(organisation=lyon, network=network_a)
    tokyo = factories.OrganisationFactory(
        name="Tokyo Ocean Aquarium", city="Tokyo", country="JP", kinds=["aquarium"], topics=["sdg-14"],
        descriptions={"en": "Life below water."},
    )
    factories.MembershipFactory(organisation=tokyo, network=network_b)
    lima = factories.OrganisationFactory(
        name="Museo de Ciencia Lima", city="Lima", country="PE", kinds=["science-museum"],
        descriptions={"es": "Museo de ciencia interactivo."},
    )
    return lyon, tokyo, lima


def names(response) -> list[str]:
    return [org.name for org in response.context["page"].object_list]


def test_directory_lists_everything_by_default(client, network_a, network_b):
    make_directory(network_a, network_b)

    response = client.get(reverse("networks:organisation-list"))

    assert response.status_code == 200
    assert names(response) == ["Cap Sciences Lyon", "Museo de Ciencia Lima", "Tokyo Ocean Aquarium"]
    assert "3 organisations" in response.content.decode()


def test_directory_search_matches_description_without_accents(client, network_a, network_b):
    make_directory(network_a, network_b)

    response = client.get(reverse("networks:organisation-list"), {"q": "CIENCIA interactivo"})

    assert names(response) == ["Museo de Ciencia Lima"]


def test_directory_search_matches_city(client, network_a, network_b):
    make_directory(network_a, network_b)

    response = client.get(reverse("networks:organisation-list"), {"q": "tokyo"})

    assert names(response) == ["Tokyo Ocean Aquarium"]


def test_directory_facets_combine_and_count(client, network_a, network_b):
    make_directory(network_a, network_b)
    museum = factories.OrganisationFactory(name="Musée des Confluences", country="FR", kinds=["science-museum"])
    factories.MembershipFactory(organisation=museum, network=network_a)

    response = client.get(reverse("networks:organisation-list"), {"network": "neta", "kind": "science-centre"})

    assert names(response) == ["Cap Sciences Lyon"]
    facets = response.context["facets"]
    network_counts = {f.value: f.count for f in facets["network"]}
    # Counts for the network facet ignore the network filter itself but keep the kind filter.
    assert network_counts == {"neta": 1}
    country_counts = {f.value: f.count for f in facets["country"]}
    assert country_counts == {"FR": 1}
    kind_counts = {f.value: f.count for f in facets["kind"]}
    assert kind_counts == {"science-centre": 1, "science-museum": 1}


def test_directory_country_facet_offers_alternatives(client, network_a, network_b):
    make_directory(network_a, network_b)

    response = client.get(reverse("networks:organisation-list"), {"country": ["FR", "JP"]})

    assert names(response) == ["Cap Sciences Lyon", "Tokyo Ocean Aquarium"]


def test_directory_ignores_unknown_filter_values(client, network_a, network_b):
    make_directory(network_a, network_b)

    response = client.get(reverse("networks:organisation-list"), {"country": "ZZ", "sort": "nonsense", "page": "x"})

    assert response.status_code == 200
    assert len(names(response)) == 3


def test_directory_sort_by_name_descending(client, network_a, network_b):
    make_directory(network_a, network_b)

    response = client.get(reverse("networks:organisation-list"), {"sort": "-name"})

    assert names(response) == ["Tokyo Ocean Aquarium", "Museo de Ciencia Lima", "Cap Sciences Lyon"]


def test_directory_paginates(client, settings, network_a):
    settings.DIRECTORY_PAGE_SIZE = 2
    for n in range(5):
        factories.OrganisationFactory(name=f"Centre {n}")

    response = client.get(reverse("networks:organisation-list"), {"page": 3})

    assert names(response) == ["Centre 4"]
    assert "Page 3 of 3" in response.content.decode()


def test_directory_page_links_keep_the_filters(client, settings, network_a):
    settings.DIRECTORY_PAGE_SIZE = 2
    for n in range(5):
        factories.OrganisationFactory(name=f"Centre {n}")

    response = client.get(reverse("networks:organisation-list"), {"q": "centre", "page": 2})

    html = response.content.decode()
    assert 'href="?q=centre&amp;page=1" rel="prev"' in html
    assert 'href="?q=centre&amp;page=3" rel="next"' in html
    assert '<li aria-current="page">2 / 3</li>' in html


def test_directory_htmx_request_gets_only_the_results(client, network_a, network_b):
    make_directory(network_a, network_b)

    response = client.get(reverse("networks:organisation-list"), {"q": "lima"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert '<section id="results"' in html
    assert "<html" not in html
    assert 'hx-swap-oob="true"' in html


def test_directory_shows_description_in_reader_language(client, network_a, network_b):
    make_directory(network_a, network_b)

    response = client.get(reverse("networks:organisation-list"), headers={"Accept-Language": "fr"})

    html = response.content.decode()
    assert "Expositions sur le climat." in html
    assert "Interactive exhibits about the climate." not in html


def _populate(count: int, network) -> None:
    for _ in range(count):
        org = factories.OrganisationFactory(kinds=["science-centre", "planetarium"], topics=["sdg-4", "space"])
        factories.MembershipFactory(organisation=org, network=network)


@pytest.mark.parametrize("count", [1, 3])
def test_directory_query_count_is_fixed(client, django_assert_num_queries, network_a, count):
    _populate(count, network_a)

    # networks, kinds, topics (filter choices), count, page, 2 prefetches, 4 facet counts
    with django_assert_num_queries(11):
        response = client.get(reverse("networks:organisation-list"), {"kind": "science-centre"})

    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("count", [1, 3])
def test_directory_second_visit_reuses_cached_facets(client, django_assert_num_queries, network_a, count):
    _populate(count, network_a)
    client.get(reverse("networks:organisation-list"), {"kind": "science-centre"})

    # page, 2 prefetches: vocabulary, total and facet counts come from the cache
    with django_assert_num_queries(3):
        response = client.get(reverse("networks:organisation-list"), {"kind": "science-centre"})

    assert len(response.context["page"].object_list) == count


def test_directory_facet_counts_follow_an_edit(client, network_a):
    _populate(2, network_a)
    client.get(reverse("networks:organisation-list"))
    organisation = factories.OrganisationFactory(kinds=["science-centre"])
    factories.MembershipFactory(organisation=organisation, network=network_a)

    response = client.get(reverse("networks:organisation-list"))

    assert {f.value: f.count for f in response.context["facets"]["kind"]}["science-centre"] == 3
    assert {f.value: f.count for f in response.context["facets"]["network"]} == {"neta": 3}


def test_map_page_points_at_the_filtered_points(client, network_a, network_b):
    make_directory(network_a, network_b)

    response = client.get(reverse("networks:organisation-map"), {"country": "FR"})

    html = response.content.decode()
    assert "data-map" in html
    assert "/api/v1/organisations/points?country=FR" in html
    assert names(response) == ["Cap Sciences Lyon"]


def test_map_points_endpoint_returns_coordinates(client, network_a, network_b):
    lyon, _, _ = make_directory(network_a, network_b)

    response = client.get("/api/v1/organisations/points", {"country": "FR"})

    assert response.json() == {
        "items": [
            {
                "name": "Cap Sciences Lyon", "url": lyon.get_absolute_url(), "city": "Lyon",
                "country_name": "France", "latitude": 45.75, "longitude": 4.85,
            }
        ],
        "count": 1,
    }


def test_organisation_page_shows_profile_and_networks(client, network_a, network_b):
    lyon, _, _ = make_directory(network_a, network_b)

    response = client.get(lyon.get_absolute_url())

    html = response.content.decode()
    assert "Cap Sciences Lyon" in html
    assert "Network A (NETA)" in html
    assert "Interactive exhibits about the climate." in html
    assert "Edit profile" not in html


def test_organisation_page_unknown_slug_is_404(client, db):
    response = client.get(reverse("networks:organisation-detail", args=["nowhere"]))

    assert response.status_code == 404


def test_home_counts_organisations_and_countries(client, network_a, network_b):
    make_directory(network_a, network_b)

    response = client.get(reverse("home"))

    text = " ".join(response.content.decode().split())
    assert "3 organisations in 3 countries," in text
