"""The staff hub of an event: staff of the organising network only, figures that add up."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from constellation.events.models import (
    Proposal,
    ProposalState,
    Registration,
    RegistrationStatus,
    TicketType,
)
from tests import factories
from tests.conftest import give_totp
from tests.events.fixtures import small_event  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_staff(small_event):  # noqa: F811
    user = factories.UserFactory(email="run@example.org")
    factories.NetworkStaffFactory(network=small_event.event.network, user=user)
    give_totp(user)
    return user


def test_staff_see_where_the_event_stands(small_event, event_staff, login):  # noqa: F811
    response = login(event_staff).get(reverse("events:manage", args=["ac2027"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Run Annual Conference 2027" in page
    # Two sessions to schedule (one accepted, one confirmed); one rejected, one submitted.
    assert "<dt>Sessions to schedule</dt><dd>2</dd>" in page
    assert '<th scope="row">Rejected</th><td>1</td>' in page
    assert '<th scope="row">Submitted</th><td>1</td>' in page
    assert reverse("admin:events_event_change", args=[small_event.event.pk]) in page


def test_registrations_are_counted(small_event, event_staff, login):  # noqa: F811
    event = small_event.event
    ticket = TicketType.objects.create(
        event=event, name="Member", kind="member", price=100, vat_rate=21
    )
    for index, status in enumerate(
        [RegistrationStatus.CONFIRMED, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]
    ):
        Registration.objects.create(
            event=event,
            user=factories.UserFactory(),
            ticket_type=ticket,
            status=status,
            price=100,
            vat_rate=21,
            name=f"Person {index}",
            payment_status="paid" if index == 0 else "unpaid",
            checked_in_at=timezone.now() if index == 0 else None,
        )
    page = login(event_staff).get(reverse("events:manage", args=["ac2027"])).content.decode()
    assert "<dt>Registrations confirmed</dt><dd>2</dd>" in page
    assert "<dt>Waiting list</dt><dd>1</dd>" in page
    assert "<dt>Paid</dt><dd>1</dd>" in page
    assert "<dt>Checked in</dt><dd>1</dd>" in page


@pytest.mark.parametrize("who", ["member", "other_staff"])
def test_others_get_404(small_event, login, who):  # noqa: F811
    user = factories.UserFactory()
    if who == "other_staff":
        factories.NetworkStaffFactory(network=factories.NetworkFactory(), user=user)
        give_totp(user)
    assert login(user).get(reverse("events:manage", args=["ac2027"])).status_code == 404


def test_anonymous_are_asked_to_sign_in(small_event, client):  # noqa: F811
    response = client.get(reverse("events:manage", args=["ac2027"]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_hub_costs_the_same_queries_with_more_proposals(small_event, event_staff, login):  # noqa: F811
    client = login(event_staff)
    url = reverse("events:manage", args=["ac2027"])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    talk = small_event.talk
    Proposal.objects.bulk_create(
        Proposal(
            event=talk.event,
            title=f"More {i}",
            format=talk.format,
            state=ProposalState.SUBMITTED,
            submitted_at=timezone.now(),
            code=f"ZZ{i:04d}",
        )
        for i in range(60)
    )
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
