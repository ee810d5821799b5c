"""How people pay: a small provider interface, and bank transfer behind it.

A provider tells the person how to pay (`start`) and records money received (`record`).
Bank transfer is the only one today: the instructions carry the network's IBAN and a
reference (the invoice number) and staff record the transfer when it reaches the account.
A card provider would implement the same two methods, its webhook calling `record`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from constellation.events.models import (
    BillingDetails,
    Payment,
    PaymentStatus,
    Registration,
    RegistrationStatus,
)
from constellation.events.registration import invoices, services


@dataclass
class PaymentInstructions:
    provider: str
    amount: Decimal
    currency: str
    reference: str
    details: list[tuple[str, str]] = field(default_factory=list)  # (label, value) to show
    note: str = ""


class PaymentProvider(Protocol):
    key: str
    name: str

    def start(self, registration: Registration) -> PaymentInstructions | None:
        """What the person must do to pay; None when nothing is due."""

    def record(
        self,
        *,
        registration: Registration,
        amount: Decimal,
        reference: str = "",
        note: str = "",
        actor=None,
    ) -> Payment:
        """Record money received for the registration."""


class BankTransferProvider:
    key = "bank_transfer"
    name = gettext_lazy("Bank transfer")

    def start(self, registration: Registration) -> PaymentInstructions | None:
        if (
            registration.status != RegistrationStatus.CONFIRMED
            or registration.payment_status != PaymentStatus.UNPAID
        ):
            return None
        billing = BillingDetails.objects.filter(network_id=registration.event.network_id).first()
        invoice = invoices.live_invoice(registration)
        reference = (
            invoice.number if invoice else f"{registration.event.slug.upper()}-{registration.pk}"
        )
        details = []
        if billing:
            details = [(_("Account holder"), billing.legal_name), (_("IBAN"), billing.iban)]
            if billing.bic:
                details.append((_("BIC"), billing.bic))
        details.append((_("Reference"), reference))
        return PaymentInstructions(
            provider=self.key,
            amount=services.amount_due(registration),
            currency=registration.event.currency,
            reference=reference,
            details=details,
            note=_("Give the reference with your transfer, so we can match your payment."),
        )

    def record(
        self,
        *,
        registration: Registration,
        amount: Decimal,
        reference: str = "",
        note: str = "",
        actor=None,
    ) -> Payment:
        return services.record_payment(
            registration=registration,
            amount=amount,
            provider=self.key,
            reference=reference,
            note=note,
            actor=actor,
        )


PROVIDERS: dict[str, PaymentProvider] = {BankTransferProvider.key: BankTransferProvider()}


def provider_for(key: str = "bank_transfer") -> PaymentProvider:
    return PROVIDERS[key]
