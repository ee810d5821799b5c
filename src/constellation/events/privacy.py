"""A person's conference data: what they download, and what deleting their account erases.

Deleting an account cancels the person's live registrations (their places go to the waiting
list, an issued invoice is cancelled by a credit note) and blanks every personal field of
the registrations and of the presenter rows that are theirs, here and in the history. The
registrations stay, anonymous, because invoices must be kept for the accounts: an invoice
keeps the buyer's details as issued (a legal obligation, not something we may erase).
Interests, agenda feeds and committee seats go with the account.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from constellation.events.models import (
    Interest,
    Presenter,
    Proposal,
    Registration,
    RegistrationStatus,
)

REGISTRATION_BLANKS = {
    "name": "",
    "organisation_name": "",
    "billing_name": "",
    "billing_address": "",
    "billing_vat_number": "",
    "accessibility_needs": "",
}


def export_event_data(user, person) -> dict[str, Any]:
    registrations = Registration.objects.filter(user=user).select_related("event", "ticket_type")
    presenter_rows = Presenter.objects.filter(
        Q(person=person) if person is not None else Q(pk__in=[])
    ).select_related("proposal__event")
    return {
        "registrations": [
            {
                "event": r.event.name,
                "ticket": r.ticket_type.name,
                "day": r.day,
                "status": r.status,
                "payment_status": r.payment_status,
                "name_on_badge": r.name,
                "organisation_on_badge": r.organisation_name,
                "billing_name": r.billing_name,
                "billing_address": r.billing_address,
                "billing_vat_number": r.billing_vat_number,
                "access_needs": r.accessibility_needs,
                "created_at": r.created_at,
                "checked_in_at": r.checked_in_at,
                "invoices": [i.number for i in r.invoices.all()],
            }
            for r in registrations
        ],
        "proposals": [
            {
                "event": p.proposal.event.name,
                "code": p.proposal.code,
                "title": p.proposal.title,
                "state": p.proposal.state,
                "role": p.role,
                "name": p.name,
                "email": p.email,
                "biography": p.biography,
                "confirmed_at": p.confirmed_at,
            }
            for p in presenter_rows
        ],
        "sessions_wanted": list(
            Interest.objects.filter(user=user).values(
                "proposal__event__name", "proposal__title", "created_at"
            )
        ),
        "committee_seats": list(
            user.committee_seats.values("event__name", "is_chair", "created_at")
        ),
        "reviews": list(
            Proposal.objects.filter(review_assignments__reviewer__user=user).values(
                "event__name",
                "title",
                "review_assignments__review__comment",
                "review_assignments__review__comment_for_presenters",
                "review_assignments__review__submitted_at",
            )
        ),
    }


def erase_event_data(*, user, person, erased_name: str) -> None:
    """Run inside the account deletion's transaction, before the user row goes."""
    from constellation.events.registration.services import cancel_registration

    for registration in Registration.objects.filter(user=user).exclude(
        status=RegistrationStatus.CANCELLED
    ):
        cancel_registration(registration=registration)
    registration_ids = list(Registration.objects.filter(user=user).values_list("pk", flat=True))
    Registration.objects.filter(pk__in=registration_ids).update(
        organisation=None, **REGISTRATION_BLANKS
    )
    Registration.history.filter(id__in=registration_ids).update(
        organisation=None, **REGISTRATION_BLANKS
    )
    if person is not None:
        presenter_ids = list(Presenter.objects.filter(person=person).values_list("pk", flat=True))
        blank = {"name": erased_name, "email": "", "biography": ""}
        Presenter.objects.filter(pk__in=presenter_ids).update(**blank)
        Presenter.history.filter(id__in=presenter_ids).update(**blank)
