"""Who reviews what: conflicts of interest, expertise, and the optimisation that assigns
reviewers to proposals.

The planner is a small mixed-integer programme (scipy's HiGHS, `scipy.optimize.milp`):

- one binary variable per allowed (proposal, reviewer) pair; conflicts and pairs already
  assigned have no variable at all, so they can never be chosen;
- coverage first: each reviewer a proposal gets earns a large reward, decreasing from the
  first to the last missing reviewer, so when there are too few reviewers the shortfall is
  spread (two proposals with 2 of 3 rather than one with 1);
- load balance next: each reviewer's load is cut into unit steps whose cost grows with the
  step (0, 1, 2, ...), a convex cost the optimiser fills from the bottom, which is the sum
  of squared loads: moving one proposal from a reviewer with 2 more than another always
  pays, so loads end within one of each other wherever the conflicts allow it;
- expertise last: a bonus below 1 for topics shared with the reviewer's expertise and for
  the reviewer's tracks, so among balanced plans the best-matched one wins.

Capacity (`max_assignments`) is the number of load steps a reviewer has. The structure is a
bipartite b-matching with convex costs, whose LP relaxation is integral, so HiGHS solves
hundreds of proposals in well under a second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from scipy.optimize import LinearConstraint, milp
from scipy.sparse import coo_array

from constellation.events.models import CommitteeMember, Presenter, Proposal
from constellation.networks.models import Affiliation, Person

TOPIC_WEIGHT = 0.6
TRACK_WEIGHT = 0.35  # topic + track stays below 1: one load step outweighs any expertise


@dataclass(frozen=True)
class Reviewer:
    id: int
    load: int = 0  # assignments they keep whatever happens (by hand, or already reviewed)
    capacity: int | None = None  # most assignments in all; None = no limit
    expertise: frozenset[int] = frozenset()
    tracks: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Paper:
    id: int
    target: int  # reviewers wanted in all
    have: int = 0  # reviewers it keeps
    topics: frozenset[int] = frozenset()
    track: int | None = None
    excluded: frozenset[int] = frozenset()  # reviewer ids: conflicts and those it keeps

    @property
    def need(self) -> int:
        return max(0, self.target - self.have)


@dataclass
class Plan:
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (paper id, reviewer id)
    short: dict[int, int] = field(default_factory=dict)  # paper id -> reviewers missing
    loads: dict[int, int] = field(default_factory=dict)  # reviewer id -> load afterwards


def match_score(paper: Paper, reviewer: Reviewer) -> float:
    """0 to 0.95: the share of the paper's topics the reviewer knows, and the track."""
    score = 0.0
    if paper.topics:
        score += TOPIC_WEIGHT * len(paper.topics & reviewer.expertise) / len(paper.topics)
    if paper.track is not None and paper.track in reviewer.tracks:
        score += TRACK_WEIGHT
    return score


