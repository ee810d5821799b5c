"""People: members only, and only what each person shows to members."""

from __future__ import annotations

import pytest

from constellation.networks.models import Visibility
from tests import factories
from tests.api.conftest import API

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_paula(atomium):
    """Listed for members, but keeps her email, biography and workplace to herself."""
    person = factories.PersonFactory(
        name="Paula Private", email="paula@example.org", title="Curator", bio="Secret bio.",
        email_visibility=Visibility.PRIVATE, bio_visibility=Visibility.PRIVATE,
        affiliations_visibility=Visibility.PRIVATE,
    )
    factories.AffiliationFactory(person=person, organisation=atomium, role="Curator")
    return person


def test_people_list_shows_members_only_what_is_visible_to_members(client, auth, member_bob, private_paula):
    response = client.get(f"{API}/people", {"q": "paula"}, headers=auth(member_bob))

    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "id": private_paula.pk, "name": "Paula Private", "url": f"/people/{private_paula.pk}/",
                "email": None, "title": "Curator", "bio": None, "expertise": "", "languages": [],
                "affiliations": None,
            }
        ],
        "count": 1,
    }
    assert "paula@example.org" not in response.content.decode()
    assert "Secret bio." not in response.content.decode()


def test_people_list_shows_current_affiliations_when_allowed(client, auth, member_bob, admin_alice):
    response = client.get(f"{API}/people", {"q": "alice"}, headers=auth(member_bob))

    [alice] = response.json()["items"]
    assert alice["affiliations"] == [
        {"organisation": "atomium", "organisation_name": "Atomium Science Centre", "role": "Director"}
    ]


def test_people_list_leaves_out_people_who_hide_their_name(client, auth, member_bob):
    factories.PersonFactory(name="Hidden Hugo", name_visibility=Visibility.PRIVATE)

    response = client.get(f"{API}/people", {"q": "hugo"}, headers=auth(member_bob))

    assert response.json() == {"items": [], "count": 0}


def test_people_list_pages_with_limit_and_offset(client, auth, member_bob, admin_alice):
    factories.PersonFactory(name="Zoe Zed")

    response = client.get(f"{API}/people", {"limit": 1, "offset": 1}, headers=auth(member_bob))

    assert [item["name"] for item in response.json()["items"]] == ["Bob Member"]
    assert response.json()["count"] == 3


def test_people_list_refuses_signed_in_non_members(client, auth, outsider_olga, private_paula):
    response = client.get(f"{API}/people", headers=auth(outsider_olga))

    assert response.status_code == 403
    assert response.json() == {"detail": "Only members of a network can see its people."}


def test_people_list_needs_a_token(client, private_paula):
    response = client.get(f"{API}/people")

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_people_list_refuses_a_bad_token(client, private_paula):
    response = client.get(f"{API}/people", headers={"Authorization": "Bearer cst_not-a-real-token"})

    assert response.status_code == 401


def test_people_list_ignores_a_browser_session(client, member_bob, private_paula):
    client.force_login(member_bob)

    response = client.get(f"{API}/people")

    assert response.status_code == 401


@pytest.mark.parametrize("rows", [1, 3])
def test_people_list_query_count_is_fixed(client, auth, django_assert_num_queries, member_bob, atomium, rows):
    for n in range(rows - 1):
        factories.AffiliationFactory(organisation=atomium, person__name=f"Colleague {n}")
    headers = auth(member_bob)

    # Token and its last use (2), membership rule (2), then the count, the page and its affiliations.
    with django_assert_num_queries(7):
        response = client.get(f"{API}/people", headers=headers)

    assert response.json()["count"] == rows


def test_person_detail_shows_member_visible_fields(client, auth, member_bob, private_paula):
    response = client.get(f"{API}/people/{private_paula.pk}", headers=auth(member_bob))

    assert response.status_code == 200
    assert response.json()["name"] == "Paula Private"
    assert response.json()["email"] is None
    assert response.json()["title"] == "Curator"


def test_person_detail_of_a_hidden_person_is_404(client, auth, member_bob):
    hidden = factories.PersonFactory(name="Hidden Hugo", name_visibility=Visibility.PRIVATE)

    response = client.get(f"{API}/people/{hidden.pk}", headers=auth(member_bob))

    assert response.status_code == 404


def test_person_detail_refuses_non_members_and_anonymous(client, auth, outsider_olga, private_paula):
    as_outsider = client.get(f"{API}/people/{private_paula.pk}", headers=auth(outsider_olga))
    anonymous = client.get(f"{API}/people/{private_paula.pk}")

    assert as_outsider.status_code == 403
    assert anonymous.status_code == 401
    assert "Paula" not in as_outsider.content.decode() + anonymous.content.decode()


def test_network_staff_see_people(client, auth, staff_a, private_paula):
    response = client.get(f"{API}/people", headers=auth(staff_a))

    assert [item["name"] for item in response.json()["items"]] == ["Paula Private"]
