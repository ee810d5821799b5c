"""API schemas of registration: ticket types with prices and seats, and my registration."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema


class TicketTypeOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    price: Decimal
    price_now: Decimal
    early_bird_price: Decimal | None
    early_bird_until: datetime | None
    vat_rate: Decimal
    currency: str
    seats_left: int | None
    on_sale: bool


class TicketTypeList(Schema):
    items: list[TicketTypeOut]
    count: int


class InvoiceOut(Schema):
    number: str
    issued_at: datetime
    total: Decimal
    currency: str
    is_credit_note: bool
    pdf_url: str


class RegistrationOut(Schema):
    id: int
    event: str
    status: str
    waiting_position: int | None
    ticket_type: str
    day: date | None
    name: str
    organisation_name: str
    payment_status: str
    price: Decimal
    vat_rate: Decimal
    amount_due: Decimal
    checked_in_at: datetime | None
    invoices: list[InvoiceOut]
