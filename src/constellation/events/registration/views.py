"""Registration pages: register, my registration (workshops, invoices, badge), the staff list
with payments and exports, and the check-in desk.

Every view finds the event (strangers to an unpublished event get 404), checks the rule,
validates with a form and calls a service.
"""

from __future__ import annotations

import csv
from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from constellation.core.htmx import render_page
from constellation.core.spreadsheets import safe_row
from constellation.events.models import (
    Event,
    Invoice,
    Proposal,
    Registration,
    RegistrationStatus,
    WorkshopBooking,
)
from constellation.events.queries import get_visible_event
from constellation.events.registration import badges, invoices, payments, queries, services
from constellation.events.registration import rules as _rules  # noqa: F401  (registers the perms)
from constellation.events.registration.forms import (
    CancelForm,
    CheckinForm,
    CheckinSearchForm,
    PaymentForm,
    RegistrationForm,
    StaffFilterForm,
)
from constellation.networks.services import DomainError

PAGE_SIZE = 50
CHECKIN_RESULTS = 20


def _event_or_404(request, slug: str) -> Event:
    return get_visible_event(request.user, slug)


def _staff_event_or_404(request, slug: str) -> Event:
    event = _event_or_404(request, slug)
    if not request.user.has_perm("events.registration_manage", event):
        raise Http404
    return event


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- Attendees --------------------------------------------------------------------------------


@login_required
def register(request, slug: str):
    """Choose a ticket, give badge and billing details: confirmed, or on the waiting list."""
    event = _event_or_404(request, slug)
    if queries.live_registration(event, request.user) is not None:
        messages.info(request, _("You are already registered for this event."))
        return redirect("events:my_registration", slug=event.slug)
    availability = queries.availability(event, on_sale_only=True)
    initial = {"name": request.user.display_name}
    organisations = list(queries.current_organisations(request.user)[:1])
    if organisations:
        initial["organisation_name"] = organisations[0].name
    form = RegistrationForm(
        request.POST or None, event=event, availability=availability, initial=initial
    )
    if request.method == "POST" and event.registration_is_open() and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.register(
                event=event,
                user=request.user,
                ticket_type=data["ticket_type"],
                day=data["day"],
                name=data["name"],
                organisation_name=data["organisation_name"],
                billing_name=data["billing_name"],
                billing_address=data["billing_address"],
                billing_vat_number=data["billing_vat_number"],
                accessibility_needs=data["accessibility_needs"],
            )
        except services.AlreadyRegistered:
            messages.info(request, _("You are already registered for this event."))
            return redirect("events:my_registration", slug=event.slug)
        except DomainError as error:
            form.add_error("ticket_type", error.message)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, _("You are registered. See you there!"))
            else:
                messages.info(request, _("The event is full: you are on the waiting list."))
            return redirect("events:my_registration", slug=event.slug)
    context = {
        "event": event,
        "form": form,
        "availability": availability,
        "is_open": event.registration_is_open(),
        "opens_later": bool(
            event.registration_opens_at and timezone.now() < event.registration_opens_at
        ),
    }
    return render(request, "events/registration/register.html", context)


@login_required
def my_registration(request, slug: str):
    event = _event_or_404(request, slug)
    registration = queries.live_registration(event, request.user)
    if registration is None:
        cancelled = Registration.objects.filter(event=event, user=request.user).exists()
        return render(
            request,
            "events/registration/my_registration.html",
            {"event": event, "registration": None, "had_cancelled": cancelled},
        )
    workshops, booked = [], {}
    if registration.status == RegistrationStatus.CONFIRMED:
        booked = queries.my_bookings(registration)
        for workshop in queries.workshops(event):
            seats = queries.workshop_seats(workshop)
            workshops.append(
                {
                    "proposal": workshop,
                    "seats": seats,
                    "left": None if seats is None else max(seats - workshop.n_confirmed, 0),
                    "booking": booked.get(workshop.pk),
                }
            )
    context = {
        "event": event,
        "registration": registration,
        "position": queries.waiting_position(registration),
        "instructions": payments.provider_for().start(registration),
        "invoices": list(registration.invoices.order_by("issued_at", "pk")),
        "workshops": workshops,
        "amount_due": services.amount_due(registration),
        "cancel_form": CancelForm(),
    }
    return render(request, "events/registration/my_registration.html", context)


@login_required
@require_POST
def cancel(request, slug: str):
    event = _event_or_404(request, slug)
    registration = queries.live_registration(event, request.user)
    if registration is None:
        messages.info(request, _("Your registration was already cancelled."))
    elif not CancelForm(request.POST).is_valid():
        messages.error(request, _("Tick the box to confirm that you want to cancel."))
    else:
        services.cancel_registration(registration=registration)
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:my_registration", slug=event.slug)


