"""`constellation passport eligible`: the published example cases, bad input, the database."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

DATA = Path(__file__).parent / "data"
CASES = json.loads((DATA / "passport-small-cases.json").read_text())["cases"]


def run(*args: str) -> str:
    out = StringIO()
    call_command("passport", "eligible", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_eligible_matches_the_published_cases(case):
    output = run(
        "--venues", str(DATA / "passport-small.csv"), "--member", case["member"], "--lat", repr(case["lat"]),
        "--lon", repr(case["lon"]), "--radius-km", repr(case["radius_km"]), "--json",
    )

    assert json.loads(output) == case["expected"]


def test_eligible_prints_one_id_per_line_without_json():
    case = CASES[1]

    output = run("--venues", str(DATA / "passport-small.csv"), "--member", case["member"], "--lat", str(case["lat"]),
                 "--lon", str(case["lon"]), "--radius-km", "144.84")

    assert output.split() == case["expected"]


def test_eligible_rejects_an_unknown_member():
    with pytest.raises(CommandError, match="Unknown member venue '123'"):
        run("--venues", str(DATA / "passport-small.csv"), "--member", "123", "--lat", "42", "--lon", "-71", "--radius-km", "10")


def test_eligible_names_the_row_with_a_bad_latitude(tmp_path):
    path = tmp_path / "venues.csv"
    path.write_text("id,name,lat,lon\n1,A,42.1,-71\n2,B,north,-71\n")

    with pytest.raises(CommandError, match=r"row 3: lat is not a number: 'north'"):
        run("--venues", str(path), "--member", "1", "--lat", "42", "--lon", "-71", "--radius-km", "10")


def test_eligible_rejects_a_csv_without_the_columns(tmp_path):
    path = tmp_path / "venues.csv"
    path.write_text("id,name,latitude,longitude\n1,A,42.1,-71\n")

    with pytest.raises(CommandError, match="missing column\\(s\\) lat, lon"):
        run("--venues", str(path), "--member", "1", "--lat", "42", "--lon", "-71", "--radius-km", "10")


def test_eligible_rejects_an_out_of_range_longitude(tmp_path):
    path = tmp_path / "venues.csv"
    path.write_text("id,name,lat,lon\n1,A,42.1,-71\n2,B,42,-190\n")

    with pytest.raises(CommandError, match="row 3: lon must lie between -180 and 180"):
        run("--venues", str(path), "--member", "1", "--lat", "42", "--lon", "-71", "--radius-km", "10")


def test_eligible_needs_a_radius_with_a_csv():
    with pytest.raises(CommandError, match="--radius-km is required"):
        run("--venues", str(DATA / "passport-small.csv"), "--member", "8400900108", "--lat", "42", "--lon", "-71")


def test_eligible_reads_the_database_programme_by_default(venues):
    output = run("--member", str(venues["mos"].pk), "--lat", "41.7672", "--lon", "-72.676", "--json")

    assert json.loads(output) == sorted([str(venues["montshire"].pk), str(venues["atomium"].pk)])


def test_eligible_uses_a_given_radius_over_the_programmes(venues, network_a):
    output = run("--network", network_a.acronym, "--member", str(venues["mos"].pk), "--lat", "41.7672",
                 "--lon", "-72.676", "--radius-km", "50", "--json")

    assert json.loads(output) == sorted(str(venues[k].pk) for k in ("montshire", "seacoast", "atomium"))


def test_eligible_says_when_no_programme_exists(db):
    with pytest.raises(CommandError, match="No passport programme"):
        run("--member", "1", "--lat", "42", "--lon", "-71")
