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

- ``partition_bound`` (slower; the benchmark uses it): a column-generation (Dantzig-Wolfe)
  bound on the attendees' losses. Shrink every session to its first slot (intervals only
  get shorter, so nobody can attend fewer). Then a timetable is a partition of the sessions
  into at most T groups (one per start slot) of at most R sessions (one room each), and an
  attendee with no more interests than slots loses exactly sum over groups of
  max(0, wanted in the group - 1). For any prices pi, the least total loss of a partition is
  at least sum(pi) + T * min(0, min over groups g of (loss(g) - pi(g))); the minimum over
  groups is bounded from below by a small MILP (HiGHS, its dual bound), the prices come from
  the LP over the groups found so far. LP relaxations over slots are useless here (spreading
  every session evenly over all slots lets everyone attend everything); the group LP is not
  symmetric in the slots and holds the pigeonhole that makes attendees lose interests.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, linprog, milp

from .evaluate import attendable
from .problem import Problem


def attendee_caps(problem: Problem) -> list[int]:
    """Per attendee, the most wanted sessions any timetable lets them attend (see above)."""
    n_slots = len(problem.slots)
    sessions = problem.sessions
    index = problem.session_index
    caps = []
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
        caps.append(min(by_conflicts, count, len(wanted), n_slots))
    return caps


def attendee_bound(problem: Problem) -> int:
    return sum(attendee_caps(problem))


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


@dataclass(frozen=True)
class PartitionBound:
    loss_floor: int  # no timetable loses fewer interests of the attendees counted
    a_bound: int  # no timetable has A above this (never above attendee_bound)
    served: int  # no timetable has A - O above this
    lp_value: float  # the group LP over the groups found (the floor when proved optimal)
    proved: bool  # the pricing MILP proved the group LP optimal
    columns: int
    seconds: float


def _interest_matrix(problem: Problem) -> tuple[sparse.csr_matrix, int]:
    """Rows: the attendees whose cap is all they want (at most T interests, no clash between
    fixed sessions) with two or more interests; columns: sessions. Also the sum of what every
    attendee can attend at most outside the rows' losses (their caps)."""
    rows, cols = [], []
    counted = 0
    for attendee, cap in zip(problem.attendees, attendee_caps(problem), strict=True):
        wanted = [problem.session_index[s] for s in attendee.interests]
        if cap == len(wanted) >= 2:
            rows += [counted] * len(wanted)
            cols += wanted
            counted += 1
    matrix = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(counted, len(problem.sessions))
    )
    return matrix, attendee_bound(problem)


def _group_loss(matrix: sparse.csr_matrix, group) -> float:
    wanted = np.asarray(matrix[:, list(group)].sum(axis=1)).ravel()
    return float(np.maximum(wanted - 1, 0).sum())


def _exact_pricing(matrix, prices, size, seconds):
    """Lower bound on min over groups (|g| <= size) of loss(g) - prices(g), and a best group."""
    n = matrix.shape[1]
    keep = matrix[np.flatnonzero(np.asarray(matrix.sum(axis=1)).ravel() >= 2)]
    m = keep.shape[0]
    # u_i (in the group) binary, v_a >= sum of u over a's interests - 1, v_a >= 0
    cost = np.concatenate([-prices, np.ones(m)])
    covering = sparse.hstack([-keep, sparse.identity(m)]).tocsr()
    cardinality = sparse.csr_matrix(np.concatenate([np.ones(n), np.zeros(m)])[None, :])
    result = milp(
        cost,
        integrality=np.concatenate([np.ones(n), np.zeros(m)]),
        bounds=Bounds(np.zeros(n + m), np.concatenate([np.ones(n), np.full(m, np.inf)])),
        constraints=[
            LinearConstraint(covering, -1, np.inf),
            LinearConstraint(cardinality, 0, size),
        ],
        options={"time_limit": max(0.5, seconds), "disp": False},
    )
    trivial = -float(np.sort(np.maximum(prices, 0))[::-1][:size].sum())  # loss(g) >= 0
    dual = getattr(result, "mip_dual_bound", None)
    lower = trivial if dual is None or not np.isfinite(dual) else max(trivial, float(dual))
    if result.status == 0 and result.fun is not None:
        lower = max(lower, float(result.fun))  # solved to optimality
    group = None
    if result.x is not None:
        group = [int(i) for i in np.flatnonzero(result.x[:n] > 0.5)]
    return lower, group


