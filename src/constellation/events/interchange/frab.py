"""Read a published conference schedule: the frab-compatible JSON that pretalx serves as
``schedule.json``, or frab's XML ``schedule.xml``.

Both are read into the same plain `Schedule`, checked completely (every problem raises
`ScheduleFileError` naming the day, room and session), before anything touches the
database. Only the standard library parses: the XML reader refuses DTDs and entity
declarations outright, which is how the "billion laughs" expansion attacks get in.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from constellation.networks.services import DomainError


class ScheduleFileError(DomainError):
    """The file cannot be imported; the message says where and why."""


@dataclass
class PersonEntry:
    identity: str  # code, guid or id; empty when the file has none
    name: str
    biography: str = ""


@dataclass
class SessionEntry:
    identity: str
    code: str
    title: str
    room: str
    start: datetime  # aware
    end: datetime
    track: str = ""
    type: str = ""
    language: str = ""
    abstract: str = ""
    description: str = ""
    persons: list[PersonEntry] = field(default_factory=list)


@dataclass
class Schedule:
    title: str
    acronym: str
    time_zone: str
    start: date
    end: date
    rooms: list[str]
    room_capacity: dict[str, int]
    tracks: dict[str, str]  # name -> colour ("" when unknown)
    sessions: list[SessionEntry]


_DURATION = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$")
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value).strip()
    return ""


def _duration(value: str, where: str) -> timedelta:
    match = _DURATION.match(value or "")
    if not match:
        raise ScheduleFileError(
            _("%(where)s: the duration %(value)r is not a length like 01:30.") % {"where": where, "value": value}
        )
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    length = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if not length:
        raise ScheduleFileError(_("%(where)s: the duration is zero.") % {"where": where})
    return length


def _date(value: str, where: str) -> date:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        raise ScheduleFileError(
            _("%(where)s: %(value)r is not a date like 2027-05-26.") % {"where": where, "value": value}
        ) from None


def _start(date_text: str, clock: str, day: date, tz: zoneinfo.ZoneInfo, where: str) -> datetime:
    """The session's start: its full ISO date when the file gives one, else day + HH:MM."""
    if date_text:
        try:
            moment = datetime.fromisoformat(date_text)
        except ValueError:
            raise ScheduleFileError(
                _("%(where)s: the date %(value)r is not a date and time like 2027-05-26T09:00:00+02:00.")
                % {"where": where, "value": date_text}
            ) from None
        return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment
    match = _CLOCK.match(clock or "")
    if not match:
        raise ScheduleFileError(
            _("%(where)s: the start %(value)r is not a time like 09:30.") % {"where": where, "value": clock}
        )
    return datetime.combine(day, time(int(match[1]), int(match[2])), tzinfo=tz)


def _time_zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ScheduleFileError(_("The conference time zone %(value)r is not known.") % {"value": name}) from None


def _session_where(day_label: str, room: str, title: str, identity: str) -> str:
    return _("%(day)s, room %(room)r, session %(session)r") % {
        "day": day_label, "room": room, "session": title or identity or "?",
    }


def _check(schedule: Schedule) -> Schedule:
    """Checks both readers share: known rooms, no two sessions at once in one room."""
    if not schedule.title:
        raise ScheduleFileError(_("The conference has no title."))
    if schedule.end < schedule.start:
        raise ScheduleFileError(_("The conference ends before it starts."))
    seen: dict[str, SessionEntry] = {}
    for session in schedule.sessions:
        if session.room not in schedule.rooms:
            raise ScheduleFileError(
                _("Session %(session)r is in room %(room)r, which the conference does not list.")
                % {"session": session.title, "room": session.room}
            )
        if session.identity in seen:
            raise ScheduleFileError(
                _("Sessions %(first)r and %(second)r have the same id %(id)r.")
                % {"first": seen[session.identity].title, "second": session.title, "id": session.identity}
            )
        seen[session.identity] = session
    by_room: dict[str, list[SessionEntry]] = {}
    for session in schedule.sessions:
        by_room.setdefault(session.room, []).append(session)
    for room, sessions in by_room.items():
        sessions.sort(key=lambda s: s.start)
        for before, after in zip(sessions, sessions[1:], strict=False):
            if after.start < before.end:
                raise ScheduleFileError(
                    _("Room %(room)r: sessions %(first)r and %(second)r overlap.")
                    % {"room": room, "first": before.title, "second": after.title}
                )
    return schedule


