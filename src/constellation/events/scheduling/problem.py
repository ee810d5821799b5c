"""The conference timetabling problem and its answer (constellation.schedule-problem/1).

The interchange format is defined in the shared note ``schedule-problem.md``: slots in time
order, rooms with capacities, sessions (duration in consecutive slots of one day, speakers,
allowed rooms, unavailable slots, an optional fixed slot and room), people (speakers and
their unavailable slots) and attendees with the sessions they want.

``problem_from_json`` checks the shape of a decoded file and raises ``ScheduleError`` with a
message that says what is wrong and where. ``answer_from_json`` / ``answer_to_json`` read and
write ``constellation.schedule/1`` answers as ``{session_id: (slot_id, room_id)}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

PROBLEM_FORMAT = "constellation.schedule-problem/1"
ANSWER_FORMAT = "constellation.schedule/1"

Assignment = dict[str, tuple[str, str]]


class ScheduleError(ValueError):
    """A problem or answer file that cannot be used; ``message`` is ready to show a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Slot:
    id: str
    start: datetime
    end: datetime
    index: int

    @property
    def day(self) -> date:
        return self.start.date()


@dataclass(frozen=True)
class Room:
    id: str
    capacity: int
    index: int


@dataclass(frozen=True)
class Session:
    id: str
    title: str
    track: str
    duration: int
    speakers: tuple[str, ...]
    rooms: tuple[str, ...] | None
    unavailable: frozenset[str]
    fixed: tuple[str, str] | None  # (slot id, room id)
    index: int


@dataclass(frozen=True)
class Person:
    id: str
    unavailable: frozenset[str]


@dataclass(frozen=True)
class Attendee:
    id: str
    interests: tuple[str, ...]  # distinct session ids, in file order


@dataclass
class Problem:
    name: str
    slots: list[Slot]
    rooms: list[Room]
    sessions: list[Session]
    people: list[Person]
    attendees: list[Attendee]
    slot_index: dict[str, int] = field(default_factory=dict, repr=False)
    room_index: dict[str, int] = field(default_factory=dict, repr=False)
    session_index: dict[str, int] = field(default_factory=dict, repr=False)
    person_index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.slot_index = {slot.id: i for i, slot in enumerate(self.slots)}
        self.room_index = {room.id: i for i, room in enumerate(self.rooms)}
        self.session_index = {session.id: i for i, session in enumerate(self.sessions)}
        self.person_index = {person.id: i for i, person in enumerate(self.people)}

    # ---- index helpers -------------------------------------------------------------------
    @cached_property
    def consecutive(self) -> list[bool]:
        """consecutive[i]: slot i and slot i + 1 are next to each other on the same day."""
        return [self.slots[i].day == self.slots[i + 1].day for i in range(len(self.slots) - 1)] + [
            False
        ]

    @cached_property
    def day_of_slot(self) -> list[int]:
        """Day number (0, 1, ...) of each slot, counting calendar days in slot order."""
        days: list[int] = []
        for i, slot in enumerate(self.slots):
            if i == 0:
                days.append(0)
            else:
                days.append(days[-1] + (slot.day != self.slots[i - 1].day))
        return days

    @cached_property
    def demand(self) -> list[int]:
        """Number of attendees who want each session (by session index)."""
        counts = [0] * len(self.sessions)
        for attendee in self.attendees:
            for session_id in attendee.interests:
                counts[self.session_index[session_id]] += 1
        return counts

    def span_fits(self, start: int, duration: int) -> bool:
        """Whether slots start .. start + duration - 1 exist and are consecutive on one day."""
        if start < 0 or start + duration > len(self.slots):
            return False
        return all(self.consecutive[start + k] for k in range(duration - 1))

    def span(self, start: int, duration: int) -> range:
        return range(start, start + duration)

    def blocked_slots(self, session: Session) -> set[int]:
        """Slot indices the session must not use (its own and its speakers' unavailability)."""
        ids = set(session.unavailable)
        for speaker in session.speakers:
            person = self.person_index.get(speaker)
            if person is not None:
                ids |= self.people[person].unavailable
        return {self.slot_index[s] for s in ids if s in self.slot_index}

    def allowed_starts(self, session: Session) -> list[int]:
        """Start slots where the session fits on one day and uses no unavailable slot."""
        blocked = self.blocked_slots(session)
        return [
            t
            for t in range(len(self.slots))
            if self.span_fits(t, session.duration)
            and not any(u in blocked for u in self.span(t, session.duration))
        ]

    def allowed_rooms(self, session: Session) -> list[int]:
        if session.rooms is None:
            return list(range(len(self.rooms)))
        return [self.room_index[r] for r in session.rooms]

    @property
    def upper_bound(self) -> int:
        """U: sum over attendees of min(number of interests, number of slots)."""
        n = len(self.slots)
        return sum(min(len(a.interests), n) for a in self.attendees)


