"""Setting an organisation's membership of a network: that network's staff only."""

from __future__ import annotations

import pytest

from constellation.networks.models import OPEN_STATUSES, Membership, MembershipStatus
from tests import factories
from tests.api.conftest import API

pytestmark = pytest.mark.django_db


def put(client, headers, organisation: str, network: str, payload: dict):
    return client.put(
        f"{API}/organisations/{organisation}/memberships/{network}", payload,
        content_type="application/json", headers=headers,
    )


def memberships(organisation) -> list[tuple[str, str]]:
    return list(organisation.memberships.order_by("pk").values_list("network__slug", "status"))


def test_network_staff_change_a_membership(client, auth, staff_a, atomium):
    response = put(client, auth(staff_a), "atomium", "neta", {"status": "suspended"})

    assert response.status_code == 200
    assert response.json()["status"] == "suspended"
    assert response.json()["organisation"] == "atomium"
    assert memberships(atomium) == [("neta", "suspended")]
    assert Membership.history.latest().history_user == staff_a


def test_network_staff_admit_a_new_organisation(client, auth, staff_a, network_a):
    organisation = factories.OrganisationFactory(slug="newcomer")
    category = factories.MembershipCategoryFactory(network=network_a, slug="associate")

    response = put(client, auth(staff_a), "newcomer", "neta", {"status": "active", "category": "associate"})

    assert response.status_code == 200
    membership = organisation.memberships.get()
    assert (membership.status, membership.category) == (MembershipStatus.ACTIVE, category)
    assert response.json()["category"] == "associate"
    assert response.json()["start_date"] is not None


def test_membership_put_twice_keeps_one_open_membership(client, auth, staff_a, atomium):
    headers = auth(staff_a)

    put(client, headers, "atomium", "neta", {"status": "suspended"})
    put(client, headers, "atomium", "neta", {"status": "active"})

    assert memberships(atomium) == [("neta", "active")]


def test_membership_after_an_ended_one_starts_a_new_one(client, auth, staff_a, atomium):
    headers = auth(staff_a)

    put(client, headers, "atomium", "neta", {"status": "ended"})
    put(client, headers, "atomium", "neta", {"status": "applied"})

    assert memberships(atomium) == [("neta", "ended"), ("neta", "applied")]
    assert atomium.memberships.filter(status__in=OPEN_STATUSES).count() == 1


def test_staff_of_another_network_cannot_set_the_membership(client, auth, staff_b, atomium):
    response = put(client, auth(staff_b), "atomium", "neta", {"status": "ended"})

    assert response.status_code == 403
    assert memberships(atomium) == [("neta", "active")]


def test_organisation_admin_cannot_set_their_own_membership(client, auth, admin_alice, atomium):
    response = put(client, auth(admin_alice), "atomium", "neta", {"status": "suspended"})

    assert response.status_code == 403
    assert memberships(atomium) == [("neta", "active")]


def test_membership_put_without_a_token_is_401(client, atomium):
    response = put(client, {}, "atomium", "neta", {"status": "ended"})

    assert response.status_code == 401
    assert memberships(atomium) == [("neta", "active")]


@pytest.mark.parametrize(("organisation", "network"), [("nowhere", "neta"), ("atomium", "nonet")])
def test_membership_put_for_unknown_things_is_404(client, auth, staff_a, atomium, organisation, network):
    response = put(client, auth(staff_a), organisation, network, {"status": "ended"})

    assert response.status_code == 404
    assert memberships(atomium) == [("neta", "active")]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "expelled"}, "status"),
        ({}, "status"),
        ({"status": "ended", "category": "of-network-b"}, "category"),
        ({"status": "ended", "category": "no such"}, "category"),
    ],
)
def test_membership_put_with_bad_input_is_422_and_changes_nothing(client, auth, staff_a, atomium, network_b, payload, field):
    factories.MembershipCategoryFactory(network=network_b, slug="of-network-b")

    response = put(client, auth(staff_a), "atomium", "neta", payload)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert memberships(atomium) == [("neta", "active")]
