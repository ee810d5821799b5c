"""Exports for conference apps (frab XML, pretalx-like JSON), the calendars and the printable
programme; the XML and JSON read back into a new event by our own importer."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.urls import reverse

from constellation.events.interchange.importer import import_schedule
from constellation.events.models import Event
from tests import factories
from tests.events import programme_fixtures

pytestmark = pytest.mark.django_db

small_event = programme_fixtures.small_event
programme_event = programme_fixtures.programme_event


def snapshot(event: Event) -> dict:
    """What a round trip must keep: rooms, and each session's times, room and speakers."""
    from constellation.events.programme.queries import build_programme

    data = build_programme(event)
    return {
        "rooms": [r.name for r in data.rooms],
        "tracks": [(t.name, t.colour) for t in data.tracks],
        "sessions": sorted(
            (
                s.title,
                s.start,
                s.end,
                s.room.name,
                s.track.name if s.track else "",
                s.format_name,
                tuple(p.name for p in s.presenters),
                s.abstract,
            )
            for s in data.sessions
        ),
    }


@pytest.fixture
def full_day(programme_event):
    """Day 1 with a session starting at 11:00 too. The importer rebuilds the slot grid from
    the sessions' start times: without one at 11:00 it cannot tell that the workshop spans
    two slots (files carry no grid), so the round trip is tested on a complete day."""
    from tests.events.programme_fixtures import publish

    s = programme_event
    closing = s.talk.__class__.objects.create(
        event=s.event,
        title="Closing words",
        format=s.talk.format,
        state="confirmed",
        submitted_at=s.talk.submitted_at,
    )
    publish(
        s.event,
        [
            (s.talk, s.slots[0], s.hall),
            (s.workshop, s.slots[0], s.lab),
            (closing, s.slots[1], s.hall),
        ],
    )
    return s


def test_frab_xml_is_well_formed_with_days_rooms_and_events(client, programme_event):
    s = programme_event

    response = client.get(reverse("events:schedule_xml", args=[s.event.slug]))

    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.findtext("conference/title") == "Annual Conference 2027"
    assert root.findtext("conference/time_zone_name") == "Europe/Brussels"
    days = root.findall("day")
    assert [d.get("date") for d in days] == ["2027-05-26", "2027-05-27"]
    events = days[0].findall("room/event")
    assert [
        (e.findtext("title"), e.findtext("start"), e.findtext("duration"), e.findtext("room"))
        for e in events
    ] == [
        ("Museums in a warming world", "09:00", "01:30", "Hall"),
        ("Build a tinkering station", "09:00", "03:30", "Lab"),
    ]
    workshop = events[1]
    assert workshop.findtext("date") == "2027-05-26T09:00:00+02:00"
    assert [p.text for p in workshop.findall("persons/person")] == ["Ana Silva", "Ben Okafor"]
    assert workshop.findtext("track") == "Climate" and workshop.findtext("type") == "Workshop"
    assert (
        workshop.get("guid") and workshop.findtext("abstract") == "Cardboard, motors and curiosity."
    )


def test_frab_xml_reimports_into_a_new_event_with_the_same_programme(client, full_day):
    s = full_day
    body = client.get(reverse("events:schedule_xml", args=[s.event.slug])).content

    result = import_schedule(raw=body, event_slug="copy-xml", network=factories.NetworkFactory())

    assert result.created and result.sessions == 3
    copy = Event.objects.get(slug="copy-xml")
    assert snapshot(copy) == {**snapshot(s.event), "rooms": ["Hall", "Lab"]}


def test_json_schedule_has_the_pretalx_shape(client, programme_event):
    s = programme_event

    document = client.get(reverse("events:schedule_json", args=[s.event.slug])).json()

    schedule = document["schedule"]
    assert set(schedule) >= {"version", "base_url", "conference"}
    conference = schedule["conference"]
    assert conference["time_zone_name"] == "Europe/Brussels"
    day = conference["days"][0]
    assert (day["index"], day["date"]) == (1, "2027-05-26")
    assert set(day["rooms"]) == {"Hall", "Lab"}
    talk = day["rooms"]["Hall"][0]
    assert (talk["title"], talk["start"], talk["duration"], talk["date"]) == (
        "Museums in a warming world",
        "09:00",
        "01:30",
        "2027-05-26T09:00:00+02:00",
    )
    assert [p["public_name"] for p in talk["persons"]] == ["Ana Silva"]


def test_json_schedule_reimports_with_rooms_capacities_sessions_times_speakers(client, full_day):
    s = full_day
    body = client.get(reverse("events:schedule_json", args=[s.event.slug])).content

    import_schedule(raw=body, event_slug="copy-json", network=factories.NetworkFactory())

    copy = Event.objects.get(slug="copy-json")
    assert snapshot(copy) == snapshot(s.event)
    assert list(copy.rooms.values_list("name", "capacity")) == [("Hall", 200), ("Lab", 20)]


def test_reimporting_the_same_export_twice_updates_not_duplicates(client, programme_event):
    s = programme_event
    body = client.get(reverse("events:schedule_json", args=[s.event.slug])).content
    network = factories.NetworkFactory()

    import_schedule(raw=body, event_slug="copy", network=network)
    import_schedule(raw=body, event_slug="copy", network=network)

    assert Event.objects.get(slug="copy").proposals.count() == 2


def test_exports_follow_a_newly_published_version(client, programme_event):
    from tests.events.programme_fixtures import publish

    s = programme_event
    url = reverse("events:schedule_json", args=[s.event.slug])
    client.get(url)  # cached now
    publish(s.event, [(s.talk, s.slots[1], s.hall), (s.workshop, s.slots[0], s.lab)])

    document = json.loads(client.get(url).content)

    talk = document["schedule"]["conference"]["days"][0]["rooms"]["Hall"][0]
    assert talk["start"] == "11:00"


def test_programme_ical_has_every_session_in_the_event_time_zone(client, programme_event):
    s = programme_event

    response = client.get(reverse("events:programme_ical", args=[s.event.slug]))

    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert sorted(str(e["summary"]) for e in events) == [
        "Build a tinkering station",
        "Museums in a warming world",
    ]
    assert all(str(e.decoded("dtstart").tzinfo) == "Europe/Brussels" for e in events)
    assert len(calendar.walk("VTIMEZONE")) == 1
    uids = {str(e["uid"]) for e in events}
    again = icalendar.Calendar.from_ical(
        client.get(reverse("events:programme_ical", args=[s.event.slug])).content
    )
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == uids


def test_printable_programme_is_a_pdf(client, programme_event):
    s = programme_event

    response = client.get(reverse("events:programme_pdf", args=[s.event.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
