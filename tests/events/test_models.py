"""The database itself refuses impossible conferences, whatever code writes to it."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from constellation.events.models import (
    Placement,
    Proposal,
    ProposalState,
    Room,
    SessionFormat,
    Slot,
    TimetableVersion,
)
from constellation.events.services import draft_timetable
from tests import factories
from tests.conftest import give_totp
from tests.events import fixtures
from tests.events.fixtures import at

pytestmark = pytest.mark.django_db

small_event = fixtures.small_event


def refused(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_slot_that_ends_before_it_starts_is_refused(small_event):
    event = small_event.event

    assert refused(lambda: Slot.objects.create(event=event, start=at(1, 14), end=at(1, 14)))
    assert refused(lambda: Slot.objects.create(event=event, start=at(1, 15), end=at(1, 14)))
    assert Slot.objects.filter(event=event).count() == 4


def test_two_slots_with_one_start_are_refused(small_event):
    event = small_event.event

    assert refused(lambda: Slot.objects.create(event=event, start=at(1, 9), end=at(1, 12)))


def test_room_without_seats_is_refused(small_event):
    event = small_event.event

    assert refused(lambda: Room.objects.create(event=event, name="Cupboard", slug="cupboard", capacity=0))
    assert list(event.rooms.values_list("slug", flat=True)) == ["hall", "lab"]


def test_format_shorter_than_a_slot_is_refused(small_event):
    event = small_event.event

    assert refused(lambda: SessionFormat.objects.create(event=event, name="Flash", duration_slots=0))


def test_two_sessions_starting_in_one_room_and_slot_are_refused(small_event):
    version = draft_timetable(small_event.event)
    slot, room = small_event.slots[0], small_event.hall
    Placement.objects.create(version=version, proposal=small_event.talk, slot=slot, room=room)

    assert refused(
        lambda: Placement.objects.create(version=version, proposal=small_event.workshop, slot=slot, room=room)
    )
    assert version.placements.count() == 1


def test_a_session_is_placed_once_per_version(small_event):
    version = draft_timetable(small_event.event)
    Placement.objects.create(version=version, proposal=small_event.talk, slot=small_event.slots[0], room=small_event.hall)

    assert refused(
        lambda: Placement.objects.create(
            version=version, proposal=small_event.talk, slot=small_event.slots[3], room=small_event.lab
        )
    )


def test_an_event_has_one_draft_timetable(small_event):
    draft_timetable(small_event.event)

    assert refused(lambda: TimetableVersion.objects.create(event=small_event.event))
    assert TimetableVersion.objects.create(event=small_event.event, published_at=timezone.now())


def test_submitted_proposal_needs_a_submission_date(small_event):
    def make():
        Proposal.objects.create(event=small_event.event, title="Late", state=ProposalState.SUBMITTED)

    assert refused(make)
    assert Proposal.objects.create(event=small_event.event, title="Draft").state == ProposalState.DRAFT


def test_unknown_proposal_state_is_refused(small_event):
    def make():
        Proposal.objects.filter(pk=small_event.talk.pk).update(state="maybe")

    assert refused(make)


def test_proposal_length_comes_from_its_format_unless_overridden(small_event):
    talk, workshop = small_event.talk, small_event.workshop

    workshop.duration_slots = 3

    assert (talk.duration, workshop.duration) == (1, 3)


def test_admin_lists_events_and_filters_proposals_by_state(small_event, login):
    root = factories.UserFactory(is_staff=True, is_superuser=True)
    give_totp(root)
    client = login(root)
    pages = [
        reverse("admin:events_event_changelist"),
        reverse("admin:events_event_change", args=[small_event.event.pk]),
        reverse("admin:events_proposal_change", args=[small_event.talk.pk]),
        reverse("admin:events_placement_changelist"),
        reverse("admin:events_timetableversion_changelist"),
    ]

    statuses = [client.get(url).status_code for url in pages]
    accepted = client.get(reverse("admin:events_proposal_changelist"), {"state__exact": "accepted"})

    assert statuses == [200] * len(pages)
    assert list(accepted.context["cl"].result_list) == [small_event.talk]