# ---- reading -----------------------------------------------------------------------------
def _where(kind: str, position: int, item) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"{kind} {item['id']!r}"
    return f"{kind} number {position + 1}"


def _list(data: dict, key: str, *, required: bool = True) -> list:
    value = data.get(key)
    if value is None:
        if required:
            raise ScheduleError(f'The problem has no "{key}" list.')
        return []
    if not isinstance(value, list):
        raise ScheduleError(f'"{key}" must be a list.')
    return value


def _id(item, kind: str, position: int, seen: set[str]) -> str:
    if not isinstance(item, dict):
        raise ScheduleError(f"{kind.capitalize()} number {position + 1} must be an object.")
    value = item.get("id")
    if not isinstance(value, str) or not value:
        raise ScheduleError(f'{kind.capitalize()} number {position + 1} has no "id" text.')
    if value in seen:
        raise ScheduleError(f"{kind.capitalize()} id {value!r} is used twice.")
    seen.add(value)
    return value


def _id_list(item: dict, key: str, where: str, known: dict, kind: str) -> list[str]:
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ScheduleError(f'{where}: "{key}" must be a list of {kind} ids.')
    for v in value:
        if v not in known:
            raise ScheduleError(f"{where}: {key} lists unknown {kind} {v!r}.")
    return value


def _time(value, where: str, key: str) -> datetime:
    if not isinstance(value, str):
        raise ScheduleError(f'{where}: "{key}" must be a date and time like 2027-05-26T09:00.')
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise ScheduleError(
            f'{where}: "{key}" {value!r} is not a date and time like 2027-05-26T09:00.'
        ) from exc


def problem_from_json(data) -> Problem:
    """Build a Problem from a decoded constellation.schedule-problem/1 document."""
    if not isinstance(data, dict):
        raise ScheduleError("The problem must be a JSON object.")
    fmt = data.get("format")
    if fmt != PROBLEM_FORMAT:
        raise ScheduleError(f'"format" must be "{PROBLEM_FORMAT}" (found {fmt!r}).')
    name = data.get("name") or ""
    if not isinstance(name, str):
        raise ScheduleError('"name" must be text.')

    seen: set[str] = set()
    slots: list[Slot] = []
    for i, item in enumerate(_list(data, "slots")):
        sid = _id(item, "slot", i, seen)
        where = f"Slot {sid!r}"
        start = _time(item.get("start"), where, "start")
        end = _time(item.get("end"), where, "end")
        if (start.tzinfo is None) != (end.tzinfo is None):
            raise ScheduleError(f"{where}: start and end must both have a time zone or neither.")
        if end <= start:
            raise ScheduleError(f"{where} ends before it starts.")
        if slots:
            previous = slots[-1]
            if (previous.start.tzinfo is None) != (start.tzinfo is None):
                raise ScheduleError(f"{where}: all slots must have a time zone or none.")
            if start < previous.end:
                raise ScheduleError(
                    f"{where} starts before slot {previous.id!r} ends: slots must be listed "
                    "in time order and must not overlap."
                )
        slots.append(Slot(sid, start, end, len(slots)))
    if not slots:
        raise ScheduleError("The problem has no slots.")
    slot_ids = {s.id: s for s in slots}

    seen = set()
    rooms: list[Room] = []
    for i, item in enumerate(_list(data, "rooms")):
        rid = _id(item, "room", i, seen)
        capacity = item.get("capacity")
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
            raise ScheduleError(f'Room {rid!r}: "capacity" must be a whole number, 0 or more.')
        rooms.append(Room(rid, capacity, len(rooms)))
    if not rooms:
        raise ScheduleError("The problem has no rooms.")
    room_ids = {r.id: r for r in rooms}

    seen = set()
    people: list[Person] = []
    for i, item in enumerate(_list(data, "people", required=False)):
        pid = _id(item, "person", i, seen)
        unavailable = _id_list(item, "unavailable", f"Person {pid!r}", slot_ids, "slot")
        people.append(Person(pid, frozenset(unavailable)))
    person_ids = {p.id: p for p in people}

    seen = set()
    sessions: list[Session] = []
    for i, item in enumerate(_list(data, "sessions")):
        sid = _id(item, "session", i, seen)
        where = f"Session {sid!r}"
        title = item.get("title", "")
        track = item.get("track", "")
        if not isinstance(title, str) or not isinstance(track, str):
            raise ScheduleError(f'{where}: "title" and "track" must be text.')
        duration = item.get("duration", 1)
        if isinstance(duration, bool) or not isinstance(duration, int) or duration < 1:
            raise ScheduleError(f'{where}: "duration" must be a whole number of slots, 1 or more.')
        speakers = _id_list(item, "speakers", where, person_ids, "person")
        if "rooms" in item and item["rooms"] is not None:
            allowed = _id_list(item, "rooms", where, room_ids, "room")
            if not allowed:
                raise ScheduleError(f'{where}: "rooms" is empty; leave it out to allow any room.')
            allowed_rooms: tuple[str, ...] | None = tuple(dict.fromkeys(allowed))
        else:
            allowed_rooms = None
        unavailable = _id_list(item, "unavailable", where, slot_ids, "slot")
        fixed = item.get("fixed")
        pinned: tuple[str, str] | None = None
        if fixed is not None:
            if (
                not isinstance(fixed, dict)
                or not isinstance(fixed.get("slot"), str)
                or not isinstance(fixed.get("room"), str)
            ):
                raise ScheduleError(f'{where}: "fixed" must be {{"slot": ..., "room": ...}}.')
            if fixed["slot"] not in slot_ids:
                raise ScheduleError(f"{where} is fixed to unknown slot {fixed['slot']!r}.")
            if fixed["room"] not in room_ids:
                raise ScheduleError(f"{where} is fixed to unknown room {fixed['room']!r}.")
            pinned = (fixed["slot"], fixed["room"])
        sessions.append(
            Session(
                id=sid,
                title=title,
                track=track,
                duration=duration,
                speakers=tuple(dict.fromkeys(speakers)),
                rooms=allowed_rooms,
                unavailable=frozenset(unavailable),
                fixed=pinned,
                index=len(sessions),
            )
        )
    session_ids = {s.id: s for s in sessions}

    seen = set()
    attendees: list[Attendee] = []
    for i, item in enumerate(_list(data, "attendees", required=False)):
        aid = _id(item, "attendee", i, seen)
        interests = _id_list(item, "interests", f"Attendee {aid!r}", session_ids, "session")
        attendees.append(Attendee(aid, tuple(dict.fromkeys(interests))))

    return Problem(
        name=name, slots=slots, rooms=rooms, sessions=sessions, people=people, attendees=attendees
    )


