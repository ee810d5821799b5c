"""`constellation schedule solve` and `constellation schedule evaluate`, as a person runs them."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

DATA = Path(__file__).resolve().parent / "data"


def run(*args) -> str:
    out = StringIO()
    call_command("schedule", *args, stdout=out)
    return out.getvalue()


def test_solve_writes_the_answer_and_prints_the_figures(tmp_path):
    answer = tmp_path / "answer.json"

    printed = run(
        "solve", str(DATA / "schedule-small.json"), "--out", str(answer), "--seconds", "2"
    )

    document = json.loads(answer.read_text())
    assert document["format"] == "constellation.schedule/1"
    assert len(document["assignments"]) == 30
    for figure in (
        "A (attendable interests): ",
        "U (upper bound): 1135",
        "O (overflow): ",
        "Q (served",
    ):
        assert figure in printed
    assert "Tighter bound: A - O <= " in printed
    assert f"answer written to {answer}" in printed
    checked = run("evaluate", str(DATA / "schedule-small.json"), str(answer))
    assert checked.startswith("Feasible: every hard rule is respected.")


def test_evaluate_prints_figures_of_the_published_answer():
    printed = run(
        "evaluate",
        str(DATA / "schedule-ecsite-like.json"),
        str(DATA / "schedule-ecsite-like.answer.json"),
    )
    assert "Feasible" in printed
    assert "A (attendable interests): 7213" in printed
    assert "U (upper bound): 8661" in printed
    assert "O (overflow): 385" in printed
    assert "Q (served ratio, (A - O) / U): 0.7884" in printed


def test_evaluate_lists_every_broken_rule(tmp_path):
    answer = json.loads((DATA / "schedule-small.answer.json").read_text())
    answer["assignments"] = answer["assignments"][1:]  # s001 missing
    answer["assignments"][0]["room"] = "hall"  # s002 joins s013 in the hall at d1-1600
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(answer))

    printed = run("evaluate", str(DATA / "schedule-small.json"), str(path))

    assert printed.startswith("Infeasible: 2 broken hard rules.")
    assert "Rule 1: session 's001' is not assigned." in printed
    assert "Rule 2: room 'hall' holds 2 sessions in slot 'd1-1600'" in printed


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON (line 1, column 2"),
        (
            '{"format": "constellation.schedule-problem/1", "slots": []}',
            "The problem has no slots.",
        ),
        ("[]", "The problem must be a JSON object."),
    ],
)
def test_bad_problem_files_give_a_clear_message_and_write_nothing(tmp_path, content, message):
    problem = tmp_path / "problem.json"
    problem.write_text(content)
    answer = tmp_path / "answer.json"

    with pytest.raises(CommandError) as error:
        run("solve", str(problem), "--out", str(answer))

    assert message in str(error.value)
    assert not answer.exists()


def test_missing_file_and_bad_answer_are_refused(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("solve", str(tmp_path / "nope.json"), "--out", str(tmp_path / "a.json"))
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "constellation.schedule/1", "assignments": [{"session": "s999", "slot": "d1-0900", "room": "hall"}]}'
    )
    with pytest.raises(CommandError, match="unknown session 's999'"):
        run("evaluate", str(DATA / "schedule-small.json"), str(bad))
    with pytest.raises(CommandError, match="--seconds must be greater than 0"):
        run(
            "solve",
            str(DATA / "schedule-small.json"),
            "--out",
            str(tmp_path / "a.json"),
            "--seconds",
            "0",
        )


def test_infeasible_problem_is_reported_and_nothing_written(tmp_path):
    problem = json.loads((DATA / "schedule-small.json").read_text())
    problem["slots"] = problem["slots"][:4]  # 30 sessions cannot fit 4 slots x 6 rooms
    for session in problem["sessions"]:
        session.pop("fixed", None)
        session.pop("unavailable", None)
    for person in problem["people"]:
        person.pop("unavailable", None)
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(problem))
    answer = tmp_path / "answer.json"

    with pytest.raises(CommandError) as error:
        run("solve", str(path), "--out", str(answer), "--seconds", "1")

    assert "No feasible timetable found" in str(error.value)
    assert "Nothing was written." in str(error.value)
    assert not answer.exists()
