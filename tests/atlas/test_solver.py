"""The access-atlas solver: coverage within a radius, and where new sites reach the most people.

The shared examples (shared/formats/examples) fix the answers the format expects; small
hand-made instances check the exact search against brute force over every choice.
"""

from __future__ import annotations

import itertools
import json
import math
import random
from pathlib import Path

import numpy as np
import pytest

from constellation.atlas.solver import (
    Answer,
    Demand,
    Problem,
    ProblemError,
    Site,
    problem_from_json,
    problem_to_json,
    solve,
)
from constellation.core.geo import distance_km

SHARED_EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "formats" / "examples"
LOCAL_EXAMPLES = Path(__file__).resolve().parent / "data"
EXAMPLES = ["coverage-small", "coverage-small-candidates"]


def example(name: str) -> Path:
    """The shared example when the shared folder sits beside the repository, else our copy."""
    shared = SHARED_EXAMPLES / name
    return shared if shared.exists() else LOCAL_EXAMPLES / name


def load(name: str) -> dict:
    return json.loads(example(name).read_text(encoding="utf-8"))


# --- the shared examples ------------------------------------------------------------------


@pytest.mark.parametrize("method", ["exact", "greedy"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_shared_examples_give_the_published_answers(name, method):
    expected = load(f"{name}.answer.json")
    answer = solve(problem_from_json(load(f"{name}.json")), method=method).to_json()

    assert answer["format"] == "constellation.coverage/1"
    for key in ("total_weight", "covered_weight_before", "covered_weight_after", "chosen"):
        assert answer[key] == expected[key], key
    assert [r["region"] for r in answer["regions"]] == [r["region"] for r in expected["regions"]]
    for got, want in zip(answer["regions"], expected["regions"], strict=True):
        assert got["total"] == want["total"]
        assert got["covered_before"] == pytest.approx(want["covered_before"], abs=1e-9)
        assert got["covered_after"] == pytest.approx(want["covered_after"], abs=1e-9)
    assert set(answer) == set(expected)


def test_local_copies_of_the_examples_match_the_shared_files():
    if not SHARED_EXAMPLES.is_dir():
        pytest.skip(f"the shared examples folder is not beside the repository ({SHARED_EXAMPLES})")
    for name in EXAMPLES:
        for suffix in (".json", ".answer.json"):
            assert (LOCAL_EXAMPLES / f"{name}{suffix}").read_bytes() == (
                SHARED_EXAMPLES / f"{name}{suffix}"
            ).read_bytes()


def test_exact_proves_the_small_example_optimal_and_reports_the_bound():
    answer = solve(problem_from_json(load("coverage-small.json")), method="exact")

    assert answer.method == "exact"
    assert answer.optimal is True
    assert answer.upper_bound == answer.covered_weight_after
    assert answer.newly_covered == 415_510
    assert answer.covered_after.sum() > answer.covered_before.sum()
    assert len(answer.covered_before) == 360


def test_greedy_reports_a_valid_bound_without_claiming_optimality():
    answer = solve(problem_from_json(load("coverage-small.json")), method="greedy")

    assert answer.method == "greedy"
    assert answer.optimal is False
    assert answer.upper_bound >= answer.covered_weight_after
    assert 0 < answer.gap < 1


def test_round_trip_through_json_keeps_the_problem():
    data = load("coverage-small-candidates.json")
    problem = problem_from_json(data)

    assert problem_from_json(problem_to_json(problem)) == problem
    assert problem_to_json(problem)["candidates"][0] == data["candidates"][0]


# --- hand-made instances -------------------------------------------------------------------


def line_problem(new_sites: int = 2) -> Problem:
    """Four towns 1 degree apart on the equator; three candidate sites between neighbours.

    Weights 2, 3, 3, 2: the middle site reaches 6 people, the outer ones 5 each, so greedy
    takes the middle (6) and then at best 2 more (8), while the two outer sites reach 10.
    """
    towns = [
        Demand(f"t{k}", 0.0, float(k), w, "XX-1" if k < 2 else "XX-2")
        for k, w in enumerate([2, 3, 3, 2])
    ]
    sites = [Site(f"s{k}", 0.0, k + 0.5) for k in range(3)]
    return Problem(radius_km=60, facilities=[], demand=towns, candidates=sites, new_sites=new_sites)


def brute_force_best(problem: Problem) -> float:
    """The most weight any choice of new_sites candidates reaches, by trying them all."""
    candidates = problem.candidate_sites()

    def reached(site, place) -> bool:
        return distance_km(site.lat, site.lon, place.lat, place.lon) <= problem.radius_km

    base = [any(reached(f, d) for f in problem.facilities) for d in problem.demand]
    reach = [[reached(c, d) for d in problem.demand] for c in candidates]
    best = 0.0
    for combo in itertools.combinations(range(len(candidates)), problem.new_sites):
        total = math.fsum(
            d.weight
            for i, d in enumerate(problem.demand)
            if base[i] or any(reach[j][i] for j in combo)
        )
        best = max(best, total)
    return best


def test_exact_finds_the_optimum_where_greedy_falls_short():
    problem = line_problem()

    greedy = solve(problem, method="greedy")
    exact = solve(problem, method="exact")

    assert greedy.chosen[0] == "s1"
    assert greedy.covered_weight_after == 8
    assert greedy.optimal is False
    assert exact.covered_weight_after == 10 == brute_force_best(problem)
    assert exact.optimal is True
    assert exact.chosen == ["s0", "s2"]  # equal gains: the first listed candidate first
    assert exact.covered_after.all()
    assert [(r.region, r.total, r.covered_after) for r in exact.regions] == [
        ("XX-1", 5, 1.0),
        ("XX-2", 5, 1.0),
    ]


@pytest.mark.parametrize("seed", range(12))
def test_exact_matches_brute_force_on_random_instances(seed):
    rng = random.Random(seed)
    demand = [
        Demand(
            f"d{k}",
            rng.uniform(44, 46),
            rng.uniform(4, 7),
            float(rng.randint(1, 100)),
            rng.choice(["FR-A", "FR-B"]),
        )
        for k in range(40)
    ]
    facilities = [Site(f"f{k}", rng.uniform(44, 46), rng.uniform(4, 7)) for k in range(2)]
    candidates = [Site(f"c{k}", rng.uniform(44, 46), rng.uniform(4, 7)) for k in range(14)]
    problem = Problem(
        radius_km=45, facilities=facilities, demand=demand, candidates=candidates, new_sites=3
    )

    exact = solve(problem, method="exact")
    greedy = solve(problem, method="greedy")

    assert exact.optimal is True
    assert exact.covered_weight_after == brute_force_best(problem)
    assert greedy.covered_weight_after <= exact.covered_weight_after
    assert greedy.upper_bound >= exact.covered_weight_after
    covered = [d.weight for d, flag in zip(demand, exact.covered_after, strict=True) if flag]
    assert math.fsum(covered) == exact.covered_weight_after


def test_demand_as_candidates_uses_demand_ids():
    towns = [Demand("a", 10.0, 10.0, 5), Demand("b", 10.0, 12.0, 7), Demand("c", 10.0, 10.1, 1)]
    problem = Problem(radius_km=20, facilities=[], demand=towns, candidates=None, new_sites=1)

    answer = solve(problem)

    assert answer.chosen == ["b"]
    assert answer.covered_weight_after == 7


def test_a_place_exactly_at_the_radius_is_covered_and_one_a_hair_beyond_is_not():
    facility = Site("museum", 48.8566, 2.3522)
    place = Demand("town", 49.2, 2.9, 1000)
    radius = distance_km(facility.lat, facility.lon, place.lat, place.lon)

    at_radius = solve(
        Problem(radius_km=radius, facilities=[facility], demand=[place], candidates=None)
    )
    just_short = solve(
        Problem(
            radius_km=math.nextafter(radius, 0),
            facilities=[facility],
            demand=[place],
            candidates=None,
        )
    )

    assert at_radius.covered_weight_before == 1000
    assert just_short.covered_weight_before == 0


def test_a_new_site_exactly_at_the_radius_covers_the_place():
    place = Demand("town", -33.9, 18.4, 50)
    site = Site("site", -33.5, 18.9)
    radius = distance_km(site.lat, site.lon, place.lat, place.lon)

    answer = solve(
        Problem(radius_km=radius, facilities=[], demand=[place], candidates=[site], new_sites=1)
    )

    assert answer.chosen == ["site"]
    assert answer.covered_weight_after == 50


def test_new_sites_zero_reports_todays_coverage_only():
    problem = line_problem(new_sites=0)
    problem.facilities = [Site("museum", 0.0, 0.0)]

    answer = solve(problem)

    assert answer.chosen == []
    assert answer.covered_weight_before == answer.covered_weight_after == 2
    assert answer.optimal is True
    assert answer.covered_before.tolist() == [True, False, False, False]
    assert answer.to_json()["regions"] == [
        {"region": "XX-1", "total": 5, "covered_before": 0.4, "covered_after": 0.4},
        {"region": "XX-2", "total": 5, "covered_before": 0.0, "covered_after": 0.0},
    ]


def test_more_new_sites_than_useful_candidates_picks_only_the_useful_ones():
    towns = [Demand("a", 0.0, 0.0, 5), Demand("b", 0.0, 20.0, 3)]
    sites = [
        Site("near-a", 0.0, 0.1),
        Site("near-a-too", 0.0, 0.05),
        Site("nowhere", 50.0, 50.0),
        Site("near-b", 0.0, 20.1),
    ]
    problem = Problem(radius_km=30, facilities=[], demand=towns, candidates=sites, new_sites=4)

    for method in ("exact", "greedy"):
        answer = solve(problem, method=method)
        assert answer.chosen == ["near-a", "near-b"], method
        assert answer.covered_weight_after == 8
        assert answer.optimal is True


def test_empty_demand_gives_an_empty_answer():
    answer = solve(
        Problem(
            radius_km=10,
            facilities=[Site("m", 1, 1)],
            demand=[],
            candidates=[Site("c", 2, 2)],
            new_sites=1,
        )
    )

    assert answer.total_weight == answer.covered_weight_before == answer.covered_weight_after == 0
    assert answer.chosen == [] and answer.regions == []
    assert answer.to_json()["total_weight"] == 0
    assert len(answer.covered_after) == 0


def test_progress_is_reported_in_stages():
    calls = []
    solve(line_problem(), progress=lambda stage, done, total: calls.append((stage, done, total)))

    stages = [stage for stage, _done, _total in calls]
    assert stages[0] == "coverage" and "greedy" in stages and stages[-1] == "exact"
    assert all(0 <= done <= total for _stage, done, total in calls)


def test_answer_json_has_exactly_the_format_keys_unless_details_are_asked():
    answer = solve(line_problem())

    assert isinstance(answer, Answer)
    assert list(answer.to_json()) == [
        "format",
        "total_weight",
        "covered_weight_before",
        "chosen",
        "covered_weight_after",
        "regions",
    ]
    assert answer.to_json(details=True)["solver"] == {
        "method": "exact",
        "optimal": True,
        "upper_bound": 10,
        "seconds": round(answer.seconds, 3),
    }


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method"):
        solve(line_problem(), method="magic")


def test_coverage_agrees_with_pairwise_distances_on_random_points():
    rng = np.random.default_rng(7)
    demand = [
        Demand(f"d{k}", float(lat), float(lon), 1.0)
        for k, (lat, lon) in enumerate(
            zip(rng.uniform(-80, 80, 400), rng.uniform(-180, 180, 400), strict=True)
        )
    ]
    facilities = [
        Site(f"f{k}", float(lat), float(lon))
        for k, (lat, lon) in enumerate(
            zip(rng.uniform(-80, 80, 60), rng.uniform(-180, 180, 60), strict=True)
        )
    ]
    # across the antimeridian too
    facilities.append(Site("east", 0.0, 179.9))
    demand.append(Demand("west", 0.0, -179.9, 1.0))

    answer = solve(Problem(radius_km=900, facilities=facilities, demand=demand, candidates=None))

    expected = [
        any(distance_km(f.lat, f.lon, d.lat, d.lon) <= 900 for f in facilities) for d in demand
    ]
    assert answer.covered_before.tolist() == expected
    assert expected[-1] is True


# --- malformed problems --------------------------------------------------------------------


def valid() -> dict:
    return {
        "format": "constellation.coverage-problem/1",
        "radius_km": 50,
        "facilities": [{"id": "m1", "lat": 37.8, "lon": -122.4}],
        "demand": [
            {"id": "p1", "lat": 37.77, "lon": -122.42, "weight": 800000, "region": "US-CA"},
            {"id": "p2", "lat": 38.5, "lon": -121.5, "weight": 500000},
        ],
        "candidates": "demand",
        "new_sites": 1,
    }


def with_change(path: tuple, value) -> dict:
    data = valid()
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be a JSON object"),
        (
            with_change(("format",), "constellation.coverage/1"),
            'format" must be "constellation.coverage-problem/1"',
        ),
        (with_change(("format",), KeyError), "This is not a coverage problem"),
        (with_change(("radius_km",), KeyError), 'missing "radius_km"'),
        (with_change(("radius_km",), "fifty"), '"radius_km" must be a number'),
        (with_change(("radius_km",), 0), '"radius_km" must be greater than 0'),
        (with_change(("facilities",), KeyError), 'missing "facilities"'),
        (with_change(("demand",), {"id": "x"}), '"demand" must be a list'),
        (with_change(("facilities", 0, "lat"), "north"), 'Facility 1 "lat" must be a number'),
        (with_change(("facilities", 0, "lon"), KeyError), 'Facility 1 is missing "lon"'),
        (with_change(("demand", 1, "lat"), 91), "Demand point 2 has latitude 91"),
        (with_change(("demand", 1, "lon"), -181.5), "Demand point 2 has longitude -181.5"),
        (with_change(("demand", 0, "lat"), float("nan")), "Demand point 1 has latitude nan"),
        (with_change(("demand", 1, "weight"), -3), "Demand point 2 has a negative weight"),
        (with_change(("demand", 1, "weight"), KeyError), 'Demand point 2 is missing "weight"'),
        (with_change(("demand", 1, "weight"), True), 'Demand point 2 "weight" must be a number'),
        (
            with_change(("demand", 1, "region"), 5),
            'Demand point 2 has a "region" that is not a string',
        ),
        (with_change(("demand", 1, "id"), "p1"), "Id 'p1' appears twice in \"demand\""),
        (with_change(("demand", 1, "id"), ""), 'Demand point 2 has an empty "id"'),
        (with_change(("demand", 1), "p2"), "Demand point 2 must be an object"),
        (with_change(("candidates",), "everywhere"), '"candidates" must be "demand" or a list'),
        (with_change(("candidates",), [{"id": "c", "lat": 1}]), 'Candidate 1 is missing "lon"'),
        (with_change(("new_sites",), -1), '"new_sites" cannot be negative'),
        (with_change(("new_sites",), 1.5), '"new_sites" must be a whole number'),
        (with_change(("new_sites",), 3), '"new_sites" is 3 but there are only 2 candidate sites'),
    ],
)
def test_malformed_problems_are_refused_with_a_clear_message(data, message):
    with pytest.raises(ProblemError) as caught:
        problem_from_json(data)

    assert message in caught.value.message
    assert str(caught.value) == caught.value.message


