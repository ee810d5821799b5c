"""Cheap bounds that are tighter than U (they hold for every feasible timetable).

- ``attendee_bound``: per attendee, at most all wanted sessions that are not fixed plus the
  largest set of their fixed wanted sessions that do not share a slot; and at most the
  largest number of wanted sessions whose durations add up to no more than the slots
  (disjoint sessions cannot use more slots than there are). Summed over attendees, a bound
  on A (never above U).
- ``overflow_floor``: a relaxation of the room assignment. Every room has one place per slot
  and every session needs a place in one of its rooms (its fixed room when fixed); ignoring
  slots, speakers and the second slot of long sessions, the cheapest such assignment
  (linear_sum_assignment) overflows no more than any timetable. A bound from below on O.

So no timetable reaches (A - O) above ``attendee_bound - overflow_floor``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from .evaluate import attendable
from .problem import Problem


def attendee_bound(problem: Problem) -> int:
    n_slots = len(problem.slots)
    sessions = problem.sessions
    index = problem.session_index
    total = 0
    for attendee in problem.attendees:
        wanted = [sessions[index[s]] for s in attendee.interests]
        fixed = []
        free = 0
        for session in wanted:
            if session.fixed is None:
                free += 1
            else:
                t = problem.slot_index[session.fixed[0]]
                fixed.append((t, t + session.duration - 1))
        by_conflicts = free + attendable(fixed)
        used = count = 0
        for duration in sorted(s.duration for s in wanted):
            if used + duration > n_slots:
                break
            used += duration
            count += 1
        total += min(by_conflicts, count, len(wanted), n_slots)
    return total


def overflow_floor(problem: Problem) -> int:
    demand = np.array(problem.demand, dtype=np.int64)
    capacity = np.array([r.capacity for r in problem.rooms], dtype=np.int64)
    n, n_rooms, n_slots = len(problem.sessions), len(problem.rooms), len(problem.slots)
    if n == 0:
        return 0
    if n > n_rooms * n_slots:
        return 0  # no timetable exists anyway
    cost = np.maximum(0, demand[:, None] - capacity[None, :]).astype(float)
    for session in problem.sessions:
        if session.fixed is not None:
            allowed = [problem.room_index[session.fixed[1]]]
        else:
            allowed = problem.allowed_rooms(session)
        blocked = np.ones(n_rooms, dtype=bool)
        blocked[allowed] = False
        cost[session.index, blocked] = 1e12
    cells = np.repeat(cost, n_slots, axis=1)  # every room n_slots times
    rows, cols = linear_sum_assignment(cells)
    total = cells[rows, cols].sum()
    if total >= 1e12:
        return 0
    return int(round(total))


def served_bound(problem: Problem) -> int:
    """No feasible timetable has A - O above this."""
    return attendee_bound(problem) - overflow_floor(problem)
