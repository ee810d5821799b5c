"""Registration: places at the event, waiting lists, workshop seats, payments, check-in.

Capacity discipline (pretix's, see STYLE.md): lock, then count, then write, in one
transaction. Every change that can take or free an event place locks the Event row first
(then the TicketType row); every change to a workshop's seats locks its Proposal row. The
lock order is always Event → TicketType → Proposal, so two transactions never wait on each
other in a circle. With the rows locked, counting confirmed registrations and writing the new
one cannot interleave with another request: never more confirmed than the capacity.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from constellation.events.models import (
    SCHEDULED_STATES,
    Event,
    Payment,
    PaymentStatus,
    Proposal,
    Registration,
    RegistrationStatus,
    TicketKind,
    TicketType,
    WorkshopBooking,
)
from constellation.events.registration import invoices, notifications, queries
from constellation.events.services import lock_event
from constellation.networks.services import DomainError

CONFIRMED, WAITING, CANCELLED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.CANCELLED,
)


class AlreadyRegistered(DomainError):
    """The person has a live registration already (a form sent twice lands here)."""

    def __init__(self, registration: Registration):
        super().__init__(_("You are already registered for this event."))
        self.registration = registration


def _has_seat(event: Event, ticket_type: TicketType) -> bool:
    """Count under the caller's locks: is there a place left for one more of this type?"""
    confirmed = Registration.objects.filter(event=event, status=CONFIRMED)
    if event.capacity is not None and confirmed.count() >= event.capacity:
        return False
    return (
        ticket_type.capacity is None
        or confirmed.filter(ticket_type=ticket_type).count() < ticket_type.capacity
    )


def _check_ticket(*, event: Event, user, ticket_type: TicketType, day: date | None, now) -> None:
    if ticket_type.event_id != event.pk:
        raise DomainError(_("Choose one of this event's tickets."))
    if not event.registration_is_open(now):
        raise DomainError(_("Registration for this event is not open."))
    if not ticket_type.on_sale:
        raise DomainError(_("This ticket is not on sale."))
    if (
        ticket_type.kind == TicketKind.MEMBER
        and not queries.member_organisations(user, event.network).exists()
    ):
        raise DomainError(
            _(
                "The member rate is for people who work at a current member of %(network)s. "
                "Your profile does not list such an organisation: choose another ticket, or ask "
                "your organisation's admin to add you to its staff."
            )
            % {"network": event.network.name}
        )
    if ticket_type.kind == TicketKind.SPEAKER and not queries.is_presenter(user, event):
        raise DomainError(_("The presenter ticket is for presenters of accepted sessions."))
    if ticket_type.kind == TicketKind.DAY_PASS:
        if day is None:
            raise DomainError(_("Choose the day of your day pass."))
        if day not in queries.event_days(event):
            raise DomainError(_("Choose a day of the event."))
    elif day is not None:
        raise DomainError(_("Only a day pass is for one day."))