def _my_workshop(request, slug: str, code: str):
    event = _event_or_404(request, slug)
    registration = queries.live_registration(event, request.user)
    proposal = get_object_or_404(Proposal, event=event, code=code)
    if registration is None:
        raise Http404
    return event, registration, proposal


@login_required
@require_POST
def workshop_book(request, slug: str, code: str):
    event, registration, proposal = _my_workshop(request, slug, code)
    try:
        booking = services.book_workshop(registration=registration, proposal=proposal)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if booking.status == RegistrationStatus.CONFIRMED:
            messages.success(
                request, _("Your seat in “%(title)s” is booked.") % {"title": proposal.title}
            )
        else:
            messages.info(
                request,
                _("“%(title)s” is full: you are on its waiting list.") % {"title": proposal.title},
            )
    return redirect(reverse("events:my_registration", args=[event.slug]) + "#workshops")


@login_required
@require_POST
def workshop_cancel(request, slug: str, code: str):
    event, registration, proposal = _my_workshop(request, slug, code)
    booking = WorkshopBooking.objects.filter(
        registration=registration, proposal=proposal, status__in=queries.LIVE
    ).first()
    if booking is not None:
        services.cancel_workshop_booking(booking=booking)
    messages.success(
        request, _("Your seat in “%(title)s” is given back.") % {"title": proposal.title}
    )
    return redirect(reverse("events:my_registration", args=[event.slug]) + "#workshops")


@login_required
def badge_pdf(request, slug: str):
    event = _event_or_404(request, slug)
    registration = queries.live_registration(event, request.user)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        raise Http404
    return _pdf(badges.badges_pdf(event, [registration], sheet=False), f"badge-{event.slug}.pdf")


@login_required
def invoice_pdf(request, slug: str, number: str):
    """The invoice's owner and the event's staff read it; anyone else gets 404."""
    invoice = (
        Invoice.objects.select_related("registration__event__network", "registration__user")
        .filter(registration__event__slug=slug, number=number)
        .first()
    )
    if invoice is None or not request.user.has_perm("events.registration_view_invoice", invoice):
        raise Http404
    return _pdf(invoices.invoice_pdf(invoice), f"{invoice.number}.pdf")


# --- Staff ----------------------------------------------------------------------------------------


def _filtered(request, event):
    form = StaffFilterForm(request.GET or None, event=event)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.staff_registrations(
        event,
        status=filters.get("status", ""),
        ticket_type=filters.get("ticket_type"),
        payment=filters.get("payment", ""),
        q=filters.get("q", ""),
    )
    return form, qs


@login_required
def registrations(request, slug: str):
    event = _staff_event_or_404(request, slug)
    form, qs = _filtered(request, event)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    availability = queries.availability(event)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "event": event,
        "form": form,
        "page": page,
        "availability": availability,
        "confirmed_total": sum(row.confirmed for row in availability),
        "waiting_total": sum(row.waiting for row in availability),
        "seats_left": None
        if event.capacity is None
        else max(event.capacity - sum(r.confirmed for r in availability), 0),
        "query": query.urlencode(),
        "badge_parts": _badge_parts(sum(row.confirmed for row in availability)),
    }
    return render_page(
        request, "events/registration/registrations.html", context, partial="results"
    )


