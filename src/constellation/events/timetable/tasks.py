"""Background work for the timetable: optimiser runs and the mail about published changes.

Tasks take ids, return quietly when the row is gone, and are safe to run twice (a run is
claimed only while queued; a change is mailed only while not yet marked notified).
"""

from __future__ import annotations

from django_tasks import task

from constellation.events.timetable import notifications, services


@task()
def run_schedule_task(run_id: int) -> None:
    """Optimise the event's draft timetable (see services.run_schedule)."""
    services.run_schedule(run_id)


@task()
def notify_timetable_changes_task(version_id: int) -> None:
    """Tell the presenters of sessions moved, added or removed by a publication."""
    notifications.notify_timetable_changes(version_id)
