"""Who lives within reach of a science centre, and where new sites would reach the most people.

The question and its answer follow the interchange format in
shared/formats/coverage-problem.md (`constellation.coverage-problem/1` in,
`constellation.coverage/1` out). A demand point is covered when a facility or a chosen
site lies within `radius_km` (inclusive), measured as in `constellation.core.geo`.

How it works:

1. Coverage. Points become unit vectors in k-d trees; the tree gives every pair whose
   chord is within a slightly enlarged chord radius, and the exact great-circle distance
   then decides each pair (pairs within a hair of the radius are decided again with
   `core.geo.distance_km` itself, so boundary cases agree with the rest of the product).
2. Greedy. Lazy greedy on a heap: take the candidate with the largest gain in newly
   covered weight, re-evaluating stale gains only when they reach the top. Submodularity
   gives a bound: the covered weight plus the N largest remaining gains.
3. Exact. The maximal covering problem as an integer programme over the demand still
   uncovered, after merging demand points covered by the same set of candidates and
   dropping candidates that reach the same points as another or a strict subset of
   another's, solved by HiGHS (scipy.optimize.milp, presolve off: on these models it costs
   far more than it saves).
   If HiGHS does not prove optimality in time, the better of greedy and its incumbent is
   returned with `optimal=False` and the bound.
"""

from __future__ import annotations

import gc
import heapq
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

from constellation.core.geo import EARTH_RADIUS_KM, chord_for_km, distance_km, unit_vectors

PROBLEM_FORMAT = "constellation.coverage-problem/1"
ANSWER_FORMAT = "constellation.coverage/1"
METHODS = ("exact", "greedy")

Progress = Callable[[str, int, int], None]


def _(message: str) -> str:
    """Translate when Django is set up; the solver also runs in plain scripts."""
    from django.conf import settings

    if settings.configured:
        from django.utils.translation import gettext

        return gettext(message)
    return message


