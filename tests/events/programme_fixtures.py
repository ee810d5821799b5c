"""A published programme for the programme tests, built on the shared small_event.

Day 1 (Brussels): the talk "Museums in a warming world" in the Hall 09:00–10:30 and the
two-slot workshop "Build a tinkering station" in the Lab 09:00–12:30: they overlap, so
someone starring both has a clash. `grow_programme(event, n)` adds n one-slot sessions
with two presenters each, for query counts at two sizes.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from constellation.events import services
from constellation.events.models import (
    Presenter,
    PresenterRole,
    Proposal,
    ProposalState,
    Room,
    SessionFormat,
    Slot,
    Track,
)
from tests import factories
from tests.events import fixtures
from tests.events.fixtures import SmallEvent, at

small_event = fixtures.small_event


def publish(event, placements) -> None:
    services.replace_draft_placements(
        event=event, placements=[(p, s, r, False) for p, s, r in placements]
    )
    services.publish_timetable(event=event)
    event.refresh_from_db()


@pytest.fixture
def programme_event(small_event: SmallEvent) -> SmallEvent:
    event = small_event.event
    event.is_published = True
    event.venue_name = "Square Meeting Centre"
    event.city = "Brussels"
    event.save()
    s = small_event
    s.workshop.abstract = "Cardboard, motors and curiosity."
    s.workshop.save()
    organisation = factories.OrganisationFactory(name="Cité des Sciences", slug="cite-des-sciences")
    Presenter.objects.filter(proposal=s.talk).update(organisation=organisation)
    publish(event, [(s.talk, s.slots[0], s.hall), (s.workshop, s.slots[0], s.lab)])
    return s


def grow_programme(event, n: int) -> None:
    """n more sessions over new rooms on the existing slots, published."""
    fmt = SessionFormat.objects.get(event=event, name="Talk")
    track = Track.objects.filter(event=event).first()
    slots = list(Slot.objects.filter(event=event).order_by("start"))
    current = [
        (p.proposal, p.slot, p.room)
        for p in services.draft_timetable(event).placements.select_related(
            "proposal", "slot", "room"
        )
    ]
    now = timezone.now()
    extra = []
    for i in range(n):
        room = Room.objects.create(
            event=event, name=f"Room {i}", slug=f"room-{i}", capacity=50, position=10 + i
        )
        proposal = Proposal.objects.create(
            event=event,
            title=f"Extra session {i}",
            abstract="More words.",
            format=fmt,
            track=track,
            state=ProposalState.CONFIRMED,
            submitted_at=now,
        )
        person = factories.PersonFactory(name=f"Speaker {i}")
        Presenter.objects.create(
            proposal=proposal, person=person, name=person.name, role=PresenterRole.PROPOSER
        )
        Presenter.objects.create(
            proposal=proposal, name=f"Guest {i}", email=f"guest{i}@example.org"
        )
        extra.append((proposal, slots[i % len(slots)], room))
    publish(event, current + extra)


__all__ = ["at", "grow_programme", "programme_event", "publish", "small_event"]
