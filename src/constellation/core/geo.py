"""Great-circle distances on a sphere of radius 6371.0088 km (the mean Earth radius).

The interchange formats (shared/formats/coverage-problem.md) define every distance this
way, so the passport rule and the access atlas call these functions and nothing else.
The haversine form keeps full double precision at short distances, which decides the
cases that lie a few centimetres from an exclusion radius.
"""

from __future__ import annotations

import math

import numpy as np

EARTH_RADIUS_KM = 6371.0088
KM_PER_MILE = 1.609344


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distances_km(lat: float, lon: float, lats, lons) -> np.ndarray:
    """Great-circle distances in km from one point to arrays of points (degrees)."""
    lats = np.radians(np.asarray(lats, dtype=float))
    lons = np.radians(np.asarray(lons, dtype=float))
    phi1 = math.radians(lat)
    h = np.sin((lats - phi1) / 2) ** 2 + math.cos(phi1) * np.cos(lats) * np.sin(
        (lons - math.radians(lon)) / 2
    ) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def unit_vectors(lats, lons) -> np.ndarray:
    """Points (degrees) as 3-D unit vectors, for k-d trees: chord length grows with distance."""
    lats = np.radians(np.asarray(lats, dtype=float))
    lons = np.radians(np.asarray(lons, dtype=float))
    cos_lat = np.cos(lats)
    return np.column_stack((cos_lat * np.cos(lons), cos_lat * np.sin(lons), np.sin(lats)))


def chord_for_km(radius_km: float) -> float:
    """The straight-line distance between unit vectors that a great-circle radius spans."""
    angle = min(math.pi, radius_km / EARTH_RADIUS_KM)
    return 2 * math.sin(angle / 2)


def to_km(value: float, unit: str) -> float:
    """A radius in 'km' or 'mi' as km (90 miles = 144.84 km)."""
    return value * KM_PER_MILE if unit == "mi" else value
