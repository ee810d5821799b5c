"""Never oversell: many people press Register (or Book) at the same moment for the last
places, each in their own request and database connection. Exactly the capacity is
confirmed, the rest wait, and invoice numbers still run without gaps.

PostgreSQL only: SQLite serialises every write, so it could not show a race.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from constellation.events.models import Invoice, Registration, RegistrationStatus, WorkshopBooking
from constellation.events.registration import services
from tests import factories
from tests.events.registration_fixtures import make_conference

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE = 16


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks under real concurrency)")


def fire_together(clients: list[Client], path: str, data: dict | None = None) -> list[int]:
    """POST from every client at once (a barrier releases the threads together)."""
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = [0] * len(clients)

    def post(index: int, client: Client) -> None:
        try:
            barrier.wait()
            statuses[index] = client.post(path, data or {}).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def signed_in_clients(users) -> list[Client]:
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_parallel_registrations_for_the_last_places_confirm_exactly_the_capacity():
    conference = make_conference(factories.NetworkFactory(), capacity=5)
    users = [factories.UserFactory(email=f"racer{n}@example.org") for n in range(PEOPLE)]
    clients = signed_in_clients(users)
    data = {"ticket_type": conference.non_member.pk, "name": "Racer", "day": ""}

    statuses = fire_together(
        clients, reverse("events:register", args=[conference.event.slug]), data
    )

    assert statuses == [302] * PEOPLE
    counts = {
        status: Registration.objects.filter(status=status).count()
        for status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)
    }
    assert counts == {RegistrationStatus.CONFIRMED: 5, RegistrationStatus.WAITING: PEOPLE - 5}
    year = timezone.now().year
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [
        f"NETA-{year}-000{n}" for n in range(1, 6)
    ]


def test_parallel_ticket_type_registrations_respect_the_ticket_capacity():
    conference = make_conference(factories.NetworkFactory(), capacity=None)
    conference.student.capacity = 3
    conference.student.save()
    users = [factories.UserFactory(email=f"student{n}@example.org") for n in range(PEOPLE)]
    data = {"ticket_type": conference.student.pk, "name": "Student", "day": ""}

    fire_together(
        signed_in_clients(users), reverse("events:register", args=[conference.event.slug]), data
    )

    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 3
    assert Registration.objects.filter(status=RegistrationStatus.WAITING).count() == PEOPLE - 3


def test_parallel_workshop_bookings_confirm_exactly_its_seats():
    conference = make_conference(factories.NetworkFactory(), capacity=None)
    conference.workshop.seats = 3
    conference.workshop.save()
    users = [factories.UserFactory(email=f"maker{n}@example.org") for n in range(PEOPLE)]
    for user in users:
        services.register(
            event=conference.event, user=user, ticket_type=conference.non_member, name="Maker"
        )
    path = reverse("events:workshop_book", args=[conference.event.slug, conference.workshop.code])

    statuses = fire_together(signed_in_clients(users), path)

    assert statuses == [302] * PEOPLE
    assert WorkshopBooking.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 3
    assert WorkshopBooking.objects.filter(status=RegistrationStatus.WAITING).count() == PEOPLE - 3


def test_parallel_double_submit_of_one_person_registers_once():
    conference = make_conference(factories.NetworkFactory(), capacity=5)
    user = factories.UserFactory(email="double@example.org")
    data = {"ticket_type": conference.non_member.pk, "name": "Double", "day": ""}

    fire_together(
        signed_in_clients([user] * 6),
        reverse("events:register", args=[conference.event.slug]),
        data,
    )

    assert Registration.objects.filter(user=user).count() == 1
    assert Invoice.objects.count() == 1