class ProblemError(ValueError):
    """A coverage problem that cannot be solved as given; `message` is ready to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Site:
    id: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Demand:
    id: str
    lat: float
    lon: float
    weight: float
    region: str = ""


@dataclass
class Problem:
    radius_km: float
    facilities: list[Site]
    demand: list[Demand]
    candidates: list[Site] | None  # None: every demand point is a candidate (id = demand id)
    new_sites: int = 0

    def candidate_sites(self) -> list[Site]:
        if self.candidates is not None:
            return self.candidates
        return [Site(d.id, d.lat, d.lon) for d in self.demand]


@dataclass
class RegionFigure:
    region: str
    total: float
    covered_before: float  # fraction of total
    covered_after: float  # fraction of total


@dataclass
class Answer:
    total_weight: float
    covered_weight_before: float
    covered_weight_after: float
    chosen: list[str]
    regions: list[RegionFigure]
    covered_before: np.ndarray = field(repr=False)
    covered_after: np.ndarray = field(repr=False)
    method: str = "exact"
    optimal: bool = True
    upper_bound: float | None = None
    seconds: float = 0.0

    @property
    def newly_covered(self) -> float:
        return self.covered_weight_after - self.covered_weight_before

    @property
    def gap(self) -> float | None:
        """Relative distance from the bound (0 when proven optimal), or None without a bound."""
        if self.optimal:
            return 0.0
        if self.upper_bound is None or self.upper_bound <= 0:
            return None
        return max(0.0, (self.upper_bound - self.covered_weight_after) / self.upper_bound)

    def to_json(self, *, details: bool = False) -> dict:
        """The answer as `constellation.coverage/1`; `details` adds how it was found."""
        data = {
            "format": ANSWER_FORMAT,
            "total_weight": _number(self.total_weight),
            "covered_weight_before": _number(self.covered_weight_before),
            "chosen": list(self.chosen),
            "covered_weight_after": _number(self.covered_weight_after),
            "regions": [
                {
                    "region": r.region,
                    "total": _number(r.total),
                    "covered_before": r.covered_before,
                    "covered_after": r.covered_after,
                }
                for r in self.regions
            ],
        }
        if details:
            data["solver"] = {
                "method": self.method,
                "optimal": self.optimal,
                "upper_bound": None if self.upper_bound is None else _number(self.upper_bound),
                "seconds": round(self.seconds, 3),
            }
        return data


def _number(value: float) -> float | int:
    value = float(value)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


# ---------------------------------------------------------------------------------------
# Reading and writing problems


def _label(where) -> str:
    """The thing being checked, named only when there is an error to report (it is translated)."""
    if isinstance(where, str):
        return where
    kind, n, field_name = where
    labels = {
        "facility": _("Facility %(n)d"),
        "demand": _("Demand point %(n)d"),
        "candidate": _("Candidate %(n)d"),
    }
    label = labels[kind] % {"n": n}
    return f'{label} "{field_name}"' if field_name else label


def _check_number(value, where) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProblemError(
            _("%(what)s must be a number, not %(value)s.")
            % {"what": _label(where), "value": _shown(value)}
        )
    value = float(value)
    if not math.isfinite(value):
        raise ProblemError(_("%(what)s must be a finite number.") % {"what": _label(where)})
    return value


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _check_id(value, where) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ProblemError(_('%(what)s needs an "id" (a string).') % {"what": _label(where)})
    value = str(value)
    if not value.strip():
        raise ProblemError(_('%(what)s has an empty "id".') % {"what": _label(where)})
    return value


def _check_point(item, kind: str, n: int) -> tuple[str, float, float]:
    where = (kind, n, "")
    if not isinstance(item, dict):
        raise ProblemError(
            _("%(what)s must be an object with id, lat and lon.") % {"what": _label(where)}
        )
    try:
        ident, lat, lon = item["id"], item["lat"], item["lon"]
    except KeyError as exc:
        raise ProblemError(
            _('%(what)s is missing "%(key)s".') % {"what": _label(where), "key": exc.args[0]}
        ) from None
    if type(ident) is not str or not ident.strip():
        ident = _check_id(ident, where)
    if type(lat) is not float:
        lat = _check_number(lat, (kind, n, "lat"))
    if type(lon) is not float:
        lon = _check_number(lon, (kind, n, "lon"))
    if not -90 <= lat <= 90:  # also rejects NaN
        raise ProblemError(
            _("%(what)s has latitude %(lat)s, outside -90..90.")
            % {"what": _label(where), "lat": _shown(lat)}
        )
    if not -180 <= lon <= 180:
        raise ProblemError(
            _("%(what)s has longitude %(lon)s, outside -180..180.")
            % {"what": _label(where), "lon": _shown(lon)}
        )
    return ident, lat, lon


def _check_list(data: dict, key: str) -> list:
    if key not in data:
        raise ProblemError(_('The problem is missing "%(key)s".') % {"key": key})
    value = data[key]
    if not isinstance(value, list):
        raise ProblemError(_('"%(key)s" must be a list.') % {"key": key})
    return value


def _check_unique(ids: list[str], key: str) -> None:
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        for ident in ids:
            if ident in seen:
                raise ProblemError(
                    _('Id %(id)s appears twice in "%(key)s".') % {"id": _shown(ident), "key": key}
                )
            seen.add(ident)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector while building many small objects that form no cycles.

    Reading 235,000 places otherwise spends most of its time in collections that free nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def problem_from_json(data) -> Problem:
    """Check a `constellation.coverage-problem/1` document and return the Problem it asks."""
    with gc_paused():
        return _problem_from_json(data)


def _problem_from_json(data) -> Problem:
    if not isinstance(data, dict):
        raise ProblemError(_("A coverage problem must be a JSON object."))
    if data.get("format") != PROBLEM_FORMAT:
        raise ProblemError(
            _('This is not a coverage problem: "format" must be "%(expected)s", not %(found)s.')
            % {"expected": PROBLEM_FORMAT, "found": _shown(data.get("format"))}
        )
    if "radius_km" not in data:
        raise ProblemError(_('The problem is missing "%(key)s".') % {"key": "radius_km"})
    radius_km = _check_number(data["radius_km"], '"radius_km"')
    if radius_km <= 0:
        raise ProblemError(_('"radius_km" must be greater than 0.'))

    facilities = []
    for n, item in enumerate(_check_list(data, "facilities"), start=1):
        facilities.append(Site(*_check_point(item, "facility", n)))
    _check_unique([f.id for f in facilities], "facilities")

    demand = []
    for n, item in enumerate(_check_list(data, "demand"), start=1):
        ident, lat, lon = _check_point(item, "demand", n)
        if "weight" not in item:
            raise ProblemError(
                _('%(what)s is missing "%(key)s".')
                % {"what": _label(("demand", n, "")), "key": "weight"}
            )
        weight = item["weight"]
        if type(weight) is int:
            weight = float(weight)
        elif type(weight) is not float or not weight < math.inf:
            weight = _check_number(weight, ("demand", n, "weight"))
        if weight < 0:
            raise ProblemError(
                _("%(what)s has a negative weight.") % {"what": _label(("demand", n, ""))}
            )
        region = item.get("region") or ""
        if type(region) is not str:
            raise ProblemError(
                _('%(what)s has a "region" that is not a string.')
                % {"what": _label(("demand", n, ""))}
            )
        demand.append(Demand(ident, lat, lon, weight, region))
    _check_unique([d.id for d in demand], "demand")

    if "candidates" not in data:
        raise ProblemError(_('The problem is missing "%(key)s".') % {"key": "candidates"})
    raw = data["candidates"]
    if raw == "demand":
        candidates = None
        n_candidates = len(demand)
    elif isinstance(raw, list):
        candidates = [
            Site(*_check_point(item, "candidate", n)) for n, item in enumerate(raw, start=1)
        ]
        _check_unique([c.id for c in candidates], "candidates")
        n_candidates = len(candidates)
    else:
        raise ProblemError(_('"candidates" must be "demand" or a list of sites.'))

    new_sites = data.get("new_sites", 0)
    if (
        isinstance(new_sites, bool)
        or not isinstance(new_sites, int | float)
        or new_sites != int(new_sites)
    ):
        raise ProblemError(
            _('"new_sites" must be a whole number, not %(value)s.') % {"value": _shown(new_sites)}
        )
    new_sites = int(new_sites)
    if new_sites < 0:
        raise ProblemError(_('"new_sites" cannot be negative.'))
    if new_sites > n_candidates:
        raise ProblemError(
            _('"new_sites" is %(n)d but there are only %(c)d candidate sites.')
            % {"n": new_sites, "c": n_candidates}
        )
    return Problem(
        radius_km=radius_km,
        facilities=facilities,
        demand=demand,
        candidates=candidates,
        new_sites=new_sites,
    )


def problem_to_json(problem: Problem) -> dict:
    def point(s) -> dict:
        return {"id": s.id, "lat": s.lat, "lon": s.lon}

    def place(d: Demand) -> dict:
        item = {"id": d.id, "lat": d.lat, "lon": d.lon, "weight": _number(d.weight)}
        if d.region:
            item["region"] = d.region
        return item

    return {
        "format": PROBLEM_FORMAT,
        "radius_km": _number(problem.radius_km),
        "facilities": [point(f) for f in problem.facilities],
        "demand": [place(d) for d in problem.demand],
        "candidates": "demand"
        if problem.candidates is None
        else [point(c) for c in problem.candidates],
        "new_sites": problem.new_sites,
    }


# ---------------------------------------------------------------------------------------
# Geometry: which sites reach which demand points


def _coords(points) -> tuple[np.ndarray, np.ndarray]:
    n = len(points)
    lats = np.fromiter((p.lat for p in points), dtype=float, count=n)
    lons = np.fromiter((p.lon for p in points), dtype=float, count=n)
    return lats, lons


def _haversine_pairs(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle km between paired points, the formula of core.geo.distance_km."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    h = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def _search_chord(radius_km: float) -> float:
    # A little more than the chord of the radius, so rounding in the unit vectors never
    # loses a pair; the great-circle distance then decides.
    return chord_for_km(radius_km) * (1 + 1e-9) + 1e-12


def _within(km: np.ndarray, radius_km: float, lat1, lon1, lat2, lon2) -> np.ndarray:
    """km <= radius_km, with pairs a hair from the radius decided by core.geo.distance_km itself."""
    keep = km <= radius_km
    for k in np.flatnonzero(np.abs(km - radius_km) <= 1e-9 * max(1.0, radius_km)):
        keep[k] = distance_km(lat1[k], lon1[k], lat2[k], lon2[k]) <= radius_km
    return keep


def reach_pairs(
    site_lats,
    site_lons,
    demand_lats,
    demand_lons,
    demand_tree,
    radius_km: float,
    chunk: int = 20000,
):
    """(site index, demand index) for every pair at great-circle distance <= radius_km.

    Sites are taken `chunk` at a time so the temporary arrays stay small.
    """
    found_sites, found_places = [], []
    chord = _search_chord(radius_km)
    for start in range(0, len(site_lats) if len(demand_lats) else 0, chunk):
        lats, lons = site_lats[start : start + chunk], site_lons[start : start + chunk]
        site_tree = cKDTree(unit_vectors(lats, lons))
        found = site_tree.sparse_distance_matrix(demand_tree, chord, output_type="ndarray")
        sites, places = found["i"].astype(np.int64), found["j"].astype(np.int64)
        del found
        slat, slon, dlat, dlon = lats[sites], lons[sites], demand_lats[places], demand_lons[places]
        keep = _within(_haversine_pairs(slat, slon, dlat, dlon), radius_km, slat, slon, dlat, dlon)
        found_sites.append(sites[keep] + start)
        found_places.append(places[keep])
    if not found_sites:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(found_sites), np.concatenate(found_places)


def _covered_by(site_lats, site_lons, demand_lats, demand_lons, radius_km) -> np.ndarray:
    """Demand points with some site within radius_km: each point asks its nearest site.

    Along the sphere and along the chord the nearest site is the same one, so only points
    whose nearest site is a hair beyond the radius need to look at the other sites.
    """
    covered = np.zeros(len(demand_lats), dtype=bool)
    if len(site_lats) == 0 or len(demand_lats) == 0:
        return covered
    site_tree = cKDTree(unit_vectors(site_lats, site_lons))
    chord = _search_chord(radius_km)
    _dist, nearest = site_tree.query(
        unit_vectors(demand_lats, demand_lons), k=1, distance_upper_bound=chord
    )
    near = np.flatnonzero(nearest < len(site_lats))
    s = nearest[near]
    slat, slon, dlat, dlon = site_lats[s], site_lons[s], demand_lats[near], demand_lons[near]
    reached = _within(_haversine_pairs(slat, slon, dlat, dlon), radius_km, slat, slon, dlat, dlon)
    covered[near[reached]] = True
    doubtful = near[~reached]
    if len(doubtful):
        demand_tree = cKDTree(unit_vectors(demand_lats[doubtful], demand_lons[doubtful]))
        _sites, places = reach_pairs(
            site_lats,
            site_lons,
            demand_lats[doubtful],
            demand_lons[doubtful],
            demand_tree,
            radius_km,
        )
        covered[doubtful[places]] = True
    return covered


# ---------------------------------------------------------------------------------------
# Solving


@dataclass
class _Cover:
    """Candidate -> uncovered demand points it reaches, as CSR arrays."""

    indptr: np.ndarray
    indices: np.ndarray

    def of(self, j: int) -> np.ndarray:
        return self.indices[self.indptr[j] : self.indptr[j + 1]]


def _build_cover(
    cand_idx: np.ndarray, dem_idx: np.ndarray, n_candidates: int, n_demand: int
) -> _Cover:
    from scipy import sparse

    matrix = sparse.csr_matrix(
        (np.ones(len(cand_idx), dtype=np.int8), (cand_idx, dem_idx)), shape=(n_candidates, n_demand)
    )
    matrix.sort_indices()
    return _Cover(matrix.indptr.astype(np.int64), matrix.indices.astype(np.int64))


def _gains(cover: _Cover, weights: np.ndarray, uncovered: np.ndarray) -> np.ndarray:
    """Weight each candidate would newly cover, for all candidates at once."""
    values = np.where(uncovered[cover.indices], weights[cover.indices], 0.0)
    sums = np.zeros(len(cover.indptr) - 1)
    sizes = np.diff(cover.indptr)
    nonempty = sizes > 0
    if values.size:
        sums[nonempty] = np.add.reduceat(values, cover.indptr[:-1][nonempty])
    return sums


def _greedy(
    cover: _Cover, weights: np.ndarray, uncovered: np.ndarray, n: int, progress, allowed=None
) -> list[int]:
    """Lazy greedy: indices of up to n candidates in the order picked (ties: lowest index)."""
    uncovered = uncovered.copy()
    gains = _gains(cover, weights, uncovered)
    candidates = (
        np.flatnonzero(gains > 0) if allowed is None else [j for j in allowed if gains[j] > 0]
    )
    heap = [(-float(gains[j]), int(j)) for j in candidates]
    heapq.heapify(heap)
    chosen: list[int] = []
    while heap and len(chosen) < n:
        _stale, j = heapq.heappop(heap)
        points = cover.of(j)
        gain = float(weights[points][uncovered[points]].sum())
        if gain <= 0:
            continue
        if heap and (-gain, j) > heap[0]:
            heapq.heappush(heap, (-gain, j))
            continue
        chosen.append(j)
        uncovered[points] = False
        if progress:
            progress("greedy", len(chosen), n)
    return chosen


def _bound_after(cover: _Cover, weights, uncovered, value: float, n: int) -> float:
    """Submodularity: no n sites can add more than the n largest single gains."""
    gains = _gains(cover, weights, uncovered)
    if n <= 0 or gains.size == 0:
        return value
    top = np.sort(gains)[::-1][:n]
    return value + float(top.sum())


def _exact(cover: _Cover, weights, uncovered, n: int, time_limit: float):
    """Maximal covering ILP over uncovered demand. Returns (indices, proven, dual bound on the gain)."""
    from scipy import sparse  # imported here: coverage alone should not pay for scipy.optimize
    from scipy.optimize import Bounds, LinearConstraint, milp

    n_cand = len(cover.indptr) - 1
    if cover.indices.size == 0:
        return [], True, 0.0
    # Demand point -> sorted candidates covering it; points with equal lists are merged.
    by_place = sparse.csr_matrix(
        (np.ones(cover.indices.size, dtype=np.int8), cover.indices, cover.indptr),
        shape=(n_cand, int(cover.indices.max()) + 1),
    ).T.tocsr()
    by_place.sort_indices()
    sizes = np.diff(by_place.indptr)
    places = np.flatnonzero(sizes)
    starts, ends = by_place.indptr[:-1][places], by_place.indptr[1:][places]
    cand_sorted = by_place.indices.astype(np.int64)
    groups: dict[bytes, int] = {}
    group_weight: list[float] = []
    group_cands: list[np.ndarray] = []
    for place, s, e in zip(places, starts, ends, strict=True):
        cands = cand_sorted[s:e]
        key = cands.tobytes()
        g = groups.get(key)
        w = float(weights[place])
        if g is None:
            groups[key] = len(group_weight)
            group_weight.append(w)
            group_cands.append(cands)
        else:
            group_weight[g] += w
    # Candidate -> groups; merge candidates with equal group sets (keep the lowest index).
    pairs_c = np.concatenate(group_cands)
    pairs_g = np.repeat(np.arange(len(group_cands)), [len(c) for c in group_cands])
    order = np.lexsort((pairs_g, pairs_c))
    pairs_c, pairs_g = pairs_c[order], pairs_g[order]
    starts = np.flatnonzero(np.r_[True, pairs_c[1:] != pairs_c[:-1]])
    ends = np.r_[starts[1:], pairs_c.size]
    kept: dict[bytes, int] = {}
    spans: dict[int, tuple[int, int]] = {}
    for s, e in zip(starts, ends, strict=True):
        key = pairs_g[s:e].tobytes()
        if key not in kept:
            kept[key] = int(pairs_c[s])
            spans[int(pairs_c[s])] = (int(s), int(e))
    unique = np.array(sorted(spans), dtype=np.int64)
    sel = np.isin(pairs_c, unique)
    columns = _undominated(
        unique, np.searchsorted(unique, pairs_c[sel]), pairs_g[sel], len(group_weight)
    )
    n_x, n_y = len(columns), len(group_weight)
    if n_x <= n:  # every useful site fits
        return [int(c) for c in columns], True, None
    sel = np.isin(pairs_c, columns)
    rows = pairs_g[sel]
    xcols = np.searchsorted(columns, pairs_c[sel])
    # y_g - sum_{j covers g} x_j <= 0 ; sum_j x_j <= n
    a_cover = sparse.csr_matrix(
        (
            np.r_[np.ones(n_y), -np.ones(len(rows))],
            (np.r_[np.arange(n_y), rows], np.r_[n_x + np.arange(n_y), xcols]),
        ),
        shape=(n_y, n_x + n_y),
    )
    a_count = sparse.csr_matrix(
        (np.ones(n_x), (np.zeros(n_x, dtype=np.int64), np.arange(n_x))), shape=(1, n_x + n_y)
    )
    scale = 1.0  # raw weights: HiGHS then proves optimality to a millionth of a person
    c = np.r_[np.zeros(n_x), -np.asarray(group_weight) / scale]
    result = milp(
        c,
        constraints=[LinearConstraint(a_cover, -np.inf, 0), LinearConstraint(a_count, -np.inf, n)],
        integrality=np.r_[np.ones(n_x), np.zeros(n_y)],
        bounds=Bounds(0, 1),
        options={"time_limit": max(0.1, time_limit), "mip_rel_gap": 0.0, "presolve": False},
    )
    bound = getattr(result, "mip_dual_bound", None)
    bound = None if bound is None or not np.isfinite(bound) else -float(bound) * scale
    if result.x is None:
        return [], False, bound
    picked = [int(columns[k]) for k in np.flatnonzero(result.x[:n_x] > 0.5)]
    return picked, result.status == 0, bound


def _undominated(
    candidates: np.ndarray, rows: np.ndarray, groups: np.ndarray, n_groups: int
) -> np.ndarray:
    """The candidates whose groups are not a strict subset of another candidate's groups.

    Swapping a dominated site for the one dominating it never covers fewer people, so the
    optimum keeps its value without them (chains end at an undominated site). `rows` and
    `groups` list each (candidate position, group) pair once.
    """
    from scipy import sparse

    reach = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, groups)), shape=(len(candidates), n_groups)
    )
    size = np.diff(reach.indptr)
    shared = (reach @ reach.T).tocoo()  # how many groups two candidates both reach
    subset = (shared.data == size[shared.row]) & (size[shared.col] > size[shared.row])
    dominated = np.zeros(len(candidates), dtype=bool)
    dominated[shared.row[subset]] = True
    return candidates[~dominated]


def solve(
    problem: Problem,
    *,
    method: str = "exact",
    time_limit: float = 60.0,
    progress: Progress | None = None,
) -> Answer:
    """Today's coverage, and (new_sites > 0) the new sites that would reach the most people."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    started = time.perf_counter()
    demand = problem.demand
    dem_lats, dem_lons = _coords(demand)
    weights = np.fromiter((d.weight for d in demand), dtype=float, count=len(demand))
    if progress:
        progress("coverage", 0, 2)
    fac_lats, fac_lons = _coords(problem.facilities)
    covered_before = _covered_by(fac_lats, fac_lons, dem_lats, dem_lons, problem.radius_km)
    if progress:
        progress("coverage", 1, 2)

    before_value = math.fsum(weights[covered_before])
    n = problem.new_sites
    chosen_idx: list[int] = []
    optimal, upper_bound = True, before_value
    covered_after = covered_before.copy()
    if n > 0 and len(demand):
        if problem.candidates is None:
            cand_lats, cand_lons = dem_lats, dem_lons
        else:
            cand_lats, cand_lons = _coords(problem.candidates)
        uncovered = ~covered_before
        # Only the people not yet within reach matter to a new site: pair candidates with them.
        open_idx = np.flatnonzero(uncovered)
        if len(open_idx):
            open_tree = cKDTree(unit_vectors(dem_lats[open_idx], dem_lons[open_idx]))
            ci, oi = reach_pairs(
                cand_lats,
                cand_lons,
                dem_lats[open_idx],
                dem_lons[open_idx],
                open_tree,
                problem.radius_km,
            )
            di = open_idx[oi]
        else:
            ci = di = np.empty(0, dtype=np.int64)
        cover = _build_cover(ci, di, len(cand_lats), len(demand))
        if progress:
            progress("coverage", 2, 2)
        greedy_idx = _greedy(cover, weights, uncovered, n, progress)
        greedy_cov = _apply(cover, uncovered, greedy_idx)
        greedy_gain = math.fsum(weights[greedy_cov])
        bound_gain = min(
            _bound_after(cover, weights, uncovered, 0.0, n),
            _bound_after(cover, weights, uncovered & ~greedy_cov, greedy_gain, n),
        )
        chosen_idx = greedy_idx
        optimal = greedy_gain >= bound_gain or len(greedy_idx) < n
        upper_bound = before_value + bound_gain
        if method == "exact" and not optimal:
            if progress:
                progress("exact", 0, 1)
            remaining = max(0.1, time_limit - (time.perf_counter() - started))
            picked, proven, dual = _exact(cover, weights, uncovered, n, remaining)
            exact_gain = math.fsum(weights[_apply(cover, uncovered, picked)])
            if exact_gain > greedy_gain:
                chosen_idx = _greedy(
                    cover, weights, uncovered, len(picked), None, allowed=sorted(picked)
                )
            best_gain = max(exact_gain, greedy_gain)
            if dual is not None:
                bound_gain = min(bound_gain, max(dual, best_gain))
            optimal = proven or best_gain >= bound_gain
            if proven:
                bound_gain = best_gain
            upper_bound = before_value + bound_gain
            if progress:
                progress("exact", 1, 1)
        covered_after = covered_before | _apply(cover, uncovered, chosen_idx)

    after_value = math.fsum(weights[covered_after])
    if optimal:
        upper_bound = after_value
    return Answer(
        total_weight=math.fsum(weights),
        covered_weight_before=before_value,
        covered_weight_after=after_value,
        chosen=[
            (demand if problem.candidates is None else problem.candidates)[j].id for j in chosen_idx
        ],
        regions=_regions(demand, weights, covered_before, covered_after),
        covered_before=covered_before,
        covered_after=covered_after,
        method=method,
        optimal=bool(optimal),
        upper_bound=upper_bound,
        seconds=time.perf_counter() - started,
    )


def _apply(cover: _Cover, uncovered: np.ndarray, chosen: list[int]) -> np.ndarray:
    """Demand points (among the uncovered) newly covered by the chosen candidates."""
    newly = np.zeros(len(uncovered), dtype=bool)
    for j in chosen:
        newly[cover.of(j)] = True
    return newly & uncovered


def _regions(demand, weights, before, after) -> list[RegionFigure]:
    codes: dict[str, int] = {}
    index = np.fromiter(
        (codes.setdefault(d.region, len(codes)) for d in demand), dtype=np.int64, count=len(demand)
    )
    if not any(codes):
        return []
    size = len(codes)
    totals = np.bincount(index, weights=weights, minlength=size)
    covered_before = np.bincount(index, weights=np.where(before, weights, 0.0), minlength=size)
    covered_after = np.bincount(index, weights=np.where(after, weights, 0.0), minlength=size)
    figures = []
    for name in sorted(code for code in codes if code):
        k = codes[name]
        total = float(totals[k])
        figures.append(
            RegionFigure(
                region=name,
                total=total,
                covered_before=float(covered_before[k]) / total if total else 0.0,
                covered_after=float(covered_after[k]) / total if total else 0.0,
            )
        )
    return figures
