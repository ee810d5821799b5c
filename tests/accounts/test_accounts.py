from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from constellation.accounts.models import ApiToken, User
from constellation.networks.models import Affiliation, Person, Visibility
from tests import factories
from tests.conftest import give_totp

pytestmark = pytest.mark.django_db


def test_signup_requires_email_verification(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": "a long passphrase 2026", "password2": "a long passphrase 2026"},
    )

    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "confirm" in mail.outbox[0].body.lower()
    # Not signed in until the address is confirmed.
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_sign_in_by_email(client, member_bob):
    response = client.post(reverse("account_login"), {"login": "bob@example.org", "password": factories.PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_login_locks_out_after_repeated_failures(client, member_bob):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "bob@example.org", "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": "bob@example.org", "password": factories.PASSWORD})

    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_password_reset_sends_a_link(client, member_bob):
    client.post(reverse("account_reset_password"), {"email": "bob@example.org"})

    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_network_staff_without_totp_must_set_it_up(login, network_a):
    user = factories.UserFactory()
    factories.NetworkStaffFactory(network=network_a, user=user)
    client = login(user)

    response = client.get(reverse("networks:organisation-list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_network_staff_with_totp_use_the_site(login, staff_a):
    response = login(staff_a).get(reverse("networks:organisation-list"))

    assert response.status_code == 200


def test_members_are_not_forced_into_two_factor(login, member_bob):
    response = login(member_bob).get(reverse("networks:organisation-list"))

    assert response.status_code == 200


def test_superuser_must_set_up_totp_too(login, db):
    user = factories.UserFactory(is_superuser=True, is_staff=True)

    before = login(user).get(reverse("home"))
    give_totp(user)
    after = login(user).get(reverse("home"))

    assert before.status_code == 302
    assert after.status_code == 200


def profile_payload(**overrides) -> dict:
    data = {
        "person-name": "Bob Member",
        "person-title": "Head of learning",
        "person-bio": "Runs the school programme.",
        "person-expertise": "education, evaluation",
        "person-languages": "en, fr",
        "person-name_visibility": "members",
        "person-email_visibility": "members",
        "person-title_visibility": "public",
        "person-bio_visibility": "private",
        "person-expertise_visibility": "members",
        "person-languages_visibility": "members",
        "person-affiliations_visibility": "members",
        "account-display_name": "Bob",
        "account-language": "fr",
    }
    data.update(overrides)
    return data


def test_profile_edit_saves_profile_and_consent(login, member_bob):
    client = login(member_bob)

    response = client.post(reverse("accounts:profile"), profile_payload())

    assert response.status_code == 302
    person = Person.objects.get(user=member_bob)
    assert person.title == "Head of learning"
    assert person.languages == ["en", "fr"]
    assert person.email_visibility == Visibility.MEMBERS
    assert person.bio_visibility == Visibility.PRIVATE
    member_bob.refresh_from_db()
    assert member_bob.language == "fr"


def test_profile_edit_rejects_bad_visibility_and_changes_nothing(login, member_bob):
    client = login(member_bob)

    response = client.post(reverse("accounts:profile"), profile_payload(**{"person-email_visibility": "world"}))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Person.objects.get(user=member_bob).title == "Exhibition developer"


def test_people_directory_is_for_members_only(login, client, outsider_olga, member_bob):
    assert client.get(reverse("networks:person-list")).status_code == 302
    assert login(outsider_olga).get(reverse("networks:person-list")).status_code == 403
    assert login(member_bob).get(reverse("networks:person-list")).status_code == 200


def test_people_directory_shows_only_what_people_made_visible(login, member_bob, admin_alice, atomium):
    shy = factories.PersonFactory(name="Shy Person", title="Secret title", title_visibility=Visibility.PRIVATE)
    factories.AffiliationFactory(person=shy, organisation=atomium)
    hidden = factories.PersonFactory(name="Hidden Person", name_visibility=Visibility.PRIVATE)
    factories.AffiliationFactory(person=hidden, organisation=atomium)

    listing = login(member_bob).get(reverse("networks:person-list")).content.decode()
    detail = login(member_bob).get(reverse("networks:person-detail", args=[shy.pk])).content.decode()
    hidden_detail = login(member_bob).get(reverse("networks:person-detail", args=[hidden.pk]))

    assert "Shy Person" in listing
    assert "Secret title" not in listing
    assert "Secret title" not in detail
    assert "Hidden Person" not in listing
    assert hidden_detail.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_people_directory_query_count_is_fixed(login, member_bob, atomium, django_assert_num_queries, count):
    for _ in range(count):
        factories.AffiliationFactory(organisation=atomium)
    client = login(member_bob)

    # session, user, is_network_staff, is_member, count, page, affiliations prefetch
    with django_assert_num_queries(7):
        response = client.get(reverse("networks:person-list"))

    assert response.context["page"].paginator.count == count + 1


def test_public_organisation_page_lists_only_public_people(client, login, member_bob, atomium):
    factories.AffiliationFactory(
        organisation=atomium,
        person=factories.PersonFactory(name="Public Pat", name_visibility="public", affiliations_visibility="public"),
    )

    public_html = client.get(atomium.get_absolute_url()).content.decode()
    member_html = login(member_bob).get(atomium.get_absolute_url()).content.decode()

    assert "Public Pat" in public_html
    assert "Bob Member" not in public_html
    assert "Bob Member" in member_html


def test_data_export_contains_my_data(login, member_bob, atomium):
    response = login(member_bob).get(reverse("accounts:data-export"))

    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "bob@example.org"
    assert data["profile"]["name"] == "Bob Member"
    assert data["affiliations"][0]["organisation__name"] == "Atomium Science Centre"


def test_delete_account_erases_personal_data(login, member_bob, atomium):
    person = Person.objects.get(user=member_bob)
    person.title = "Old title"
    person.save()
    client = login(member_bob)

    response = client.post(reverse("accounts:delete"), {"confirm": "DELETE"})

    assert response.status_code == 302
    assert not User.objects.filter(email="bob@example.org").exists()
    person.refresh_from_db()
    assert person.is_erased
    assert person.name == "Deleted person" and person.email == "" and person.title == ""
    assert not person.history.filter(name="Bob Member").exists()
    assert not person.history.filter(email="bob@example.org").exists()
    # The organisation keeps an anonymous record of the role.
    assert Affiliation.objects.filter(person=person, organisation=atomium).exists()


def test_delete_account_needs_confirmation(login, member_bob):
    response = login(member_bob).post(reverse("accounts:delete"), {"confirm": "yes"})

    assert response.status_code == 200
    assert User.objects.filter(email="bob@example.org").exists()


def test_api_token_is_shown_once_and_works(login, member_bob, client):
    browser = login(member_bob)

    created = browser.post(reverse("accounts:tokens"), {"name": "CRM sync"}, follow=True)
    raw = created.context["new_token"]
    again = browser.get(reverse("accounts:tokens"))

    assert raw.startswith("cst_")
    assert raw in created.content.decode()
    assert raw not in again.content.decode()
    token = ApiToken.objects.get(user=member_bob)
    assert token.key_hash != raw
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.json()["email"] == "bob@example.org"


def test_revoked_token_stops_working(login, member_bob, client):
    browser = login(member_bob)
    raw = browser.post(reverse("accounts:tokens"), {"name": "x"}, follow=True).context["new_token"]
    token = ApiToken.objects.get(user=member_bob)

    browser.post(reverse("accounts:token-revoke", args=[token.pk]))

    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_cannot_revoke_someone_elses_token(login, member_bob, admin_alice):
    from constellation.accounts.services import create_api_token

    token, _ = create_api_token(user=admin_alice, name="Alice's")

    login(member_bob).post(reverse("accounts:token-revoke", args=[token.pk]))

    assert ApiToken.objects.filter(pk=token.pk).exists()
