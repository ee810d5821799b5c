"""A person's conference data: in their download, and erased with their account (the
registration stays, anonymous, for the invoices the network must keep)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from constellation.events.models import (
    Interest,
    Invoice,
    Presenter,
    PresenterRole,
    Registration,
    RegistrationStatus,
)
from constellation.events.registration import services
from tests import factories
from tests.events import registration_fixtures

pytestmark = pytest.mark.django_db
conference = registration_fixtures.conference


@pytest.fixture
def bob_at_the_conference(member_bob, conference):
    registration = services.register(
        event=conference.event,
        user=member_bob,
        ticket_type=conference.non_member,
        name="Bob Member",
        organisation_name="Atomium",
        billing_name="Atomium Science Centre",
        billing_address="Square 1, Brussels",
        billing_vat_number="BE0999999999",
        accessibility_needs="Step-free access",
    )
    Presenter.objects.create(
        proposal=conference.workshop,
        person=member_bob.person,
        name="Bob Member",
        email=member_bob.email,
        biography="Educator at Atomium.",
        role=PresenterRole.PROPOSER,
    )
    Interest.objects.create(user=member_bob, proposal=conference.workshop)
    return registration


def test_the_download_has_my_registration_proposals_and_wanted_sessions(
    login, bob_at_the_conference
):
    response = login(bob_at_the_conference.user).get(reverse("accounts:data-export"))

    data = json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    conferences = data["conferences"]
    assert conferences["registrations"][0]["billing_vat_number"] == "BE0999999999"
    assert conferences["registrations"][0]["access_needs"] == "Step-free access"
    assert conferences["registrations"][0]["invoices"] == [
        bob_at_the_conference.invoices.get().number
    ]
    assert conferences["proposals"][0]["title"] == "Build a tinkering station"
    assert conferences["sessions_wanted"][0]["proposal__title"] == "Build a tinkering station"


def test_deleting_the_account_cancels_and_anonymises_the_registration_but_keeps_invoices(
    login, bob_at_the_conference, conference
):
    waiting_user = factories.UserFactory()
    conference.event.capacity = 1
    conference.event.save()
    waiting = services.register(
        event=conference.event,
        user=waiting_user,
        ticket_type=conference.non_member,
        name="Next In Line",
    )
    assert waiting.status == RegistrationStatus.WAITING
    invoice = bob_at_the_conference.invoices.get()

    response = login(bob_at_the_conference.user).post(
        reverse("accounts:delete"), {"confirm": "DELETE"}
    )

    assert response.status_code == 302
    registration = Registration.objects.get(pk=bob_at_the_conference.pk)
    assert registration.user is None
    assert registration.status == RegistrationStatus.CANCELLED
    assert (registration.name, registration.billing_address, registration.accessibility_needs) == (
        "",
        "",
        "",
    )
    history = registration.history.values_list("name", "billing_vat_number", "accessibility_needs")
    assert set(history) == {("", "", "")}
    # The invoice stays as issued (kept for the accounts) and a credit note cancels it.
    assert Invoice.objects.filter(pk=invoice.pk).exists()
    assert Invoice.objects.filter(credits=invoice).exists()
    # The freed place went to the next in line.
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_deleting_the_account_erases_the_presenter_rows_and_interests(login, bob_at_the_conference):
    presenter = Presenter.objects.get(
        person__isnull=False, proposal__title="Build a tinkering station"
    )

    login(bob_at_the_conference.user).post(reverse("accounts:delete"), {"confirm": "DELETE"})

    presenter.refresh_from_db()
    assert (presenter.name, presenter.email, presenter.biography) == ("Deleted person", "", "")
    assert set(presenter.history.values_list("email", "biography")) == {("", "")}
    assert not Interest.objects.exists()
