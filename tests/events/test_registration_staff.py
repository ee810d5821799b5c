"""Staff run registrations: the list with filters and counts, payments, cancelling, CSV,
badges, the check-in desk; invoices and their PDFs; who may see what."""

from __future__ import annotations

import csv
import io
import re
import zlib
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from constellation.events.models import (
    Invoice,
    Payment,
    PaymentStatus,
    Registration,
    RegistrationStatus,
)
from constellation.events.registration import badges, invoices, services
from constellation.networks.services import DomainError
from tests import factories
from tests.events import registration_fixtures
from tests.events.registration_fixtures import make_conference

pytestmark = pytest.mark.django_db
conference = registration_fixtures.conference


def pdf_text(content: bytes) -> bytes:
    """The PDF's bytes with its compressed streams unpacked (the title and metadata live in one)."""
    parts = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            parts.append(zlib.decompress(match.group(1).rstrip(b"\r\n")))
        except zlib.error:
            pass
    return b"\n".join(parts)


def someone(n: int, name: str | None = None):
    return factories.UserFactory(email=f"person{n}@example.org", display_name=name or f"Person {n}")


def register(conf, user, ticket=None, name=None):
    return services.register(
        event=conf.event,
        user=user,
        ticket_type=ticket or conf.non_member,
        name=name or str(user),
        organisation_name="Museum",
    )


def url(name, *args):
    return reverse(f"events:{name}", args=["conf", *args])


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["registrations", "registrations_csv", "checkin", "badges_pdf"])
def test_staff_pages_are_404_for_attendees_and_other_networks_staff(
    login, outsider_olga, staff_b, conference, name
):
    assert login(outsider_olga).get(url(name)).status_code == 404
    assert login(staff_b).get(url(name)).status_code == 404


def test_invoice_pdf_is_for_its_owner_and_event_staff_only(
    login, staff_a, staff_b, outsider_olga, conference
):
    registration = register(conference, someone(1))
    number = registration.invoices.get().number
    address = url("invoice_pdf", number)

    owner = login(registration.user).get(address)

    assert owner.status_code == 200
    assert owner["Content-Type"] == "application/pdf"
    assert owner.content.startswith(b"%PDF")
    assert number.encode() in pdf_text(owner.content)
    assert login(staff_a).get(address).status_code == 200
    assert login(outsider_olga).get(address).status_code == 404
    assert login(staff_b).get(address).status_code == 404
    assert login(staff_a).get(url("invoice_pdf", "NETA-1999-0001")).status_code == 404


def test_badge_pdf_is_a_pdf_for_a_confirmed_registration(login, conference):
    registration = register(conference, someone(1), name="Zoë Badge")

    response = login(registration.user).get(url("badge_pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"Badges: Annual Conference" in pdf_text(response.content)


def test_no_badge_while_waiting(login, conference):
    for n in range(3):
        register(conference, someone(n))
    waiting = register(conference, someone(5))

    assert login(waiting.user).get(url("badge_pdf")).status_code == 404


def test_badge_qr_code_opens_the_check_in_page_with_the_token(conference):
    registration = register(conference, someone(1))

    address = badges.checkin_url(registration, conference.event)

    assert address.endswith(f"/events/conf/manage/check-in/?code={registration.badge_token}")
    assert badges.qr_svg(address).startswith("<svg")


def test_staff_print_all_badges_four_to_a_page(login, staff_a, conference):
    for n in range(3):
        register(conference, someone(n))

    response = login(staff_a).get(url("badges_pdf"))

    assert response.content.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf_text(response.content))) == 1


# --- Invoices ---------------------------------------------------------------------------------


def test_invoice_numbers_run_without_gaps_through_credit_notes(conference):
    year = timezone.now().year
    first, second = register(conference, someone(1)), register(conference, someone(2))
    services.cancel_registration(registration=first)
    third = register(conference, someone(3))

    numbers = list(Invoice.objects.order_by("pk").values_list("number", flat=True))

    assert numbers == [f"NETA-{year}-000{n}" for n in (1, 2, 3, 4)]
    assert Invoice.objects.get(number=f"NETA-{year}-0003").credits.registration == first
    assert second.invoices.count() == third.invoices.count() == 1


def test_each_network_numbers_its_own_invoices(conference, network_b):
    other = make_conference(network_b, slug="other")
    other.billing.invoice_prefix = "NETB"
    other.billing.save()

    register(conference, someone(1))
    register(other, someone(2))

    assert sorted(Invoice.objects.values_list("number", flat=True)) == [
        f"NETA-{timezone.now().year}-0001",
        f"NETB-{timezone.now().year}-0001",
    ]


