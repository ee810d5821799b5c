"""Creating and editing organisations through the API: same rules as the web pages."""

from __future__ import annotations

import pytest

from constellation.networks.models import CoordinatesSource, Kind, Organisation
from tests import factories
from tests.api.conftest import API

pytestmark = pytest.mark.django_db

NEW_ORGANISATION = {
    "name": "Experimentarium",
    "country": "dk",
    "city": "Hellerup",
    "kinds": ["science-centre"],
    "topics": ["space", "sdg-4"],
    "languages": ["da", "en"],
    "descriptions": {"en": "Hands-on science by the sea."},
    "year_founded": 1991,
    "website": "https://www.experimentarium.dk/",
}


def snapshot(organisation: Organisation) -> dict:
    organisation.refresh_from_db()
    return {
        "name": organisation.name, "city": organisation.city, "country": str(organisation.country),
        "kinds": sorted(organisation.kinds.values_list("slug", flat=True)), "updated_at": organisation.updated_at,
    }


def test_network_staff_create_an_organisation(client, auth, staff_a):
    response = client.post(f"{API}/organisations", NEW_ORGANISATION, content_type="application/json", headers=auth(staff_a))

    assert response.status_code == 201
    organisation = Organisation.objects.get(slug="experimentarium")
    assert response.json()["slug"] == "experimentarium"
    assert response.json()["topics"] == ["sdg-4", "space"]
    assert organisation.country == "DK"
    assert list(organisation.kinds.values_list("slug", flat=True)) == ["science-centre"]
    assert organisation.languages == ["da", "en"]
    assert organisation.history.get().history_user == staff_a


def test_organisation_create_is_refused_to_non_staff(client, auth, admin_alice):
    before = Organisation.objects.count()

    response = client.post(
        f"{API}/organisations", NEW_ORGANISATION, content_type="application/json", headers=auth(admin_alice)
    )

    assert response.status_code == 403
    assert Organisation.objects.count() == before


