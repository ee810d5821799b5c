"""Background work for the science day: the mail about activities (see notifications.py).

Each task takes ids only, returns quietly when the activity is gone, and is safe to run
twice: the activity records which mail already went out.
"""

from __future__ import annotations

from django_tasks import task

from constellation.globalday import notifications


@task()
def notify_moderators_task(activity_id: int) -> None:
    """Tell the campaign's moderators that an activity waits for them."""
    notifications.notify_moderators(activity_id)


@task()
def notify_decision_task(activity_id: int) -> None:
    """Tell the submitter that their activity was approved or rejected, with the note."""
    notifications.notify_decision(activity_id)


@task()
def remind_reporting_task(year: int | None = None) -> None:
    """After the day: remind submitters to report participation (once per activity)."""
    notifications.send_reporting_reminders(year=year)
