"""The token owner's own account and profile."""

from __future__ import annotations

import pytest

from constellation.networks.models import Person, Visibility
from tests.api.conftest import API

pytestmark = pytest.mark.django_db


def test_me_answers_the_tokens_account(client, auth, member_bob):
    response = client.get(f"{API}/me", headers=auth(member_bob))

    assert response.json() == {
        "id": member_bob.pk, "email": "bob@example.org", "display_name": "Bob Member", "language": "en",
    }


def test_profile_shows_everything_to_its_owner(client, auth, member_bob):
    response = client.get(f"{API}/me/profile", headers=auth(member_bob))

    assert response.status_code == 200
    assert response.json()["name"] == "Bob Member"
    assert response.json()["email"] == "bob@example.org"
    assert response.json()["email_visibility"] == "private"


def test_profile_is_made_on_first_use(client, auth, outsider_olga):
    response = client.get(f"{API}/me/profile", headers=auth(outsider_olga))

    assert response.status_code == 200
    assert Person.objects.get(user=outsider_olga).name == "Olga Outsider"


def test_profile_patch_changes_only_the_fields_sent(client, auth, member_bob):
    response = client.patch(
        f"{API}/me/profile", {"title": "Head of learning", "email_visibility": "members", "languages": ["fr", "en"]},
        content_type="application/json", headers=auth(member_bob),
    )

    assert response.status_code == 200
    person = Person.objects.get(user=member_bob)
    assert (person.name, person.title, person.languages) == ("Bob Member", "Head of learning", ["fr", "en"])
    assert person.email_visibility == Visibility.MEMBERS
    assert person.history.latest().history_user == member_bob


def test_profile_visibility_decides_what_members_see(client, auth, member_bob, admin_alice):
    client.patch(
        f"{API}/me/profile", {"email_visibility": "members"}, content_type="application/json", headers=auth(admin_alice)
    )

    response = client.get(f"{API}/people", {"q": "alice"}, headers=auth(member_bob))

    assert response.json()["items"][0]["email"] == "alice@example.org"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email_visibility": "everyone"}, "email_visibility"),
        ({"name": ""}, "name"),
        ({"languages": ["elvish"]}, "languages"),
        ({"email": "new@example.org"}, "email"),
    ],
)
def test_profile_patch_with_bad_input_is_422_and_changes_nothing(client, auth, member_bob, payload, field):
    response = client.patch(f"{API}/me/profile", payload, content_type="application/json", headers=auth(member_bob))

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    person = Person.objects.get(user=member_bob)
    assert (person.name, person.email, person.email_visibility, person.languages) == (
        "Bob Member", "bob@example.org", Visibility.PRIVATE, [],
    )


def test_profile_needs_a_token(client, member_bob):
    response = client.patch(f"{API}/me/profile", {"name": "Mallory"}, content_type="application/json")

    assert response.status_code == 401
    assert Person.objects.get(user=member_bob).name == "Bob Member"
