"""Who may do what in registration. Staff of the organising network run registrations,
check people in and print every badge; a person sees their own registration and invoices."""

from __future__ import annotations

import rules

from constellation.events.rules import is_event_staff
from constellation.networks.rules import is_superuser


@rules.predicate
def owns_invoice(user, invoice) -> bool:
    return user.is_authenticated and invoice is not None and invoice.registration.user_id == user.pk


@rules.predicate
def is_staff_of_invoice_event(user, invoice) -> bool:
    return invoice is not None and is_event_staff(user, invoice.registration.event)


rules.add_perm("events.registration_manage", is_event_staff | is_superuser)
rules.add_perm(
    "events.registration_view_invoice", owns_invoice | is_staff_of_invoice_event | is_superuser
)
