"""The conference timetable optimiser: maximise A - O under the hard rules.

Design (see /work/notes/sched-solver.md):

1. Every attendee's attendable count A_a only depends on which of their wanted sessions start
   in which slot. Intervals never cross days, so A_a is a sum over days, and the value of one
   day is a function of a small bit mask (one bit per (duration, start slot within the day)).
   That function (earliest-end interval scheduling) is tabulated once, so the change of A for
   moving a session to *every* slot at once is a couple of numpy gathers over the attendees
   who want it.
2. Construction: fixed sessions, then the hardest ones (long, restricted, few usable slots,
   high demand), each to the slot and free room with the best gain in A - O; a session that
   finds no free room may evict one that can be placed elsewhere.
3. Improvement: simulated annealing on A - O that keeps every hard rule at every step.
   Moves: relocate one session by heat-bath sampling over all its feasible (slot, room)
   placements (a room held by a one-slot session counts as available when that session can
   move to a free room of the same slot; its extra overflow is part of the price), and
   exchange the slots and rooms of two sessions of equal duration (the partner's slot is
   drawn by the gain in A). Popular sessions are drawn more often. After each accepted
   move the rooms of the touched slots are re-matched for overflow
   (scipy linear_sum_assignment over the one-slot sessions; longer ones keep their room).
   The last tenth of the schedule descends at low temperature from the best timetable seen.
4. Two cores: the schedule runs in three phases; in each, two forked processes anneal from
   the best timetable so far with different seeds and the better result carries on. With
   ``iterations`` given the run is single-process and repeatable for a seed.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import time
from collections.abc import Callable

import numpy as np
from scipy.optimize import linear_sum_assignment

from .evaluate import Figures, evaluate
from .problem import Assignment, Problem

TABLE_BITS = 22
T_START = 0.03  # start temperature, times the mean demand
T_END = 0.007  # end of the annealing proper, times the mean demand
QUENCH_AT = 0.9  # the last tenth descends from the best timetable at low temperature
PICK_POWER = 0.5  # sessions are drawn with weight (demand + 1) ** PICK_POWER
P_RELOCATE = 0.7  # share of relocation moves (the others exchange two sessions)
ITER_PER_SESSION = 2000  # iteration cap per chain when timed, per movable session ...
CAPPED_BELOW = 60  # ... for fewer movable sessions than this; larger runs use all their time


def _day_value(masks: np.ndarray, lmax: int, durations: list[int]) -> np.ndarray:
    """Interval scheduling value of day masks (bit k * lmax + i: duration k starts at i)."""
    masks = np.asarray(masks, dtype=np.int64)
    count = np.zeros(masks.shape, dtype=np.int8)
    last_end = np.full(masks.shape, -1, dtype=np.int16)
    for end in range(lmax):
        take = np.zeros(masks.shape, dtype=bool)
        for k, d in enumerate(durations):
            first = end - d + 1
            if first < 0:
                continue
            bit = ((masks >> (k * lmax + first)) & 1).astype(bool)
            take |= bit & (last_end < first)
        count += take
        last_end = np.where(take, end, last_end)
    return count


class _State:
    """Incremental timetable: rooms, speakers and per-attendee day masks."""

    def __init__(self, problem: Problem, rng: np.random.Generator):
        self.problem = problem
        self.rng = rng
        p = problem
        S, R, N = len(p.slots), len(p.rooms), len(p.sessions)
        self.S, self.R, self.N = S, R, N
        self.dur = np.array([s.duration for s in p.sessions], dtype=np.int64)
        self.durations = sorted(set(self.dur.tolist()))
        self.plane = np.array([self.durations.index(d) for d in self.dur], dtype=np.int64)
        self.day = np.array(p.day_of_slot, dtype=np.int64)
        self.ndays = int(self.day.max()) + 1
        first_of_day = np.zeros(self.ndays, dtype=np.int64)
        for t in range(S - 1, -1, -1):
            first_of_day[self.day[t]] = t
        self.pos = np.arange(S) - first_of_day[self.day]  # position within the day
        self.lmax = int(self.pos.max()) + 1
        K = len(self.durations)
        self.bits = K * self.lmax
        # bit value of session s starting at slot t in its day mask
        self.bitval = np.left_shift(
            np.int64(1), self.plane[:, None] * self.lmax + self.pos[None, :]
        ).astype(np.int64)
        if self.bits <= TABLE_BITS:
            self.table = _day_value(np.arange(1 << self.bits), self.lmax, self.durations)
        else:
            self.table = None
        # attendees
        demand = np.array(p.demand, dtype=np.int64)
        self.demand = demand
        att_lists: list[list[int]] = [[] for _ in range(N)]
        for a, attendee in enumerate(p.attendees):
            for sid in attendee.interests:
                att_lists[p.session_index[sid]].append(a)
        self.att = [np.array(lst, dtype=np.int64) for lst in att_lists]
        M = len(p.attendees)
        self.M = M
        self.C = np.zeros((M, K * S), dtype=np.int16)
        self.mask = np.zeros((M, self.ndays), dtype=np.int64)
        # rooms and capacities
        cap = np.array([r.capacity for r in p.rooms], dtype=np.int64)
        self.cap = cap
        self.ov = np.maximum(0, demand[:, None] - cap[None, :])  # N x R overflow
        self.allowed_room = np.zeros((N, R), dtype=bool)
        self.allowed_start = np.zeros((N, S), dtype=bool)
        self.pref: list[np.ndarray] = []
        self.speakers: list[np.ndarray] = []
        self.fixed = np.zeros(N, dtype=bool)
        self.fixed_at: list[tuple[int, int] | None] = []
        for s in p.sessions:
            i = s.index
            rooms = p.allowed_rooms(s)
            self.allowed_room[i, rooms] = True
            self.allowed_start[i, p.allowed_starts(s)] = True
            order = sorted(rooms, key=lambda r: (self.ov[i, r], cap[r], r))
            self.pref.append(np.array(order, dtype=np.int64))
            self.speakers.append(np.array([p.person_index[x] for x in s.speakers], dtype=np.int64))
            if s.fixed is not None:
                self.fixed[i] = True
                self.fixed_at.append((p.slot_index[s.fixed[0]], p.room_index[s.fixed[1]]))
            else:
                self.fixed_at.append(None)
        self.speaker_sets = [frozenset(x.tolist()) for x in self.speakers]
        self.start_list = [np.flatnonzero(row) for row in self.allowed_start]
        self.P = max(1, len(p.people))
        self.spk_busy = np.zeros((self.P, S), dtype=np.int32)
        self.room_occ = np.full((R, S), -1, dtype=np.int64)
        self.start = np.full(N, -1, dtype=np.int64)
        self.room = np.full(N, -1, dtype=np.int64)
        self.A = 0
        self.O = 0
        self.evict: np.ndarray | None = None
        self.evict_to = np.full((R, S), -1, dtype=np.int64)

    # ---- attendee part -----------------------------------------------------------------
    def value(self, masks: np.ndarray) -> np.ndarray:
        if self.table is not None:
            return self.table[masks]
        return _day_value(masks, self.lmax, self.durations)

    def delta_a(self, s: int, targets: np.ndarray) -> np.ndarray:
        """Change of A when session s moves from its start (or from unplaced) to each target."""
        atts = self.att[s]
        if atts.size == 0 or targets.size == 0:
            return np.zeros(targets.size, dtype=np.int64)
        t1 = self.start[s]
        k = self.plane[s]
        base = self.mask[atts]  # n x days
        removal = 0
        if t1 >= 0:
            d1 = self.day[t1]
            c = self.C[atts, k * self.S + t1]
            old = base[:, d1]
            new = old & ~((c == 1) * self.bitval[s, t1])
            removal = int(self.value(new).sum()) - int(self.value(old).sum())
            base = base.copy()
            base[:, d1] = new
        days = self.day[targets]
        cur = base[:, days]  # n x c
        added = cur | self.bitval[s, targets][None, :]
        gain = self.value(added).sum(axis=0, dtype=np.int64) - self.value(cur).sum(
            axis=0, dtype=np.int64
        )
        result = gain + removal
        if t1 >= 0:
            result[targets == t1] = 0
        return result

    def move_attendees(self, s: int, t1: int, t2: int) -> None:
        atts = self.att[s]
        if atts.size == 0 or t1 == t2:
            return
        k = self.plane[s]
        if t1 >= 0:
            col = k * self.S + t1
            self.C[atts, col] -= 1
            cleared = self.C[atts, col] == 0
            if cleared.any():
                who = atts[cleared]
                self.mask[who, self.day[t1]] &= ~self.bitval[s, t1]
        if t2 >= 0:
            col = k * self.S + t2
            self.C[atts, col] += 1
            self.mask[atts, self.day[t2]] |= self.bitval[s, t2]

    def total_a(self) -> int:
        return int(self.value(self.mask).sum(dtype=np.int64))

    # ---- placement ---------------------------------------------------------------------
    def place(self, s: int, t: int, r: int) -> None:
        """Move s (placed or not) to start t in room r; t = -1 unplaces it."""
        t1, r1, d = self.start[s], self.room[s], self.dur[s]
        if t1 >= 0:
            self.room_occ[r1, t1 : t1 + d] = -1
            if self.speakers[s].size:
                self.spk_busy[self.speakers[s], t1 : t1 + d] -= 1
            self.O -= int(self.ov[s, r1])
        self.move_attendees(s, t1, t)
        if t >= 0:
            self.room_occ[r, t : t + d] = s
            if self.speakers[s].size:
                self.spk_busy[self.speakers[s], t : t + d] += 1
            self.O += int(self.ov[s, r])
        self.start[s], self.room[s] = t, (r if t >= 0 else -1)

    def candidates(self, s: int):
        """Feasible starts for s (keeping everything else) with the best free room for each."""
        S, d = self.S, int(self.dur[s])
        t1 = self.start[s]
        ok = self.allowed_start[s].copy()
        spk = self.speakers[s]
        if spk.size:
            busy = self.spk_busy[spk].sum(axis=0)
            if t1 >= 0:
                busy = busy.copy()
                busy[t1 : t1 + d] -= spk.size
            span_busy = busy.copy()
            for j in range(1, d):
                span_busy[: S - j] += busy[j:]
            ok &= span_busy == 0
        pref = self.pref[s]
        occ = self.room_occ[pref]
        free = (occ < 0) | (occ == s)
        if d == 1 and self.evict is not None:
            # a room held by a movable one-slot session can be had by moving that session to
            # a free room of the same slot: its extra overflow is the price of the room
            cost = self.ov[s, pref][:, None] + self.evict[pref]
            if t1 >= 0:
                cost[:, t1] = np.where(free[:, t1], self.ov[s, pref], np.inf)
            best = cost.argmin(axis=0)
            price = cost[best, np.arange(S)]
            ok &= np.isfinite(price)
            targets = np.flatnonzero(ok)
            return targets, pref[best[targets]], price[targets]
        if d > 1:
            span_free = free.copy()
            for j in range(1, d):
                span_free[:, : S - j] &= free[:, j:]
                span_free[:, S - j :] = False
            free = span_free
        ok &= free.any(axis=0)
        targets = np.flatnonzero(ok)
        rooms = pref[free[:, targets].argmax(axis=0)] if targets.size else targets
        return targets, rooms, self.ov[s, rooms]

    def refresh_evict(self, t: int) -> None:
        """evict[r, t]: extra overflow of moving the occupant of room r to a free room in t."""
        column = self.room_occ[:, t]
        free = column < 0
        self.evict[:, t] = np.where(free, 0.0, np.inf)
        self.evict_to[:, t] = -1
        occupied = np.flatnonzero(~free)
        if occupied.size == 0 or not free.any():
            return
        ys = column[occupied]
        movable = (~self.fixed[ys]) & (self.dur[ys] == 1)
        occupied, ys = occupied[movable], ys[movable]
        if ys.size == 0:
            return
        free_rooms = np.flatnonzero(free)
        cost = np.where(
            self.allowed_room[np.ix_(ys, free_rooms)],
            self.ov[np.ix_(ys, free_rooms)].astype(float),
            np.inf,
        )
        best = cost.argmin(axis=1)
        self.evict[occupied, t] = cost[np.arange(ys.size), best] - self.ov[ys, occupied]
        self.evict_to[occupied, t] = free_rooms[best]

    def relocate(self, s: int, t: int, r: int) -> None:
        """Place s at (t, r), first moving a one-slot occupant of r to its free room."""
        if self.dur[s] == 1:
            y = int(self.room_occ[r, t])
            if y >= 0 and y != s:
                self.place(y, t, int(self.evict_to[r, t]))
        self.place(s, t, r)

    def match_rooms(self, t: int) -> None:
        """Re-match rooms of the movable one-slot sessions in slot t to minimise overflow."""
        column = self.room_occ[:, t]
        occupants = column[column >= 0]
        ss = occupants[(self.dur[occupants] == 1) & ~self.fixed[occupants]]
        if ss.size < 2:
            return
        current = self.room[ss]
        over = self.ov[ss, current] > 0
        if not over.any():
            return  # nobody overflows: nothing to gain
        rooms = np.flatnonzero((column < 0) | np.isin(column, ss))
        # worth matching only if an overflowing session could use a bigger room that is free
        # or held by a session with smaller demand
        holder = column[rooms]
        holder_demand = np.where(holder >= 0, self.demand[np.maximum(holder, 0)], -1)
        xs = ss[over]
        better = (
            (self.cap[rooms][None, :] > self.cap[self.room[xs]][:, None])
            & (holder_demand[None, :] < self.demand[xs][:, None])
            & self.allowed_room[np.ix_(xs, rooms)]
        )
        if not better.any():
            return
        cost = self.ov[np.ix_(ss, rooms)].astype(float) + self.cap[rooms][None, :] * 1e-7
        cost[~self.allowed_room[np.ix_(ss, rooms)]] = 1e12
        rows, cols = linear_sum_assignment(cost)
        new = rooms[cols]
        ss = ss[rows]
        if np.array_equal(new, self.room[ss]):
            return
        self.room_occ[self.room[ss], t] = -1
        self.O += int(self.ov[ss, new].sum() - self.ov[ss, self.room[ss]].sum())
        self.room_occ[new, t] = ss
        self.room[ss] = new


def _construct(st: _State, order: list[int]) -> list[int]:
    """Greedy placement; returns the sessions that found no feasible place."""
    failed: list[int] = []
    for s in order:
        if st.start[s] >= 0:
            continue
        if not _place_best(st, s) and not _place_with_eviction(st, s):
            failed.append(s)
    return failed


def _place_best(st: _State, s: int) -> bool:
    targets, rooms, _price = st.candidates(s)
    if targets.size == 0:
        return False
    score = st.delta_a(s, targets) - st.ov[s, rooms]
    filled = (st.room_occ[:, targets] >= 0).sum(axis=0)
    best = int(np.argmax(score * 1000 - filled))
    st.A += int(score[best] + st.ov[s, rooms[best]])
    st.place(s, int(targets[best]), int(rooms[best]))
    return True


def _place_with_eviction(st: _State, s: int) -> bool:
    """Put s where only a room is missing, moving the one-slot session there elsewhere."""
    d = int(st.dur[s])
    for t in np.flatnonzero(st.allowed_start[s]):
        t = int(t)
        spk = st.speakers[s]
        if spk.size and st.spk_busy[spk, t : t + d].any():
            continue
        for r in st.pref[s]:
            occupants = {int(x) for x in st.room_occ[r, t : t + d]}
            if any(x >= 0 and (st.fixed[x] or st.dur[x] > 1) for x in occupants):
                continue
            victims = [x for x in occupants if x >= 0]
            if len(victims) != 1:
                continue
            x = victims[0]
            tx, rx = int(st.start[x]), int(st.room[x])
            _unplace(st, x)
            if any(st.room_occ[r, u] >= 0 for u in range(t, t + d)):
                _replace(st, x, tx, rx)
                continue
            st.A += int(st.delta_a(s, np.array([t]))[0])
            st.place(s, t, int(r))
            if _place_best(st, x):
                return True
            _unplace(st, s)
            _replace(st, x, tx, rx)
    return False


def _unplace(st: _State, s: int) -> None:
    atts = st.att[s]
    if atts.size:
        before = int(st.value(st.mask[atts]).sum())
        st.place(s, -1, -1)
        st.A += int(st.value(st.mask[atts]).sum()) - before
    else:
        st.place(s, -1, -1)


def _replace(st: _State, s: int, t: int, r: int) -> None:
    st.A += int(st.delta_a(s, np.array([t]))[0])
    st.place(s, t, r)


def _order(st: _State) -> list[int]:
    p = st.problem
    keys = []
    for s in range(st.N):
        starts = int(st.allowed_start[s].sum())
        rooms = int(st.allowed_room[s].sum())
        tight = starts * rooms / max(1, st.S * st.R)
        keys.append((-int(st.dur[s]), round(tight, 1), -int(st.demand[s]), s))
    del p
    return [k[-1] for k in sorted(keys)]


def solve(
    problem: Problem,
    *,
    seconds: float = 30,
    seed: int = 0,
    progress: Callable[[float, int], None] | None = None,
    iterations: int | None = None,
    workers: int | None = None,
) -> tuple[Assignment, Figures, dict]:
    """Timetable the problem within about ``seconds`` seconds.

    Returns (assignment, figures, info). The assignment respects every hard rule whenever a
    feasible timetable was found; otherwise ``figures.feasible`` is False and ``info["unplaced"]``
    lists the sessions that could not be placed. ``iterations`` fixes the length of the
    annealing (deterministic for a given seed); by default it is set by the time budget.
    ``progress(fraction_done, best_a_minus_o)`` is called now and then. ``workers`` chains
    run in parallel processes (default: 2 when timed, 1 with ``iterations``); every phase of
    the schedule continues from the best timetable found by any of them.
    """
    began = time.perf_counter()
    rng = np.random.default_rng(seed)
    st = _State(problem, rng)
    info: dict = {"seed": seed}

    # 1. fixed sessions exactly where they are pinned
    for s in range(st.N):
        if st.fixed_at[s] is not None:
            t, r = st.fixed_at[s]
            st.A += int(st.delta_a(s, np.array([t]))[0])
            st.place(s, t, r)
    # 2. greedy construction, retried with shuffled orders if some session finds no place
    order = _order(st)
    failed = _construct(st, order)
    attempt = 0
    while failed and attempt < 20 and time.perf_counter() - began < seconds * 0.3:
        attempt += 1
        for s in range(st.N):
            if st.start[s] >= 0 and not st.fixed[s]:
                _unplace(st, s)
        front = [s for s in failed]
        rest = [s for s in order if s not in set(front)]
        rng.shuffle(rest)
        order = front + rest
        failed = _construct(st, order)
    info["construction_seconds"] = round(time.perf_counter() - began, 3)
    info["constructed"] = {"A": st.A, "O": st.O}
    for t in range(st.S):
        st.match_rooms(t)

    if not failed:
        # keep a little time for the final check of the answer
        reserve = min(0.1 * seconds, 0.2 + 2e-6 * sum(len(a.interests) for a in problem.attendees))
        _improve(st, began + seconds - reserve, iterations, seed, workers, progress, info)
    else:
        info["unplaced"] = [problem.sessions[s].id for s in failed]

    assignment = {
        problem.sessions[s].id: (problem.slots[st.start[s]].id, problem.rooms[st.room[s]].id)
        for s in range(st.N)
        if st.start[s] >= 0
    }
    figures = evaluate(problem, assignment)
    info["tracked"] = {"A": int(st.A), "O": int(st.O)}  # the solver's own running figures
    info["seconds"] = round(time.perf_counter() - began, 3)
    return assignment, figures, info


def _anneal(
    st: _State,
    *,
    deadline: float,
    limit: int,
    f0: float = 0.0,
    f1: float = 1.0,
    by_time: bool = True,
    progress=None,
) -> dict:
    """Anneal from the current timetable over the fractions f0..f1 of the whole schedule."""
    rng = st.rng
    movable = np.flatnonzero(~st.fixed)
    result = {"best": st.A - st.O, "start": st.start.copy(), "room": st.room.copy()}
    result.update(iterations=0, accepted=0)
    if movable.size == 0:
        return result
    st.evict = np.zeros((st.R, st.S))
    for t in range(st.S):
        st.refresh_evict(t)
    scale = float(np.mean(st.demand[st.demand > 0])) if (st.demand > 0).any() else 1.0
    t_start = max(0.5, T_START * scale)
    t_end = max(0.1, T_END * scale)
    quench_at = QUENCH_AT
    p_relocate = P_RELOCATE
    # popular sessions are drawn more often (weight sqrt(demand + 1))
    weights_by_demand = (st.demand[movable] + 1.0) ** PICK_POWER
    pick_cdf = np.cumsum(weights_by_demand) / weights_by_demand.sum()
    quenching = f0 >= quench_at
    current = st.A - st.O
    best = current
    best_start, best_room = st.start.copy(), st.room.copy()
    it = 0
    accepted = 0
    start_clock = time.perf_counter()
    span = max(1e-9, deadline - start_clock)
    fraction = f0
    while it < limit:
        if it % 64 == 0:
            now = time.perf_counter()
            if now >= deadline:
                break
            local = max(it / limit, (now - start_clock) / span) if by_time else it / limit
            fraction = f0 + (f1 - f0) * min(1.0, local)
            if progress is not None and it % 4096 == 0:
                progress(fraction, best)
        it += 1
        if fraction < quench_at:
            temperature = t_start * (t_end / t_start) ** (fraction / quench_at)
        else:
            if not quenching:
                # last stretch: greedy-like descent from the best timetable seen
                quenching = True
                _restore(st, best_start, best_room)
                current = st.A - st.O
            low = (fraction - quench_at) / max(1e-9, 1 - quench_at)
            temperature = 0.1 * t_end * (0.2**low)
        s = int(movable[min(movable.size - 1, int(np.searchsorted(pick_cdf, rng.random())))])
        if rng.random() < p_relocate or st.start[s] < 0:
            targets, rooms, price = st.candidates(s)
            if targets.size <= 1:
                continue
            da = st.delta_a(s, targets)
            r1 = int(st.room[s])
            score = da - (price - st.ov[s, r1])
            pick = _gibbs_pick(rng, score, temperature)
            t2, r2 = int(targets[pick]), int(rooms[pick])
            t1 = int(st.start[s])
            if t2 == t1 and r2 == r1:
                continue
            if t2 == t1 and st.ov[s, r2] >= st.ov[s, r1]:
                continue
            st.A += int(da[pick])
            st.relocate(s, t2, r2)
            accepted += 1
            if st.dur[s] == 1:
                st.match_rooms(t1)
                st.match_rooms(t2)
            for u in {*range(t1, t1 + int(st.dur[s])), *range(t2, t2 + int(st.dur[s]))}:
                st.refresh_evict(u)
        else:
            # exchange with a session of a slot drawn by its gain in A for s
            d = int(st.dur[s])
            t1, r1 = int(st.start[s]), int(st.room[s])
            starts = st.start_list[s]
            if starts.size <= 1:
                continue
            gains = st.delta_a(s, starts).astype(float)
            t2 = int(starts[_gibbs_pick(rng, gains, temperature)])
            if abs(t1 - t2) < d:
                continue
            column = st.room_occ[:, t2]
            pool = [
                int(y)
                for y in column[column >= 0]
                if st.start[y] == t2 and st.dur[y] == d and not st.fixed[y]
            ]
            if not pool:
                continue
            x = pool[int(rng.integers(len(pool)))]
            r2 = int(st.room[x])
            if not st.allowed_start[x, t1]:
                continue
            if not (st.allowed_room[s, r2] and st.allowed_room[x, r1]):
                continue
            if not _speakers_swap_ok(st, s, x, t1, t2):
                continue
            da1 = int(st.delta_a(s, np.array([t2]))[0])
            st.move_attendees(s, t1, t2)
            st.start[s] = t2
            da2 = int(st.delta_a(x, np.array([t1]))[0])
            st.move_attendees(s, t2, t1)
            st.start[s] = t1
            delta = da1 + da2 - int(st.ov[s, r2] + st.ov[x, r1] - st.ov[s, r1] - st.ov[x, r2])
            if delta < 0 and rng.random() >= math.exp(delta / temperature):
                continue
            st.place(s, -1, -1)
            st.place(x, t1, r1)
            st.place(s, t2, r2)
            st.A += da1 + da2
            accepted += 1
            if st.dur[s] == 1:
                st.match_rooms(t1)
                st.match_rooms(t2)
            for u in {*range(t1, t1 + int(st.dur[s])), *range(t2, t2 + int(st.dur[s]))}:
                st.refresh_evict(u)
        current = st.A - st.O
        if current > best:
            best = current
            best_start[:], best_room[:] = st.start, st.room
    _restore(st, best_start, best_room)
    result.update(best=best, start=best_start, room=best_room, iterations=it, accepted=accepted)
    return result


def _gibbs_pick(rng: np.random.Generator, score: np.ndarray, temperature: float) -> int:
    """Index drawn with probability proportional to exp(score / temperature)."""
    cumulative = np.cumsum(np.exp((score - score.max()) / temperature))
    return min(score.size - 1, int(np.searchsorted(cumulative, rng.random() * cumulative[-1])))


_SHARED: dict = {}


def _worker(job: tuple) -> dict:
    seed, deadline, limit, f0, f1 = job
    st = _SHARED["state"]
    st.rng = np.random.default_rng(seed)
    return _anneal(st, deadline=deadline, limit=limit, f0=f0, f1=f1)


PHASES = ((0.0, 0.45), (0.45, QUENCH_AT), (QUENCH_AT, 1.0))


def _improve(st: _State, deadline: float, iterations, seed, workers, progress, info) -> None:
    movable = int((~st.fixed).sum())
    if iterations is not None:
        limit = iterations
    elif movable < CAPPED_BELOW:
        limit = max(20000, ITER_PER_SESSION * movable)  # small: converged long before
    else:
        limit = 1 << 40
    if workers is None:
        workers = 1 if iterations is not None else min(2, os.cpu_count() or 1)
    if (
        "fork" not in multiprocessing.get_all_start_methods()
        or multiprocessing.current_process().daemon
    ):
        workers = 1  # no forking here (Windows, or inside a daemonic worker process)
    if workers <= 1 or movable == 0:
        result = _anneal(
            st, deadline=deadline, limit=limit, by_time=iterations is None, progress=progress
        )
        info.update(iterations=result["iterations"], accepted=result["accepted"], workers=1)
        return
    # several independent chains per phase; every phase continues from the best so far
    context = multiprocessing.get_context("fork")
    total_iterations = 0
    for phase, (f0, f1) in enumerate(PHASES):
        now = time.perf_counter()
        if now >= deadline:
            break
        phase_deadline = now + (deadline - now) * (f1 - f0) / (1 - f0)
        phase_limit = max(1, int(limit * (f1 - f0)))
        jobs = [
            (seed * 1000 + phase * 10 + w, phase_deadline, phase_limit, f0, f1)
            for w in range(workers)
        ]
        _SHARED["state"] = st
        try:
            with context.Pool(workers) as pool:
                results = pool.map(_worker, jobs)
        finally:
            _SHARED.clear()
        winner = max(results, key=lambda r: r["best"])
        total_iterations += sum(r["iterations"] for r in results)
        if winner["best"] > st.A - st.O:
            _restore(st, winner["start"], winner["room"])
        if progress is not None:
            progress(f1, st.A - st.O)
    info.update(iterations=total_iterations, workers=workers)


def _restore(st: _State, starts: np.ndarray, rooms: np.ndarray) -> None:
    for s in range(st.N):
        if not st.fixed[s]:
            st.place(s, -1, -1)
    for s in range(st.N):
        if not st.fixed[s]:
            st.place(s, int(starts[s]), int(rooms[s]))
    st.A = st.total_a()
    for t in range(st.S):
        st.match_rooms(t)
    if st.evict is not None:
        for t in range(st.S):
            st.refresh_evict(t)


def _speakers_swap_ok(st: _State, s: int, x: int, t1: int, t2: int) -> bool:
    d = int(st.dur[s])
    busy = st.spk_busy
    for a, other, to in ((s, x, t2), (x, s, t1)):
        leaving = st.speaker_sets[other]
        for p in st.speaker_sets[a]:
            for u in range(to, to + d):
                if busy[p, u] - (p in leaving) > 0:
                    return False
    return True
