"""Background work for the call for proposals: its mail (see mails.py).

Each task takes ids and plain values only, returns quietly when the rows are gone or moved
on, and is safe to run twice: each mail is claimed once before it is sent.
"""

from __future__ import annotations

from django_tasks import task

from constellation.events.cfp import mails


@task()
def send_invitation_mail_task(presenter_id: int, stamp: str) -> None:
    """Mail a co-presenter the link to accept or decline their invitation."""
    mails.send_invitation_mail(presenter_id, stamp)


@task()
def send_submitted_mail_task(proposal_id: int, stamp: str) -> None:
    """Confirm a submission to all its presenters."""
    mails.send_submitted_mail(proposal_id, stamp)


@task()
def send_withdrawn_mail_task(proposal_id: int) -> None:
    """Tell all presenters that the proposal was withdrawn."""
    mails.send_withdrawn_mail(proposal_id)
