"""Registration API: ticket types of a published event (public) and my registration (token)."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from ninja import Router

from constellation.accounts.auth import token_auth
from constellation.events.models import Event
from constellation.events.queries import get_visible_event
from constellation.events.registration import queries, services
from constellation.events.registration.schemas import RegistrationOut, TicketTypeList
from constellation.networks.schemas import errors

router = Router(tags=["events"])


def _event(request, slug: str) -> Event:
    return get_visible_event(request.user, slug)


@router.get(
    "/{slug}/ticket-types",
    response={200: TicketTypeList, **errors(404)},
    url_name="events_ticket_types",
)
def ticket_types(request, slug: str):
    """Ticket types on sale, with the price today (early bird or not) and the places left."""
    event = _event(request, slug)
    items = [
        {
            "id": row.ticket_type.pk,
            "name": row.ticket_type.name,
            "kind": row.ticket_type.kind,
            "description": row.ticket_type.description,
            "price": row.ticket_type.price,
            "price_now": row.price,
            "early_bird_price": row.ticket_type.early_bird_price,
            "early_bird_until": row.ticket_type.early_bird_until,
            "vat_rate": row.ticket_type.vat_rate,
            "currency": event.currency,
            "seats_left": row.seats_left,
            "on_sale": row.ticket_type.on_sale,
        }
        for row in queries.availability(event, on_sale_only=True)
    ]
    return {"items": items, "count": len(items)}


@router.get(
    "/{slug}/registration",
    response={200: RegistrationOut, **errors(401, 404)},
    auth=token_auth,
    url_name="events_my_registration",
)
def my_registration(request, slug: str):
    """Your live registration for the event (404 when you have none)."""
    event = _event(request, slug)
    registration = queries.live_registration(event, request.user)
    if registration is None:
        raise Http404
    invoices = [
        {
            "number": i.number,
            "issued_at": i.issued_at,
            "total": i.total,
            "currency": i.currency,
            "is_credit_note": i.credits_id is not None,
            "pdf_url": reverse("events:invoice_pdf", args=[event.slug, i.number]),
        }
        for i in registration.invoices.order_by("issued_at", "pk")
    ]
    return {
        "id": registration.pk,
        "event": event.slug,
        "status": registration.status,
        "waiting_position": queries.waiting_position(registration),
        "ticket_type": registration.ticket_type.name,
        "day": registration.day,
        "name": registration.name,
        "organisation_name": registration.organisation_name,
        "payment_status": registration.payment_status,
        "price": registration.price,
        "vat_rate": registration.vat_rate,
        "amount_due": services.amount_due(registration),
        "checked_in_at": registration.checked_in_at,
        "invoices": invoices,
    }
