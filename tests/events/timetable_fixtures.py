"""Fixtures of the timetable tests: the small conference (tests/events/fixtures.py), run by
network A (so staff_a is its staff) and published; and a generated larger one for query counts.

The small conference has one good timetable: Ana cannot present at 11:00 on day 1, the talk
cannot take place at 9:00 on day 2, and the two-slot workshop may only use the lab, so the
workshop goes to the lab on day 2 and the talk to 9:00 on day 1.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from constellation.events.models import (
    Interest,
    Placement,
    Presenter,
    Proposal,
    ProposalState,
    Room,
    SessionFormat,
    Slot,
    Track,
)
from constellation.events.services import draft_timetable
from tests import factories
from tests.events.fixtures import at, small_event  # noqa: F401  (a fixture used by the tests)


@pytest.fixture(name="conference")
def conference_fixture(small_event, network_a):  # noqa: F811
    event = small_event.event
    event.network = network_a
    event.is_published = True  # its days (May 2027) are still ahead
    event.save()
    return small_event


def place(event, proposal, slot, room, *, fixed=False) -> Placement:
    return Placement.objects.create(
        version=draft_timetable(event), proposal=proposal, slot=slot, room=room, is_fixed=fixed
    )


def draft_places(event) -> dict[str, tuple[int, int]]:
    """{code: (slot index in time order, room slug)} of the draft."""
    slots = list(event.slots.order_by("start").values_list("pk", flat=True))
    return {
        p.proposal.code: (slots.index(p.slot_id), p.room.slug)
        for p in draft_timetable(event).placements.select_related("proposal", "room")
    }


def grow(
    event,
    *,
    sessions: int,
    rooms: int = 4,
    days: int = 2,
    slots_a_day: int = 4,
    attendees: int = 10,
):
    """Add rooms, slots, tracks, placed sessions with presenters and interests to `event`."""
    now = timezone.now()
    tag = event.rooms.count()  # grow twice: new names and later days
    made_rooms = [
        Room.objects.create(
            event=event,
            name=f"Room {tag}-{i}",
            slug=f"room-{tag}-{i}",
            capacity=30 + 10 * i,
            position=10 + i,
        )
        for i in range(rooms)
    ]
    made_slots = [
        Slot.objects.create(
            event=event,
            start=at(0, 14 + h * 2) + timedelta(days=10 + tag + d),
            end=at(0, 15 + h * 2) + timedelta(days=10 + tag + d),
        )
        for d in range(days)
        for h in range(slots_a_day)
    ]
    fmt = SessionFormat.objects.create(event=event, name=f"Panel {sessions}", duration_slots=1)
    tracks = [
        Track.objects.create(event=event, name=f"Track {sessions}-{i}", slug=f"t{sessions}-{i}")
        for i in range(3)
    ]
    users = [factories.UserFactory() for _ in range(attendees)]
    version = draft_timetable(event)
    cells = [(s, r) for s in made_slots for r in made_rooms]
    for i in range(sessions):
        proposal = Proposal.objects.create(
            event=event,
            title=f"Generated session {i}",
            format=fmt,
            track=tracks[i % 3],
            state=ProposalState.ACCEPTED,
            submitted_at=now,
            abstract="About things.",
        )
        person = factories.PersonFactory()
        Presenter.objects.create(
            proposal=proposal, person=person, name=person.name, role="proposer"
        )
        Presenter.objects.create(
            proposal=proposal, name=f"Guest {i}", email=f"guest{i}@example.org"
        )
        slot, room = cells[i]
        Placement.objects.create(version=version, proposal=proposal, slot=slot, room=room)
        for user in users[: 1 + i % attendees]:
            Interest.objects.create(user=user, proposal=proposal)
    return users
