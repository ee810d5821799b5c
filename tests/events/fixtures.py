"""A small hand-made conference for the events tests (import the fixtures you use).

Two days in Brussels, two slots a day, a 200-seat hall and a 20-seat lab. Ana (a Person
in the network) proposes a talk and co-presents a two-slot workshop, which may only use
the lab, with Ben (a name and an email, no account yet). One proposal is still
submitted and one was rejected: neither belongs in the timetable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from constellation.events.models import (
    Event,
    Interest,
    PersonUnavailability,
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

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 5, 25 + day, hour, minute, tzinfo=BRUSSELS)


@dataclass
class SmallEvent:
    event: Event
    hall: Room
    lab: Room
    slots: list[Slot]
    talk: Proposal
    workshop: Proposal
    ana: object
    users: list


@pytest.fixture
def small_event(db) -> SmallEvent:
    network = factories.NetworkFactory()
    event = Event.objects.create(
        network=network, name="Annual Conference 2027", slug="ac2027",
        start_date=at(1, 0).date(), end_date=at(2, 0).date(), time_zone="Europe/Brussels",
    )
    hall = Room.objects.create(event=event, name="Hall", slug="hall", capacity=200, position=0)
    lab = Room.objects.create(event=event, name="Lab", slug="lab", capacity=20, position=1)
    slots = [
        Slot.objects.create(event=event, start=at(d, h), end=at(d, h + 1, 30))
        for d in (1, 2) for h in (9, 11)
    ]
    talk_format = SessionFormat.objects.create(event=event, name="Talk", duration_slots=1)
    workshop_format = SessionFormat.objects.create(event=event, name="Workshop", duration_slots=2)
    workshop_format.rooms.add(lab)
    climate = Track.objects.create(event=event, name="Climate", slug="climate")
    now = timezone.now()

    def proposal(code, title, fmt, state):
        return Proposal.objects.create(
            event=event, code=code, title=title, format=fmt, track=climate, state=state, submitted_at=now
        )

    talk = proposal("AAA111", "Museums in a warming world", talk_format, ProposalState.ACCEPTED)
    workshop = proposal("BBB222", "Build a tinkering station", workshop_format, ProposalState.CONFIRMED)
    pending = proposal("CCC333", "Still under review", talk_format, ProposalState.SUBMITTED)
    proposal("DDD444", "Not this year", talk_format, ProposalState.REJECTED)

    ana = factories.PersonFactory(name="Ana Silva")
    Presenter.objects.create(proposal=talk, person=ana, name=ana.name, role=PresenterRole.PROPOSER)
    Presenter.objects.create(proposal=workshop, person=ana, name=ana.name, role=PresenterRole.PROPOSER)
    Presenter.objects.create(proposal=workshop, name="Ben Okafor", email="Ben@example.org")
    talk.unavailable_slots.add(slots[2])
    PersonUnavailability.objects.create(person=ana, slot=slots[1])

    users = [factories.UserFactory() for _ in range(3)]
    for user, wanted in zip(users, [(talk, workshop), (workshop,), (pending,)], strict=True):
        for p in wanted:
            Interest.objects.create(user=user, proposal=p)
    return SmallEvent(event, hall, lab, slots, talk, workshop, ana, users)
