"""Check an answer against the hard rules and compute the quality figures A, U, O and Q.

Definitions (schedule-problem.md):

- A: for each attendee, the largest number of wanted sessions attendable without two of
  them sharing a slot (interval scheduling over slot spans; earliest end first is optimal),
  summed over attendees.
- U: for each attendee, min(number of interests, number of slots), summed.
- O: sum over sessions of max(0, demand - room capacity).
- Q = (A - O) / U, and A / U beside it.

A session that is missing, or placed at an unknown slot or room, does not count towards A
or O (and makes the answer infeasible).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .problem import Assignment, Problem


@dataclass(frozen=True)
class Figures:
    feasible: bool
    violations: list[str] = field(default_factory=list)
    A: int = 0
    U: int = 0
    O: int = 0  # noqa: E741 - the name used by the format
    Q: float = 0.0
    A_over_U: float = 0.0

    def summary(self) -> str:
        return (
            f"A={self.A} U={self.U} O={self.O} Q={self.Q:.4f} A/U={self.A_over_U:.4f}"
            f" {'feasible' if self.feasible else 'INFEASIBLE'}"
        )


def spans(problem: Problem, assignment: Assignment) -> dict[int, tuple[int, int, int]]:
    """{session index: (first slot index, last slot index, room index)} for usable entries."""
    result: dict[int, tuple[int, int, int]] = {}
    for session_id, (slot_id, room_id) in assignment.items():
        s = problem.session_index.get(session_id)
        t = problem.slot_index.get(slot_id)
        r = problem.room_index.get(room_id)
        if s is None or t is None or r is None:
            continue
        duration = problem.sessions[s].duration
        last = min(t + duration - 1, len(problem.slots) - 1)
        result[s] = (t, last, r)
    return result


def attendable(intervals: list[tuple[int, int]]) -> int:
    """Largest number of pairwise disjoint slot intervals (first, last): earliest end first."""
    count = 0
    last_end = -1
    for first, last in sorted(intervals, key=lambda iv: (iv[1], iv[0])):
        if first > last_end:
            count += 1
            last_end = last
    return count


def attendable_total(problem: Problem, placed: dict[int, tuple[int, int, int]]) -> int:
    index = problem.session_index
    total = 0
    for attendee in problem.attendees:
        intervals = []
        for session_id in attendee.interests:
            span = placed.get(index[session_id])
            if span is not None:
                intervals.append((span[0], span[1]))
        total += attendable(intervals)
    return total


def overflow_total(problem: Problem, placed: dict[int, tuple[int, int, int]]) -> int:
    demand = problem.demand
    return sum(max(0, demand[s] - problem.rooms[r].capacity) for s, (_, _, r) in placed.items())


def violations(problem: Problem, assignment: Assignment) -> list[str]:
    """Every broken hard rule, one readable line each (empty when the answer is feasible)."""
    found: list[str] = []
    slots, rooms = problem.slots, problem.rooms

    # Rule 1: every session exactly once, to a known slot and room.
    for session_id, (slot_id, room_id) in assignment.items():
        if session_id not in problem.session_index:
            found.append(f"Rule 1: unknown session {session_id!r} is assigned.")
        if slot_id not in problem.slot_index:
            found.append(f"Rule 1: session {session_id!r} is placed in unknown slot {slot_id!r}.")
        if room_id not in problem.room_index:
            found.append(f"Rule 1: session {session_id!r} is placed in unknown room {room_id!r}.")
    for session in problem.sessions:
        if session.id not in assignment:
            found.append(f"Rule 1: session {session.id!r} is not assigned.")

    placed = spans(problem, assignment)
    room_use: dict[tuple[int, int], list[str]] = defaultdict(list)
    speaker_use: dict[tuple[str, int], list[str]] = defaultdict(list)
    for s, (t, _last, r) in sorted(placed.items()):
        session = problem.sessions[s]
        # Rule 3: multi-slot sessions in consecutive slots of one day.
        if not problem.span_fits(t, session.duration):
            found.append(
                f"Rule 3: session {session.id!r} lasts {session.duration} slots and does not fit "
                f"in consecutive slots of one day from {slots[t].id!r}."
            )
        occupied = [u for u in problem.span(t, session.duration) if u < len(slots)]
        for u in occupied:
            room_use[(r, u)].append(session.id)
            for speaker in session.speakers:
                speaker_use[(speaker, u)].append(session.id)
        # Rule 5: unavailable slots of the session and its speakers.
        for u in occupied:
            if slots[u].id in session.unavailable:
                found.append(
                    f"Rule 5: session {session.id!r} uses slot {slots[u].id!r}, "
                    "where it is unavailable."
                )
            for speaker in session.speakers:
                person = problem.person_index.get(speaker)
                if person is not None and slots[u].id in problem.people[person].unavailable:
                    found.append(
                        f"Rule 5: session {session.id!r} uses slot {slots[u].id!r}, "
                        f"where speaker {speaker!r} is unavailable."
                    )
        # Rule 6: allowed rooms and fixed placement.
        if session.rooms is not None and rooms[r].id not in session.rooms:
            found.append(
                f"Rule 6: session {session.id!r} is in room {rooms[r].id!r}, "
                f"not one of its rooms ({', '.join(session.rooms)})."
            )
        if session.fixed is not None and session.fixed != (slots[t].id, rooms[r].id):
            found.append(
                f"Rule 6: session {session.id!r} is fixed to slot {session.fixed[0]!r} and room "
                f"{session.fixed[1]!r} but placed in slot {slots[t].id!r}, room {rooms[r].id!r}."
            )
    # Rule 2: one session per room and slot.
    for (r, u), ids in sorted(room_use.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if len(ids) > 1:
            found.append(
                f"Rule 2: room {rooms[r].id!r} holds {len(ids)} sessions in slot "
                f"{slots[u].id!r} ({', '.join(ids)})."
            )
    # Rule 4: nobody speaks in two sessions sharing a slot.
    for (speaker, u), ids in sorted(speaker_use.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if len(ids) > 1:
            found.append(
                f"Rule 4: {speaker!r} speaks in {len(ids)} sessions in slot "
                f"{slots[u].id!r} ({', '.join(ids)})."
            )
    return found


def evaluate(problem: Problem, assignment: Assignment) -> Figures:
    """Feasibility (every broken hard rule) and the figures A, U, O, Q, A/U."""
    broken = violations(problem, assignment)
    placed = spans(problem, assignment)
    a = attendable_total(problem, placed)
    o = overflow_total(problem, placed)
    u = problem.upper_bound
    return Figures(
        feasible=not broken,
        violations=broken,
        A=a,
        U=u,
        O=o,
        Q=(a - o) / u if u else 0.0,
        A_over_U=a / u if u else 0.0,
    )
