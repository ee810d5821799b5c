"""Registration mail: confirmation, waiting list, promotion from it, workshop seats.

Services schedule these after commit; tasks.py runs them. Each mail reads the registration
as it is now and is sent only if its state still matches (someone promoted and cancelled
before the worker ran gets nothing), once per state change: a cache key made of the row
and the moment of the change keeps a task that runs twice from mailing twice.
Mail goes out in the recipient's language (User.language).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from constellation.events.models import Registration, RegistrationStatus, WorkshopBooking

KINDS = {
    # kind: (status the registration must still have, subject)
    "confirmed": RegistrationStatus.CONFIRMED,
    "waiting": RegistrationStatus.WAITING,
    "promoted": RegistrationStatus.CONFIRMED,
}
SENT_FOR_SECONDS = 7 * 24 * 3600


def schedule_registration_mail(registration: Registration, kind: str) -> None:
    from constellation.events.registration.tasks import send_registration_mail_task

    registration_id = registration.pk
    transaction.on_commit(lambda: send_registration_mail_task.enqueue(registration_id, kind))


def schedule_workshop_mail(booking: WorkshopBooking) -> None:
    from constellation.events.registration.tasks import send_workshop_mail_task

    booking_id = booking.pk
    transaction.on_commit(lambda: send_workshop_mail_task.enqueue(booking_id))


def _subject(kind: str, event) -> str:
    subjects = {
        "confirmed": _("Your registration for %(event)s is confirmed"),
        "waiting": _("You are on the waiting list for %(event)s"),
        "promoted": _("A place came free: your registration for %(event)s is confirmed"),
    }
    return subjects[kind] % {"event": event.name}


def send_registration_mail(registration_id: int, kind: str) -> bool:
    registration = (
        Registration.objects.select_related("event", "user", "ticket_type")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or kind not in KINDS or registration.status != KINDS[kind]:
        return False
    stamp = registration.confirmed_at or registration.created_at
    if not cache.add(
        f"events:registration-mail:{registration.pk}:{kind}:{stamp.isoformat()}",
        1,
        SENT_FOR_SECONDS,
    ):
        return False
    user, event = registration.user, registration.event
    url = settings.SITE_URL + reverse("events:my_registration", args=[event.slug])
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = _subject(kind, event)
        body = render_to_string(
            "events/registration/mail_registration.txt",
            {"registration": registration, "event": event, "kind": kind, "url": url},
        )
    EmailMessage(subject, body, None, [user.email]).send()
    return True


def send_workshop_mail(booking_id: int) -> bool:
    booking = (
        WorkshopBooking.objects.select_related(
            "registration__user", "registration__event", "proposal"
        )
        .filter(pk=booking_id, status=RegistrationStatus.CONFIRMED)
        .first()
    )
    if booking is None:
        return False
    if not cache.add(f"events:workshop-mail:{booking.pk}", 1, SENT_FOR_SECONDS):
        return False
    user, event = booking.registration.user, booking.registration.event
    url = settings.SITE_URL + reverse("events:my_registration", args=[event.slug])
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = _("A seat came free in the workshop %(title)s") % {
            "title": booking.proposal.title
        }
        body = render_to_string(
            "events/registration/mail_workshop.txt",
            {"booking": booking, "event": event, "url": url},
        )
    EmailMessage(subject, body, None, [user.email]).send()
    return True