def _badge_parts(confirmed: int) -> list[tuple[int, int, int]]:
    """(part, first, last) for the badge files of `confirmed` people."""
    return [
        (n + 1, n * BADGES_PER_FILE + 1, min((n + 1) * BADGES_PER_FILE, confirmed))
        for n in range(max((confirmed + BADGES_PER_FILE - 1) // BADGES_PER_FILE, 1))
    ]


CSV_COLUMNS = (
    "id",
    "name",
    "organisation",
    "email",
    "ticket",
    "day",
    "status",
    "payment",
    "price",
    "vat_rate",
    "invoices",
    "billing_name",
    "billing_address",
    "billing_vat_number",
    "access_needs",
    "registered_at",
    "checked_in_at",
)


@login_required
def registrations_csv(request, slug: str):
    event = _staff_event_or_404(request, slug)
    _form, qs = _filtered(request, event)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registrations-{event.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for r in qs:
        writer.writerow(
            safe_row(
                [
                    r.pk,
                    r.name,
                    r.organisation_name,
                    r.user.email if r.user_id else "",
                    r.ticket_type.name,
                    r.day.isoformat() if r.day else "",
                    r.status,
                    r.payment_status,
                    r.price,
                    r.vat_rate,
                    " ".join(i.number for i in r.invoices.all()),
                    r.billing_name,
                    r.billing_address,
                    r.billing_vat_number,
                    r.accessibility_needs,
                    r.created_at.isoformat(),
                    r.checked_in_at.isoformat() if r.checked_in_at else "",
                ]
            )
        )
    return response


# WeasyPrint lays out a badge with its QR code in about 50 ms (2 shared cores): one file
# holds at most this many badges, so a request stays within ~10 seconds; the staff page
# links one file per part.
BADGES_PER_FILE = 200


@login_required
def badges_sheet_pdf(request, slug: str):
    """Confirmed badges (the filtered ones, by name), four to an A4 page, in parts of
    BADGES_PER_FILE (`?part=2` is the second part)."""
    event = _staff_event_or_404(request, slug)
    _form, qs = _filtered(request, event)
    try:
        part = max(int(request.GET.get("part", "1")), 1)
    except ValueError:
        part = 1
    start = (part - 1) * BADGES_PER_FILE
    people = list(
        qs.filter(status=RegistrationStatus.CONFIRMED)
        .prefetch_related(None)
        .order_by("name", "pk")[start : start + BADGES_PER_FILE]
    )
    return _pdf(badges.badges_pdf(event, people, sheet=True), f"badges-{event.slug}-{part}.pdf")


@login_required
@require_POST
def promote(request, slug: str):
    event = _staff_event_or_404(request, slug)
    promoted = services.promote_waiting_list(event=event)
    count = len(promoted)
    messages.success(
        request,
        ngettext(
            "%(count)s person moved from the waiting list.",
            "%(count)s people moved from the waiting list.",
            count,
        )
        % {"count": count},
    )
    return redirect("events:registrations", slug=event.slug)


def _staff_registration(request, slug: str, pk: int):
    event = _staff_event_or_404(request, slug)
    registration = get_object_or_404(
        Registration.objects.select_related("ticket_type", "user"), event=event, pk=pk
    )
    return event, registration


@login_required
def record_payment(request, slug: str, pk: int):
    event, registration = _staff_registration(request, slug, pk)
    due = services.amount_due(registration)
    form = PaymentForm(request.POST or None, initial={"amount": due})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payments.provider_for("bank_transfer").record(
                registration=registration,
                amount=data["amount"],
                reference=data["reference"],
                note=data["note"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Payment recorded for %(name)s.") % {"name": registration.name}
            )
            return redirect("events:registrations", slug=event.slug)
    context = {
        "event": event,
        "registration": registration,
        "form": form,
        "due": due,
        "payments": list(registration.payments.order_by("recorded_at")),
    }
    return render(request, "events/registration/payment.html", context)


@login_required
@require_POST
def staff_cancel(request, slug: str, pk: int):
    event, registration = _staff_registration(request, slug, pk)
    if registration.status == RegistrationStatus.CANCELLED:
        messages.info(request, _("This registration was already cancelled."))
    else:
        services.cancel_registration(registration=registration)
        messages.success(
            request, _("Registration of %(name)s cancelled.") % {"name": registration.name}
        )
    return redirect("events:registrations", slug=event.slug)


# --- Check-in -------------------------------------------------------------------------------------


def _token_from(code: str) -> str:
    """A scanned QR code gives the whole check-in URL; the token is its `code` parameter."""
    if "code=" in code:
        return (parse_qs(urlsplit(code).query).get("code") or [""])[0]
    return code


def _find(event: Event, code: str) -> list[Registration]:
    code = _token_from(code.strip())
    if not code:
        return []
    qs = (
        Registration.objects.filter(event=event)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("ticket_type")
    )
    if code.isdigit():
        return list(qs.filter(pk=int(code)))
    if " " not in code and len(code) >= 20:
        return list(qs.filter(badge_token=code))
    terms = code.split()[:4]
    for term in terms:
        qs = qs.filter(Q(name__icontains=term) | Q(organisation_name__icontains=term))
    return list(qs.order_by("name", "pk")[:CHECKIN_RESULTS])


@login_required
def checkin(request, slug: str):
    """The check-in desk, made for a phone: scan or type, see the person, press Check in."""
    event = _staff_event_or_404(request, slug)
    if request.method == "POST":
        form = CheckinForm(request.POST)
        if not form.is_valid():
            raise Http404
        registration = get_object_or_404(
            Registration, event=event, pk=form.cleaned_data["registration"]
        )
        try:
            registration, first_time = services.check_in(registration=registration)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            when = formats.time_format(
                timezone.localtime(registration.checked_in_at, event.tz), "H:i"
            )
            if first_time:
                messages.success(
                    request, _("%(name)s is checked in.") % {"name": registration.name}
                )
            else:
                messages.warning(
                    request,
                    _("%(name)s was already checked in at %(time)s.")
                    % {"name": registration.name, "time": when},
                )
        return redirect(reverse("events:checkin", args=[event.slug]) + f"?code={registration.pk}")
    search = CheckinSearchForm(request.GET or None)
    code = search.cleaned_data.get("code", "") if search.is_valid() else ""
    found = _find(event, code) if code else []
    context = {"event": event, "search": search, "code": code, "found": found}
    return render_page(request, "events/registration/checkin.html", context, partial="found")