def test_issue_invoice_twice_returns_the_same_invoice(conference):
    registration = register(conference, someone(1))

    again = invoices.issue_invoice(registration=registration)

    assert again == registration.invoices.get()


def test_no_billing_details_means_no_invoice_until_staff_record_the_payment(conference):
    conference.billing.delete()
    registration = register(conference, someone(1))
    assert not registration.invoices.exists()

    with pytest.raises(DomainError):
        services.record_payment(registration=registration, amount=Decimal("484.00"))

    assert not Payment.objects.exists()


def test_the_invoice_freezes_seller_and_buyer(conference):
    registration = register(conference, someone(1))
    conference.billing.legal_name = "Renamed"
    conference.billing.save()

    invoice = registration.invoices.get()

    assert invoice.seller["legal_name"] == "Network A asbl"
    assert invoice.lines[0]["description"] == "Annual Conference: Non-member"


# --- Payments -----------------------------------------------------------------------------------


def test_staff_record_a_bank_transfer_and_the_registration_is_paid(login, staff_a, conference):
    registration = register(conference, someone(1))

    response = login(staff_a).post(
        url("registration_payment", registration.pk),
        {"amount": "484.00", "reference": "BANK-77", "note": ""},
    )

    assert response.status_code == 302
    registration.refresh_from_db()
    payment = Payment.objects.get()
    assert registration.payment_status == PaymentStatus.PAID
    assert (payment.amount, payment.reference, payment.recorded_by) == (
        Decimal("484.00"),
        "BANK-77",
        staff_a,
    )
    assert payment.invoice == registration.invoices.get()


def test_recording_the_same_payment_twice_is_refused(login, staff_a, conference):
    registration = register(conference, someone(1))
    client = login(staff_a)
    client.post(url("registration_payment", registration.pk), {"amount": "484.00"})

    again = client.post(url("registration_payment", registration.pk), {"amount": "484.00"})

    assert "This registration is paid already." in again.content.decode()
    assert Payment.objects.count() == 1


def test_a_bad_amount_writes_nothing(login, staff_a, conference):
    registration = register(conference, someone(1))

    response = login(staff_a).post(url("registration_payment", registration.pk), {"amount": "-5"})

    assert response.status_code == 200
    assert not Payment.objects.exists()


def test_a_partial_payment_leaves_the_registration_unpaid(conference):
    registration = register(conference, someone(1))

    services.record_payment(registration=registration, amount=Decimal("100"))

    registration.refresh_from_db()
    assert registration.payment_status == PaymentStatus.UNPAID


def test_other_networks_staff_cannot_record_payments(login, staff_b, conference):
    registration = register(conference, someone(1))

    response = login(staff_b).post(
        url("registration_payment", registration.pk), {"amount": "484.00"}
    )

    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_staff_cancel_a_paid_registration_with_a_credit_note(login, staff_a, conference):
    registration = register(conference, someone(1))
    services.record_payment(registration=registration, amount=Decimal("484.00"))

    login(staff_a).post(url("registration_staff_cancel", registration.pk))

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    credit = Invoice.objects.get(credits__isnull=False)
    assert credit.credits.registration == registration
    assert credit.total == Decimal("-484.00")


# --- The list -----------------------------------------------------------------------------------


def test_the_list_counts_places_per_ticket_and_filters(login, staff_a, conference):
    register(conference, someone(1, "Ada"), conference.student)
    register(conference, someone(2, "Ben"), conference.student)
    register(conference, someone(3, "Cy"))

    client = login(staff_a)
    page = client.get(url("registrations")).content.decode()
    waiting = client.get(url("registrations"), {"status": "waiting"}).content.decode()

    assert "2 confirmed, 1 waiting." in page
    assert "Capacity 3: 1 places left." in page
    assert "3 registrations" in page
    assert "1 registration</h2>" in waiting
    assert "Ben" in waiting and "Ada" not in waiting


