"""Who may do what with the timetable.

- Event staff edit the draft timetable, run the optimiser and publish (`events.timetable_manage`).
- Signed-in people see the draft programme of a published event that has not ended and mark
  the sessions they want (`events.timetable_mark_interests`); staff always may, to try it out.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from constellation.events.rules import is_event_staff


@rules.predicate
def draft_programme_is_open(user, event) -> bool:
    """Interests help the optimiser until the conference is over; only published events."""
    if event is None or not event.is_published:
        return False
    return timezone.localdate() <= event.end_date


@rules.predicate
def is_signed_in(user) -> bool:
    return user.is_authenticated


rules.add_perm("events.timetable_manage", is_event_staff)
rules.add_perm(
    "events.timetable_mark_interests", is_signed_in & (is_event_staff | draft_programme_is_open)
)