def partition_bound(
    problem: Problem,
    *,
    seconds: float = 60.0,
    groups: list[list[int]] | None = None,
    clusters: list[list[int]] | None = None,
) -> PartitionBound:
    """The column-generation bound (see the module docstring).

    ``groups`` seeds the columns (e.g. the sessions of each start slot of a good timetable).
    ``clusters`` (a partition of the session indices; default: one cluster of all sessions)
    splits the bound: an attendee loses at least the sum of what they lose within each
    cluster, so the floors of the clusters add up. Smaller clusters make the pricing MILP
    solvable (a proved floor) at the price of ignoring losses between clusters.
    """
    began = time.perf_counter()
    n_slots, n_rooms, n = len(problem.slots), len(problem.rooms), len(problem.sessions)
    matrix, a_cheap = _interest_matrix(problem)
    o_floor = overflow_floor(problem)
    clusters = clusters if clusters is not None else [list(range(n))]
    total = 0
    lp_total = 0.0
    proved = True
    n_columns = 0
    weight = sum(len(c) for c in clusters if len(c) > n_slots) or 1
    for cluster in clusters:
        if len(cluster) <= n_slots:
            continue  # every session of the cluster can have a slot of its own
        local = {s: k for k, s in enumerate(cluster)}
        sub = matrix[:, cluster].tocsr()
        sub = sub[np.flatnonzero(np.asarray(sub.sum(axis=1)).ravel() >= 2)]
        if sub.shape[0] == 0:
            continue
        seeds = None
        if groups is not None:
            seeds = [[local[s] for s in g if s in local] for g in groups]
            seeds = [g for g in seeds if g]
        left = seconds - (time.perf_counter() - began)
        floor, lp_value, done, count = _loss_floor(
            sub, n_slots, n_rooms, max(1.0, left * len(cluster) / weight), seeds
        )
        weight -= len(cluster)
        total += floor
        lp_total += lp_value
        proved = proved and done
        n_columns += count
    a_bound = a_cheap - total
    return PartitionBound(
        total,
        a_bound,
        a_bound - o_floor,
        lp_total,
        proved,
        n_columns,
        round(time.perf_counter() - began, 2),
    )


def track_clusters(problem: Problem, size: int | None = None) -> list[list[int]]:
    """Sessions in chunks of ``size`` (default 2.7 x slots), tracks kept together, largest
    tracks first and popular sessions first within a track: attendees mostly want sessions
    of a few tracks, so most of their conflicts fall inside a chunk."""
    size = size or max(len(problem.slots) + 1, int(2.7 * len(problem.slots)))
    tracks: dict[str, list[int]] = {}
    for session in problem.sessions:
        tracks.setdefault(session.track or "", []).append(session.index)
    demand = problem.demand
    order = [
        s
        for name in sorted(tracks, key=lambda name: (-len(tracks[name]), name))
        for s in sorted(tracks[name], key=lambda s: (-demand[s], s))
    ]
    return [order[k : k + size] for k in range(0, len(order), size)]


