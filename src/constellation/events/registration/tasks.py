"""Background work for registration: the mail (see notifications.py). Ids only; safe twice."""

from __future__ import annotations

from django_tasks import task

from constellation.events.registration import notifications


@task()
def send_registration_mail_task(registration_id: int, kind: str) -> None:
    """Tell the person their registration is confirmed, waiting, or promoted from the list."""
    notifications.send_registration_mail(registration_id, kind)


@task()
def send_workshop_mail_task(booking_id: int) -> None:
    """Tell the person a workshop seat came free for them."""
    notifications.send_workshop_mail(booking_id)