# ---- pretalx / frab JSON -----------------------------------------------------------------
def _json_persons(items, where: str) -> list[PersonEntry]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise ScheduleFileError(_("%(where)s: \"persons\" must be a list.") % {"where": where})
    persons = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ScheduleFileError(_("%(where)s: person %(n)d must be an object.") % {"where": where, "n": number})
        name = _text(item.get("public_name")) or _text(item.get("name")) or _text(item.get("full_public_name"))
        if not name:
            raise ScheduleFileError(_("%(where)s: person %(n)d has no name.") % {"where": where, "n": number})
        identity = _text(item.get("code")) or _text(item.get("guid")) or _text(item.get("id"))
        persons.append(PersonEntry(identity=identity, name=name, biography=_text(item.get("biography"))))
    return persons


def read_json(text: str) -> Schedule:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ScheduleFileError(
            _("The file is not valid JSON (line %(line)d, column %(column)d).")
            % {"line": error.lineno, "column": error.colno}
        ) from None
    conference = data.get("schedule", {}).get("conference") if isinstance(data, dict) else None
    if not isinstance(conference, dict):
        raise ScheduleFileError(_("The file has no \"schedule\" → \"conference\" object."))
    for key in ("title", "start", "end", "days"):
        if key not in conference:
            raise ScheduleFileError(_("The conference has no %(key)r.") % {"key": key})
    tz_name = _text(conference.get("time_zone_name")) or "UTC"
    tz = _time_zone(tz_name)
    listed = conference.get("rooms")
    rooms: list[str] = []
    capacity: dict[str, int] = {}
    if listed is not None:
        if not isinstance(listed, list):
            raise ScheduleFileError(_("The conference \"rooms\" must be a list."))
        for number, item in enumerate(listed, start=1):
            name = _text(item.get("name")) if isinstance(item, dict) else _text(item)
            if not name:
                raise ScheduleFileError(_("Conference room %(n)d has no name.") % {"n": number})
            rooms.append(name)
            cap = item.get("capacity") if isinstance(item, dict) else None
            if isinstance(cap, int) and not isinstance(cap, bool) and cap > 0:
                capacity[name] = cap
    tracks: dict[str, str] = {}
    for item in conference.get("tracks") or []:
        if isinstance(item, dict) and _text(item.get("name")):
            tracks[_text(item["name"])] = _text(item.get("color") or item.get("colour"))
    days = conference["days"]
    if not isinstance(days, list):
        raise ScheduleFileError(_("The conference \"days\" must be a list."))
    sessions: list[SessionEntry] = []
    for number, day in enumerate(days, start=1):
        day_label = _("Day %(n)d") % {"n": number}
        if not isinstance(day, dict) or not isinstance(day.get("rooms"), dict):
            raise ScheduleFileError(_("%(day)s has no \"rooms\" object.") % {"day": day_label})
        day_date = _date(_text(day.get("date")), day_label)
        for room, items in day["rooms"].items():
            if listed is None and room not in rooms:
                rooms.append(room)
            if not isinstance(items, list):
                raise ScheduleFileError(
                    _("%(day)s, room %(room)r: the sessions must be a list.") % {"day": day_label, "room": room}
                )
            for item in items:
                if not isinstance(item, dict):
                    raise ScheduleFileError(
                        _("%(day)s, room %(room)r: each session must be an object.") % {"day": day_label, "room": room}
                    )
                identity = _text(item.get("guid")) or _text(item.get("code")) or _text(item.get("id"))
                title = _text(item.get("title"))
                where = _session_where(day_label, room, title, identity)
                if not identity:
                    raise ScheduleFileError(_("%(where)s has no guid, code or id.") % {"where": where})
                if not title:
                    raise ScheduleFileError(_("%(where)s has no title.") % {"where": where})
                stated_room = _text(item.get("room"))
                if stated_room and stated_room != room:
                    raise ScheduleFileError(
                        _("%(where)s names room %(other)r.") % {"where": where, "other": stated_room}
                    )
                start = _start(_text(item.get("date")), _text(item.get("start")), day_date, tz, where)
                length = _duration(_text(item.get("duration")), where)
                track = _text(item.get("track"))
                if track and track not in tracks:
                    tracks[track] = ""
                sessions.append(
                    SessionEntry(
                        identity=identity, code=_text(item.get("code")), title=title, room=room,
                        start=start, end=start + length, track=track, type=_text(item.get("type")),
                        language=_text(item.get("language")), abstract=_text(item.get("abstract")),
                        description=_text(item.get("description")),
                        persons=_json_persons(item.get("persons"), where),
                    )
                )
    return _check(
        Schedule(
            title=_text(conference.get("title")), acronym=_text(conference.get("acronym")),
            time_zone=tz_name, start=_date(_text(conference.get("start")), _("The conference start")),
            end=_date(_text(conference.get("end")), _("The conference end")), rooms=rooms,
            room_capacity=capacity, tracks=tracks, sessions=sessions,
        )
    )