def test_organisation_create_needs_a_token(client, staff_a):
    response = client.post(f"{API}/organisations", NEW_ORGANISATION, content_type="application/json")

    assert response.status_code == 401
    assert Organisation.objects.exists() is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": None}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"country": "XX"}, "country"),
        ({"country": "France"}, "country"),
        ({"kinds": ["science-centre", "spaceship"]}, "kinds"),
        ({"topics": ["no such topic"]}, "topics.0"),
        ({"year_founded": 3000}, "year_founded"),
        ({"latitude": 91, "longitude": 4}, "latitude"),
        ({"latitude": 45.7}, ""),
        ({"languages": ["en", "klingon"]}, "languages"),
        ({"website": "not a url"}, "website"),
        ({"descriptions": {"tlh": "Qapla'"}}, "descriptions"),
        ({"city": "Nul\x00city"}, "city"),
        ({"visitors_band": "lots"}, "visitors_band"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_organisation_create_with_bad_input_is_422_and_writes_nothing(client, auth, staff_a, change, field):
    payload = {**NEW_ORGANISATION, **change}

    response = client.post(f"{API}/organisations", payload, content_type="application/json", headers=auth(staff_a))

    assert response.status_code == 422
    assert response.json()["detail"] == "Invalid input"
    assert field in [error["field"] for error in response.json()["errors"]]
    assert Organisation.objects.exists() is False


def test_organisation_create_reports_every_unknown_slug(client, auth, staff_a):
    payload = {**NEW_ORGANISATION, "kinds": ["spaceship"], "topics": ["time-travel", "space"]}

    response = client.post(f"{API}/organisations", payload, content_type="application/json", headers=auth(staff_a))

    assert response.json()["errors"] == [
        {"field": "kinds", "message": "Unknown: spaceship."},
        {"field": "topics", "message": "Unknown: time-travel."},
    ]


def test_organisation_create_with_a_broken_body_is_400(client, auth, staff_a):
    response = client.post(f"{API}/organisations", "{not json", content_type="application/json", headers=auth(staff_a))

    assert response.status_code == 400
    assert Organisation.objects.exists() is False


def test_organisation_admin_patches_their_organisation(client, auth, admin_alice, atomium):
    response = client.patch(
        f"{API}/organisations/atomium", {"city": "Bruxelles", "kinds": ["science-centre", "planetarium"]},
        content_type="application/json", headers=auth(admin_alice),
    )

    assert response.status_code == 200
    assert response.json()["city"] == "Bruxelles"
    atomium.refresh_from_db()
    assert atomium.city == "Bruxelles"
    assert atomium.name == "Atomium Science Centre"
    assert sorted(atomium.kinds.values_list("slug", flat=True)) == ["planetarium", "science-centre"]
    assert atomium.history.latest().history_user == admin_alice


def test_organisation_patch_of_coordinates_marks_them_set_by_hand(client, auth, staff_a, atomium):
    client.patch(
        f"{API}/organisations/atomium", {"latitude": 50.89, "longitude": 4.34},
        content_type="application/json", headers=auth(staff_a),
    )

    atomium.refresh_from_db()
    assert (atomium.latitude, atomium.longitude) == (50.89, 4.34)
    assert atomium.coordinates_source == CoordinatesSource.MANUAL


def test_organisation_admin_cannot_patch_another_organisation(client, auth, admin_alice, network_a):
    other = factories.OrganisationFactory(name="Other Centre", slug="other")
    factories.MembershipFactory(organisation=other, network=network_a)
    before = snapshot(other)

    response = client.patch(
        f"{API}/organisations/other", {"name": "Hijacked"}, content_type="application/json", headers=auth(admin_alice)
    )

    assert response.status_code == 404
    assert snapshot(other) == before


def test_staff_of_another_network_cannot_patch(client, auth, staff_b, atomium):
    before = snapshot(atomium)

    response = client.patch(
        f"{API}/organisations/atomium", {"name": "Hijacked"}, content_type="application/json", headers=auth(staff_b)
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert snapshot(atomium) == before


def test_member_who_is_not_admin_cannot_patch(client, auth, member_bob, atomium):
    before = snapshot(atomium)

    response = client.patch(
        f"{API}/organisations/atomium", {"name": "Bob's place"}, content_type="application/json", headers=auth(member_bob)
    )

    assert response.status_code == 404
    assert snapshot(atomium) == before


def test_organisation_patch_with_a_bad_token_is_401(client, atomium):
    before = snapshot(atomium)

    response = client.patch(
        f"{API}/organisations/atomium", {"name": "Hijacked"}, content_type="application/json",
        headers={"Authorization": "Bearer cst_guessed"},
    )

    assert response.status_code == 401
    assert snapshot(atomium) == before


def test_organisation_patch_with_a_revoked_users_token_is_401(client, auth, admin_alice, atomium):
    headers = auth(admin_alice)
    admin_alice.is_active = False
    admin_alice.save()
    before = snapshot(atomium)

    response = client.patch(
        f"{API}/organisations/atomium", {"name": "Hijacked"}, content_type="application/json", headers=headers
    )

    assert response.status_code == 401
    assert snapshot(atomium) == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"country": None}, "country"),
        ({"city": "Brussels", "kinds": ["spaceship"]}, "kinds"),
        ({"longitude": 4.3}, ""),
        ({"year_founded": 999}, "year_founded"),
    ],
)
def test_organisation_patch_with_bad_input_is_422_and_changes_nothing(client, auth, admin_alice, atomium, payload, field):
    atomium.kinds.set(Kind.objects.filter(slug="science-centre"))
    before = snapshot(atomium)

    response = client.patch(
        f"{API}/organisations/atomium", payload, content_type="application/json", headers=auth(admin_alice)
    )

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert snapshot(atomium) == before
