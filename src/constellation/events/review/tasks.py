"""Background work for the review: the decision mails (see mails.py).

Takes an id only, returns quietly when the event is gone, and is safe to run twice: each
proposal's notice is marked sent under a lock, so nobody is mailed twice.
"""

from __future__ import annotations

from django_tasks import task

from constellation.events.review import mails


@task()
def send_decision_mails_task(event_id: int) -> int:
    """Send the decision mails queued for an event's presenters."""
    return mails.send_pending_decision_mails(event_id)
