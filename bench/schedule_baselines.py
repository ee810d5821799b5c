"""Baseline timetablers for the conference-timetabling benchmark (bench only).

Each baseline takes a parsed ``Problem`` (constellation.events.scheduling.problem) and
returns an assignment ``{session_id: (slot_id, room_id)}`` that respects every hard rule
(the benchmark checks it again with ``evaluate``):

- ``random_timetable``: sessions in random order, each put in a random free place that
  breaks no hard rule (fixed sessions first; a displaced session goes back in the queue
  when none is left).
- ``track_timetable``: what a programme committee does by hand: tracks from largest to
  smallest, each session in the slot that has the fewest sessions of its own track so far
  (then the emptiest slot), and in every slot the most popular sessions get the biggest
  rooms (an optimal popularity/capacity matching per slot, workshops keep their labs).
- ``annealing_timetable``: a greedy construction (most constrained and most wanted first,
  each into the free place with the best gain in A - O) followed by simulated annealing
  on A - O: moves put a session in another slot and/or room, swapping with the session
  that is there when both fit; A is updated incrementally for the attendees of the moved
  sessions only (exact interval scheduling on slot spans, vectorised with numpy), O per
  session; geometric cooling over the time budget from a temperature calibrated on
  random moves; the best timetable seen is returned.
- ``cpsat_timetable`` (needs ``ortools``: ``uv run --with ortools ...``): a CP-SAT model
  with booleans x[s, t, r] (start slot t, room r), exactly one per session; a room holds
  one session per slot (two-slot workshops cover both slots); a speaker is in one session
  per slot; unavailable slots and cross-day starts are never created. The objective is an
  approximation of A - O: A is replaced by (all interests) - (co-interest conflicts), where
  for each pair of sessions wanted together by w attendees a boolean "apart" earns w when
  their slot spans do not overlap (the heaviest ``max_pairs`` pairs only; an attendee with
  three wanted sessions in one slot costs 3 instead of 2, so it over-penalises); O is exact
  (each x[s, t, r] costs max(0, demand - capacity)). On large instances each session
  may only use its ``room_limit`` best rooms by overflow (and the room of the hint), to
  keep the model small. The hint is the track-based timetable. 2 workers by default.
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections import deque
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from constellation.events.scheduling.problem import Problem  # noqa: E402

Assignment = dict[str, tuple[str, str]]


class Board:
    """A partial timetable with incremental A and O (indices everywhere)."""

    def __init__(self, problem: Problem):
        self.problem = problem
        p = problem
        self.T = T = len(p.slots)
        self.R = R = len(p.rooms)
        self.N = N = len(p.sessions)
        self.cap = np.array([r.capacity for r in p.rooms], dtype=np.int64)
        self.dem = np.array(p.demand, dtype=np.int64)
        self.dur = [s.duration for s in p.sessions]
        self.fixed = [s.fixed is not None for s in p.sessions]
        self.starts: list[list[int]] = []
        self.rooms: list[list[int]] = []
        for s in p.sessions:
            if s.fixed:
                self.starts.append([p.slot_index[s.fixed[0]]])
                self.rooms.append([p.room_index[s.fixed[1]]])
            else:
                self.starts.append(p.allowed_starts(s))
                self.rooms.append(p.allowed_rooms(s))
            if not self.starts[-1] or not self.rooms[-1]:
                raise ValueError(f"session {s.id} has no allowed place")
        self.start_set = [set(x) for x in self.starts]
        self.room_set = [set(x) for x in self.rooms]
        self.spk = [
            np.array(sorted({p.person_index[x] for x in s.speakers if x in p.person_index}),
                     dtype=np.int64)
            for s in p.sessions
        ]
        # people who speak but are not listed in `people` still must not be double-booked
        extra: dict[str, int] = {}
        base = len(p.people)
        for k, s in enumerate(p.sessions):
            missing = [x for x in s.speakers if x not in p.person_index]
            if missing:
                ids = [extra.setdefault(x, base + len(extra)) for x in missing]
                self.spk[k] = np.array(sorted(set(self.spk[k].tolist()) | set(ids)), dtype=np.int64)
        P = base + len(extra)
        att_lists: list[list[int]] = [[] for _ in range(N)]
        for a, att in enumerate(p.attendees):
            for sid in att.interests:
                att_lists[p.session_index[sid]].append(a)
        self.att = [np.array(x, dtype=np.int64) for x in att_lists]
        self.n_att = len(p.attendees)
        self.U = p.upper_bound
        # state
        self.occ = np.full((T, R), -1, dtype=np.int64)
        self.busy = np.zeros((P, T), dtype=np.int64)
        self.c1 = np.zeros((self.n_att, T), dtype=np.int16)
        self.c2 = np.zeros((self.n_att, T), dtype=np.int16)
        self.A_att = np.zeros(self.n_att, dtype=np.int64)
        self.A = 0
        self.O = 0
        self.pos: list[tuple[int, int] | None] = [None] * N

    # ---- A by exact interval scheduling over slot spans (lengths 1 and 2) ------------------
    def attendable(self, atts: np.ndarray) -> np.ndarray:
        one = self.c1[atts] > 0
        two = self.c2[atts] > 0
        if not two.any():
            return one.sum(axis=1)
        f_prev2 = np.zeros(len(atts), dtype=np.int64)
        f_prev = np.zeros(len(atts), dtype=np.int64)
        for t in range(self.T):
            f = f_prev + one[:, t]
            if t >= 1:
                f = np.maximum(f, f_prev2 + two[:, t - 1])
            f_prev2, f_prev = f_prev, f
        return f_prev

    def _counts(self, s: int, t: int, sign: int) -> None:
        atts = self.att[s]
        if self.dur[s] == 1:
            self.c1[atts, t] += sign
        else:
            self.c2[atts, t] += sign

    def overflow(self, s: int, r: int) -> int:
        return max(0, int(self.dem[s] - self.cap[r]))

    # ---- low-level place / remove (no A update) ---------------------------------------------
    def _put(self, s: int, t: int, r: int) -> None:
        d = self.dur[s]
        self.occ[t:t + d, r] = s
        self.busy[self.spk[s], t:t + d] += 1
        self._counts(s, t, 1)
        self.pos[s] = (t, r)
        self.O += self.overflow(s, r)

    def _take(self, s: int) -> tuple[int, int]:
        t, r = self.pos[s]
        d = self.dur[s]
        self.occ[t:t + d, r] = -1
        self.busy[self.spk[s], t:t + d] -= 1
        self._counts(s, t, -1)
        self.pos[s] = None
        self.O -= self.overflow(s, r)
        return t, r

    def _refresh(self, atts: np.ndarray) -> int:
        new = self.attendable(atts)
        delta = int(new.sum() - self.A_att[atts].sum())
        self.A_att[atts] = new
        self.A += delta
        return delta

    def place(self, s: int, t: int, r: int) -> None:
        self._put(s, t, r)
        self._refresh(self.att[s])

    def remove(self, s: int) -> None:
        self._take(s)
        self._refresh(self.att[s])

    # ---- feasibility ------------------------------------------------------------------------
    def speakers_free(self, s: int, t: int) -> bool:
        spk = self.spk[s]
        return len(spk) == 0 or not self.busy[spk, t:t + self.dur[s]].any()

    def free_places(self, s: int) -> list[tuple[int, int]]:
        d = self.dur[s]
        rooms = self.rooms[s]
        out = []
        for t in self.starts[s]:
            if not self.speakers_free(s, t):
                continue
            free = (self.occ[t:t + d][:, rooms] == -1).all(axis=0)
            out.extend((t, rooms[k]) for k in np.flatnonzero(free))
        return out

    def assignment(self) -> Assignment:
        p = self.problem
        return {p.sessions[s].id: (p.slots[t].id, p.rooms[r].id)
                for s, (t, r) in enumerate(self.pos)}

    def load(self, assignment: Assignment) -> None:
        p = self.problem
        for sid, (slot, room) in assignment.items():
            self._put(p.session_index[sid], p.slot_index[slot], p.room_index[room])
        self._refresh(np.arange(self.n_att))

    # ---- construction with ejection ---------------------------------------------------------
    def construct(self, order: list[int], choose, rng: random.Random, max_steps: int = 200000):
        queue = deque(order)
        steps = 0
        while queue:
            steps += 1
            if steps > max_steps:
                raise RuntimeError("construction did not finish (instance too tight?)")
            s = queue.popleft()
            places = self.free_places(s)
            if places:
                t, r = choose(s, places)
                self.place(s, t, r)
                continue
            # eject: a random allowed place; whoever blocks it goes back in the queue
            for _ in range(50):
                t = rng.choice(self.starts[s])
                r = rng.choice(self.rooms[s])
                d = self.dur[s]
                blockers = {int(x) for x in self.occ[t:t + d, r] if x >= 0}
                for u in range(t, t + d):
                    for x in np.flatnonzero(self.busy[self.spk[s], u]):
                        person = self.spk[s][x]
                        for other, where in enumerate(self.pos):
                            if where and person in self.spk[other] and \
                                    where[0] <= u < where[0] + self.dur[other]:
                                blockers.add(other)
                if any(self.fixed[b] for b in blockers):
                    continue
                for b in blockers:
                    self.remove(b)
                    queue.append(b)
                self.place(s, t, r)
                break
            else:
                queue.append(s)


def _order_fixed_first(board: Board, rest: list[int]) -> list[int]:
    return [s for s in range(board.N) if board.fixed[s]] + [s for s in rest if not board.fixed[s]]


# ---- random ---------------------------------------------------------------------------------
def random_timetable(problem: Problem, *, seed: int = 0) -> Assignment:
    rng = random.Random(seed)
    board = Board(problem)
    rest = list(range(board.N))
    rng.shuffle(rest)
    board.construct(_order_fixed_first(board, rest), lambda s, places: rng.choice(places), rng)
    return board.assignment()


# ---- by hand: tracks spread over slots, popular sessions in big rooms -----------------------
def track_timetable(problem: Problem, *, seed: int = 0) -> Assignment:
    from scipy.optimize import linear_sum_assignment

    rng = random.Random(seed)
    board = Board(problem)
    tracks: dict[str, list[int]] = {}
    for s in problem.sessions:
        tracks.setdefault(s.track, []).append(s.index)
    order: list[int] = []
    for _name, members in sorted(tracks.items(), key=lambda kv: -len(kv[1])):
        # workshops and room-restricted sessions first (they are the hard ones to fit)
        members.sort(key=lambda s: (board.dur[s] == 1, problem.sessions[s].rooms is not None
                                    and board.dur[s] == 1, -board.dem[s]))
        order.extend(members)
    track_of = [s.track for s in problem.sessions]
    per_slot_track: dict[tuple[int, str], int] = {}
    per_slot = [0] * board.T
    tiebreak = [rng.random() for _ in range(board.T)]

    def choose(s, places):
        d = board.dur[s]

        def key(place):
            t, r = place
            same = sum(per_slot_track.get((u, track_of[s]), 0) for u in range(t, t + d))
            return (same, sum(per_slot[u] for u in range(t, t + d)), tiebreak[t],
                    board.overflow(s, r), board.cap[r])

        t, r = min(places, key=key)
        for u in range(t, t + d):
            per_slot_track[(u, track_of[s])] = per_slot_track.get((u, track_of[s]), 0) + 1
            per_slot[u] += 1
        return t, r

    board.construct(_order_fixed_first(board, order), choose, rng)
    # per slot: the most popular one-slot sessions in the biggest rooms that they may use
    for t in range(board.T):
        movable = [s for s in set(board.occ[t].tolist()) - {-1}
                   if board.dur[s] == 1 and not board.fixed[s]]
        if len(movable) < 2:
            continue
        rooms = [r for r in range(board.R) if board.occ[t, r] in movable or board.occ[t, r] == -1]
        cost = np.full((len(movable), len(rooms)), 1e12)
        rank = np.argsort(np.argsort([-board.dem[s] for s in movable]))
        for i, s in enumerate(movable):
            for j, r in enumerate(rooms):
                if r in board.room_set[s]:
                    cost[i, j] = board.overflow(s, r) + 1e-6 * rank[i] * board.cap[r]
        rows, cols = linear_sum_assignment(cost)
        for s in movable:
            board._take(s)
        for i, j in zip(rows, cols, strict=True):
            board._put(movable[i], t, rooms[j])
    board._refresh(np.arange(board.n_att))
    return board.assignment()


# ---- greedy + simulated annealing on A - O ----------------------------------------------------
def greedy_board(problem: Problem, *, seed: int = 0) -> Board:
    rng = random.Random(seed)
    board = Board(problem)
    rest = sorted(range(board.N), key=lambda s: (board.dur[s] == 1,
                                                  problem.sessions[s].rooms is None,
                                                  -board.dem[s]))
    load = [0] * board.T

    def choose(s, places):
        by_slot: dict[int, list[int]] = {}
        for t, r in places:
            by_slot.setdefault(t, []).append(r)
        best = None
        atts = board.att[s]
        base = board.A_att[atts].sum()
        for t, rooms in by_slot.items():
            board._counts(s, t, 1)
            gain = int(board.attendable(atts).sum() - base)
            board._counts(s, t, -1)
            # the room that loses fewest people; among those the smallest
            r = min(rooms, key=lambda r: (board.overflow(s, r), board.cap[r]))
            key = (gain - board.overflow(s, r), -load[t], rng.random())
            if best is None or key > best[0]:
                best = (key, t, r)
        _, t, r = best
        for u in range(t, t + board.dur[s]):
            load[u] += 1
        return t, r

    board.construct(_order_fixed_first(board, rest), choose, rng)
    return board


def annealing_timetable(problem: Problem, *, seconds: float = 120.0, seed: int = 0,
                        start: Assignment | None = None, t0_scale: float = 0.1,
                        t_end: float = 0.05, log=None) -> Assignment:
    started = time.perf_counter()
    rng = random.Random(seed)
    if start is None:
        board = greedy_board(problem, seed=seed)
    else:
        board = Board(problem)
        board.load(start)
    movable = [s for s in range(board.N) if not board.fixed[s]]
    if not movable:
        return board.assignment()
    best_value = board.A - board.O
    best = board.assignment()

    def attempt(temperature: float | None) -> tuple[bool, int]:
        """One random move; returns (applied, delta). temperature None: evaluate only."""
        s = rng.choice(movable)
        old_t, old_r = board.pos[s]
        d = board.dur[s]
        if d == 1 and rng.random() < 0.25:
            t = old_t  # a room change (or a room swap) inside the slot
            r = rng.choice(board.rooms[s])
        else:
            t = rng.choice(board.starts[s])
            rooms = board.rooms[s]
            free = [rooms[k] for k in
                    np.flatnonzero((board.occ[t:t + d][:, rooms] == -1).all(axis=0))]
            if free and rng.random() < 0.7:
                # the free room that loses fewest people, the smallest of those
                r = min(free, key=lambda r: (board.overflow(s, r), board.cap[r]))
            else:
                r = rng.choice(rooms)
        if (t, r) == (old_t, old_r):
            return False, 0
        cells = board.occ[t:t + d, r]
        others = {int(x) for x in cells if x >= 0 and x != s}
        s2 = None
        if others:
            if len(others) > 1:
                return False, 0
            s2 = others.pop()
            if board.fixed[s2] or board.dur[s2] != d or board.pos[s2] != (t, r) \
                    or old_t not in board.start_set[s2] or old_r not in board.room_set[s2]:
                return False, 0
        board._take(s)
        if s2 is not None:
            board._take(s2)
        ok = board.speakers_free(s, t)
        if ok:
            board._put(s, t, r)
            if s2 is not None:
                ok = board.speakers_free(s2, old_t)
                if ok:
                    board._put(s2, old_t, old_r)
                else:
                    board._take(s)
        if not ok:
            board._put(s, old_t, old_r)
            if s2 is not None:
                board._put(s2, t, r)
            return False, 0
        if t == old_t:
            atts = None
            new_a = None
            delta_a = 0
        else:
            atts = board.att[s] if s2 is None else np.union1d(board.att[s], board.att[s2])
            new_a = board.attendable(atts)
            delta_a = int(new_a.sum() - board.A_att[atts].sum())
        delta_o = board.overflow(s, r) - board.overflow(s, old_r)
        if s2 is not None:
            delta_o += board.overflow(s2, old_r) - board.overflow(s2, r)
        delta = delta_a - delta_o
        accept = temperature is not None and (
            delta >= 0 or rng.random() < math.exp(delta / temperature))
        if accept:
            if atts is not None:
                board.A_att[atts] = new_a
                board.A += delta_a
            return True, delta
        board._take(s)
        if s2 is not None:
            board._take(s2)
        board._put(s, old_t, old_r)
        if s2 is not None:
            board._put(s2, t, r)
        return False, delta

    # calibrate: typical size of a worsening move
    worse = []
    for _ in range(400):
        _, delta = attempt(None)
        if delta < 0:
            worse.append(-delta)
    t0 = max(1.0, t0_scale * float(np.median(worse)) if worse else 1.0)
    moves = accepted = 0
    budget = max(0.0, seconds - (time.perf_counter() - started))
    begin = time.perf_counter()
    temperature = t0
    while True:
        if moves % 200 == 0:
            elapsed = time.perf_counter() - begin
            if elapsed >= budget:
                break
            temperature = t0 * (t_end / t0) ** (elapsed / budget) if budget > 0 else t_end
        moves += 1
        applied, _ = attempt(temperature)
        if applied:
            accepted += 1
            value = board.A - board.O
            if value > best_value:
                best_value = value
                best = board.assignment()
    if log is not None:
        log.update(moves=moves, accepted=accepted, t0=t0, best_value=best_value)
    return best


# ---- OR-Tools CP-SAT ----------------------------------------------------------------------------
def cpsat_timetable(problem: Problem, *, seconds: float = 60.0, seed: int = 0, workers: int = 2,
                    hint: Assignment | None = None, max_pairs: int = 30000,
                    room_limit: int | None = None, log=None) -> Assignment:
    from ortools.sat.python import cp_model

    board = Board(problem)
    p = problem
    if hint is None:
        hint = track_timetable(problem, seed=seed)
    hint_pos = {p.session_index[sid]: (p.slot_index[t], p.room_index[r])
                for sid, (t, r) in hint.items()}
    if room_limit is None:
        room_limit = board.R if board.N * board.R <= 4000 else 12
    model = cp_model.CpModel()
    x: dict[tuple[int, int, int], object] = {}
    cover: dict[tuple[int, int], list] = {}  # (slot, room) -> x covering it
    occupied: dict[tuple[int, int], list] = {}  # (session, slot) -> x covering it
    objective = []
    for s in range(board.N):
        rooms = sorted(board.rooms[s], key=lambda r: (board.overflow(s, r), board.cap[r]))
        rooms = rooms[:room_limit]
        if hint_pos[s][1] not in rooms:
            rooms.append(hint_pos[s][1])
        mine = []
        for t in board.starts[s]:
            for r in rooms:
                v = model.NewBoolVar(f"x{s}_{t}_{r}")
                x[s, t, r] = v
                mine.append(v)
                for u in range(t, t + board.dur[s]):
                    cover.setdefault((u, r), []).append(v)
                    occupied.setdefault((s, u), []).append(v)
                over = board.overflow(s, r)
                if over:
                    objective.append(-over * v)
        model.AddExactlyOne(mine)
    for vs in cover.values():
        if len(vs) > 1:
            model.AddAtMostOne(vs)
    by_person: dict[int, list[int]] = {}
    for s in range(board.N):
        for person in board.spk[s].tolist():
            by_person.setdefault(person, []).append(s)
    for sessions in by_person.values():
        if len(sessions) < 2:
            continue
        for u in range(board.T):
            vs = [v for s in sessions for v in occupied.get((s, u), [])]
            if len(vs) > 1:
                model.AddAtMostOne(vs)
    start = []
    for s in range(board.N):
        start.append(model.NewIntVar(0, board.T - 1, f"start{s}"))
    # start[s] == sum t * x[s, t, r]  (built per session for speed)
    per_session: dict[int, list] = {}
    for (s, t, _r), v in x.items():
        per_session.setdefault(s, []).append((t, v))
    for s, items in per_session.items():
        model.Add(start[s] == sum(t * v for t, v in items))
    # co-interest pairs
    pair_w: dict[tuple[int, int], int] = {}
    index = p.session_index
    for att in p.attendees:
        ids = sorted(index[i] for i in att.interests)
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                key = (ids[a], ids[b])
                pair_w[key] = pair_w.get(key, 0) + 1
    total_w = sum(pair_w.values())
    pairs = sorted(pair_w.items(), key=lambda kv: -kv[1])
    pairs = [(k, w) for k, w in pairs if not (board.fixed[k[0]] and board.fixed[k[1]])]
    pairs = pairs[:max_pairs]
    kept_w = sum(w for _, w in pairs)
    hint_apart = {}
    for (i, j), w in pairs:
        apart = model.NewBoolVar(f"apart{i}_{j}")
        di, dj = board.dur[i], board.dur[j]
        if di == 1 and dj == 1:
            model.Add(start[i] != start[j]).OnlyEnforceIf(apart)
        else:
            before = model.NewBoolVar(f"before{i}_{j}")
            model.Add(start[i] + di <= start[j]).OnlyEnforceIf([apart, before])
            model.Add(start[j] + dj <= start[i]).OnlyEnforceIf([apart, before.Not()])
            ti, tj = hint_pos[i][0], hint_pos[j][0]
            model.AddHint(before, ti < tj)
        objective.append(w * apart)
        ti, tj = hint_pos[i][0], hint_pos[j][0]
        hint_apart[i, j] = ti + di <= tj or tj + dj <= ti
        model.AddHint(apart, hint_apart[i, j])
    for (s, t, r), v in x.items():
        model.AddHint(v, hint_pos[s] == (t, r))
    for s in range(board.N):
        model.AddHint(start[s], hint_pos[s][0])
    model.Maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.Solve(model)
    if log is not None:
        log.update(status=solver.StatusName(status), x_vars=len(x), pairs=len(pairs),
                   pair_weight_kept=round(kept_w / total_w, 4) if total_w else 1.0,
                   objective=solver.ObjectiveValue() if status in (cp_model.OPTIMAL,
                                                                   cp_model.FEASIBLE) else None,
                   bound=solver.BestObjectiveBound(), wall=solver.WallTime(),
                   room_limit=room_limit)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return hint
    out: Assignment = {}
    for (s, t, r), v in x.items():
        if solver.BooleanValue(v):
            out[p.sessions[s].id] = (p.slots[t].id, p.rooms[r].id)
    return out
