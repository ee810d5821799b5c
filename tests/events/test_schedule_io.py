"""The timetable problem out of the database and the optimiser's answer back in."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from constellation.events.models import (
    Interest,
    Placement,
    Presenter,
    Proposal,
    ProposalState,
    TimetableVersion,
)
from constellation.events.schedule_io import apply_answer, build_problem
from constellation.events.scheduling.problem import problem_from_json
from constellation.events.services import draft_timetable
from constellation.networks.services import DomainError
from tests import factories
from tests.events import fixtures

pytestmark = pytest.mark.django_db

small_event = fixtures.small_event


def answer(*assignments):
    return {
        "format": "constellation.schedule/1",
        "assignments": [{"session": s, "slot": t, "room": r} for s, t, r in assignments],
    }


FEASIBLE = answer(("AAA111", "20270526-0900", "hall"), ("BBB222", "20270527-0900", "lab"))


def placements(event):
    return sorted(
        (p.proposal.code, p.slot.key(event.tz), p.room.slug, p.is_fixed)
        for p in Placement.objects.filter(version__event=event, version__published_at__isnull=True)
    )


def test_build_problem_lists_accepted_sessions_people_and_interests(small_event):
    ana = f"p{small_event.ana.pk}"
    ben = "h" + hashlib.sha256(b"e:ben@example.org").hexdigest()[:12]
    first, second = small_event.users[:2]

    document = build_problem(small_event.event)

    assert document == {
        "format": "constellation.schedule-problem/1",
        "name": "Annual Conference 2027",
        "slots": [
            {"id": "20270526-0900", "start": "2027-05-26T09:00", "end": "2027-05-26T10:30"},
            {"id": "20270526-1100", "start": "2027-05-26T11:00", "end": "2027-05-26T12:30"},
            {"id": "20270527-0900", "start": "2027-05-27T09:00", "end": "2027-05-27T10:30"},
            {"id": "20270527-1100", "start": "2027-05-27T11:00", "end": "2027-05-27T12:30"},
        ],
        "rooms": [{"id": "hall", "capacity": 200}, {"id": "lab", "capacity": 20}],
        "sessions": [
            {"id": "AAA111", "title": "Museums in a warming world", "track": "climate", "duration": 1,
             "speakers": [ana], "unavailable": ["20270527-0900"]},
            {"id": "BBB222", "title": "Build a tinkering station", "track": "climate", "duration": 2,
             "speakers": [ana, ben], "rooms": ["lab"]},
        ],
        "people": [{"id": ben}, {"id": ana, "unavailable": ["20270526-1100"]}],
        "attendees": [
            {"id": f"a{first.pk}", "interests": ["AAA111", "BBB222"]},
            {"id": f"a{second.pk}", "interests": ["BBB222"]},
        ],
    }
    assert len(problem_from_json(document).sessions) == 2


def test_build_problem_pins_fixed_placements(small_event):
    version = draft_timetable(small_event.event)
    Placement.objects.create(
        version=version, proposal=small_event.talk, slot=small_event.slots[3], room=small_event.hall, is_fixed=True
    )

    sessions = build_problem(small_event.event)["sessions"]

    assert sessions[0]["fixed"] == {"slot": "20270527-1100", "room": "hall"}
    assert "fixed" not in sessions[1]


def test_apply_answer_replaces_the_draft_placements(small_event):
    event = small_event.event
    version = draft_timetable(event)
    Placement.objects.create(version=version, proposal=small_event.talk, slot=small_event.slots[3], room=small_event.lab)

    apply_answer(event, FEASIBLE)

    assert placements(event) == [
        ("AAA111", "20270526-0900", "hall", False),
        ("BBB222", "20270527-0900", "lab", False),
    ]
    assert TimetableVersion.objects.filter(event=event).count() == 1


def test_apply_answer_keeps_fixed_sessions_fixed(small_event):
    event = small_event.event
    Placement.objects.create(
        version=draft_timetable(event), proposal=small_event.talk, slot=small_event.slots[0],
        room=small_event.hall, is_fixed=True,
    )

    apply_answer(event, FEASIBLE)

    assert placements(event)[0] == ("AAA111", "20270526-0900", "hall", True)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            answer(("AAA111", "20270527-0900", "hall"), ("BBB222", "20270526-0900", "lab")),
            "The timetable breaks the rules: Rule 5: session 'AAA111' uses slot '20270527-0900', where it is unavailable.",
        ),
        (
            answer(("AAA111", "20270526-0900", "hall")),
            "The timetable breaks the rules: Rule 1: session 'BBB222' is not assigned.",
        ),
        (
            answer(("AAA111", "20270526-0900", "attic"), ("BBB222", "20270527-0900", "lab")),
            "The timetable cannot be used: Assignment number 1: unknown room 'attic' for session 'AAA111'.",
        ),
        ({"format": "something-else"}, 'The timetable cannot be used: "format" must be "constellation.schedule/1"'),
    ],
    ids=["unavailable-slot", "missing-session", "unknown-room", "wrong-format"],
)
def test_apply_answer_refuses_an_unusable_answer_and_changes_nothing(small_event, document, message):
    event = small_event.event
    Placement.objects.create(version=draft_timetable(event), proposal=small_event.talk, slot=small_event.slots[3], room=small_event.lab)

    with pytest.raises(DomainError) as raised:
        apply_answer(event, document)

    assert raised.value.message.startswith(message)
    assert placements(event) == [("AAA111", "20270527-1100", "lab", False)]


def test_export_then_import_from_the_command_line(small_event, tmp_path):
    problem, answer_file = tmp_path / "problem.json", tmp_path / "answer.json"
    answer_file.write_text(json.dumps(FEASIBLE))

    call_command("schedule", "export", "ac2027", "--out", str(problem))
    call_command("schedule", "import", "ac2027", str(answer_file))

    assert json.loads(problem.read_text()) == build_problem(small_event.event)
    assert [p[:3] for p in placements(small_event.event)] == [
        ("AAA111", "20270526-0900", "hall"),
        ("BBB222", "20270527-0900", "lab"),
    ]


def test_import_answer_refuses_a_file_that_is_not_json(small_event, tmp_path):
    answer_file = tmp_path / "answer.json"
    answer_file.write_text("{not json")

    with pytest.raises(CommandError, match=r"answer.json is not valid JSON \(line 1, column 2\)"):
        call_command("schedule", "import", "ac2027", str(answer_file))

    assert placements(small_event.event) == []


def test_export_of_an_unknown_event_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="There is no event nope."):
        call_command("schedule", "export", "nope", "--out", str(tmp_path / "p.json"))

    assert not (tmp_path / "p.json").exists()


def test_build_problem_takes_the_same_queries_whatever_the_size(small_event, django_assert_num_queries):
    with CaptureQueriesContext(connection) as small:
        build_problem(small_event.event)
    for n in range(3):
        extra = Proposal.objects.create(
            event=small_event.event, title=f"Extra {n}", format=small_event.talk.format,
            state=ProposalState.ACCEPTED, submitted_at=timezone.now(),
        )
        Presenter.objects.create(proposal=extra, person=factories.PersonFactory(), name=f"Speaker {n}")
        Interest.objects.create(user=small_event.users[2], proposal=extra)

    with django_assert_num_queries(len(small.captured_queries)):
        document = build_problem(small_event.event)

    assert len(document["sessions"]) == 5


def test_export_solve_import_round_trip_fills_the_draft_timetable(small_event, tmp_path):
    problem, answer_file = tmp_path / "problem.json", tmp_path / "answer.json"

    call_command("schedule", "export", "ac2027", "--out", str(problem))
    call_command("schedule", "solve", str(problem), "--out", str(answer_file), "--seconds", "2")
    call_command("schedule", "import", "ac2027", str(answer_file))

    placed = placements(small_event.event)
    assert sorted(p[0] for p in placed) == sorted(s["id"] for s in json.loads(problem.read_text())["sessions"])