def test_a_valid_problem_reads_with_defaults():
    data = valid()
    del data["new_sites"]

    problem = problem_from_json(data)

    assert problem.new_sites == 0
    assert problem.candidates is None
    assert problem.demand[1] == Demand("p2", 38.5, -121.5, 500000.0, "")
    assert problem.facilities == [Site("m1", 37.8, -122.4)]


def test_when_the_exact_search_runs_out_of_time_greedy_is_kept_with_its_bound(monkeypatch):
    import scipy.optimize
    from scipy.optimize import OptimizeResult

    def out_of_time(*args, **kwargs):
        assert kwargs["options"]["time_limit"] <= 5
        return OptimizeResult(status=1, x=None, mip_dual_bound=-9.5, message="Time limit reached")

    monkeypatch.setattr(scipy.optimize, "milp", out_of_time)

    answer = solve(line_problem(), method="exact", time_limit=5)

    assert answer.chosen == ["s1", "s0"]  # greedy's choice: reaching 8 of the possible 10
    assert answer.covered_weight_after == 8
    assert answer.optimal is False
    assert answer.upper_bound == 9.5  # HiGHS's bound, tighter than greedy's own (10)
    assert answer.gap == pytest.approx((9.5 - 8) / 9.5)


# --- places from GeoNames -----------------------------------------------------------------


def test_geonames_demand_gives_places_by_population_with_regions():
    from constellation.atlas.geodata import geonames_demand

    places = geonames_demand("cities15000", country="lu")
    larger = geonames_demand("cities15000", country="LU", min_population=20000)

    assert [p.region for p in places][:1] == ["LU-LU"]
    assert places[0].id == "2960316" and places[0].weight > 70000  # Luxembourg City first
    assert [p.weight for p in places] == sorted((p.weight for p in places), reverse=True)
    assert larger == [p for p in places if p.weight >= 20000] and len(larger) < len(places)
    assert geonames_demand("cities15000", country="LU") is not geonames_demand(
        "cities15000", country="LU"
    )


def test_geonames_demand_refuses_an_unknown_dataset():
    from constellation.atlas.geodata import geonames_demand

    with pytest.raises(ValueError, match="cities500"):
        geonames_demand("cities42")
