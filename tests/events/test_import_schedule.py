"""`constellation events import-schedule`: a published pretalx or frab schedule becomes an
event with rooms, tracks, slots, confirmed sessions, presenters and a published timetable."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from constellation.events.models import (
    Event,
    Placement,
    Presenter,
    Proposal,
    ProposalState,
    Room,
    Slot,
    TimetableVersion,
    Track,
)
from constellation.events.schedule_io import build_problem
from constellation.events.scheduling.problem import problem_from_json
from tests import factories

DATA = Path(__file__).resolve().parent / "data"
PRETALX = DATA / "pretalx-schedule.json"
FRAB = DATA / "frab-schedule.xml"

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    return factories.NetworkFactory(slug="ecsite")


def run(path, *args) -> str:
    out = StringIO()
    call_command("events", "import-schedule", str(path), *args, stdout=out)
    return out.getvalue().strip()


def snapshot() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Event, Room, Track, Slot, Proposal, Presenter, TimetableVersion, Placement)
    }


def timetable(event) -> list[tuple[str, str, str]]:
    version = event.timetable_versions.get(published_at__isnull=False)
    return [
        (p.proposal.title, p.slot.key(event.tz), p.room.name)
        for p in version.placements.select_related("proposal", "slot", "room").order_by(
            "slot__start", "room__position"
        )
    ]


@pytest.mark.parametrize(("path", "slug"), [(PRETALX, "cac2027"), (FRAB, "cac2027-xml")])
def test_import_creates_the_event_and_publishes_its_timetable(network, path, slug):
    printed = run(path, "--event", slug, "--network", "ecsite")

    event = Event.objects.get(slug=slug)
    assert printed == f"Created {slug}: 9 sessions, 3 rooms, 6 slots; timetable published."
    assert (event.name, str(event.start_date), str(event.end_date), event.time_zone) == (
        "Constellation Annual Conference 2027",
        "2027-05-26",
        "2027-05-27",
        "Europe/Brussels",
    )
    assert list(event.rooms.values_list("name", flat=True)) == [
        "Auditorium",
        "Room B",
        "Workshop room",
    ]
    assert list(event.tracks.values_list("name", "colour")) == [
        ("Climate", "#1a7f5a"),
        ("Evaluation", "#3d5a80"),
        ("Making", "#b5541c"),
    ]
    assert [s.key(event.tz) for s in event.slots.all()] == [
        "20270526-0900",
        "20270526-1100",
        "20270526-1400",
        "20270526-1600",
        "20270527-0900",
        "20270527-1100",
    ]
    assert set(event.proposals.values_list("state", flat=True)) == {ProposalState.CONFIRMED}
    assert event.timetable_published_at is not None
    assert timetable(event) == [
        ("Opening: museums in a warming world", "20270526-0900", "Auditorium"),
        ("Measuring what visitors learn", "20270526-1100", "Auditorium"),
        ("Citizen science labs", "20270526-1100", "Room B"),
        ("Evaluating exhibitions on a budget", "20270526-1400", "Auditorium"),
        ("Build a tinkering station", "20270526-1400", "Workshop room"),
        ("Speed networking", "20270526-1600", "Room B"),
        ("Open data for science centres", "20270527-0900", "Auditorium"),
        ("Posters: what works", "20270527-0900", "Room B"),
        ("Closing plenary", "20270527-1100", "Auditorium"),
    ]


def test_import_keeps_lengths_presenters_and_codes(network):
    chloe = factories.PersonFactory(name="Chloé Martin")

    run(PRETALX, "--network", "ecsite")

    event = Event.objects.get(slug="cac2027")
    workshop = event.proposals.get(title="Build a tinkering station")
    assert (workshop.code, workshop.format.name, workshop.duration) == ("JK7PXY", "Workshop", 2)
    assert [(p.name, p.role) for p in workshop.presenters.all()] == [
        ("Farid Haddad", "proposer"),
        ("Dan Novak", "co_presenter"),
    ]
    assert Presenter.objects.get(name="Chloé Martin").person == chloe
    assert Room.objects.get(event=event, name="Workshop room").capacity == 30


def test_imported_event_gives_a_timetable_problem_with_shared_speakers(network):
    run(PRETALX, "--network", "ecsite")

    problem = problem_from_json(build_problem(Event.objects.get(slug="cac2027")))

    by_title = {s.title: s for s in problem.sessions}
    assert by_title["Build a tinkering station"].duration == 2
    assert set(by_title["Opening: museums in a warming world"].speakers) < set(
        by_title["Citizen science labs"].speakers
    )
    assert len(problem.sessions) == 9


def test_second_import_updates_without_duplicating(network, tmp_path):
    run(PRETALX, "--network", "ecsite")
    before = snapshot()
    changed = json.loads(PRETALX.read_text())
    changed["schedule"]["conference"]["days"][0]["rooms"]["Auditorium"][0]["title"] = (
        "Opening: museums now"
    )
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(changed))

    printed = run(path)

    assert printed == "Updated cac2027: 9 sessions, 3 rooms, 6 slots; timetable published."
    assert snapshot() == before
    assert Proposal.objects.filter(title="Opening: museums now").count() == 1
    assert not Proposal.objects.filter(title="Opening: museums in a warming world").exists()


def test_moved_session_publishes_a_new_timetable_version(network, tmp_path):
    run(PRETALX, "--network", "ecsite")
    changed = json.loads(PRETALX.read_text())
    rooms = changed["schedule"]["conference"]["days"][1]["rooms"]
    closing = rooms["Auditorium"].pop()
    closing["room"] = "Room B"
    rooms["Room B"].append(closing)
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(changed))

    run(path)

    event = Event.objects.get(slug="cac2027")
    latest = (
        event.timetable_versions.filter(published_at__isnull=False)
        .order_by("-published_at")
        .first()
    )
    assert event.timetable_versions.filter(published_at__isnull=False).count() == 2
    assert latest.placements.get(proposal__title="Closing plenary").room.name == "Room B"


def _edit_json(tmp_path, change) -> Path:
    data = json.loads(PRETALX.read_text())
    change(data["schedule"]["conference"])
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(data))
    return path


def _first_session(conference):
    return conference["days"][0]["rooms"]["Auditorium"][0]


def _unknown_room(conference):
    conference["days"][1]["rooms"]["Attic"] = conference["days"][1]["rooms"].pop("Room B")
    for session in conference["days"][1]["rooms"]["Attic"]:
        session["room"] = "Attic"


def _bad_start(conference):
    session = _first_session(conference)
    del session["date"]
    session["start"] = "25:00"


MALFORMED_JSON = [
    ("no-days", lambda c: c.pop("days"), "The conference has no 'days'."),
    (
        "bad-duration",
        lambda c: _first_session(c).update(duration="an hour"),
        "Day 1, room 'Auditorium', session 'Opening: museums in a warming world': the duration 'an hour' is not a length like 01:30.",
    ),
    (
        "bad-start",
        _bad_start,
        "Day 1, room 'Auditorium', session 'Opening: museums in a warming world': the start '25:00' is not a time like 09:30.",
    ),
    (
        "unknown-room",
        _unknown_room,
        "Session 'Posters: what works' is in room 'Attic', which the conference does not list.",
    ),
    (
        "no-title",
        lambda c: _first_session(c).update(title=""),
        "Day 1, room 'Auditorium', session '68a0b75d-5ac5-56f5-b272-552d2e34ae84' has no title.",
    ),
    (
        "overlap",
        lambda c: c["days"][0]["rooms"]["Auditorium"][1].update(date="2027-05-26T10:00:00+02:00"),
        "Room 'Auditorium': sessions 'Opening: museums in a warming world' and 'Measuring what visitors learn' overlap.",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"), [m[1:] for m in MALFORMED_JSON], ids=[m[0] for m in MALFORMED_JSON]
)
def test_malformed_json_is_refused_and_nothing_is_written(network, tmp_path, change, message):
    path = _edit_json(tmp_path, change)

    with pytest.raises(CommandError) as raised:
        run(path, "--network", "ecsite")

    assert str(raised.value) == message
    assert snapshot() == dict.fromkeys(snapshot(), 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello", "The file is neither a JSON nor an XML schedule."),
        ('{"schedule": {"conference": ', "The file is not valid JSON (line 1, column 29)."),
        ('{"version": "1.0"}', 'The file has no "schedule" → "conference" object.'),
        ("<schedule><conference>", "The file is not well-formed XML (line 1, column 22)."),
        (
            '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><schedule/>',
            "The XML file declares a DTD or entities, which are not accepted.",
        ),
        ("<programme/>", "The XML root must be <schedule>, not <programme>."),
    ],
    ids=["neither", "broken-json", "no-conference", "broken-xml", "entities", "wrong-root"],
)
def test_unreadable_file_is_refused_and_nothing_is_written(network, tmp_path, text, message):
    path = tmp_path / "schedule"
    path.write_text(text)

    with pytest.raises(CommandError) as raised:
        run(path, "--network", "ecsite")

    assert str(raised.value) == message
    assert snapshot() == dict.fromkeys(snapshot(), 0)


def test_malformed_xml_session_is_refused_and_nothing_is_written(network, tmp_path):
    path = tmp_path / "schedule.xml"
    path.write_text(
        FRAB.read_text().replace("<duration>03:30</duration>", "<duration>3h30</duration>")
    )

    with pytest.raises(CommandError) as raised:
        run(path, "--network", "ecsite")

    assert str(raised.value) == (
        "Day 1, room 'Workshop room', session 'Build a tinkering station': "
        "the duration '3h30' is not a length like 01:30."
    )
    assert snapshot() == dict.fromkeys(snapshot(), 0)


def test_new_event_needs_a_network_when_there_are_several(db):
    factories.NetworkFactory()
    factories.NetworkFactory()

    with pytest.raises(
        CommandError, match="There is no event cac2027 yet: name its organising network"
    ):
        run(PRETALX)

    assert Event.objects.count() == 0


def test_session_dropped_from_the_file_is_withdrawn(network, tmp_path):
    run(PRETALX, "--network", "ecsite")
    changed = json.loads(PRETALX.read_text())
    changed["schedule"]["conference"]["days"][0]["rooms"]["Room B"].pop()  # speed networking
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(changed))

    run(path)

    event = Event.objects.get(slug="cac2027")
    assert event.proposals.get(title="Speed networking").state == ProposalState.WITHDRAWN
    assert event.proposals.scheduled().count() == 8
    assert len(timetable_of_latest(event)) == 8


def timetable_of_latest(event):
    latest = (
        event.timetable_versions.filter(published_at__isnull=False)
        .order_by("-published_at")
        .first()
    )
    return list(latest.placements.all())


def test_a_long_session_keeps_its_length_where_nothing_else_starts(network, tmp_path):
    """A three-hour workshop beside a 90-minute talk, with nothing starting at 10:30: the
    grid gets a 10:30 slot and the workshop covers two slots, not one."""

    def lone_workshop(conference):
        day = conference["days"][0]
        room, sessions = next(iter(day["rooms"].items()))
        morning = [s for s in sessions if s["start"] == "09:00"][0]
        workshop = dict(
            morning,
            guid="workshop-guid",
            id=999,
            code="WKSHOP",
            title="Long workshop",
            slug="long-workshop",
            duration="03:00",
            room="Workshop room",
            persons=[],
        )
        # Nothing else starts between 09:00 and 12:00 on that day.
        for name, room_sessions in day["rooms"].items():
            day["rooms"][name] = [s for s in room_sessions if not ("09:00" < s["start"] < "12:00")]
        day["rooms"]["Workshop room"] = [workshop]

    path = _edit_json(tmp_path, lone_workshop)
    run(path, "--event", "long")
    event = Event.objects.get(slug="long")
    workshop = Proposal.objects.get(event=event, title="Long workshop")
    assert workshop.duration == 2
    keys = [slot.key(event.tz) for slot in event.slots.all()]
    assert "20270526-0900" in keys and "20270526-1030" in keys
    problem = problem_from_json(build_problem(event))
    assert problem.sessions[problem.session_index[workshop.code]].duration == 2
