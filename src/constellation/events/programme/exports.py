"""The published programme for conference apps: frab's schedule.xml and the frab-compatible
JSON that pretalx publishes as schedule.json.

Both are drawn from the cached ProgrammeData (no query of their own) and are read back by
our own importer (`events/interchange`), so a conference can leave Constellation with its
programme as easily as it came. Session guids are UUID5 of the session's identity (its
import id when it came from a file, else its code): stable across versions, so an app that
caches the schedule updates sessions instead of duplicating them.
"""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify

from constellation.events.models import Event
from constellation.events.programme.queries import ProgrammeData, SessionItem

GUID_NAMESPACE = uuid.UUID("6f1f3d4e-2b7a-5c1e-9a1d-3c0e5b7a9d21")
GENERATOR = "constellation"


def session_guid(event: Event, session: SessionItem) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{event.slug}/{session.guid_basis}"))


def room_guid(event: Event, slug: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{event.slug}/room/{slug}"))


def _hhmm(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _version_label(data: ProgrammeData) -> str:
    return data.published_at.strftime("%Y-%m-%d %H:%M") if data.published_at else ""


def _days(event: Event, data: ProgrammeData):
    """(index, date, day start, day end, sessions by room in room order) for every day."""
    tz = data.tz
    by_day: dict[date, list[SessionItem]] = {}
    for session in data.sessions:
        by_day.setdefault(session.day, []).append(session)
    for index, day in enumerate(data.days, start=1):
        sessions = by_day.get(day, [])
        if sessions:
            start = min(s.start for s in sessions).astimezone(tz)
            end = max(s.end for s in sessions).astimezone(tz)
        else:
            start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
            end = start + timedelta(hours=23, minutes=59)
        rooms = {room.name: [s for s in sessions if s.room.id == room.id] for room in data.rooms}
        yield index, day, start, end, rooms


def _session_url(event: Event, session: SessionItem) -> str:
    return settings.SITE_URL + reverse("events:session", args=[event.slug, session.code])


def schedule_xml(event: Event, data: ProgrammeData) -> bytes:
    tz = data.tz
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name=GENERATOR)
    ET.SubElement(root, "version").text = _version_label(data)
    conference = ET.SubElement(root, "conference")
    for tag, value in (
        ("acronym", event.slug),
        ("title", event.name),
        ("start", event.start_date.isoformat()),
        ("end", event.end_date.isoformat()),
        ("days", str(len(data.days))),
        ("timeslot_duration", "00:05"),
        ("base_url", settings.SITE_URL + reverse("events:programme", args=[event.slug])),
        ("time_zone_name", event.time_zone),
    ):
        ET.SubElement(conference, tag).text = value
    rooms = ET.SubElement(conference, "rooms")
    for room in data.rooms:
        ET.SubElement(rooms, "room", name=room.name, guid=room_guid(event, room.slug))
    tracks = ET.SubElement(conference, "tracks")
    for track in data.tracks:
        ET.SubElement(tracks, "track", name=track.name, color=track.colour)
    for index, day, start, end, rooms_today in _days(event, data):
        day_element = ET.SubElement(
            root,
            "day",
            index=str(index),
            date=day.isoformat(),
            start=start.isoformat(),
            end=end.isoformat(),
        )
        for room_name, sessions in rooms_today.items():
            if not sessions:
                continue
            room = sessions[0].room
            room_element = ET.SubElement(
                day_element, "room", name=room_name, guid=room_guid(event, room.slug)
            )
            for session in sessions:
                local = session.start.astimezone(tz)
                item = ET.SubElement(
                    room_element,
                    "event",
                    guid=session_guid(event, session),
                    id=session.code,
                    code=session.code,
                )
                for tag, value in (
                    ("date", local.isoformat()),
                    ("start", f"{local:%H:%M}"),
                    ("duration", _hhmm(session.end - session.start)),
                    ("room", room_name),
                    (
                        "slug",
                        f"{event.slug}-{session.code.lower()}-{slugify(session.title)[:50]}".rstrip(
                            "-"
                        ),
                    ),
                    ("url", _session_url(event, session)),
                    ("title", session.title),
                    ("subtitle", ""),
                    ("track", session.track.name if session.track else ""),
                    ("type", session.format_name),
                    ("language", session.language),
                    ("abstract", session.abstract),
                    ("description", session.description),
                ):
                    ET.SubElement(item, tag).text = value
                persons = ET.SubElement(item, "persons")
                for presenter in session.presenters:
                    ET.SubElement(persons, "person", code=presenter.key).text = presenter.name
                ET.SubElement(item, "links")
                ET.SubElement(item, "attachments")
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def _json_session(event: Event, session: SessionItem, tz) -> dict:
    local = session.start.astimezone(tz)
    return {
        "guid": session_guid(event, session),
        "code": session.code,
        "id": session.code,
        "logo": None,
        "date": local.isoformat(),
        "start": f"{local:%H:%M}",
        "duration": _hhmm(session.end - session.start),
        "room": session.room.name,
        "slug": f"{event.slug}-{session.code.lower()}-{slugify(session.title)[:50]}".rstrip("-"),
        "url": _session_url(event, session),
        "title": session.title,
        "subtitle": "",
        "track": session.track.name if session.track else None,
        "type": session.format_name,
        "language": session.language,
        "abstract": session.abstract,
        "description": session.description,
        "recording_license": "",
        "do_not_record": False,
        "persons": [
            {
                "code": p.key,
                "name": p.name,
                "public_name": p.name,
                "biography": p.biography or None,
                "answers": [],
            }
            for p in session.presenters
        ],
        "links": [],
        "attachments": [],
        "answers": [],
    }


def schedule_json(event: Event, data: ProgrammeData) -> bytes:
    tz = data.tz
    days = [
        {
            "index": index,
            "date": day.isoformat(),
            "day_start": start.isoformat(),
            "day_end": end.isoformat(),
            "rooms": {
                name: [_json_session(event, s, tz) for s in sessions]
                for name, sessions in rooms.items()
            },
        }
        for index, day, start, end, rooms in _days(event, data)
    ]
    document = {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": GENERATOR},
        "schedule": {
            "url": settings.SITE_URL + reverse("events:schedule_json", args=[event.slug]),
            "version": _version_label(data),
            "base_url": settings.SITE_URL + reverse("events:programme", args=[event.slug]),
            "conference": {
                "acronym": event.slug,
                "title": event.name,
                "start": event.start_date.isoformat(),
                "end": event.end_date.isoformat(),
                "daysCount": len(data.days),
                "timeslot_duration": "00:05",
                "time_zone_name": event.time_zone,
                "url": settings.SITE_URL + reverse("events:home", args=[event.slug]),
                "rooms": [
                    {
                        "name": r.name,
                        "slug": r.slug,
                        "guid": room_guid(event, r.slug),
                        "capacity": r.capacity,
                    }
                    for r in data.rooms
                ],
                "tracks": [
                    {"name": t.name, "slug": t.slug, "color": t.colour} for t in data.tracks
                ],
                "days": days,
            },
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()
