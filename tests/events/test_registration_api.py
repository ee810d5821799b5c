"""The registration API: ticket types with today's price and places left (public), and my
registration (personal token)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from constellation.accounts.services import create_api_token
from constellation.events.registration import services
from tests import factories
from tests.events import registration_fixtures

pytestmark = pytest.mark.django_db
conference = registration_fixtures.conference
API = "/api/v1/events"


def bearer(user) -> dict[str, str]:
    _token, raw = create_api_token(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


def test_ticket_types_show_price_now_and_places_left(client, conference):
    services.register(
        event=conference.event,
        user=factories.UserFactory(),
        ticket_type=conference.student,
        name="Stu",
    )

    response = client.get(f"{API}/conf/ticket-types")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 5
    member, student = body["items"][0], body["items"][2]
    assert (member["name"], Decimal(member["price_now"]), Decimal(member["price"])) == (
        "Member",
        Decimal("250"),
        Decimal("300"),
    )
    assert (student["seats_left"], body["items"][1]["seats_left"]) == (0, 2)
    assert "Supporter" not in [item["name"] for item in body["items"]]


def test_ticket_types_of_an_unpublished_event_are_404(client, conference):
    conference.event.is_published = False
    conference.event.save()

    assert client.get(f"{API}/conf/ticket-types").status_code == 404


def test_my_registration_with_a_token(client, conference):
    conference.event.capacity = 0
    conference.event.save()
    user = factories.UserFactory()
    services.register(
        event=conference.event, user=user, ticket_type=conference.non_member, name="Wai Ting"
    )

    response = client.get(f"{API}/conf/registration", headers=bearer(user))

    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["waiting_position"], body["name"]) == ("waiting", 1, "Wai Ting")
    assert Decimal(body["amount_due"]) == Decimal("484.00")


def test_my_registration_lists_invoices(client, conference):
    conference.member.early_bird_until = timezone.now() - timedelta(days=1)
    conference.member.save()
    user = factories.UserFactory()
    services.register(
        event=conference.event, user=user, ticket_type=conference.non_member, name="Ina"
    )

    body = client.get(f"{API}/conf/registration", headers=bearer(user)).json()

    assert [i["number"] for i in body["invoices"]] == [f"NETA-{timezone.now().year}-0001"]
    assert body["invoices"][0]["pdf_url"].endswith(".pdf")


def test_my_registration_needs_a_token_and_a_registration(client, conference):
    assert client.get(f"{API}/conf/registration").status_code == 401
    assert (
        client.get(f"{API}/conf/registration", headers=bearer(factories.UserFactory())).status_code
        == 404
    )
