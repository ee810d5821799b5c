"""Read-side helpers for registration: prices, seats left, member rate, staff lists.

Each function issues a fixed number of queries whatever the number of registrations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from constellation.events.models import (
    SCHEDULED_STATES,
    Event,
    Invoice,
    Placement,
    Presenter,
    Proposal,
    Registration,
    RegistrationStatus,
    TicketType,
    TimetableVersion,
    WorkshopBooking,
)
from constellation.networks.models import Affiliation, Membership, MembershipStatus, Organisation

LIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


def price_now(ticket_type: TicketType, now: datetime | None = None) -> Decimal:
    """The early-bird price until its deadline (exclusive), the full price afterwards."""
    now = now or timezone.now()
    if (
        ticket_type.early_bird_price is not None
        and ticket_type.early_bird_until is not None
        and now < ticket_type.early_bird_until
    ):
        return ticket_type.early_bird_price
    return ticket_type.price


def is_early_bird(ticket_type: TicketType, now: datetime | None = None) -> bool:
    return price_now(ticket_type, now) != ticket_type.price


def vat_of(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate / Decimal(100)).quantize(Decimal("0.01"))


def event_days(event: Event) -> list[date]:
    days = (event.end_date - event.start_date).days + 1
    return [event.start_date + timedelta(days=n) for n in range(days)]


def member_organisations(user, network) -> QuerySet[Organisation]:
    """Where the user works now that is a current (active, not ended) member of the network."""
    today = timezone.localdate()
    current_memberships = Membership.objects.filter(
        organisation=OuterRef("pk"), network=network, status=MembershipStatus.ACTIVE
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    working_here = Affiliation.objects.current().filter(person__user=user).values("organisation_id")
    return (
        Organisation.objects.filter(pk__in=working_here)
        .filter(Exists(current_memberships))
        .order_by("name")
    )


def current_organisations(user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    working_here = Affiliation.objects.current().filter(person__user=user).values("organisation_id")
    return Organisation.objects.filter(pk__in=working_here).order_by("name")


def is_presenter(user, event: Event) -> bool:
    return Presenter.objects.filter(
        proposal__event=event, proposal__state__in=SCHEDULED_STATES, person__user=user
    ).exists()


@dataclass
class TicketAvailability:
    ticket_type: TicketType
    confirmed: int
    waiting: int
    seats_left: int | None  # None: no limit
    price: Decimal
    early_bird: bool

    @property
    def sold_out(self) -> bool:
        return self.seats_left is not None and self.seats_left <= 0


def availability(event: Event, *, on_sale_only: bool = False, now=None) -> list[TicketAvailability]:
    """Every ticket type with confirmed and waiting counts and seats left: one query.

    Seats left is the smaller of what the event and the ticket type have left.
    """
    types = TicketType.objects.filter(event=event).annotate(
        n_confirmed=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
        ),
        n_waiting=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
        ),
    )
    types = list(types)
    total = sum(t.n_confirmed for t in types)
    event_left = None if event.capacity is None else max(event.capacity - total, 0)
    rows = []
    for t in types:
        if on_sale_only and not t.on_sale:
            continue
        left = event_left
        if t.capacity is not None:
            own = max(t.capacity - t.n_confirmed, 0)
            left = own if left is None else min(left, own)
        rows.append(
            TicketAvailability(
                t, t.n_confirmed, t.n_waiting, left, price_now(t, now), is_early_bird(t, now)
            )
        )
    return rows


def live_registration(event: Event, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, user=user, status__in=LIVE)
        .select_related("ticket_type", "organisation")
        .first()
    )


def waiting_position(registration: Registration) -> int | None:
    """1 for the first in line; None when not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=RegistrationStatus.WAITING
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def published_version(event: Event) -> TimetableVersion | None:
    return (
        TimetableVersion.objects.filter(event=event, published_at__isnull=False)
        .order_by("-published_at")
        .first()
    )


def workshops(event: Event) -> QuerySet[Proposal]:
    """Scheduled sessions whose format needs a booked seat, with booking counts and the room
    of the current published placement (if any)."""
    version = published_version(event)
    placements = Placement.objects.select_related("room", "slot").filter(version=version)
    return (
        Proposal.objects.scheduled()
        .filter(event=event, format__needs_booking=True)
        .select_related("format")
        .annotate(
            n_confirmed=Count("bookings", filter=Q(bookings__status=RegistrationStatus.CONFIRMED)),
            n_waiting=Count("bookings", filter=Q(bookings__status=RegistrationStatus.WAITING)),
        )
        .prefetch_related(
            Prefetch("placements", queryset=placements, to_attr="published_placements")
        )
        .order_by("title")
    )


def workshop_seats(proposal: Proposal) -> int | None:
    """Seats of a workshop: its own number, else its room's capacity in the published
    timetable; None when neither is known yet (booking not possible)."""
    if proposal.seats:
        return proposal.seats
    placements = getattr(proposal, "published_placements", None)
    if placements is None:
        version = published_version(proposal.event)
        placements = list(
            Placement.objects.select_related("room").filter(version=version, proposal=proposal)
        )
    return placements[0].room.capacity if placements else None


def staff_registrations(
    event: Event, *, status="", ticket_type=None, payment="", q=""
) -> QuerySet[Registration]:
    qs = (
        Registration.objects.filter(event=event)
        .select_related("ticket_type", "user", "organisation")
        .prefetch_related(
            Prefetch("invoices", queryset=Invoice.objects.order_by("issued_at", "pk"))
        )
        .order_by("created_at", "pk")
    )
    if status:
        qs = qs.filter(status=status)
    if ticket_type is not None:
        qs = qs.filter(ticket_type=ticket_type)
    if payment:
        qs = qs.filter(payment_status=payment)
    if q:
        for term in q.split()[:5]:
            qs = qs.filter(
                Q(name__icontains=term)
                | Q(organisation_name__icontains=term)
                | Q(user__email__icontains=term)
            )
    return qs


def my_bookings(registration: Registration) -> dict[int, WorkshopBooking]:
    return {
        b.proposal_id: b
        for b in WorkshopBooking.objects.filter(registration=registration, status__in=LIVE)
    }
