"""Registering for the conference: tickets and prices, member rate, capacity and the waiting
list, cancelling (which promotes the next in line), workshops, double posts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from constellation.events.models import (
    Invoice,
    PaymentStatus,
    Registration,
    RegistrationStatus,
    WorkshopBooking,
)
from constellation.events.registration import services
from tests import factories
from tests.events import registration_fixtures

pytestmark = pytest.mark.django_db
conference = registration_fixtures.conference


def form(ticket, **extra) -> dict:
    data = {
        "ticket_type": ticket.pk,
        "day": "",
        "name": "Bob Member",
        "organisation_name": "Atomium",
        "billing_name": "Atomium Science Centre",
        "billing_address": "Square 1\n1020 Brussels",
        "billing_vat_number": "BE0999999999",
        "accessibility_needs": "",
    }
    data.update(extra)
    return data


def register_url(conf) -> str:
    return reverse("events:register", args=[conf.event.slug])


def someone(n: int):
    return factories.UserFactory(email=f"person{n}@example.org", display_name=f"Person {n}")


def register_directly(conf, user, ticket=None):
    return services.register(
        event=conf.event, user=user, ticket_type=ticket or conf.non_member, name=str(user)
    )


def test_register_page_lists_tickets_on_sale_with_early_bird_price(login, member_bob, conference):
    response = login(member_bob).get(register_url(conference))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Member: 250.00 EUR" in page
    assert "(early-bird price)" in page
    assert "Non-member: 400.00 EUR" in page
    assert "Supporter" not in page


def test_member_registers_at_early_bird_price_confirmed_invoiced_and_mailed(
    login, member_bob, atomium, conference, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(member_bob).post(register_url(conference), form(conference.member))

    registration = Registration.objects.get(user=member_bob)
    assert response.status_code == 302
    assert response["Location"] == reverse("events:my_registration", args=["conf"])
    assert (registration.status, registration.price, registration.vat_rate) == (
        RegistrationStatus.CONFIRMED,
        Decimal("250.00"),
        Decimal("21.00"),
    )
    assert registration.organisation == atomium
    assert registration.payment_status == PaymentStatus.UNPAID
    invoice = Invoice.objects.get(registration=registration)
    assert invoice.number == f"NETA-{timezone.now().year}-0001"
    assert (invoice.net, invoice.vat, invoice.total) == (
        Decimal("250.00"),
        Decimal("52.50"),
        Decimal("302.50"),
    )
    assert invoice.buyer["vat_number"] == "BE0999999999"
    assert invoice.seller["vat_number"] == "BE0123456789"
    assert [m.subject for m in mail.outbox] == [
        "Your registration for Annual Conference is confirmed"
    ]
    assert mail.outbox[0].to == ["bob@example.org"]


def test_after_the_early_bird_deadline_the_full_price_applies(
    login, member_bob, atomium, conference
):
    conference.member.early_bird_until = timezone.now() - timedelta(minutes=1)
    conference.member.save()

    login(member_bob).post(register_url(conference), form(conference.member))

    assert Registration.objects.get(user=member_bob).price == Decimal("300.00")


def test_member_rate_is_refused_to_someone_not_at_a_member_organisation(
    login, outsider_olga, conference
):
    response = login(outsider_olga).post(
        register_url(conference), form(conference.member, name="Olga")
    )

    assert response.status_code == 200
    assert (
        "The member rate is for people who work at a current member of Network A."
        in response.content.decode()
    )
    assert not Registration.objects.exists()
    assert not Invoice.objects.exists()


def test_member_rate_is_refused_when_the_membership_has_lapsed(
    login, member_bob, atomium, conference
):
    atomium.memberships.update(status="lapsed")

    response = login(member_bob).post(register_url(conference), form(conference.member))

    assert "The member rate is for people" in response.content.decode()
    assert not Registration.objects.exists()


def test_when_the_event_is_full_the_next_person_waits(
    login, conference, django_capture_on_commit_callbacks
):
    for n in range(3):
        register_directly(conference, someone(n))
    late = someone(9)

    with django_capture_on_commit_callbacks(execute=True):
        response = login(late).post(
            register_url(conference), form(conference.non_member, name="Late")
        )

    registration = Registration.objects.get(user=late)
    assert registration.status == RegistrationStatus.WAITING
    assert not registration.invoices.exists()
    assert mail.outbox[-1].subject == "You are on the waiting list for Annual Conference"
    page = login(late).get(response["Location"]).content.decode()
    assert "You are first on the waiting list." in page


def test_a_full_ticket_type_waits_even_with_event_places_left(conference):
    register_directly(conference, someone(1), conference.student)

    second = register_directly(conference, someone(2), conference.student)
    other = register_directly(conference, someone(3), conference.non_member)

    assert second.status == RegistrationStatus.WAITING
    assert other.status == RegistrationStatus.CONFIRMED


def test_cancelling_promotes_the_first_waiting_and_mails_them(
    login, conference, django_capture_on_commit_callbacks
):
    first = [register_directly(conference, someone(n)) for n in range(3)]
    waiting = [register_directly(conference, someone(n)) for n in (10, 11)]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = login(first[0].user).post(
            reverse("events:registration_cancel", args=["conf"]), {"confirm": "on"}
        )

    assert response.status_code == 302
    first[0].refresh_from_db()
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert first[0].status == RegistrationStatus.CANCELLED
    assert statuses == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]
    assert [m.to for m in mail.outbox] == [["person10@example.org"]]
    assert (
        mail.outbox[0].subject
        == "A place came free: your registration for Annual Conference is confirmed"
    )
    assert Invoice.objects.filter(registration=waiting[0]).count() == 1
    credit = Invoice.objects.get(registration=first[0], credits__isnull=False)
    assert credit.total == Decimal("-484.00")


def test_the_promoted_person_keeps_the_price_of_when_they_joined(conference):
    for n in range(3):
        register_directly(conference, someone(n))
    waiting = register_directly(conference, someone(5), conference.non_member)
    conference.non_member.price = Decimal("999")
    conference.non_member.save()

    services.cancel_registration(registration=Registration.objects.first())

    waiting.refresh_from_db()
    assert (waiting.status, waiting.price) == (RegistrationStatus.CONFIRMED, Decimal("400.00"))


def test_posting_the_form_twice_registers_once(login, member_bob, atomium, conference):
    client = login(member_bob)

    client.post(register_url(conference), form(conference.member))
    second = client.post(register_url(conference), form(conference.non_member))

    assert second.status_code == 302
    assert Registration.objects.filter(user=member_bob).count() == 1
    assert Invoice.objects.count() == 1


def test_cancelling_twice_changes_nothing_more(login, conference):
    registration = register_directly(conference, someone(1))
    client = login(registration.user)

    client.post(reverse("events:registration_cancel", args=["conf"]), {"confirm": "on"})
    client.post(reverse("events:registration_cancel", args=["conf"]), {"confirm": "on"})

    assert (
        Invoice.objects.filter(registration=registration).count() == 2
    )  # the invoice and one credit note


def test_a_day_pass_needs_a_day_of_the_event(login, outsider_olga, conference):
    client = login(outsider_olga)

    missing = client.post(register_url(conference), form(conference.day_pass, name="Olga"))
    day = conference.event.start_date + timedelta(days=1)
    client.post(
        register_url(conference), form(conference.day_pass, name="Olga", day=day.isoformat())
    )

    assert "Choose the day of your day pass." in missing.content.decode()
    assert Registration.objects.get(user=outsider_olga).day == day


def test_registration_closed_shows_a_message_and_writes_nothing(login, outsider_olga, conference):
    conference.event.registration_closes_at = timezone.now() - timedelta(hours=1)
    conference.event.save()

    response = login(outsider_olga).post(register_url(conference), form(conference.non_member))

    assert "Registration is closed." in response.content.decode()
    assert not Registration.objects.exists()


def test_a_ticket_not_on_sale_cannot_be_chosen(login, outsider_olga, conference):
    response = login(outsider_olga).post(register_url(conference), form(conference.retired))

    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_the_presenter_ticket_is_for_presenters(login, outsider_olga, conference):
    response = login(outsider_olga).post(register_url(conference), form(conference.speaker))

    assert (
        "The presenter ticket is for presenters of accepted sessions." in response.content.decode()
    )
    assert not Registration.objects.exists()


def test_a_free_ticket_has_nothing_to_pay_and_no_invoice(conference):
    presenter = someone(1)
    person = factories.PersonFactory(user=presenter, name="Pat Presenter")
    conference.workshop.presenters.create(person=person, name=person.name, role="proposer")

    registration = register_directly(conference, presenter, conference.speaker)

    assert registration.payment_status == PaymentStatus.FREE
    assert not registration.invoices.exists()


def test_strangers_cannot_register_for_an_unpublished_event(login, outsider_olga, conference):
    conference.event.is_published = False
    conference.event.save()

    response = login(outsider_olga).get(register_url(conference))

    assert response.status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, conference):
    response = client.get(register_url(conference))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_my_registration_shows_bank_transfer_instructions_and_invoice(
    login, member_bob, atomium, conference
):
    client = login(member_bob)
    client.post(register_url(conference), form(conference.member))

    page = client.get(reverse("events:my_registration", args=["conf"])).content.decode()

    number = Invoice.objects.get().number
    assert "Please transfer 302.50 EUR." in page
    assert "BE71096123456769" in page
    assert f"Invoice {number} (PDF)" in page
    assert reverse("events:invoice_pdf", args=["conf", number]) in page
    assert "Download my badge (PDF)" in page


# --- Workshops ---------------------------------------------------------------------------------


def test_workshop_seats_are_booked_then_the_next_waits_and_is_promoted(
    login, conference, django_capture_on_commit_callbacks
):
    alice, bea = (
        register_directly(conference, someone(1)),
        register_directly(conference, someone(2)),
    )
    book = reverse("events:workshop_book", args=["conf", conference.workshop.code])
    login(alice.user).post(book)
    login(bea.user).post(book)
    statuses = dict(WorkshopBooking.objects.values_list("registration_id", "status"))
    assert statuses == {alice.pk: RegistrationStatus.CONFIRMED, bea.pk: RegistrationStatus.WAITING}
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        login(alice.user).post(
            reverse("events:workshop_cancel", args=["conf", conference.workshop.code])
        )

    assert WorkshopBooking.objects.get(registration=bea).status == RegistrationStatus.CONFIRMED
    assert mail.outbox[0].subject == "A seat came free in the workshop Build a tinkering station"


def test_booking_a_workshop_twice_keeps_one_seat(login, conference):
    registration = register_directly(conference, someone(1))
    book = reverse("events:workshop_book", args=["conf", conference.workshop.code])

    login(registration.user).post(book)
    login(registration.user).post(book)

    assert WorkshopBooking.objects.count() == 1


def test_cancelling_the_registration_frees_the_workshop_seat_for_the_next(conference):
    alice, bea = (
        register_directly(conference, someone(1)),
        register_directly(conference, someone(2)),
    )
    services.book_workshop(registration=alice, proposal=conference.workshop)
    services.book_workshop(registration=bea, proposal=conference.workshop)

    services.cancel_registration(registration=alice)

    assert WorkshopBooking.objects.get(registration=alice).status == RegistrationStatus.CANCELLED
    assert WorkshopBooking.objects.get(registration=bea).status == RegistrationStatus.CONFIRMED


def test_someone_on_the_waiting_list_cannot_book_a_workshop(login, conference):
    for n in range(3):
        register_directly(conference, someone(n))
    waiting = register_directly(conference, someone(7))

    response = login(waiting.user).post(
        reverse("events:workshop_book", args=["conf", conference.workshop.code])
    )

    assert response.status_code == 302
    assert not WorkshopBooking.objects.exists()


def test_my_registration_page_has_a_fixed_number_of_queries(
    login, conference, django_assert_num_queries
):
    from constellation.events.models import Proposal

    registration = register_directly(conference, someone(1))
    client = login(registration.user)
    client.get(reverse("events:my_registration", args=["conf"]))
    with django_assert_num_queries(13) as small:
        client.get(reverse("events:my_registration", args=["conf"]))
    for n in range(4):
        Proposal.objects.create(
            event=conference.event,
            title=f"Workshop {n}",
            format=conference.workshop.format,
            state="confirmed",
            submitted_at=timezone.now(),
            seats=5,
        )
    services.book_workshop(registration=registration, proposal=conference.workshop)

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("events:my_registration", args=["conf"]))

    assert "Workshop 3" in response.content.decode()


def test_cancelling_needs_the_box_ticked(login, conference):
    registration = register_directly(conference, someone(1))

    response = login(registration.user).post(
        reverse("events:registration_cancel", args=["conf"]), follow=True
    )

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert "Tick the box to confirm that you want to cancel." in response.content.decode()