def register(
    *,
    event: Event,
    user,
    ticket_type: TicketType,
    name: str,
    day: date | None = None,
    organisation_name: str = "",
    billing_name: str = "",
    billing_address: str = "",
    billing_vat_number: str = "",
    accessibility_needs: str = "",
    now=None,
) -> Registration:
    """Register the user: confirmed while places remain (event and ticket type), otherwise on
    the waiting list.

    The price is the ticket's price at this moment (early bird until its deadline) and is kept
    on the registration, also for someone promoted from the waiting list later. A confirmed
    ticket with a price gets its invoice at once (when the network has billing details).
    Mail goes out after commit. Raises AlreadyRegistered for a second live registration and
    DomainError for a ticket the person may not have; nothing is written then.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = lock_event(event)
        ticket_type = TicketType.objects.select_for_update().get(pk=ticket_type.pk)
        existing = queries.live_registration(event, user)
        if existing is not None:
            raise AlreadyRegistered(existing)
        _check_ticket(event=event, user=user, ticket_type=ticket_type, day=day, now=now)
        organisations = list(queries.current_organisations(user)[:1])
        status = CONFIRMED if _has_seat(event, ticket_type) else WAITING
        price = queries.price_now(ticket_type, now)
        registration = Registration.objects.create(
            event=event,
            user=user,
            ticket_type=ticket_type,
            day=day,
            status=status,
            payment_status=PaymentStatus.FREE if price == 0 else PaymentStatus.UNPAID,
            price=price,
            vat_rate=ticket_type.vat_rate,
            name=name.strip(),
            organisation=organisations[0] if organisations else None,
            organisation_name=organisation_name.strip(),
            billing_name=billing_name.strip(),
            billing_address=billing_address.strip(),
            billing_vat_number=billing_vat_number.strip(),
            accessibility_needs=accessibility_needs.strip(),
            created_at=now,
            confirmed_at=now if status == CONFIRMED else None,
        )
        if status == CONFIRMED:
            _invoice_if_possible(registration, now)
        notifications.schedule_registration_mail(
            registration, "confirmed" if status == CONFIRMED else "waiting"
        )
    return registration


def _invoice_if_possible(registration: Registration, now) -> None:
    if registration.price > 0:
        try:
            invoices.issue_invoice(registration=registration, now=now)
        except DomainError:
            # No billing details yet: staff issue the invoice when they record the payment.
            pass


def _promote_registrations(event: Event, now) -> list[Registration]:
    """Confirm people from the waiting list, first come first served, while places remain.

    Someone whose ticket type is full is skipped (the next in line may hold another type).
    The caller holds the event lock."""
    promoted = []
    for registration in Registration.objects.filter(event=event, status=WAITING).select_related(
        "ticket_type"
    ):
        if (
            event.capacity is not None
            and Registration.objects.filter(event=event, status=CONFIRMED).count() >= event.capacity
        ):
            break
        if not _has_seat(event, registration.ticket_type):
            continue
        registration.status = CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        _invoice_if_possible(registration, now)
        notifications.schedule_registration_mail(registration, "promoted")
        promoted.append(registration)
    return promoted


def promote_waiting_list(*, event: Event, now=None) -> list[Registration]:
    """Fill free places from the waiting list (after a cancellation or a larger capacity)."""
    now = now or timezone.now()
    with transaction.atomic():
        event = lock_event(event)
        return _promote_registrations(event, now)


def cancel_registration(*, registration: Registration, now=None) -> Registration:
    """Cancel a registration and its workshop seats; the freed places go to the waiting lists
    (people promoted are mailed). An issued invoice is cancelled by a credit note. Cancelling
    twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        event = lock_event(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == CANCELLED:
            return registration
        was_confirmed = registration.status == CONFIRMED
        registration.status = CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        bookings = list(
            WorkshopBooking.objects.filter(
                registration=registration, status__in=queries.LIVE
            ).order_by("proposal_id")
        )
        for booking in bookings:
            _cancel_booking(booking, now)
        invoice = invoices.live_invoice(registration)
        if invoice is not None:
            invoices.issue_credit_note(invoice=invoice, now=now)
        if was_confirmed:
            _promote_registrations(event, now)
    return registration


# --- Workshops ------------------------------------------------------------------------------


def book_workshop(*, registration: Registration, proposal: Proposal, now=None) -> WorkshopBooking:
    """A seat in a workshop for a confirmed registration: confirmed while seats remain, else on
    the workshop's own waiting list. Booking again returns the live booking."""
    now = now or timezone.now()
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("format", "event")
            .get(pk=proposal.pk)
        )
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status != CONFIRMED:
            raise DomainError(_("Workshops can be booked once your registration is confirmed."))
        if (
            proposal.event_id != registration.event_id
            or proposal.state not in SCHEDULED_STATES
            or not (proposal.format and proposal.format.needs_booking)
        ):
            raise DomainError(_("This session needs no booking."))
        existing = WorkshopBooking.objects.filter(
            registration=registration, proposal=proposal, status__in=queries.LIVE
        ).first()
        if existing is not None:
            return existing
        seats = queries.workshop_seats(proposal)
        if seats is None:
            raise DomainError(
                _("Places for this workshop open once it is in the published programme.")
            )
        confirmed = WorkshopBooking.objects.filter(proposal=proposal, status=CONFIRMED).count()
        return WorkshopBooking.objects.create(
            registration=registration,
            proposal=proposal,
            status=CONFIRMED if confirmed < seats else WAITING,
            created_at=now,
        )