def plan_assignments(
    papers: Iterable[Paper], reviewers: Iterable[Reviewer], *, seconds: float = 20
) -> Plan:
    """The best set of new (paper, reviewer) pairs: most coverage, then even load, then
    expertise. Never a conflict, never a pair twice, never above a reviewer's capacity.

    A balanced plan gives nobody much more than the average, so the load steps offered
    stop at a ceiling (the average + 2) that keeps the programme small. If the plan fills
    someone up to that ceiling, the ceiling might be what shaped it: solve again with it
    doubled, until it binds nobody (then, the problem being convex, the plan is the
    optimum of the unbounded one) or it is above any possible load.
    """
    papers = [p for p in papers if p.need > 0]
    reviewers = list(reviewers)
    if not papers or not reviewers:
        return Plan(loads={r.id: r.load for r in reviewers}, short={p.id: p.need for p in papers})
    total_need = sum(p.need for p in papers)
    unbounded = max(r.load for r in reviewers) + total_need
    ceiling = -(-(total_need + sum(r.load for r in reviewers)) // len(reviewers)) + 2
    while True:
        ceiling = min(ceiling, unbounded)
        plan = _solve(papers, reviewers, ceiling, seconds)
        binding = any(
            plan.loads[r.id] >= ceiling and (r.capacity is None or r.capacity > ceiling)
            for r in reviewers
        )
        if not binding or ceiling >= unbounded:
            return plan
        ceiling *= 2


def _solve(papers: list[Paper], reviewers: list[Reviewer], ceiling: int, seconds: float) -> Plan:
    """One solve with every reviewer's load kept at or below `ceiling`."""
    plan = Plan(loads={r.id: r.load for r in reviewers})
    steps_cap = sum(p.need for p in papers)
    edges: list[tuple[int, int]] = []  # (paper index, reviewer index)
    bonus: list[float] = []
    for pi, paper in enumerate(papers):
        for ri, reviewer in enumerate(reviewers):
            if reviewer.id in paper.excluded:
                continue
            edges.append((pi, ri))
            bonus.append(match_score(paper, reviewer))
    # Load steps: reviewer ri's (load + k)-th assignment costs load + k.
    load_steps: list[tuple[int, int]] = []
    for ri, reviewer in enumerate(reviewers):
        most = ceiling if reviewer.capacity is None else min(reviewer.capacity, ceiling)
        for k in range(max(0, min(most - reviewer.load, steps_cap))):
            load_steps.append((ri, reviewer.load + k))
    # Coverage steps: the paper's (have + k)-th reviewer.
    cover_steps: list[tuple[int, int]] = []
    for pi, paper in enumerate(papers):
        for k in range(paper.need):
            cover_steps.append((pi, k))

    if not edges or not load_steps:
        plan.short = {p.id: p.need for p in papers}
        return plan

    n_x, n_y, n_z = len(edges), len(load_steps), len(cover_steps)
    max_target = max(p.target for p in papers)
    big = max(step for _, step in load_steps) + 2.0
    cost = np.concatenate(
        [
            -np.asarray(bonus),
            np.asarray([step for _, step in load_steps], dtype=float),
            -np.asarray(
                [
                    big * (1 + (max_target - papers[pi].have - k) / (max_target + 1))
                    for pi, k in cover_steps
                ]
            ),
        ]
    )
    # Rows 0..R-1: sum of a reviewer's x = sum of its load steps.
    # Rows R..R+P-1: sum of a paper's x = sum of its coverage steps.
    rows, cols, vals = [], [], []
    n_r = len(reviewers)
    for e, (pi, ri) in enumerate(edges):
        rows += [ri, n_r + pi]
        cols += [e, e]
        vals += [1.0, 1.0]
    for s, (ri, _step) in enumerate(load_steps):
        rows.append(ri)
        cols.append(n_x + s)
        vals.append(-1.0)
    for s, (pi, _k) in enumerate(cover_steps):
        rows.append(n_r + pi)
        cols.append(n_x + n_y + s)
        vals.append(-1.0)
    matrix = coo_array((vals, (rows, cols)), shape=(n_r + len(papers), n_x + n_y + n_z)).tocsr()
    constraints = [LinearConstraint(matrix, 0, 0)]
    # The matrix is a bipartite incidence matrix with unit columns beside it: totally
    # unimodular, so the LP's vertex solution is already integral (and 25x faster than
    # branch and bound, which only proves what the LP found). Check, and fall back.
    result = milp(cost, constraints=constraints, bounds=(0, 1), options={"time_limit": seconds})
    x = result.x
    if x is None or np.any(np.abs(x[:n_x] - np.round(x[:n_x])) > 1e-6):
        integrality = np.concatenate([np.ones(n_x), np.zeros(n_y + n_z)])
        result = milp(
            cost,
            constraints=constraints,
            integrality=integrality,
            bounds=(0, 1),
            options={"time_limit": seconds},
        )
        x = result.x
    if x is None:
        raise RuntimeError(f"reviewer assignment failed: {result.message}")

    chosen = x[:n_x] > 0.5
    got: dict[int, int] = defaultdict(int)
    for e in np.flatnonzero(chosen):
        pi, ri = edges[e]
        plan.pairs.append((papers[pi].id, reviewers[ri].id))
        got[pi] += 1
        plan.loads[reviewers[ri].id] += 1
    plan.short = {p.id: p.need - got[pi] for pi, p in enumerate(papers) if got[pi] < p.need}
    return plan


# --- Conflicts of interest, read from the database ----------------------------------------


@dataclass
class Conflicts:
    """Why each committee member may not review a proposal, for one event (few queries)."""

    reasons: dict[tuple[int, int], str]  # (member id, proposal id) -> reason

    def reason(self, member_id: int, proposal_id: int) -> str:
        return self.reasons.get((member_id, proposal_id), "")


def _current_organisations(person_ids: Iterable[int]) -> dict[int, set[int]]:
    organisations: dict[int, set[int]] = defaultdict(set)
    rows = Affiliation.objects.current().filter(person_id__in=set(person_ids))
    for person_id, organisation_id in rows.values_list("person_id", "organisation_id"):
        organisations[person_id].add(organisation_id)
    return organisations


def find_conflicts(members: list[CommitteeMember], proposals: list[Proposal]) -> Conflicts:
    """Conflicts between these members and proposals. A member may not review:
    a proposal they present (by person or by email), one they declared a conflict with,
    or one presented by someone from an organisation they work at now (their current
    affiliations) or named as a conflict. A presenter's organisation is the one on the
    proposal and every organisation their person is currently affiliated with.

    The members need `conflict_organisations` and `conflict_proposals` prefetched.
    """
    proposal_ids = [p.pk for p in proposals]
    presenters = list(
        Presenter.objects.filter(proposal_id__in=proposal_ids).values_list(
            "proposal_id", "person_id", "email", "organisation_id"
        )
    )
    member_people = dict(
        Person.objects.filter(user_id__in=[m.user_id for m in members]).values_list("user_id", "pk")
    )
    person_organisations = _current_organisations(
        [pid for _, pid, _, _ in presenters if pid] + list(member_people.values())
    )
    proposal_people: dict[int, set[int]] = defaultdict(set)
    proposal_emails: dict[int, set[str]] = defaultdict(set)
    proposal_organisations: dict[int, set[int]] = defaultdict(set)
    for proposal_id, person_id, email, organisation_id in presenters:
        if person_id:
            proposal_people[proposal_id].add(person_id)
            proposal_organisations[proposal_id] |= person_organisations.get(person_id, set())
        if email:
            proposal_emails[proposal_id].add(email.casefold())
        if organisation_id:
            proposal_organisations[proposal_id].add(organisation_id)

    reasons: dict[tuple[int, int], str] = {}
    for member in members:
        person_id = member_people.get(member.user_id)
        email = (member.user.email or "").casefold()
        declared = {p.pk for p in member.conflict_proposals.all()}
        organisations = {o.pk for o in member.conflict_organisations.all()}
        if person_id:
            organisations |= person_organisations.get(person_id, set())
        for proposal_id in proposal_ids:
            if (person_id and person_id in proposal_people[proposal_id]) or (
                email and email in proposal_emails[proposal_id]
            ):
                reason = _("presents this proposal")
            elif proposal_id in declared:
                reason = _("declared a conflict")
            elif organisations & proposal_organisations[proposal_id]:
                reason = _("same organisation as a presenter")
            else:
                continue
            reasons[(member.pk, proposal_id)] = reason
    return Conflicts(reasons)
