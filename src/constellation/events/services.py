"""Everything that changes an event's timetable.

Each function runs in one transaction and locks the event row first, so two organisers (or
an organiser and an import) cannot interleave their writes to one timetable.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from constellation.events.models import Event, Placement, Proposal, Room, Slot, TimetableVersion


def lock_event(event: Event) -> Event:
    """The event's row, locked until the transaction ends: every area of the conference
    (timetable, registration, review) takes this lock first, so their writes queue."""
    return Event.objects.select_for_update().get(pk=event.pk)


def draft_timetable(event: Event) -> TimetableVersion:
    """The event's draft version, created empty when there is none."""
    version, _created = TimetableVersion.objects.get_or_create(event=event, published_at=None)
    return version


def replace_draft_placements(
    *, event: Event, placements: Iterable[tuple[Proposal, Slot, Room, bool]]
) -> TimetableVersion:
    """Make the draft timetable exactly `placements` (proposal, first slot, room, is_fixed).

    The caller has checked the hard rules; the database still refuses two sessions starting
    in one room and slot, and the whole replacement rolls back then.
    """
    with transaction.atomic():
        event = lock_event(event)
        version = draft_timetable(event)
        version.placements.all().delete()
        Placement.objects.bulk_create(
            Placement(version=version, proposal=p, slot=s, room=r, is_fixed=fixed)
            for p, s, r, fixed in placements
        )
    return version


def _signature(version: TimetableVersion | None) -> set[tuple[int, int, int]]:
    if version is None:
        return set()
    return set(version.placements.values_list("proposal_id", "slot_id", "room_id"))


def publish_timetable(*, event: Event, label: str = "") -> TimetableVersion:
    """Freeze the draft as a new published version and stamp the event.

    Publishing an unchanged draft again creates nothing and returns the current version,
    so an import run twice leaves one published version, not two.
    """
    with transaction.atomic():
        event = lock_event(event)
        draft = draft_timetable(event)
        current = (
            event.timetable_versions.filter(published_at__isnull=False)
            .order_by("-published_at")
            .first()
        )
        if current is not None and _signature(current) == _signature(draft):
            return current
        now = timezone.now()
        version = TimetableVersion.objects.create(event=event, label=label, published_at=now)
        Placement.objects.bulk_create(
            Placement(
                version=version,
                proposal_id=p.proposal_id,
                slot_id=p.slot_id,
                room_id=p.room_id,
                is_fixed=p.is_fixed,
            )
            for p in draft.placements.all()
        )
        Event.objects.filter(pk=event.pk).update(timetable_published_at=now)
    return version
