"""Who may do what with an event. The base predicates every area of the conference shares;
each area (cfp, review, timetable, registration, programme) adds its own in <area>/rules.py,
with permission names prefixed `events.<area>_`.
"""

from __future__ import annotations

import rules

from constellation.networks.rules import is_staff_of_network, is_superuser


@rules.predicate
def is_event_staff(user, event) -> bool:
    """Staff of the organising network (or a superuser) run the event."""
    if event is None or not user.is_authenticated:
        return False
    return bool(user.is_superuser or is_staff_of_network(user, event.network))


@rules.predicate
def is_committee_member(user, event) -> bool:
    if event is None or not user.is_authenticated:
        return False
    cache = getattr(user, "_committee_event_ids", None)
    if cache is None:
        cache = set(user.committee_seats.values_list("event_id", flat=True))
        user._committee_event_ids = cache
    return event.pk in cache


@rules.predicate
def event_is_visible(user, event) -> bool:
    return event is not None and (event.is_published or is_event_staff(user, event))


rules.add_perm("events.view_event", event_is_visible)
rules.add_perm("events.manage_event", is_event_staff | is_superuser)
