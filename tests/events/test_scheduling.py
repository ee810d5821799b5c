"""The conference timetabler: reading problems, the hard rules, the figures and the optimiser."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest

from constellation.events.scheduling.bound import (
    attendee_bound,
    best_partition_bound,
    overflow_floor,
    partition_bound,
    served_bound,
    track_clusters,
)
from constellation.events.scheduling.evaluate import evaluate
from constellation.events.scheduling.problem import (
    ScheduleError,
    answer_from_json,
    answer_to_json,
    problem_from_json,
)
from constellation.events.scheduling.solver import solve

DATA = Path(__file__).resolve().parent / "data"


def load(name: str):
    return json.loads((DATA / name).read_text())


def tiny(**changes) -> dict:
    """Two days of two slots, two rooms, four sessions (one a two-slot workshop)."""
    data = {
        "format": "constellation.schedule-problem/1",
        "name": "Tiny",
        "slots": [
            {"id": "d1-am", "start": "2027-05-26T09:00", "end": "2027-05-26T10:30"},
            {"id": "d1-pm", "start": "2027-05-26T11:00", "end": "2027-05-26T12:30"},
            {"id": "d2-am", "start": "2027-05-27T09:00", "end": "2027-05-27T10:30"},
            {"id": "d2-pm", "start": "2027-05-27T11:00", "end": "2027-05-27T12:30"},
        ],
        "rooms": [{"id": "hall", "capacity": 3}, {"id": "lab", "capacity": 1}],
        "sessions": [
            {"id": "w", "duration": 2, "speakers": ["p1"], "rooms": ["lab"]},
            {"id": "x", "speakers": ["p2"]},
            {"id": "y", "speakers": ["p2"], "unavailable": ["d2-pm"]},
            {"id": "z", "speakers": ["p3"], "fixed": {"slot": "d2-am", "room": "hall"}},
        ],
        "people": [{"id": "p1"}, {"id": "p2", "unavailable": ["d1-am"]}, {"id": "p3"}],
        "attendees": [
            {"id": "a1", "interests": ["w", "x", "y"]},
            {"id": "a2", "interests": ["x", "z"]},
            {"id": "a3", "interests": ["x"]},
        ],
    }
    data.update(changes)
    return data


GOOD = {
    "w": ("d1-am", "lab"),
    "x": ("d1-pm", "hall"),
    "y": ("d2-am", "lab"),
    "z": ("d2-am", "hall"),
}


# ---- reading --------------------------------------------------------------------------------
def test_problem_is_read_with_defaults_and_helpers():
    problem = problem_from_json(tiny())
    assert [s.id for s in problem.slots] == ["d1-am", "d1-pm", "d2-am", "d2-pm"]
    assert problem.consecutive == [True, False, True, False]
    assert problem.sessions[1].duration == 1 and problem.sessions[1].rooms is None
    assert problem.sessions[3].fixed == ("d2-am", "hall")
    assert problem.demand == [1, 3, 1, 1]
    # the workshop fits only from the first slot of a day; y avoids p2's and its own slots
    assert problem.allowed_starts(problem.sessions[0]) == [0, 2]
    assert problem.allowed_starts(problem.sessions[2]) == [1, 2]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "other/1"}, '"format" must be "constellation.schedule-problem/1"'),
        ({"slots": []}, "The problem has no slots."),
        ({"rooms": "hall"}, '"rooms" must be a list.'),
        (
            {"rooms": [{"id": "hall", "capacity": -1}]},
            "Room 'hall': \"capacity\" must be a whole number, 0 or more.",
        ),
        (
            {"slots": [{"id": "a", "start": "2027-05-26T09:00", "end": "soon"}]},
            "Slot 'a': \"end\" 'soon' is not a date and time",
        ),
        (
            {
                "slots": [
                    {"id": "a", "start": "2027-05-26T11:00", "end": "2027-05-26T12:00"},
                    {"id": "b", "start": "2027-05-26T09:00", "end": "2027-05-26T10:00"},
                ]
            },
            "Slot 'b' starts before slot 'a' ends",
        ),
        ({"sessions": [{"id": "x"}, {"id": "x"}]}, "Session id 'x' is used twice."),
        ({"sessions": [{"id": "x", "duration": 0}]}, "Session 'x': \"duration\" must be"),
        ({"sessions": [{"id": "x", "speakers": ["nobody"]}]}, "unknown person 'nobody'"),
        ({"sessions": [{"id": "x", "rooms": ["attic"]}]}, "rooms lists unknown room 'attic'"),
        ({"sessions": [{"id": "x", "unavailable": ["d9"]}]}, "unknown slot 'd9'"),
        ({"sessions": [{"id": "x", "fixed": {"slot": "d1-am"}}]}, '"fixed" must be'),
        (
            {"attendees": [{"id": "a", "interests": ["nope"]}]},
            "Attendee 'a': interests lists unknown session 'nope'.",
        ),
    ],
)
def test_malformed_problems_are_refused_with_a_clear_message(change, message):
    with pytest.raises(ScheduleError) as error:
        problem_from_json(tiny(**change))
    assert message in error.value.message


def test_answers_round_trip_and_bad_answers_are_refused():
    problem = problem_from_json(tiny())
    document = answer_to_json(GOOD, problem)
    assert document["format"] == "constellation.schedule/1"
    assert answer_from_json(problem, document) == GOOD
    for entries, message in [
        ([{"session": "q", "slot": "d1-am", "room": "hall"}], "unknown session 'q'"),
        ([{"session": "x", "slot": "d7", "room": "hall"}], "unknown slot 'd7'"),
        ([{"session": "x", "slot": "d1-am", "room": "attic"}], "unknown room 'attic'"),
        ([{"session": "x", "slot": "d1-am", "room": "hall"}] * 2, "'x' is assigned twice"),
        ([{"session": "x"}], "must be {"),
    ]:
        with pytest.raises(ScheduleError, match=message):
            answer_from_json(
                problem, {"format": "constellation.schedule/1", "assignments": entries}
            )
    with pytest.raises(ScheduleError, match="format"):
        answer_from_json(problem, {"assignments": []})


# ---- hard rules and figures -------------------------------------------------------------------
def test_a_good_answer_is_feasible_and_figures_follow_the_definitions():
    problem = problem_from_json(tiny())
    figures = evaluate(problem, GOOD)
    assert figures.feasible and figures.violations == []
    # a1: w spans d1-am..d1-pm and x is at d1-pm, y at d2-am -> 2; a2: x, z -> 2; a3: 1
    assert figures.A == 5
    assert figures.U == 3 + 2 + 1
    assert figures.O == 0  # x (demand 3) in the hall (3), w (1) in the lab (1)
    assert figures.Q == pytest.approx(5 / 6)
    assert figures.A_over_U == pytest.approx(5 / 6)


def test_two_slot_sessions_count_by_interval_scheduling():
    problem = problem_from_json(tiny())
    # w occupies d1-am and d1-pm; x at d1-am and y at d1-pm: a1 can attend x and y, not w too
    placed = dict(GOOD, x=("d1-am", "hall"), y=("d1-pm", "hall"))
    figures = evaluate(problem, placed)
    assert figures.A == 2 + 2 + 1
    # y moved to day 2: w and y do not overlap, x does -> still 2 for a1
    placed = dict(GOOD, x=("d1-am", "hall"), y=("d2-pm", "hall"))
    assert evaluate(problem, placed).A == 2 + 2 + 1
    # overflow: x (3 people) in the lab (1 seat)
    assert evaluate(problem, dict(GOOD, x=("d1-pm", "lab"), w=("d2-am", "lab"))).O == 2


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"x": None}, "Rule 1: session 'x' is not assigned."),
        ({"y": ("d1-pm", "hall")}, "Rule 2: room 'hall' holds 2 sessions in slot 'd1-pm' (x, y)"),
        ({"w": ("d1-pm", "lab")}, "Rule 3: session 'w' lasts 2 slots and does not fit"),
        ({"y": ("d1-pm", "lab"), "w": ("d2-am", "lab")}, "Rule 4: 'p2' speaks in 2 sessions"),
        (
            {"y": ("d2-pm", "hall")},
            "Rule 5: session 'y' uses slot 'd2-pm', where it is unavailable.",
        ),
        (
            {"x": ("d1-am", "hall")},
            "Rule 5: session 'x' uses slot 'd1-am', where speaker 'p2' is unavailable.",
        ),
        ({"w": ("d2-am", "hall"), "z": ("d1-am", "hall")}, "Rule 6: session 'w' is in room 'hall'"),
        ({"z": ("d2-pm", "hall")}, "Rule 6: session 'z' is fixed to slot 'd2-am'"),
        ({"ghost": ("d1-am", "hall")}, "Rule 1: unknown session 'ghost' is assigned."),
    ],
)
def test_every_broken_hard_rule_is_reported(changes, expected):
    problem = problem_from_json(tiny())
    placed = dict(GOOD)
    for session, where in changes.items():
        if where is None:
            placed.pop(session)
        else:
            placed[session] = where
    figures = evaluate(problem, placed)
    assert not figures.feasible
    assert any(expected in line for line in figures.violations), figures.violations


# ---- the optimiser ---------------------------------------------------------------------------
def test_solver_respects_fixed_unavailable_rooms_and_speakers():
    problem = problem_from_json(tiny())
    assignment, figures, info = solve(problem, seconds=2, iterations=2000)
    assert figures.feasible, figures.violations
    assert assignment["z"] == ("d2-am", "hall")
    assert assignment["w"][1] == "lab" and assignment["w"][0] in {"d1-am", "d2-am"}
    assert assignment["x"][0] != "d1-am" and assignment["y"][0] not in {"d1-am", "d2-pm"}
    assert assignment["x"][0] != assignment["y"][0]  # same speaker
    assert figures.A == 6 and figures.O == 0  # everyone gets everything here
    assert figures.A - figures.O <= served_bound(problem)


def test_solver_is_repeatable_for_a_seed_and_iteration_count():
    problem = problem_from_json(load("schedule-small.json"))
    first = solve(problem, seconds=20, seed=3, iterations=3000)
    second = solve(problem, seconds=20, seed=3, iterations=3000)
    assert first[0] == second[0]


def test_solver_running_figures_agree_with_evaluate_on_two_slot_workshops():
    # ecsite-like has eleven two-slot workshops and three fixed plenaries
    problem = problem_from_json(load("schedule-ecsite-like.json"))
    assignment, figures, info = solve(problem, seconds=20, seed=1, iterations=4000)
    assert figures.feasible, figures.violations
    assert info["tracked"] == {"A": figures.A, "O": figures.O}
    constructed = info["constructed"]["A"] - info["constructed"]["O"]
    assert figures.A - figures.O >= constructed  # the best timetable seen is kept


def test_solver_says_when_no_timetable_exists():
    data = tiny(
        sessions=[{"id": "x", "fixed": {"slot": "d1-am", "room": "hall"}}]
        + [{"id": f"s{i}", "rooms": ["lab"], "duration": 2} for i in range(3)],
        attendees=[],
    )
    problem = problem_from_json(data)
    assignment, figures, info = solve(problem, seconds=2)
    assert not figures.feasible
    assert len(info["unplaced"]) == 1
    assert "Rule 1" in figures.violations[0]


@pytest.mark.parametrize(
    ("name", "published", "iterations"),
    [
        ("schedule-small", (1023, 1135, 2), 40_000),
        ("schedule-ecsite-like", (7213, 8661, 385), 50_000),
    ],
)
def test_examples_solve_at_least_as_well_as_the_published_answers(name, published, iterations):
    problem = problem_from_json(load(f"{name}.json"))
    reference = evaluate(problem, answer_from_json(problem, load(f"{name}.answer.json")))
    assert reference.feasible
    assert (reference.A, reference.U, reference.O) == published

    # A fixed seed and number of moves: the same timetable on any machine, however busy
    # (a time limit would give a loaded CI runner fewer moves).
    assignment, figures, info = solve(problem, seconds=300, seed=0, iterations=iterations)

    assert figures.feasible, figures.violations
    assert figures.Q > reference.Q
    assert evaluate(problem, assignment) == figures
    assert figures.A <= attendee_bound(problem) <= figures.U
    assert figures.O >= overflow_floor(problem)


def test_long_days_and_three_slot_sessions_use_the_untabulated_path_correctly():
    # one day of 12 slots and durations 1, 2, 3: 36 mask bits, too many for the table
    slots = [
        {"id": f"t{i}", "start": f"2027-01-01T{6 + i:02d}:00", "end": f"2027-01-01T{6 + i:02d}:50"}
        for i in range(12)
    ]
    durations = [1, 2, 3, 1, 1, 2, 3, 1, 2, 1, 1, 3, 1, 2, 1, 1, 2, 1, 1, 3, 1, 1]
    sessions = [
        {"id": f"s{i}", "duration": d, "speakers": [f"p{i % 7}"]} for i, d in enumerate(durations)
    ]
    attendees = [
        {"id": f"a{i}", "interests": [f"s{(i * 7 + k * 5) % 22}" for k in range(6)]}
        for i in range(60)
    ]
    problem = problem_from_json(
        tiny(
            slots=slots,
            rooms=[{"id": f"r{i}", "capacity": 5 + 5 * i} for i in range(4)],
            sessions=sessions,
            people=[{"id": f"p{i}"} for i in range(7)],
            attendees=attendees,
        )
    )
    assignment, figures, info = solve(problem, seconds=10, iterations=1500)
    assert figures.feasible, figures.violations
    assert info["tracked"] == {"A": figures.A, "O": figures.O}


def test_a_problem_without_attendees_still_gets_a_feasible_timetable():
    problem = problem_from_json(tiny(attendees=[]))
    assignment, figures, info = solve(problem, seconds=1, iterations=200)
    assert figures.feasible and len(assignment) == 4
    assert (figures.A, figures.U, figures.O, figures.Q) == (0, 0, 0, 0.0)


# ---- the column-generation bound ---------------------------------------------------------------
def brute_force_best(problem) -> tuple[int, int]:
    """(largest A, largest A - O) over every feasible timetable, by trying them all."""
    places = [(t.id, r.id) for t in problem.slots for r in problem.rooms]
    ids = [s.id for s in problem.sessions]
    best_a = best_served = -1
    for combo in itertools.product(places, repeat=len(ids)):
        figures = evaluate(problem, dict(zip(ids, combo, strict=True)))
        if figures.feasible:
            best_a = max(best_a, figures.A)
            best_served = max(best_served, figures.A - figures.O)
    return best_a, best_served


def one_day(n_slots: int, rooms: list[int], sessions: list[dict], attendees: list[list[str]]):
    return problem_from_json(
        tiny(
            slots=[
                {
                    "id": f"t{i}",
                    "start": f"2027-01-01T{8 + i:02d}:00",
                    "end": f"2027-01-01T{8 + i:02d}:50",
                }
                for i in range(n_slots)
            ],
            rooms=[{"id": f"r{i}", "capacity": c} for i, c in enumerate(rooms)],
            sessions=sessions,
            people=[],
            attendees=[{"id": f"a{i}", "interests": w} for i, w in enumerate(attendees)],
        )
    )


def test_partition_bound_sees_the_pigeonhole_and_meets_the_optimum():
    # three sessions, two slots: two of them must share a slot, so one of the three attendees
    # (each wants a different pair) loses one; the per-attendee bound cannot see it
    problem = one_day(
        2, [5, 5, 5], [{"id": x} for x in "abc"], [["a", "b"], ["b", "c"], ["a", "c"]]
    )
    best_a, best_served = brute_force_best(problem)
    bound = partition_bound(problem, seconds=10)
    assert (best_a, attendee_bound(problem), problem.upper_bound) == (5, 6, 6)
    assert bound.proved and bound.loss_floor == 1
    assert bound.a_bound == best_a and bound.served == best_served == 5


@pytest.mark.parametrize("seed", range(6))
def test_partition_bound_never_cuts_off_a_feasible_timetable(seed):
    rng = random.Random(seed)
    names = [f"s{i}" for i in range(5)]
    sessions = [{"id": name, "duration": rng.choice([1, 1, 1, 2])} for name in names]
    if seed % 2:
        sessions[0]["fixed"] = {"slot": "t0", "room": "r0"}
    attendees = [rng.sample(names, rng.randint(1, 4)) for _ in range(12)]
    problem = one_day(3, [2, 4], sessions, attendees)
    best_a, best_served = brute_force_best(problem)
    bound = partition_bound(problem, seconds=10)
    split = partition_bound(problem, seconds=10, clusters=[[0, 1, 2, 3], [4]])
    for found in (bound, split):
        assert found.proved
        assert best_a <= found.a_bound <= attendee_bound(problem) <= problem.upper_bound
        assert best_served <= found.served <= served_bound(problem)


def test_partition_bound_on_the_small_example_is_proved_and_tighter():
    problem = problem_from_json(load("schedule-small.json"))
    assignment, figures, info = solve(problem, seconds=20, seed=0, iterations=3000)
    starts: dict[str, list[int]] = {}
    for session_id, (slot_id, _room) in assignment.items():
        starts.setdefault(slot_id, []).append(problem.session_index[session_id])
    bound = best_partition_bound(problem, seconds=30, groups=list(starts.values()))
    assert bound.proved and bound.loss_floor > 0
    assert figures.A <= bound.a_bound < attendee_bound(problem)
    assert figures.A - figures.O <= bound.served < served_bound(problem)
    clusters = track_clusters(problem, size=10)
    assert sorted(s for c in clusters for s in c) == list(range(len(problem.sessions)))
    assert all(len(c) <= 10 for c in clusters)
