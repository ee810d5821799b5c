"""The benchmark's baseline timetablers give answers that keep every hard rule.

bench/schedule_baselines.py is what the optimiser is compared with (bench/schedule_bench.py);
a baseline that broke a rule would make the comparison meaningless. Runs on the shared small
example in well under a few seconds and needs neither OR-Tools nor a database.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from constellation.events.scheduling.evaluate import evaluate
from constellation.events.scheduling.problem import problem_from_json

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = Path(__file__).parent / "data" / "schedule-small.json"


@pytest.fixture(scope="module")
def baselines():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import schedule_baselines
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return schedule_baselines


@pytest.fixture(scope="module")
def problem():
    return problem_from_json(json.loads(EXAMPLE.read_text()))


@pytest.mark.parametrize("seed", [0, 1])
def test_random_timetable_is_feasible(baselines, problem, seed):
    figures = evaluate(problem, baselines.random_timetable(problem, seed=seed))
    assert figures.feasible, figures.violations


def test_track_timetable_is_feasible_and_spreads_tracks(baselines, problem):
    assignment = baselines.track_timetable(problem)
    figures = evaluate(problem, assignment)
    assert figures.feasible, figures.violations
    # the "audiences" track has 8 one-slot sessions for 8 slots: one in every slot
    slots = [assignment[s.id][0] for s in problem.sessions if s.track == "audiences"]
    assert sorted(slots) == sorted(slot.id for slot in problem.slots)


def test_annealing_is_feasible_and_no_worse_than_its_start(baselines, problem):
    start = baselines.greedy_board(problem).assignment()
    result = baselines.annealing_timetable(problem, seconds=1.0, start=start)
    before, after = evaluate(problem, start), evaluate(problem, result)
    assert after.feasible, after.violations
    assert after.A - after.O >= before.A - before.O


def test_board_figures_match_evaluate(baselines, problem):
    """The incremental A and O of the annealing equal the referee's figures."""
    board = baselines.Board(problem)
    board.load(baselines.random_timetable(problem, seed=3))
    figures = evaluate(problem, board.assignment())
    assert (board.A, board.O) == (figures.A, figures.O)
