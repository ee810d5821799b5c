"""The reciprocal-admission rule, as one pure function over arrays of venues.

A venue is eligible for a visitor iff its great-circle distance to the visitor's member
venue AND to the visitor's residence are both strictly greater than the radius; a venue at
exactly the radius is excluded and the member's own venue never is eligible
(shared/formats/coverage-problem.md, "Reciprocal admission"). The finder, the front-desk
check, the API and `constellation passport eligible` all call `evaluate`, so they agree to
the centimetre: distances come from core.geo (sphere of 6371.0088 km, double precision).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from constellation.core.geo import distances_km


@dataclass(frozen=True)
class Evaluation:
    eligible: np.ndarray  # bool per venue
    to_member_km: np.ndarray
    to_home_km: np.ndarray
    near_member: np.ndarray  # bool: excluded because within the radius of the member venue
    near_home: np.ndarray  # bool: excluded because within the radius of the residence


def evaluate(lats, lons, *, member_index: int, home_lat: float, home_lon: float, radius_km: float) -> Evaluation:
    """Apply the rule to every venue; `member_index` is the visitor's venue in the arrays."""
    lats = np.asarray(lats, dtype=float)
    lons = np.asarray(lons, dtype=float)
    to_member = distances_km(float(lats[member_index]), float(lons[member_index]), lats, lons)
    to_home = distances_km(home_lat, home_lon, lats, lons)
    near_member = to_member <= radius_km
    near_home = to_home <= radius_km
    near_member[member_index] = True  # never eligible at one's own venue, whatever the radius
    eligible = ~(near_member | near_home)
    return Evaluation(eligible, to_member, to_home, near_member, near_home)


def eligible_ids(ids, lats, lons, *, member: str, home_lat: float, home_lon: float, radius_km: float) -> list[str]:
    """The ids of the eligible venues, sorted as strings; KeyError when `member` is not among them."""
    ids = [str(i) for i in ids]
    try:
        member_index = ids.index(str(member))
    except ValueError:
        raise KeyError(member) from None
    result = evaluate(lats, lons, member_index=member_index, home_lat=home_lat, home_lon=home_lon, radius_km=radius_km)
    return sorted(i for i, ok in zip(ids, result.eligible, strict=True) if ok)
