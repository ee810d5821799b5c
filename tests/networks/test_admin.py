"""The staff admin at /staff/: search, filters, CSV export, bulk actions, history, scoping."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from constellation.accounts.models import ApiToken, User
from constellation.networks.admin import NETWORK_STAFF_GROUP, ensure_network_staff_group
from constellation.networks.models import (
    CoordinatesSource,
    Membership,
    MembershipStatus,
    Organisation,
)
from tests import factories
from tests.conftest import give_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    user = factories.UserFactory(email="root@example.org", display_name="Rita Root", is_staff=True, is_superuser=True)
    give_totp(user)
    return user


@pytest.fixture
def staff_a_admin(staff_a):
    """staff_a as the admin knows them: Django staff in the "Network staff" group."""
    staff_a.is_staff = True
    staff_a.save()
    staff_a.groups.add(ensure_network_staff_group())
    return staff_a


@pytest.fixture
def bergen(network_b):
    organisation = factories.OrganisationFactory(name="Bergen Vitensenter", city="Bergen", country="NO")
    factories.MembershipFactory(organisation=organisation, network=network_b)
    return organisation


def parse_csv(response) -> list[dict[str, str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def run_action(client, model: str, action: str, objects) -> object:
    url = reverse(f"admin:networks_{model}_changelist")
    return client.post(url, {"action": action, "_selected_action": [obj.pk for obj in objects]})


# --- Changelists ------------------------------------------------------------------------


def test_organisation_changelist_search_finds_by_city(login, superuser, atomium, bergen):
    client = login(superuser)

    response = client.get(reverse("admin:networks_organisation_changelist"), {"q": "bergen"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [bergen]
    assert "Bergen Vitensenter" in response.content.decode()


def test_organisation_changelist_filters_by_country_and_network(login, superuser, atomium, bergen, network_b):
    client = login(superuser)
    url = reverse("admin:networks_organisation_changelist")

    by_country = client.get(url, {"country": "BE"})
    by_network = client.get(url, {"memberships__network__id__exact": network_b.pk})

    assert list(by_country.context["cl"].result_list) == [atomium]
    assert list(by_network.context["cl"].result_list) == [bergen]
    assert "NETB" in by_network.content.decode()


def test_organisation_changelist_queries_do_not_grow_with_rows(
    login, superuser, network_a, django_assert_num_queries
):
    client = login(superuser)
    url = reverse("admin:networks_organisation_changelist")
    factories.MembershipFactory(network=network_a, organisation__kinds=["science-centre"])
    with django_assert_num_queries(12):
        client.get(url)

    for _ in range(2):
        factories.MembershipFactory(network=network_a, organisation__kinds=["aquarium", "zoo"])

    with django_assert_num_queries(12):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 3


def test_membership_changelist_queries_do_not_grow_with_rows(
    login, superuser, network_a, django_assert_num_queries
):
    client = login(superuser)
    url = reverse("admin:networks_membership_changelist")
    category = factories.MembershipCategoryFactory(network=network_a)
    factories.MembershipFactory(network=network_a, category=category)
    with django_assert_num_queries(10):
        client.get(url)

    for _ in range(2):
        factories.MembershipFactory(network=network_a, category=factories.MembershipCategoryFactory())

    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 3


def test_membership_changelist_filters_by_status(login, superuser, atomium, bergen):
    Membership.objects.filter(organisation=bergen).update(status=MembershipStatus.LAPSED)
    client = login(superuser)

    response = client.get(reverse("admin:networks_membership_changelist"), {"status__exact": "lapsed"})

    assert [m.organisation for m in response.context["cl"].result_list] == [bergen]


def test_person_changelist_hides_erased_people(login, superuser):
    factories.PersonFactory(name="Ada Visible")
    factories.PersonFactory(name="Deleted person", is_erased=True)
    client = login(superuser)

    response = client.get(reverse("admin:networks_person_changelist"))

    assert [p.name for p in response.context["cl"].result_list] == ["Ada Visible"]


# --- CSV export --------------------------------------------------------------------------


def test_export_organisations_returns_selected_rows(login, superuser, atomium, bergen):
    atomium.native_name = "Centre de science Atomium"
    atomium.save()
    client = login(superuser)

    response = run_action(client, "organisation", "export_as_csv", [atomium])

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = parse_csv(response)
    assert list(rows[0])[:5] == ["name", "native_name", "city", "region", "country"]
    assert [(r["name"], r["native_name"], r["country"], r["networks"]) for r in rows] == [
        ("Atomium Science Centre", "Centre de science Atomium", "BE", "NETA")
    ]


def test_export_people_keeps_accents_and_defuses_formulas(login, superuser, atomium):
    person = factories.PersonFactory(name="Zoë Çelik", email="zoe@example.org", title="=HYPERLINK(1)")
    factories.AffiliationFactory(person=person, organisation=atomium)
    client = login(superuser)

    response = run_action(client, "person", "export_as_csv", [person])

    rows = parse_csv(response)
    assert [(r["name"], r["title"], r["organisations"]) for r in rows] == [
        ("Zoë Çelik", "'=HYPERLINK(1)", "Atomium Science Centre")
    ]


def test_export_memberships_returns_selected_rows(login, superuser, atomium, bergen):
    membership = bergen.memberships.get()
    client = login(superuser)

    response = run_action(client, "membership", "export_as_csv", [membership])

    rows = parse_csv(response)
    assert list(rows[0]) == ["organisation", "country", "network", "category", "status", "start_date", "end_date"]
    assert [(r["organisation"], r["country"], r["network"], r["status"]) for r in rows] == [
        ("Bergen Vitensenter", "NO", "NETB", "active")
    ]


# --- Bulk status actions -----------------------------------------------------------------


def test_mark_lapsed_changes_selected_memberships_and_records_history(login, superuser, atomium, bergen):
    memberships = list(Membership.objects.all())
    client = login(superuser)

    response = run_action(client, "membership", "mark_lapsed", memberships)

    assert response.status_code == 302
    assert set(Membership.objects.values_list("status", flat=True)) == {"lapsed"}
    latest = Membership.history.filter(organisation=atomium).latest("history_date")
    assert (latest.status, latest.history_user) == ("lapsed", superuser)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["2 memberships changed to “Lapsed”."]


def test_mark_active_reports_domain_errors_and_changes_nothing_else(login, superuser, atomium, network_a):
    old = factories.MembershipFactory(organisation=atomium, network=network_a, status=MembershipStatus.ENDED)
    client = login(superuser)

    response = run_action(client, "membership", "mark_active", [old])

    old.refresh_from_db()
    assert old.status == MembershipStatus.ENDED
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Atomium Science Centre: This organisation already has an open membership of that network.",
        "0 memberships changed to “Active”.",
    ]


# --- Coordinates and history --------------------------------------------------------------


def organisation_form_data(organisation: Organisation, **changes) -> dict:
    data = {
        "name": organisation.name, "native_name": "", "address": "", "city": organisation.city, "region": "",
        "country": str(organisation.country), "latitude": organisation.latitude or "",
        "longitude": organisation.longitude or "", "website": "", "year_founded": "", "visitors_band": "",
        "languages": "", "descriptions_0": organisation.descriptions.get("en", ""),
        "descriptions_1": "", "descriptions_2": "", "descriptions_3": "", "descriptions_4": "",
        "_save": "Save",
    }
    for prefix in ("memberships", "affiliations"):
        data.update({
            f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
        })
    data.update(changes)
    return data


def test_coordinates_typed_in_admin_are_marked_manual(login, superuser):
    organisation = factories.OrganisationFactory(name="Cap Sciences", city="Bordeaux", coordinates_source="geocoded")
    client = login(superuser)
    url = reverse("admin:networks_organisation_change", args=[organisation.pk])

    response = client.post(url, organisation_form_data(organisation, latitude="44.86", longitude="-0.55"))

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.latitude, organisation.longitude) == (44.86, -0.55)
    assert organisation.coordinates_source == CoordinatesSource.MANUAL


def test_organisation_added_without_coordinates_is_geocoded(login, superuser):
    client = login(superuser)
    blank = Organisation(name="Experimentarium", city="Copenhagen", country="DK")

    response = client.post(reverse("admin:networks_organisation_add"), organisation_form_data(blank))

    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Experimentarium")
    assert organisation.coordinates_source == CoordinatesSource.GEOCODED
    assert organisation.slug == "experimentarium"


def test_organisation_history_shows_who_changed_what(login, superuser):
    organisation = factories.OrganisationFactory(name="Cap Sciences", city="Bordeaux")
    client = login(superuser)
    client.post(
        reverse("admin:networks_organisation_change", args=[organisation.pk]),
        organisation_form_data(organisation, city="Bordeaux-Bastide"),
    )

    response = client.get(reverse("admin:networks_organisation_history", args=[organisation.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Rita Root" in content
    assert "Bordeaux-Bastide" in content


# --- Staff of one network -----------------------------------------------------------------


def test_staff_membership_changelist_hides_other_networks(login, staff_a_admin, atomium, bergen):
    client = login(staff_a_admin)

    response = client.get(reverse("admin:networks_membership_changelist"))

    assert [m.organisation for m in response.context["cl"].result_list] == [atomium]
    assert "Bergen Vitensenter" not in response.content.decode()


def test_staff_organisation_changelist_shows_only_their_members(login, staff_a_admin, atomium, bergen):
    client = login(staff_a_admin)

    response = client.get(reverse("admin:networks_organisation_changelist"))

    assert list(response.context["cl"].result_list) == [atomium]


def test_staff_cannot_open_another_networks_membership(login, staff_a_admin, atomium, bergen):
    client = login(staff_a_admin)
    membership = bergen.memberships.get()

    response = client.get(reverse("admin:networks_membership_change", args=[membership.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_staff_reads_history_of_their_members(login, staff_a_admin, atomium):
    client = login(staff_a_admin)

    response = client.get(reverse("admin:networks_organisation_history", args=[atomium.pk]))

    assert response.status_code == 200
    assert response.context["object"] == atomium


def test_staff_cannot_read_another_networks_history(login, staff_a_admin, atomium, bergen):
    client = login(staff_a_admin)

    response = client.get(reverse("admin:networks_organisation_history", args=[bergen.pk]))

    assert response.status_code == 404


def test_staff_bulk_action_ignores_rows_of_other_networks(login, staff_a_admin, atomium, bergen):
    client = login(staff_a_admin)
    theirs = bergen.memberships.get()

    run_action(client, "membership", "mark_suspended", [theirs, *atomium.memberships.all()])

    assert Membership.objects.get(pk=theirs.pk).status == MembershipStatus.ACTIVE
    assert atomium.memberships.get().status == MembershipStatus.SUSPENDED


def test_staff_membership_form_offers_only_their_networks(login, staff_a_admin, network_a, network_b, bergen):
    client = login(staff_a_admin)
    url = reverse("admin:networks_membership_add")

    page = client.get(url)
    response = client.post(url, {"organisation": bergen.pk, "network": network_b.pk, "status": "applied"})

    assert list(page.context["adminform"].form.fields["network"].queryset) == [network_a]
    assert response.status_code == 200
    assert "network" in response.context["adminform"].form.errors
    assert bergen.memberships.count() == 1


def test_staff_can_add_any_organisation_to_their_network(login, staff_a_admin, network_a, bergen):
    client = login(staff_a_admin)

    response = client.post(
        reverse("admin:networks_membership_add"),
        {"organisation": bergen.pk, "network": network_a.pk, "status": "applied"},
    )

    assert response.status_code == 302
    assert Membership.objects.get(organisation=bergen, network=network_a).status == MembershipStatus.APPLIED


def test_staff_group_grants_the_documented_permissions(staff_a_admin):
    assert staff_a_admin.groups.get().name == NETWORK_STAFF_GROUP
    assert staff_a_admin.has_perm("networks.add_membership")
    assert not staff_a_admin.has_perm("networks.delete_organisation")
    assert not staff_a_admin.has_perm("networks.change_network")


# --- Accounts -----------------------------------------------------------------------------


def test_admin_sign_in_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_superuser_adds_user_by_email(login, superuser):
    client = login(superuser)

    response = client.post(
        reverse("admin:accounts_user_add"),
        {"email": "new@example.org", "display_name": "New Person", "usable_password": "true",
         "password1": "a long demo passphrase", "password2": "a long demo passphrase"},
    )

    assert response.status_code == 302
    assert User.objects.get(email="new@example.org").check_password("a long demo passphrase")


def test_api_token_page_never_shows_the_key(login, superuser):
    token = ApiToken.objects.create(user=superuser, name="Laptop", key_hash="f" * 64, hint="cst_abcd")
    client = login(superuser)

    response = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))

    assert response.status_code == 200
    assert "f" * 64 not in response.content.decode()
