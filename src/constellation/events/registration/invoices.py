"""Numbered invoices and credit notes for registrations, and their PDFs.

Numbers run `<prefix>-<year>-<0001>` per network and year without gaps or repeats: the
network's InvoiceSequence row is locked while a number is taken, and the number is taken in
the same transaction that writes the invoice, so a rolled-back invoice gives its number back.
Seller, buyer and lines are frozen on the invoice when it is issued; the PDF is drawn from
them, so a later change of address or price never rewrites an issued invoice.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from constellation.events.models import BillingDetails, Invoice, InvoiceSequence, Registration
from constellation.events.registration.queries import vat_of
from constellation.networks.services import DomainError


def live_invoice(registration: Registration) -> Invoice | None:
    """The registration's invoice that no credit note cancels yet."""
    return (
        Invoice.objects.filter(
            registration=registration, credits__isnull=True, credit_note__isnull=True
        )
        .order_by("-issued_at", "-pk")
        .first()
    )


def _next_number(network, year: int, prefix: str) -> str:
    sequence, _created = InvoiceSequence.objects.get_or_create(network=network, year=year)
    sequence = InvoiceSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{sequence.last_number:04d}"


def _seller(billing: BillingDetails) -> dict:
    return {
        "legal_name": billing.legal_name,
        "address": billing.address,
        "country": str(billing.country.name) if billing.country else "",
        "vat_number": billing.vat_number,
        "registration_number": billing.registration_number,
        "iban": billing.iban,
        "bic": billing.bic,
        "footer": billing.footer,
    }


def _buyer(registration: Registration) -> dict:
    return {
        "name": registration.billing_name or registration.name,
        "organisation": registration.organisation_name,
        "address": registration.billing_address,
        "vat_number": registration.billing_vat_number,
        "email": registration.user.email if registration.user_id else "",
    }


def _line(registration: Registration) -> dict:
    event, ticket = registration.event, registration.ticket_type
    description = f"{event.name}: {ticket.name}"
    if registration.day:
        description += f" ({registration.day.isoformat()})"
    net = registration.price
    vat = vat_of(net, registration.vat_rate)
    return {
        "description": description,
        "attendee": registration.name,
        "quantity": 1,
        "unit_price": str(net),
        "vat_rate": str(registration.vat_rate),
        "net": str(net),
        "vat": str(vat),
        "total": str(net + vat),
    }


def issue_invoice(*, registration: Registration, now=None) -> Invoice:
    """Issue the registration's invoice (or return the one already issued and not credited).

    Needs the organising network's BillingDetails and a price above zero. Side effects: the
    network's invoice sequence for the year moves on by one. Safe to call twice.
    """
    now = now or timezone.now()
    with transaction.atomic():
        registration = (
            # Only the registration row is locked: its user may be gone (an erased account),
            # and PostgreSQL cannot lock the empty side of an outer join.
            Registration.objects.select_for_update(of=("self",))
            .select_related("event__network", "ticket_type", "user")
            .get(pk=registration.pk)
        )
        existing = live_invoice(registration)
        if existing is not None:
            return existing
        if registration.price <= 0:
            raise DomainError(_("Nothing to invoice: this ticket is free."))
        network = registration.event.network
        billing = BillingDetails.objects.filter(network=network).first()
        if billing is None:
            raise DomainError(
                _("The organising network has no billing details yet, so no invoice can be issued.")
            )
        line = _line(registration)
        net, vat = Decimal(line["net"]), Decimal(line["vat"])
        return Invoice.objects.create(
            network=network,
            registration=registration,
            number=_next_number(network, now.year, billing.invoice_prefix),
            issued_at=now,
            due_on=(now + timedelta(days=billing.payment_terms_days)).date(),
            seller=_seller(billing),
            buyer=_buyer(registration),
            lines=[line],
            net=net,
            vat=vat,
            total=net + vat,
            currency=registration.event.currency,
        )


def issue_credit_note(*, invoice: Invoice, now=None) -> Invoice:
    """Cancel an invoice with a credit note of the opposite amounts (numbered in the same
    series). Returns the existing credit note when there is one."""
    now = now or timezone.now()
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        existing = Invoice.objects.filter(credits=invoice).first()
        if existing is not None:
            return existing
        billing = BillingDetails.objects.filter(network_id=invoice.network_id).first()
        prefix = billing.invoice_prefix if billing else invoice.number.split("-")[0]
        lines = [
            {
                **line,
                **{key: str(-Decimal(line[key])) for key in ("unit_price", "net", "vat", "total")},
            }
            for line in invoice.lines
        ]
        return Invoice.objects.create(
            network_id=invoice.network_id,
            registration_id=invoice.registration_id,
            number=_next_number(invoice.network, now.year, prefix),
            issued_at=now,
            due_on=now.date(),
            seller=invoice.seller,
            buyer=invoice.buyer,
            lines=lines,
            net=-invoice.net,
            vat=-invoice.vat,
            total=-invoice.total,
            currency=invoice.currency,
            credits=invoice,
        )


def invoice_pdf(invoice: Invoice, *, language: str | None = None) -> bytes:
    from constellation.insights.reports import pdf_from_html

    language = language or translation.get_language() or "en"
    with translation.override(language):
        html = render_to_string(
            "events/registration/invoice_document.html",
            {
                "invoice": invoice,
                "event": invoice.registration.event,
                "is_credit_note": invoice.credits_id is not None,
                "LANGUAGE_CODE": language,
            },
        )
    return pdf_from_html(html)
