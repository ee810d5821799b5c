"""`constellation atlas solve` and `constellation atlas make-problem`, as a person runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import factories

DATA = Path(__file__).resolve().parent / "data"


def run(*args) -> str:
    out = StringIO()
    call_command("atlas", *args, stdout=out)
    return out.getvalue()


def test_solve_writes_the_answer_and_prints_a_summary(tmp_path):
    answer_path = tmp_path / "answer.json"

    printed = run("solve", str(DATA / "coverage-small.json"), "--out", str(answer_path))

    answer = json.loads(answer_path.read_text())
    expected = json.loads((DATA / "coverage-small.answer.json").read_text())
    assert answer["chosen"] == expected["chosen"]
    assert answer["covered_weight_after"] == expected["covered_weight_after"]
    assert "People newly within reach: 415,510" in printed
    assert "86.17 % before, 90.81 % after" in printed
    assert "proven optimal" in printed
    assert "solver" not in answer


def test_solve_without_out_prints_the_answer_json():
    printed = run("solve", str(DATA / "coverage-small-candidates.json"), "--method", "greedy")

    answer = json.loads(printed)
    assert answer["format"] == "constellation.coverage/1"
    assert answer["chosen"] == ["site-5295143", "site-5294902", "site-5467328"]


def test_solve_greedy_says_it_is_not_proven_and_details_add_the_bound(tmp_path):
    answer_path = tmp_path / "answer.json"

    printed = run(
        "solve",
        str(DATA / "coverage-small.json"),
        "--out",
        str(answer_path),
        "--method",
        "greedy",
        "--details",
    )

    assert "(greedy, not proven optimal, at most" in printed
    solver = json.loads(answer_path.read_text())["solver"]
    assert solver["method"] == "greedy" and solver["optimal"] is False
    assert solver["upper_bound"] >= 8131572


def test_a_malformed_problem_is_refused_and_nothing_is_written(tmp_path):
    problem = json.loads((DATA / "coverage-small.json").read_text())
    problem["demand"][4]["lat"] = 123
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(problem))
    answer_path = tmp_path / "answer.json"

    with pytest.raises(CommandError, match="Demand point 5 has latitude 123") as caught:
        run("solve", str(bad), "--out", str(answer_path))

    assert caught.value.returncode == 2
    assert not answer_path.exists()
    assert list(tmp_path.iterdir()) == [bad]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON (line 1, column 2"),
        ('{"format": "constellation.coverage/1"}', 'must be "constellation.coverage-problem/1"'),
    ],
)
def test_unreadable_files_are_refused(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)

    with pytest.raises(CommandError) as caught:
        run("solve", str(bad), "--out", str(tmp_path / "answer.json"))
    assert message in str(caught.value)
    assert not (tmp_path / "answer.json").exists()


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("solve", str(tmp_path / "nothing.json"))


def test_the_command_exits_non_zero_on_a_bad_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "constellation.coverage-problem/1", "radius_km": -5}')
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "constellation.settings"}

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "constellation.cli",
            "atlas",
            "solve",
            str(bad),
            "--out",
            str(tmp_path / "a.json"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )

    assert done.returncode == 2
    assert '"radius_km" must be greater than 0' in done.stderr
    assert not (tmp_path / "a.json").exists()


@pytest.mark.django_db
def test_make_problem_builds_a_solvable_problem_from_places_and_organisations(tmp_path):
    network = factories.NetworkFactory(acronym="BNL")
    inside = factories.OrganisationFactory(
        slug="luxembourg-science", latitude=49.61, longitude=6.13, kinds=["science-centre"]
    )
    factories.MembershipFactory(organisation=inside, network=network)
    factories.OrganisationFactory(
        slug="lyon-science", kinds=["aquarium"]
    )  # Lyon, not in the network
    factories.OrganisationFactory(slug="nowhere", latitude=None, longitude=None)
    problem_path = tmp_path / "problem.json"

    printed = run(
        "make-problem",
        "--places",
        "cities15000",
        "--country",
        "LU",
        "--radius-km",
        "10",
        "--new-sites",
        "1",
        "--network",
        "bnl",
        "--out",
        str(problem_path),
    )

    problem = json.loads(problem_path.read_text())
    assert problem["format"] == "constellation.coverage-problem/1"
    assert [f["id"] for f in problem["facilities"]] == ["luxembourg-science"]
    assert {d["region"][:3] for d in problem["demand"]} == {"LU-"}
    assert problem["candidates"] == "demand" and problem["new_sites"] == 1
    assert "1 organisations, radius 10 km, 1 new sites" in printed
    answer_path = tmp_path / "answer.json"
    run("solve", str(problem_path), "--out", str(answer_path))
    answer = json.loads(answer_path.read_text())
    assert (
        0
        < answer["covered_weight_before"]
        < answer["covered_weight_after"]
        <= answer["total_weight"]
    )


@pytest.mark.django_db
def test_make_problem_filters_organisations_by_kind(tmp_path):
    factories.OrganisationFactory(slug="aquarium-lyon", kinds=["aquarium"])
    factories.OrganisationFactory(slug="centre-lyon", kinds=["science-centre"])
    problem_path = tmp_path / "problem.json"

    run(
        "make-problem",
        "--places",
        "cities15000",
        "--country",
        "LU",
        "--radius-km",
        "50",
        "--kind",
        "aquarium",
        "--out",
        str(problem_path),
    )

    assert [f["id"] for f in json.loads(problem_path.read_text())["facilities"]] == [
        "aquarium-lyon"
    ]


@pytest.mark.django_db
def test_make_problem_refuses_an_unknown_network_and_too_many_sites(tmp_path):
    problem_path = tmp_path / "problem.json"

    with pytest.raises(CommandError, match="No network with the acronym 'NOPE'."):
        run("make-problem", "--radius-km", "50", "--network", "NOPE", "--out", str(problem_path))
    with pytest.raises(
        CommandError, match='"new_sites" is 99 but there are only 3 candidate sites'
    ):
        run(
            "make-problem",
            "--places",
            "cities15000",
            "--country",
            "LU",
            "--radius-km",
            "50",
            "--new-sites",
            "99",
            "--out",
            str(problem_path),
        )
    assert not problem_path.exists()
