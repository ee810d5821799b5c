"""A conference open for registration, organised by network A (so staff_a runs it).

Three places in all. Tickets: member rate (early bird 250 until ten days from now, then 300,
VAT 21 %), non-member (400), student (100, one place), day pass (150), a free presenter
ticket and a ticket no longer on sale. Network A has billing details (invoices NETA-…).
One workshop of one seat is in the programme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from constellation.events.models import (
    BillingDetails,
    Event,
    Proposal,
    ProposalState,
    SessionFormat,
    TicketKind,
    TicketType,
)


@dataclass
class Conference:
    event: Event
    member: TicketType
    non_member: TicketType
    student: TicketType
    day_pass: TicketType
    speaker: TicketType
    retired: TicketType
    workshop: Proposal
    billing: BillingDetails


def make_conference(network, *, capacity: int | None = 3, slug: str = "conf") -> Conference:
    now = timezone.now()
    start = date(now.year, 12, 28) if now.month < 12 else date(now.year + 1, 6, 1)
    event = Event.objects.create(
        network=network,
        name="Annual Conference",
        slug=slug,
        start_date=start,
        end_date=start + timedelta(days=2),
        time_zone="Europe/Brussels",
        is_published=True,
        capacity=capacity,
        currency="EUR",
        city="Brussels",
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=30),
    )
    billing = BillingDetails.objects.create(
        network=network,
        legal_name="Network A asbl",
        address="Rue de la Science 1\n1000 Brussels",
        country="BE",
        vat_number="BE0123456789",
        iban="BE71096123456769",
        bic="GKCCBEBB",
        invoice_prefix="NETA",
        payment_terms_days=30,
    )

    def ticket(name, kind, price, position, **fields):
        return TicketType.objects.create(
            event=event,
            name=name,
            kind=kind,
            price=Decimal(price),
            vat_rate=Decimal("21"),
            position=position,
            **fields,
        )

    member = ticket(
        "Member",
        TicketKind.MEMBER,
        "300",
        0,
        early_bird_price=Decimal("250"),
        early_bird_until=now + timedelta(days=10),
    )
    non_member = ticket("Non-member", TicketKind.NON_MEMBER, "400", 1)
    student = ticket("Student", TicketKind.STUDENT, "100", 2, capacity=1)
    day_pass = ticket("Day pass", TicketKind.DAY_PASS, "150", 3)
    speaker = ticket("Presenter", TicketKind.SPEAKER, "0", 4)
    retired = ticket("Supporter", TicketKind.NON_MEMBER, "900", 5, on_sale=False)
    workshop_format = SessionFormat.objects.create(
        event=event, name="Workshop", kind="workshop", duration_slots=2, needs_booking=True
    )
    workshop = Proposal.objects.create(
        event=event,
        title="Build a tinkering station",
        format=workshop_format,
        state=ProposalState.CONFIRMED,
        submitted_at=now,
        seats=1,
    )
    return Conference(
        event, member, non_member, student, day_pass, speaker, retired, workshop, billing
    )


@pytest.fixture
def conference(network_a) -> Conference:
    return make_conference(network_a)