def _cancel_booking(booking: WorkshopBooking, now) -> None:
    """The caller holds no proposal lock; this takes it (Event → Proposal order kept)."""
    proposal = Proposal.objects.select_for_update().get(pk=booking.proposal_id)
    booking = WorkshopBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.status == CANCELLED:
        return
    was_confirmed = booking.status == CONFIRMED
    booking.status = CANCELLED
    booking.save(update_fields=["status"])
    if not was_confirmed:
        return
    seats = queries.workshop_seats(proposal)
    confirmed = WorkshopBooking.objects.filter(proposal=proposal, status=CONFIRMED).count()
    waiting = WorkshopBooking.objects.filter(proposal=proposal, status=WAITING).select_related(
        "registration"
    )
    for candidate in waiting:
        if seats is not None and confirmed >= seats:
            break
        candidate.status = CONFIRMED
        candidate.save(update_fields=["status"])
        notifications.schedule_workshop_mail(candidate)
        confirmed += 1


def cancel_workshop_booking(*, booking: WorkshopBooking, now=None) -> WorkshopBooking:
    """Give the seat back; the first on the workshop's waiting list gets it (and a mail)."""
    now = now or timezone.now()
    with transaction.atomic():
        _cancel_booking(booking, now)
    booking.refresh_from_db()
    return booking


# --- Payments and check-in --------------------------------------------------------------------


def amount_due(registration: Registration) -> Decimal:
    return registration.price + queries.vat_of(registration.price, registration.vat_rate)


def record_payment(
    *,
    registration: Registration,
    amount: Decimal,
    provider: str = "bank_transfer",
    reference: str = "",
    note: str = "",
    actor=None,
    now=None,
) -> Payment:
    """Record money received. Once the payments reach the amount due (price + VAT) the
    registration is paid. Issues the invoice first if it is missing, and links the payment
    to it. Refuses cancelled registrations, free tickets and amounts of zero or less."""
    now = now or timezone.now()
    if amount is None or amount <= 0:
        raise DomainError(_("Enter the amount received."))
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        )
        if registration.status == CANCELLED:
            raise DomainError(_("This registration is cancelled."))
        if registration.status == WAITING:
            raise DomainError(
                _("This person is on the waiting list: payment is due once confirmed.")
            )
        if registration.payment_status == PaymentStatus.FREE:
            raise DomainError(_("Nothing to pay: this ticket is free."))
        if registration.payment_status == PaymentStatus.PAID:
            raise DomainError(_("This registration is paid already."))
        invoice = invoices.live_invoice(registration)
        if invoice is None:
            invoice = invoices.issue_invoice(registration=registration, now=now)
        payment = Payment.objects.create(
            registration=registration,
            invoice=invoice,
            provider=provider,
            amount=amount,
            currency=registration.event.currency,
            reference=reference.strip(),
            note=note.strip(),
            recorded_by=actor,
            recorded_at=now,
        )
        received = sum(
            (p.amount for p in registration.payments.filter(status="succeeded")), Decimal(0)
        )
        if received >= amount_due(registration):
            registration.payment_status = PaymentStatus.PAID
            registration.save(update_fields=["payment_status"])
    return payment


def check_in(*, registration: Registration, now=None) -> tuple[Registration, bool]:
    """Mark the person as arrived; (registration, False) if they had been checked in already,
    so pressing the button twice keeps the first time."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != CONFIRMED:
            raise DomainError(_("Only confirmed registrations can be checked in."))
        if registration.checked_in_at is not None:
            return registration, False
        registration.checked_in_at = now
        registration.save(update_fields=["checked_in_at"])
    return registration, True
