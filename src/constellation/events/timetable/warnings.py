"""What is wrong or costly in a draft timetable, in words an organiser reads.

The figures come from the optimiser's own checker (`scheduling.evaluate`: A, U, O, Q), on
the very problem document the optimiser gets (`schedule_io.build_problem`), so the grid and
the optimiser never disagree. The warnings name sessions by title and people by name:

- overlap / fit: two sessions in one room at once, a long session that runs past the last
  slot of its day. The editor refuses moves that cause these; imports may still bring them.
- clash: one person presents in two sessions at the same time.
- unavailable: a session (or one of its presenters) is placed in a slot marked unavailable.
- rooms: a session's format may only use some rooms, and this is not one of them.
- capacity: more attendees want the session than its room seats.
- stale: a session in the draft that is no longer accepted (withdrawn after placing).

Pins (`Placement.is_fixed`) are ignored here: they bind the optimiser, not the organiser,
and a pinned session moved by hand takes its pin along.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from constellation.events.schedule_io import build_problem
from constellation.events.scheduling.evaluate import Figures, evaluate, spans
from constellation.events.scheduling.problem import (
    Assignment,
    Problem,
    ScheduleError,
    problem_from_json,
)
from constellation.events.timetable.queries import Draft, local_label
from constellation.networks.services import DomainError

KINDS = ("overlap", "fit", "clash", "unavailable", "rooms", "capacity", "stale")


@dataclass(frozen=True)
class TimetableWarning:
    kind: str
    message: str
    codes: tuple[str, ...] = ()


@dataclass
class Review:
    figures: Figures
    warnings: list[TimetableWarning]
    unplaced: int
    by_code: dict[str, list[TimetableWarning]] = field(default_factory=dict)

    def __post_init__(self):
        for warning in self.warnings:
            for code in warning.codes:
                self.by_code.setdefault(code, []).append(warning)

    @property
    def lost_interests(self) -> int:
        """Wanted sessions that attendees cannot attend: U - A (clashes, or unplaced)."""
        return self.figures.U - self.figures.A


def problem_for(draft: Draft) -> Problem:
    """The optimiser's problem for this event, without pins (see the module docstring).

    Raises DomainError when the event cannot be timetabled yet (no slots or no rooms).
    """
    document = build_problem(draft.event)
    for session in document["sessions"]:
        session.pop("fixed", None)
    try:
        return problem_from_json(document)
    except ScheduleError as error:
        raise DomainError(
            _("The timetable cannot be checked yet: %(error)s") % {"error": error.message}
        ) from error


def assignment_of(draft: Draft) -> Assignment:
    tz = draft.tz
    return {p.proposal.code: (p.slot.key(tz), p.room.slug) for p in draft.placements.values()}


def physical_conflicts(
    problem: Problem, assignment: Assignment, codes: list[str], draft: Draft
) -> list[str]:
    """Why the sessions `codes` cannot be where `assignment` puts them (empty: they can).

    Only what no timetable may do: run past the day's last slot, or share a room with
    another session. Everything else is allowed with a warning.
    """
    placed = spans(problem, assignment)
    titles = {p.code: p.title for p in draft.sessions}
    reasons = []
    for code in codes:
        s = problem.session_index[code]
        if s not in placed:
            continue
        first, _last, room = placed[s]
        session = problem.sessions[s]
        if not problem.span_fits(first, session.duration):
            reasons.append(
                ngettext(
                    "“%(title)s” lasts %(count)d slot and does not fit there before the day ends.",
                    "“%(title)s” lasts %(count)d slots and does not fit there before the day ends.",
                    session.duration,
                )
                % {"title": titles[code], "count": session.duration}
            )
            continue
        last = first + session.duration - 1
        for other, (o_first, o_last, o_room) in placed.items():
            if other == s or o_room != room or o_last < first or o_first > last:
                continue
            reasons.append(
                _("%(room)s is taken then by “%(other)s”.")
                % {"room": draft.rooms[room].name, "other": titles[problem.sessions[other].id]}
            )
    return list(dict.fromkeys(reasons))


def review(
    draft: Draft, problem: Problem | None = None, assignment: Assignment | None = None
) -> Review:
    """The figures and every warning for the draft (or for `assignment`, a draft to be)."""
    problem = problem or problem_for(draft)
    assignment = assignment if assignment is not None else assignment_of(draft)
    figures = evaluate(problem, assignment)
    placed = spans(problem, assignment)
    tz = draft.tz
    titles = {p.code: p.title for p in draft.sessions}
    names: dict[str, str] = {}
    for proposal in draft.sessions:
        for presenter in proposal.presenters.all():
            names.setdefault(presenter.speaker_key, presenter.name)
    label = {s.key(tz): local_label(s, tz) for s in draft.slots}
    slots = problem.slots
    found: list[TimetableWarning] = []

    room_use: dict[tuple[int, int], list[str]] = defaultdict(list)
    speaker_use: dict[tuple[str, int], list[str]] = defaultdict(list)
    for s, (first, _last, r) in sorted(placed.items()):
        session = problem.sessions[s]
        title = titles[session.id]
        room = problem.rooms[r]
        room_name = draft.rooms[r].name
        if not problem.span_fits(first, session.duration):
            found.append(
                TimetableWarning(
                    "fit",
                    _("“%(title)s” runs past the last slot of its day.") % {"title": title},
                    (session.id,),
                )
            )
        used = [u for u in problem.span(first, session.duration) if u < len(slots)]
        for u in used:
            room_use[(r, u)].append(session.id)
            for speaker in session.speakers:
                speaker_use[(speaker, u)].append(session.id)
        for u in used:
            when = label[slots[u].id]
            if slots[u].id in session.unavailable:
                found.append(
                    TimetableWarning(
                        "unavailable",
                        _("“%(title)s” cannot take place on %(when)s.")
                        % {"title": title, "when": when},
                        (session.id,),
                    )
                )
            for speaker in session.speakers:
                person = problem.person_index.get(speaker)
                if person is not None and slots[u].id in problem.people[person].unavailable:
                    found.append(
                        TimetableWarning(
                            "unavailable",
                            _("%(name)s is not available on %(when)s but presents “%(title)s”.")
                            % {"name": names.get(speaker, speaker), "when": when, "title": title},
                            (session.id,),
                        )
                    )
        if session.rooms is not None and room.id not in session.rooms:
            allowed = [draft.rooms[problem.room_index[x]].name for x in session.rooms]
            found.append(
                TimetableWarning(
                    "rooms",
                    _("“%(title)s” is in %(room)s; its format only uses %(rooms)s.")
                    % {"title": title, "room": room_name, "rooms": ", ".join(allowed)},
                    (session.id,),
                )
            )
        demand = problem.demand[s]
        if demand > room.capacity:
            found.append(
                TimetableWarning(
                    "capacity",
                    ngettext(
                        "%(count)d attendee wants “%(title)s” but %(room)s seats %(seats)d.",
                        "%(count)d attendees want “%(title)s” but %(room)s seats %(seats)d.",
                        demand,
                    )
                    % {"count": demand, "title": title, "room": room_name, "seats": room.capacity},
                    (session.id,),
                )
            )

    overlaps = {tuple(ids) for ids in room_use.values() if len(ids) > 1}
    for ids in sorted(overlaps):
        found.append(
            TimetableWarning(
                "overlap",
                _("These sessions share a room at the same time: %(titles)s.")
                % {"titles": ", ".join(f"“{titles[i]}”" for i in ids)},
                ids,
            )
        )
    clashes: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(list)
    for (speaker, u), ids in speaker_use.items():
        if len(ids) > 1:
            clashes[(speaker, tuple(sorted(ids)))].append(u)
    for (speaker, ids), used in sorted(clashes.items()):
        found.append(
            TimetableWarning(
                "clash",
                _("%(name)s presents %(titles)s at the same time (%(when)s).")
                % {
                    "name": names.get(speaker, speaker),
                    "titles": _(" and ").join(f"“{titles[i]}”" for i in ids),
                    "when": label[slots[min(used)].id],
                },
                ids,
            )
        )
    for placement in draft.stale:
        found.append(
            TimetableWarning(
                "stale",
                _("“%(title)s” is in the draft but no longer accepted; remove it.")
                % {"title": placement.proposal.title},
                (placement.proposal.code,),
            )
        )
    found.sort(key=lambda w: KINDS.index(w.kind))
    unplaced = sum(1 for s in problem.sessions if s.id not in assignment)
    return Review(figures=figures, warnings=found, unplaced=unplaced)