def answer_from_json(problem: Problem, data) -> Assignment:
    """Read a constellation.schedule/1 answer into {session_id: (slot_id, room_id)}.

    Unknown ids, a session assigned twice or a malformed entry raise ScheduleError. Missing
    sessions are allowed here (``evaluate`` reports them as broken rule 1).
    """
    if not isinstance(data, dict):
        raise ScheduleError("The answer must be a JSON object.")
    fmt = data.get("format")
    if fmt != ANSWER_FORMAT:
        raise ScheduleError(f'"format" must be "{ANSWER_FORMAT}" (found {fmt!r}).')
    items = data.get("assignments")
    if not isinstance(items, list):
        raise ScheduleError('The answer has no "assignments" list.')
    assignment: Assignment = {}
    for i, item in enumerate(items):
        where = f"Assignment number {i + 1}"
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) for k in ("session", "slot", "room")
        ):
            raise ScheduleError(f'{where} must be {{"session": ..., "slot": ..., "room": ...}}.')
        session, slot, room = item["session"], item["slot"], item["room"]
        if session not in problem.session_index:
            raise ScheduleError(f"{where}: unknown session {session!r}.")
        if slot not in problem.slot_index:
            raise ScheduleError(f"{where}: unknown slot {slot!r} for session {session!r}.")
        if room not in problem.room_index:
            raise ScheduleError(f"{where}: unknown room {room!r} for session {session!r}.")
        if session in assignment:
            raise ScheduleError(f"Session {session!r} is assigned twice.")
        assignment[session] = (slot, room)
    return assignment


def answer_to_json(assignment: Assignment, problem: Problem | None = None) -> dict:
    """The constellation.schedule/1 document (in problem session order when given)."""
    if problem is not None:
        order = [s.id for s in problem.sessions if s.id in assignment]
        order += sorted(set(assignment) - set(order))
    else:
        order = sorted(assignment)
    return {
        "format": ANSWER_FORMAT,
        "assignments": [
            {"session": s, "slot": assignment[s][0], "room": assignment[s][1]} for s in order
        ],
    }
