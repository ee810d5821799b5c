"""A conference whose call for proposals is open, for the cfp tests.

Network A (staff_a runs it) holds "Ecsite 2027" in Lisbon. The call closes in ten days,
asks for a track and a language (English or Portuguese), takes 20 to 300 characters of
abstract; talks allow two presenters, workshops three; posters take no proposals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from constellation.events.models import CallForProposals, Event, SessionFormat, Track

GOOD_ABSTRACT = "We show how a science centre ran a climate assembly with local teenagers."


@dataclass
class Conference:
    event: Event
    call: CallForProposals
    talk: SessionFormat
    workshop: SessionFormat
    poster: SessionFormat
    climate: Track
    health: Track


@pytest.fixture
def conference(network_a) -> Conference:
    event = Event.objects.create(
        network=network_a,
        name="Ecsite 2027",
        slug="ecsite-2027",
        start_date=date(2027, 6, 9),
        end_date=date(2027, 6, 11),
        time_zone="Europe/Lisbon",
        city="Lisbon",
        is_published=True,
        cfp_deadline=timezone.now() + timedelta(days=10),
    )
    call = CallForProposals.objects.create(
        event=event,
        introduction="Share what your museum learned this year.",
        abstract_min_chars=20,
        abstract_max_chars=300,
        title_max_chars=80,
        fields={
            "description": "optional",
            "track": "required",
            "topics": "optional",
            "language": "required",
            "audience": "optional",
            "accessibility_needs": "optional",
        },
        languages=["en", "pt"],
    )
    talk = SessionFormat.objects.create(
        event=event,
        name="Talk",
        duration_slots=1,
        max_presenters=2,
        position=0,
        rules="Twenty minutes, then questions.",
    )
    workshop = SessionFormat.objects.create(
        event=event,
        name="Workshop",
        duration_slots=2,
        max_presenters=3,
        position=1,
    )
    poster = SessionFormat.objects.create(
        event=event,
        name="Poster",
        duration_slots=1,
        accepts_proposals=False,
        position=2,
    )
    climate = Track.objects.create(event=event, name="Climate", slug="climate", position=0)
    health = Track.objects.create(event=event, name="Health", slug="health", position=1)
    return Conference(event, call, talk, workshop, poster, climate, health)


def complete_form(conference: Conference, **changes) -> dict:
    data = {
        "title": "Teen climate assembly",
        "abstract": GOOD_ABSTRACT,
        "format": conference.talk.pk,
        "track": conference.climate.pk,
        "language": "en",
        "audience": "Educators",
    }
    data.update(changes)
    return data