# ---- frab XML ----------------------------------------------------------------------------
def _child(element: ET.Element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""


def read_xml(text: str) -> Schedule:
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise ScheduleFileError(_("The XML file declares a DTD or entities, which are not accepted."))
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        line, column = error.position
        raise ScheduleFileError(
            _("The file is not well-formed XML (line %(line)d, column %(column)d).")
            % {"line": line, "column": column}
        ) from None
    if root.tag != "schedule":
        raise ScheduleFileError(_("The XML root must be <schedule>, not <%(tag)s>.") % {"tag": root.tag})
    conference = root.find("conference")
    if conference is None:
        raise ScheduleFileError(_("The file has no <conference>."))
    for key in ("title", "start", "end"):
        if not _child(conference, key):
            raise ScheduleFileError(_("The conference has no <%(key)s>.") % {"key": key})
    tz_name = _child(conference, "time_zone_name") or "UTC"
    tz = _time_zone(tz_name)
    rooms: list[str] = []
    capacity: dict[str, int] = {}
    listed = conference.find("rooms")
    if listed is not None:
        for number, element in enumerate(listed.findall("room"), start=1):
            name = (element.get("name") or element.text or "").strip()
            if not name:
                raise ScheduleFileError(_("Conference room %(n)d has no name.") % {"n": number})
            rooms.append(name)
    tracks: dict[str, str] = {}
    track_list = conference.find("tracks")
    if track_list is not None:
        for element in track_list.findall("track"):
            name = (element.get("name") or element.text or "").strip()
            if name:
                tracks[name] = (element.get("color") or "").strip()
    sessions: list[SessionEntry] = []
    days = root.findall("day")
    if not days:
        raise ScheduleFileError(_("The file has no <day>."))
    for number, day in enumerate(days, start=1):
        day_label = _("Day %(n)d") % {"n": number}
        day_date = _date(day.get("date") or "", day_label)
        for room_element in day.findall("room"):
            room = (room_element.get("name") or "").strip()
            if not room:
                raise ScheduleFileError(_("%(day)s has a <room> without a name.") % {"day": day_label})
            if listed is None and room not in rooms:
                rooms.append(room)
            for item in room_element.findall("event"):
                identity = (item.get("guid") or "").strip() or (item.get("id") or "").strip()
                title = _child(item, "title")
                where = _session_where(day_label, room, title, identity)
                if not identity:
                    raise ScheduleFileError(_("%(where)s has no guid or id.") % {"where": where})
                if not title:
                    raise ScheduleFileError(_("%(where)s has no title.") % {"where": where})
                stated_room = _child(item, "room")
                if stated_room and stated_room != room:
                    raise ScheduleFileError(
                        _("%(where)s names room %(other)r.") % {"where": where, "other": stated_room}
                    )
                start = _start(_child(item, "date"), _child(item, "start"), day_date, tz, where)
                length = _duration(_child(item, "duration"), where)
                persons = []
                people = item.find("persons")
                for person in people.findall("person") if people is not None else []:
                    name = (person.text or "").strip()
                    if not name:
                        raise ScheduleFileError(_("%(where)s: a person has no name.") % {"where": where})
                    identity_p = (person.get("guid") or person.get("code") or person.get("id") or "").strip()
                    persons.append(PersonEntry(identity=identity_p, name=name))
                track = _child(item, "track")
                if track and track not in tracks:
                    tracks[track] = ""
                sessions.append(
                    SessionEntry(
                        identity=identity, code=(item.get("code") or "").strip(), title=title, room=room,
                        start=start, end=start + length, track=track, type=_child(item, "type"),
                        language=_child(item, "language"), abstract=_child(item, "abstract"),
                        description=_child(item, "description"), persons=persons,
                    )
                )
    return _check(
        Schedule(
            title=_child(conference, "title"), acronym=_child(conference, "acronym"), time_zone=tz_name,
            start=_date(_child(conference, "start"), _("The conference start")),
            end=_date(_child(conference, "end"), _("The conference end")), rooms=rooms,
            room_capacity=capacity, tracks=tracks, sessions=sessions,
        )
    )


def read_schedule(raw: bytes) -> Schedule:
    """A JSON or XML schedule, told apart by its first character."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScheduleFileError(_("The file is not UTF-8 text.")) from None
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return read_json(text)
    if stripped.startswith("<"):
        return read_xml(text)
    raise ScheduleFileError(_("The file is neither a JSON nor an XML schedule."))
