"""Reviewer assignment at conference sizes: the planner (events/review/assignment.py, HiGHS)
against a greedy loop (each proposal in turn takes the least-loaded allowed members, best
expertise first, as a hand-written script would).

    uv run python bench/review_assignment_bench.py [--seed 1]

Instances look like a real call: 12 tracks, 60 topics, each member knows 3-6 topics and
1-2 tracks, 5% of pairs are conflicts, one member in five has a limit of 12-20. Prints a
Markdown table for /work/notes/bench-events-review.md: seconds, reviews placed / wanted,
load spread (max - min among members without a limit), mean expertise match (0-0.95).
No database: the planner is pure Python over ids.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "constellation.settings")

import django  # noqa: E402

django.setup()

from constellation.events.review.assignment import Paper, Reviewer, match_score, plan_assignments  # noqa: E402

SIZES = [(100, 15, 3), (300, 40, 3), (800, 80, 3), (1500, 120, 3)]


def instance(n_papers: int, n_reviewers: int, target: int, rng: random.Random):
    reviewers = [
        Reviewer(
            id=r,
            capacity=rng.randint(12, 20) if rng.random() < 0.2 else None,
            expertise=frozenset(rng.sample(range(60), rng.randint(3, 6))),
            tracks=frozenset(rng.sample(range(12), rng.randint(1, 2))),
        )
        for r in range(n_reviewers)
    ]
    papers = []
    for p in range(n_papers):
        track = rng.randrange(12)
        topics = frozenset(
            rng.sample(range(track * 5, track * 5 + 5), 2) + rng.sample(range(60), 1)
        )
        excluded = frozenset(r for r in range(n_reviewers) if rng.random() < 0.05)
        papers.append(Paper(id=p, target=target, topics=topics, track=track, excluded=excluded))
    return papers, reviewers


def greedy(papers, reviewers):
    load = Counter()
    cap = {r.id: r.capacity for r in reviewers}
    pairs = []
    for paper in papers:
        allowed = [
            r
            for r in reviewers
            if r.id not in paper.excluded and (cap[r.id] is None or load[r.id] < cap[r.id])
        ]
        allowed.sort(key=lambda r: (load[r.id], -match_score(paper, r)))
        for r in allowed[: paper.need]:
            pairs.append((paper.id, r.id))
            load[r.id] += 1
    return pairs


def figures(pairs, papers, reviewers):
    by_id = {p.id: p for p in papers}
    rev = {r.id: r for r in reviewers}
    load = Counter(r for _, r in pairs)
    free = [load[r.id] for r in reviewers if r.capacity is None]
    match = sum(match_score(by_id[p], rev[r]) for p, r in pairs) / max(1, len(pairs))
    return len(pairs), max(free) - min(free), match


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n"
    )
    print(
        "| proposals × members | method | seconds | reviews placed / wanted | load spread | mean match |"
    )
    print("|---|---|---|---|---|---|")
    for n_papers, n_reviewers, target in SIZES:
        papers, reviewers = instance(n_papers, n_reviewers, target, random.Random(args.seed))
        wanted = n_papers * target
        start = time.perf_counter()
        plan = plan_assignments(papers, reviewers)
        planner_s = time.perf_counter() - start
        start = time.perf_counter()
        loop = greedy(papers, reviewers)
        greedy_s = time.perf_counter() - start
        for name, pairs, seconds in (
            ("planner (HiGHS)", plan.pairs, planner_s),
            ("greedy loop", loop, greedy_s),
        ):
            placed, spread, match = figures(pairs, papers, reviewers)
            print(
                f"| {n_papers} × {n_reviewers} | {name} | {seconds:.2f} | {placed} / {wanted} | {spread} | {match:.3f} |"
            )


if __name__ == "__main__":
    main()
