"""Reads for the timetable pages: the draft as the grid shows it, and the draft programme.

Every function here runs a fixed number of queries whatever the number of sessions, rooms
or attendees (tests/events/test_timetable_grid.py counts them).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Prefetch, Q
from django.utils import formats

from constellation.events import services as event_services
from constellation.events.models import (
    Event,
    Interest,
    Placement,
    Presenter,
    Proposal,
    Room,
    Slot,
    TimetableVersion,
)


def local_label(slot: Slot, tz) -> str:
    """'Wed 26 May, 09:00–10:30' in the event's time zone, in the reader's language."""
    start, end = slot.start.astimezone(tz), slot.end.astimezone(tz)
    return f"{formats.date_format(start, 'D j M, H:i')}–{formats.time_format(end, 'H:i')}"


def placement_text(slot: Slot, room: Room, tz) -> str:
    """How a change is recorded (TimetableChange.before/after): language-neutral."""
    return (
        f"{slot.start.astimezone(tz):%Y-%m-%d %H:%M}–{slot.end.astimezone(tz):%H:%M} · {room.name}"
    )


@dataclass
class Draft:
    """An event's draft timetable with everything the grid and the checks need."""

    event: Event
    version: TimetableVersion
    slots: list[Slot]
    rooms: list[Room]
    sessions: list[Proposal]  # accepted and confirmed, by title
    placements: dict[int, Placement]  # proposal id -> placement (scheduled proposals only)
    stale: list[Placement] = field(default_factory=list)  # placed but no longer accepted

    @property
    def tz(self):
        return self.event.tz

    @property
    def state(self) -> str:
        """A fingerprint of the placements: forms carry it so a stale or repeated form is
        refused instead of undoing someone else's change (or its own, sent twice)."""
        rows = sorted(
            (p.proposal_id, p.slot_id, p.room_id) for p in [*self.placements.values(), *self.stale]
        )
        return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]

    def session(self, code: str) -> Proposal | None:
        return next((p for p in self.sessions if p.code == code), None)

    @property
    def unplaced(self) -> list[Proposal]:
        return [p for p in self.sessions if p.pk not in self.placements]


def _scheduled_sessions(event: Event):
    return (
        Proposal.objects.filter(event=event)
        .scheduled()
        .select_related("format", "track")
        .prefetch_related(
            Prefetch("presenters", queryset=Presenter.objects.select_related("person")),
            "format__rooms",
        )
        .annotate(interest_count=Count("interests", distinct=True))
        .order_by("title", "code")
    )


def load_draft(event: Event) -> Draft:
    """The draft timetable (created empty when there is none) and the sessions it places."""
    version = event_services.draft_timetable(event)
    slots = list(event.slots.order_by("start"))
    rooms = list(event.rooms.order_by("position", "name"))
    sessions = list(_scheduled_sessions(event))
    by_id = {p.pk: p for p in sessions}
    slot_by_id = {s.pk: s for s in slots}
    room_by_id = {r.pk: r for r in rooms}
    placements: dict[int, Placement] = {}
    stale: list[Placement] = []
    for placement in version.placements.select_related("proposal").order_by("pk"):
        placement.slot = slot_by_id[placement.slot_id]
        placement.room = room_by_id[placement.room_id]
        if placement.proposal_id in by_id:
            placement.proposal = by_id[placement.proposal_id]
            placements[placement.proposal_id] = placement
        else:
            stale.append(placement)
    return Draft(event, version, slots, rooms, sessions, placements, stale)


def published_placements(event: Event) -> tuple[TimetableVersion | None, dict[int, Placement]]:
    """The current published version and its placements by proposal id."""
    version = (
        event.timetable_versions.filter(published_at__isnull=False)
        .order_by("-published_at")
        .first()
    )
    if version is None:
        return None, {}
    rows = version.placements.select_related("proposal", "slot", "room")
    return version, {p.proposal_id: p for p in rows}


# -- The grid ---------------------------------------------------------------------------------


@dataclass
class Cell:
    placement: Placement | None = None
    rowspan: int = 1
    covered: bool = False  # a longer session above runs on into this slot
    also: list[Placement] = field(default_factory=list)  # sessions wrongly overlapping here
    slot: Slot | None = None
    room: Room | None = None
    owner: Cell | None = None


@dataclass
class Row:
    slot: Slot
    label: str
    cells: list[Cell]


@dataclass
class Day:
    label: str
    rows: list[Row]


def grid(draft: Draft) -> list[Day]:
    """Days of rows (slots) by columns (rooms); a session's cell spans its slots."""
    tz = draft.tz
    column = {room.pk: i for i, room in enumerate(draft.rooms)}
    starting = {(p.slot_id, p.room_id): p for p in draft.placements.values()}
    days = []
    for _day, group in groupby(draft.slots, key=lambda s: s.start.astimezone(tz).date()):
        slots = list(group)
        rows = [
            Row(s, local_label(s, tz), [Cell(slot=s, room=r) for r in draft.rooms]) for s in slots
        ]
        for i, row in enumerate(rows):
            for room in draft.rooms:
                placement = starting.get((row.slot.pk, room.pk))
                if placement is None:
                    continue
                cell = row.cells[column[room.pk]]
                if cell.covered:
                    # Only a broken draft gets here (an import, or two long sessions): show
                    # the session beside the one it overlaps, the warnings explain.
                    cell.owner.also.append(placement)
                    continue
                span = min(placement.proposal.duration, len(rows) - i)
                cell.placement, cell.rowspan = placement, span
                for below in rows[i + 1 : i + span]:
                    covered = below.cells[column[room.pk]]
                    covered.covered, covered.owner = True, cell
                    if covered.placement is not None:
                        cell.also.append(covered.placement)
                        covered.placement = None
        days.append(Day(formats.date_format(slots[0].start.astimezone(tz), "l j F Y"), rows))
    return days


# -- The draft programme ----------------------------------------------------------------------


def draft_programme(event: Event, *, user, search: str = ""):
    """Accepted sessions grouped by track (sessions without a track last), the ids the user
    marked, and how many sessions matched."""
    sessions = (
        Proposal.objects.filter(event=event)
        .scheduled()
        .select_related("track", "format")
        .prefetch_related(
            Prefetch("presenters", queryset=Presenter.objects.order_by("position", "pk"))
        )
        .order_by("track__position", "track__name", "title", "code")
    )
    if search:
        sessions = sessions.filter(
            Q(title__icontains=search)
            | Q(abstract__icontains=search)
            | Q(presenters__name__icontains=search)
            | Q(track__name__icontains=search)
        ).distinct()
    sessions = list(sessions)
    marked = set(
        Interest.objects.filter(user=user, proposal__event=event).values_list(
            "proposal_id", flat=True
        )
    )
    groups = [(track, list(items)) for track, items in groupby(sessions, key=lambda p: p.track)]
    groups.sort(key=lambda g: g[0] is None)
    return groups, marked, len(sessions)
