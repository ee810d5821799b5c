"""An event's timetable problem out, the optimiser's answer back in.

`build_problem` writes the constellation.schedule-problem/1 document (see the shared note
schedule-problem.md) from the database; `apply_answer` checks a constellation.schedule/1
answer against that same document with the timetabler's own reader and rule checker, and
only a feasible answer replaces the draft timetable. Ids in the files:

- slots: the local start in the event's time zone, ``20270526-0900``;
- rooms: the room slug; sessions: the proposal code;
- people: ``Presenter.speaker_key`` (``p<person id>`` for linked people);
- attendees: ``a<user id>``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from constellation.events import services
from constellation.events.models import (
    Event,
    Interest,
    PersonUnavailability,
    Placement,
    Proposal,
    TimetableVersion,
)
from constellation.events.scheduling.evaluate import evaluate
from constellation.events.scheduling.problem import (
    PROBLEM_FORMAT,
    ScheduleError,
    answer_from_json,
    problem_from_json,
)
from constellation.networks.services import DomainError

# How many broken rules to quote in an error before "and N more".
SHOWN_VIOLATIONS = 5


def _scheduled(event: Event):
    return (
        Proposal.objects.filter(event=event)
        .scheduled()
        .select_related("format", "track")
        .prefetch_related("format__rooms", "unavailable_slots", "presenters")
        .order_by("code")
    )


def build_problem(event: Event) -> dict:
    """The event's timetabling problem: accepted and confirmed proposals as sessions."""
    tz = event.tz
    slots = list(event.slots.order_by("start"))
    rooms = list(event.rooms.order_by("position", "name"))
    proposals = list(_scheduled(event))
    fixed = {
        p.proposal_id: p
        for p in Placement.objects.filter(
            version__event=event, version__published_at__isnull=True, is_fixed=True
        ).select_related("slot", "room")
    }

    speakers: dict[str, set[str]] = {}  # speaker key -> unavailable slot ids
    person_keys: dict[int, str] = {}
    sessions = []
    for proposal in proposals:
        keys = []
        for presenter in proposal.presenters.all():
            key = presenter.speaker_key
            speakers.setdefault(key, set())
            if presenter.person_id:
                person_keys[presenter.person_id] = key
            if key not in keys:
                keys.append(key)
        session = {
            "id": proposal.code,
            "title": proposal.title,
            "track": proposal.track.slug if proposal.track_id else "",
            "duration": proposal.duration,
            "speakers": keys,
        }
        allowed = proposal.format.rooms.all() if proposal.format_id else []
        if allowed:
            session["rooms"] = [r.slug for r in sorted(allowed, key=lambda r: (r.position, r.name))]
        unavailable = sorted(proposal.unavailable_slots.all(), key=lambda s: s.start)
        if unavailable:
            session["unavailable"] = [s.key(tz) for s in unavailable]
        pin = fixed.get(proposal.pk)
        if pin is not None:
            session["fixed"] = {"slot": pin.slot.key(tz), "room": pin.room.slug}
        sessions.append(session)

    for row in PersonUnavailability.objects.filter(
        person_id__in=person_keys, slot__event=event
    ).select_related("slot"):
        speakers[person_keys[row.person_id]].add(row.slot.key(tz))
    slot_order = {s.key(tz): i for i, s in enumerate(slots)}

    wanted: dict[int, list[str]] = defaultdict(list)
    codes = {p.pk: p.code for p in proposals}
    for user_id, proposal_id in (
        Interest.objects.filter(proposal_id__in=codes).order_by("user_id", "proposal__code").values_list(
            "user_id", "proposal_id"
        )
    ):
        wanted[user_id].append(codes[proposal_id])

    return {
        "format": PROBLEM_FORMAT,
        "name": event.name,
        "slots": [
            {
                "id": s.key(tz),
                "start": f"{s.start.astimezone(tz):%Y-%m-%dT%H:%M}",
                "end": f"{s.end.astimezone(tz):%Y-%m-%dT%H:%M}",
            }
            for s in slots
        ],
        "rooms": [{"id": r.slug, "capacity": r.capacity} for r in rooms],
        "sessions": sessions,
        "people": [
            {"id": key, **({"unavailable": sorted(u, key=slot_order.get)} if u else {})}
            for key, u in sorted(speakers.items())
        ],
        "attendees": [{"id": f"a{user_id}", "interests": ids} for user_id, ids in sorted(wanted.items())],
    }


def apply_answer(event: Event, answer: dict) -> TimetableVersion:
    """Replace the draft timetable by a feasible answer; anything else changes nothing.

    Raises DomainError naming the problem: an unreadable answer, or each broken hard rule
    (at most five quoted). Placements marked fixed stay marked fixed.
    """
    with transaction.atomic():
        # Lock first: the answer is checked against the same proposals it replaces.
        event = Event.objects.select_for_update().get(pk=event.pk)
        return _apply_answer(event, answer)


def _apply_answer(event: Event, answer: dict) -> TimetableVersion:
    document = build_problem(event)
    try:
        problem = problem_from_json(document)
        assignment = answer_from_json(problem, answer)
    except ScheduleError as error:
        raise DomainError(_("The timetable cannot be used: %(error)s") % {"error": error.message}) from error
    figures = evaluate(problem, assignment)
    if not figures.feasible:
        shown = figures.violations[:SHOWN_VIOLATIONS]
        more = len(figures.violations) - len(shown)
        message = _("The timetable breaks the rules: %(rules)s") % {"rules": " ".join(shown)}
        if more:
            message += " " + _("And %(count)d more.") % {"count": more}
        raise DomainError(message)

    tz = event.tz
    slots = {s.key(tz): s for s in event.slots.all()}
    rooms = {r.slug: r for r in event.rooms.all()}
    proposals = {p.code: p for p in Proposal.objects.filter(event=event).scheduled()}
    pinned = {s["id"] for s in document["sessions"] if "fixed" in s}
    return services.replace_draft_placements(
        event=event,
        placements=[
            (proposals[code], slots[slot], rooms[room], code in pinned)
            for code, (slot, room) in assignment.items()
        ],
    )


def _event(event_slug: str) -> Event:
    event = Event.objects.filter(slug=event_slug).first()
    if event is None:
        raise DomainError(_("There is no event %(slug)s.") % {"slug": event_slug})
    return event


def export_problem(event_slug: str, path: str | Path) -> dict:
    """Write the event's problem to `path` (UTF-8 JSON) and return it."""
    document = build_problem(_event(event_slug))
    Path(path).write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return document


def import_answer(event_slug: str, path: str | Path) -> TimetableVersion:
    """Read a constellation.schedule/1 answer from `path` into the event's draft timetable."""
    event = _event(event_slug)
    try:
        answer = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise DomainError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}) from error
    except json.JSONDecodeError as error:
        raise DomainError(
            _("%(path)s is not valid JSON (line %(line)d, column %(column)d).")
            % {"path": path, "line": error.lineno, "column": error.colno}
        ) from error
    return apply_answer(event, answer)