def test_the_list_answers_htmx_with_the_results_only(login, staff_a, conference):
    register(conference, someone(1))

    response = login(staff_a).get(
        url("registrations"), {"q": "Person"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<section id="results"')
    assert "1 registration" in body


def test_the_list_has_a_fixed_number_of_queries(
    login, staff_a, conference, django_assert_num_queries
):
    client = login(staff_a)
    register(conference, someone(1))
    client.get(url("registrations"))  # warm the session and the permission caches
    with django_assert_num_queries(11) as small:
        client.get(url("registrations"))
    conference.event.capacity = None
    conference.event.save()
    for n in range(2, 12):
        register(conference, someone(n))

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url("registrations"))

    assert "11 registrations" in response.content.decode()


def test_csv_export_has_one_row_per_registration_and_defuses_formulas(login, staff_a, conference):
    register(conference, someone(1), name="=HYPERLINK(1)")
    register(conference, someone(2), name="Ben")

    response = login(staff_a).get(url("registrations_csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["id", "name", "organisation"]
    assert [row[1] for row in rows[1:]] == ["'=HYPERLINK(1)", "Ben"]
    assert rows[1][10] == f"NETA-{timezone.now().year}-0001"


def test_staff_promote_the_waiting_list_after_raising_capacity(login, staff_a, conference):
    for n in range(4):
        register(conference, someone(n))
    conference.event.capacity = 4
    conference.event.save()

    login(staff_a).post(url("registrations_promote"))

    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 4


# --- Check-in -------------------------------------------------------------------------------------


def test_the_qr_code_opens_the_person_and_check_in_is_idempotent(login, staff_a, conference):
    registration = register(conference, someone(1, "Dana Scanner"))
    client = login(staff_a)

    found = client.get(url("checkin"), {"code": badges.checkin_url(registration, conference.event)})
    first = client.post(url("checkin"), {"registration": registration.pk}, follow=True)
    registration.refresh_from_db()
    stamp = registration.checked_in_at
    second = client.post(url("checkin"), {"registration": registration.pk}, follow=True)

    assert "Dana Scanner" in found.content.decode()
    assert "Check in<span" in found.content.decode()
    assert "Dana Scanner is checked in." in first.content.decode()
    assert "was already checked in at" in second.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at == stamp is not None


def test_check_in_finds_people_by_name_or_badge_number(login, staff_a, conference):
    ada = register(conference, someone(1, "Ada Lovelace"), name="Ada Lovelace")
    register(conference, someone(2, "Ben Franklin"), name="Ben Franklin")
    client = login(staff_a)

    by_name = client.get(url("checkin"), {"code": "lovel"}).content.decode()
    by_number = client.get(url("checkin"), {"code": f"{ada.pk:05d}"}).content.decode()

    assert (
        "1 person found" in by_name and "Ada Lovelace" in by_name and "Ben Franklin" not in by_name
    )
    assert "Ada Lovelace" in by_number


def test_people_on_the_waiting_list_cannot_be_checked_in(login, staff_a, conference):
    for n in range(3):
        register(conference, someone(n))
    waiting = register(conference, someone(5))

    login(staff_a).post(url("checkin"), {"registration": waiting.pk})

    waiting.refresh_from_db()
    assert waiting.checked_in_at is None


def test_check_in_of_another_events_registration_is_404(login, staff_a, conference, network_b):
    other = make_conference(network_b, slug="other")
    stranger = register(other, someone(1))

    response = login(staff_a).post(url("checkin"), {"registration": stranger.pk})

    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.checked_in_at is None


def test_check_in_search_has_a_fixed_number_of_queries(
    login, staff_a, conference, django_assert_num_queries
):
    conference.event.capacity = None
    conference.event.save()
    client = login(staff_a)
    register(conference, someone(1, "Ada One"), name="Ada One")
    client.get(url("checkin"), {"code": "Ada"})
    with django_assert_num_queries(7) as small:
        client.get(url("checkin"), {"code": "Ada"})
    for n in range(2, 8):
        register(conference, someone(n), name=f"Ada {n}")

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url("checkin"), {"code": "Ada"})

    assert "7 people found" in response.content.decode()


def test_no_payment_is_recorded_for_someone_on_the_waiting_list(conference):
    for n in range(3):
        register(conference, someone(n))
    waiting = register(conference, someone(5))

    with pytest.raises(DomainError):
        services.record_payment(registration=waiting, amount=Decimal("484.00"))

    assert not Payment.objects.exists()
    assert not waiting.invoices.exists()


def test_badge_sheets_come_in_parts(login, staff_a, conference, monkeypatch):
    from constellation.events.registration import views

    monkeypatch.setattr(views, "BADGES_PER_FILE", 2)
    for n in range(3):
        register(conference, someone(n))
    client = login(staff_a)

    page = client.get(url("registrations")).content.decode()
    second = client.get(url("badges_pdf"), {"part": "2"})

    assert "badges 1–2" in page and "badges 3–3" in page
    assert second.content.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf_text(second.content))) == 1