def _loss_floor(matrix, n_slots, n_rooms, seconds, groups):
    """(proved loss floor, LP value, LP proved optimal, columns) for one cluster."""
    began = time.perf_counter()
    n = matrix.shape[1]
    by_column = matrix.tocsc()
    by_session = matrix.T.tocsr()
    columns: list[tuple[tuple[int, ...], float]] = []
    seen: set[tuple[int, ...]] = set()

    def add(group) -> bool:
        key = tuple(sorted({int(i) for i in group}))
        if not key or key in seen or len(key) > n_rooms:
            return False
        seen.add(key)
        columns.append((key, _group_loss(matrix, key)))
        return True

    for i in range(n):
        add([i])
    for group in groups or _greedy_groups(matrix, n_slots, n_rooms):
        add(group)
    best = 0.0
    proved = False
    lp_value = 0.0
    while True:
        k = len(columns)
        rows = [i for key, _ in columns for i in key]
        cols = [j for j, (key, _) in enumerate(columns) for _ in key]
        cover = sparse.csr_matrix((-np.ones(len(rows)), (rows, cols)), shape=(n, k))
        a_ub = sparse.vstack([cover, sparse.csr_matrix(np.ones((1, k)))]).tocsr()
        b_ub = np.concatenate([-np.ones(n), [n_slots]])
        lp = linprog(
            np.array([c for _, c in columns]),
            A_ub=a_ub,
            b_ub=b_ub,
            bounds=(0, None),
            method="highs",
        )
        if lp.status != 0:
            break
        lp_value = float(lp.fun)
        prices = -lp.ineqlin.marginals[:n]
        sigma = float(lp.ineqlin.marginals[n])
        added = _greedy_pricing(by_column, by_session, prices, sigma, n_rooms, add)
        left = seconds - (time.perf_counter() - began)
        if added and left > 0:
            continue
        lower, group = _exact_pricing(matrix, prices, n_rooms, max(0.5, left))
        best = max(best, float(prices.sum()) + n_slots * min(0.0, lower))
        if lower >= sigma - 1e-6:
            proved = True
            break
        if time.perf_counter() - began >= seconds or group is None or not add(group):
            break
    return int(np.ceil(best - 1e-6)), lp_value, proved, len(columns)


def _greedy_groups(matrix, n_slots: int, n_rooms: int) -> list[list[int]]:
    """Sessions by demand, each to the group (<= n_slots, <= n_rooms each) it adds least loss."""
    demand = np.asarray(matrix.sum(axis=0)).ravel()
    by_column = matrix.tocsc()
    counts = np.zeros((matrix.shape[0], n_slots))
    groups: list[list[int]] = [[] for _ in range(n_slots)]
    for i in np.argsort(-demand, kind="stable"):
        rows = by_column[:, i].indices
        extra = (counts[rows] >= 1).sum(axis=0).astype(float)
        extra[[len(g) >= n_rooms for g in groups]] = np.inf
        g = int(np.argmin(extra))
        groups[g].append(int(i))
        counts[rows, g] += 1
    return [g for g in groups if g]


def _greedy_pricing(by_column, by_session, prices, sigma, size, add) -> int:
    """Grow groups from the best-priced sessions while the reduced cost falls; add the good ones."""
    n = prices.size
    found = 0
    for seed in np.argsort(-prices)[: min(n, 60)]:
        group = [int(seed)]
        counts = by_column[:, seed].toarray().ravel()
        inside = np.zeros(n, dtype=bool)
        inside[seed] = True
        value = -prices[seed]
        while len(group) < size:
            delta = by_session @ (counts >= 1).astype(float) - prices
            delta[inside] = np.inf
            i = int(np.argmin(delta))
            if delta[i] >= -1e-9:
                break
            group.append(i)
            inside[i] = True
            counts += by_column[:, i].toarray().ravel()
            value += delta[i]
        if value - sigma < -1e-6 and add(group):
            found += 1
    return found


def best_partition_bound(
    problem: Problem, *, seconds: float = 60.0, groups: list[list[int]] | None = None
) -> PartitionBound:
    """The better of the one-cluster bound (half the time) and the track-cluster bound."""
    whole = partition_bound(problem, seconds=seconds / 2, groups=groups)
    if whole.proved:
        return whole
    split = partition_bound(
        problem, seconds=seconds / 2, groups=groups, clusters=track_clusters(problem)
    )
    best = max((whole, split), key=lambda b: b.loss_floor)
    # keep the one-cluster LP value: an estimate of the floor it would prove, not a bound
    return PartitionBound(
        best.loss_floor,
        best.a_bound,
        best.served,
        whole.lp_value,
        best.proved,
        whole.columns + split.columns,
        round(whole.seconds + split.seconds, 2),
    )
