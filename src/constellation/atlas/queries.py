"""Read-side builders for the atlas pages, API and exports.

Everything here works from the columns an analysis stored when it was solved: a result page
costs the same few queries for ten places or two hundred thousand, and never solves again.
Only the per-place exports rebuild the list of places (from GeoNames or the upload) and
pair it with the covered flags stored as bits.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import get_language

from constellation.atlas import places
from constellation.atlas.models import Analysis, AnalysisStatus
from constellation.core.spreadsheets import safe_row

RECENT_ANALYSES = 30


def analyses_for(user) -> QuerySet[Analysis]:
    return Analysis.objects.visible_to(user).select_related("network", "kind", "created_by")


def recent_analyses(user) -> list[Analysis]:
    return list(analyses_for(user).defer(*HEAVY_FIELDS)[:RECENT_ANALYSES])


# The answer's large columns: list pages don't read them.
HEAVY_FIELDS = ("uploaded_demand", "places", "facilities", "regions", "chosen", "summary")


# What the result page does not read from the row: the uploaded population, and the columns
# its tables and map are built from (built once per analysis and language, then cached).
PAGE_DEFERRED = ("uploaded_demand", "places", "facilities", "regions")
# The columns the map data and the tables are built from, read in one query on a cache miss.
BUILD_FIELDS = ("places", "facilities", "regions", "chosen")
# A finished answer never changes: keep what is built from it for a month (the key names the
# moment it was finished, so a new answer never meets an old entry).
BUILT_SECONDS = 30 * 24 * 3600
# How many regions the result page lists (the CSV has them all).
PAGE_REGIONS = 100


def analysis_page_queryset(user) -> QuerySet[Analysis]:
    """What the result page reads: the question, the headline and the proposed sites."""
    return analyses_for(user).defer(*PAGE_DEFERRED)


def map_queryset(user) -> QuerySet[Analysis]:
    """What the map data URL reads to check the visitor may see it and which answer it is."""
    return Analysis.objects.visible_to(user).only("pk", "status", "finished_at")


def answer_version(analysis: Analysis) -> str:
    """Names one finished answer in one language: '1763716800123456-fr'.

    Whatever is built from the answer for a page (country names are translated) is cached
    under it, and the map data URL carries it so a browser may keep that data for good.
    """
    stamp = round(analysis.finished_at.timestamp() * 1_000_000) if analysis.finished_at else 0
    return f"{stamp}-{get_language() or ''}"


def _built(analysis: Analysis, what: str, build):
    """`build(analysis)` cached by (analysis, answer, language); the answer's columns are read
    in one query, and only when the cache has nothing yet."""
    key = f"atlas:{what}:{analysis.pk}:{answer_version(analysis)}"
    value = cache.get(key)
    if value is None:
        deferred = analysis.get_deferred_fields()
        missing = [name for name in BUILD_FIELDS if name in deferred]
        if missing:
            analysis.refresh_from_db(fields=missing)
        value = build(analysis)
        cache.set(key, value, BUILT_SECONDS)
    return value


@dataclass
class Row:
    """One line of a coverage table: people in the area, within reach today and after the proposals."""

    code: str
    name: str
    total: int
    before: int
    after: int

    @property
    def share_before(self) -> float:
        return self.before / self.total if self.total else 0.0

    @property
    def share_after(self) -> float:
        return self.after / self.total if self.total else 0.0

    @property
    def uncovered(self) -> int:
        return self.total - self.after

    @property
    def added(self) -> int:
        return self.after - self.before

    @property
    def percent_before(self) -> float:
        return round(self.share_before * 100, 1)

    @property
    def percent_after(self) -> float:
        return round(self.share_after * 100, 1)


# How a coverage table can be ordered (?sort=...): most people out of reach first by default.
SORTS = {
    "uncovered": lambda row: (-row.uncovered, -row.total, row.code),
    "share": lambda row: (row.share_after, -row.total, row.code),
    "population": lambda row: (-row.total, row.code),
    "name": lambda row: (row.name.casefold(), row.code),
}
DEFAULT_SORT = "uncovered"


def _ordered(rows, sort: str = DEFAULT_SORT) -> list[Row]:
    return sorted(rows, key=SORTS.get(sort, SORTS[DEFAULT_SORT]))


def region_rows(analysis: Analysis, sort: str = DEFAULT_SORT) -> list[Row]:
    rows = (
        Row(
            code=r["code"],
            name=places.region_name(r["code"]),
            total=r["total"],
            before=r["before"],
            after=r["after"],
        )
        for r in analysis.regions
    )
    return _ordered(rows, sort)


def country_rows(analysis: Analysis, sort: str = DEFAULT_SORT) -> list[Row]:
    totals: dict[str, list[int]] = {}
    for r in analysis.regions:
        figures = totals.setdefault(places.country_of(r["code"]), [0, 0, 0])
        figures[0] += r["total"]
        figures[1] += r["before"]
        figures[2] += r["after"]
    return _ordered(
        (
            Row(code=code, name=places.country_name(code) or "—", total=t, before=b, after=a)
            for code, (t, b, a) in totals.items()
        ),
        sort,
    )


def _tables(sort: str):
    def build(analysis: Analysis) -> dict:
        regions = region_rows(analysis, sort)
        return {
            "countries": country_rows(analysis, sort),
            "regions": regions[:PAGE_REGIONS],
            "region_count": len(regions),
        }

    return build


def result_tables(analysis: Analysis, sort: str = DEFAULT_SORT) -> dict:
    """The result page's tables in one order: every country, the first PAGE_REGIONS regions
    and how many there are. Built once per analysis, language and order, then cached."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    return _built(analysis, f"tables-{sort}", _tables(sort))


def proposed_sites(analysis: Analysis) -> list[dict]:
    """The proposed sites in the order chosen, with a readable region name."""
    return [{**site, "region_name": places.region_name(site["region"])} for site in analysis.chosen]


def headline(analysis: Analysis) -> dict:
    s = analysis.summary
    total = s.get("total", 0)
    before, after = s.get("before", 0), s.get("after", 0)
    bound = s.get("upper_bound")
    gap = None
    if not s.get("optimal") and bound is not None and analysis.new_sites:
        gap = max(0, bound - after)
    return {
        "total": total,
        "before": before,
        "after": after,
        "added": after - before,
        "percent_before": round(before * 100 / total, 1) if total else 0.0,
        "percent_after": round(after * 100 / total, 1) if total else 0.0,
        "optimal": s.get("optimal", False),
        "upper_bound": bound,
        "gap": gap,
        "places": s.get("places", 0),
        "venues": s.get("venues", 0),
        "seconds": s.get("seconds"),
    }


# Map coordinates: 4 decimals is about 11 m, far finer than a dot on the map.
MAP_DECIMALS = 4


def map_data(analysis: Analysis) -> dict:
    """What the map script draws, as compact arrays (see static/atlas/atlas.js):

    places [[lat, lon, people, name, state]], venues [[name, lat, lon]],
    proposed [[name, lat, lon, people added]], countries [[ISO numeric id, name, share]].
    """
    d = MAP_DECIMALS
    countries = []
    for row in country_rows(analysis, "name"):
        numeric = places.numeric_code(row.code)
        if numeric:
            countries.append([numeric, row.name, round(row.share_after, 4)])
    return {
        "places": [
            [round(lat, d), round(lon, d), weight, name, state]
            for lat, lon, weight, name, state in analysis.places
        ],
        "venues": [
            [name, round(lat, d), round(lon, d)] for _id, name, lat, lon in analysis.facilities
        ],
        "proposed": [
            [site["name"], round(site["lat"], d), round(site["lon"], d), site["added"]]
            for site in analysis.chosen
        ],
        "countries": countries,
    }


def _map_bodies(analysis: Analysis) -> dict[str, bytes]:
    body = json.dumps(map_data(analysis), separators=(",", ":"), ensure_ascii=False).encode()
    return {"identity": body, "gzip": gzip.compress(body, compresslevel=6, mtime=0)}


def map_json(analysis: Analysis, *, compressed: bool = False) -> bytes:
    """The map data as UTF-8 JSON (gzipped if `compressed`), built and compressed once per
    analysis and language, then cached."""
    return _built(analysis, "map", _map_bodies)["gzip" if compressed else "identity"]


# -- Exports ---------------------------------------------------------------------------------


def regions_csv(analysis: Analysis) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "region",
            "name",
            "country",
            "population",
            "covered_before",
            "covered_after",
            "share_before",
            "share_after",
        ]
    )
    for row in region_rows(analysis):
        writer.writerow(
            safe_row([
                row.code,
                row.name,
                places.country_of(row.code),
                row.total,
                row.before,
                row.after,
                f"{row.share_before:.4f}",
                f"{row.share_after:.4f}",
            ])
        )
    return out.getvalue()


def place_rows(analysis: Analysis):
    """(demand point, name, covered before, covered after) for every place of a finished analysis.

    The list of places is rebuilt exactly as the task built it; the flags are the solver's,
    stored as bits. If the places no longer line up (a different GeoNames file), nothing is
    returned rather than wrong flags.
    """
    from constellation.atlas.services import demand_for, names_for, unpack_flags

    if analysis.status != AnalysisStatus.DONE:
        return []
    demand = demand_for(analysis)
    count = analysis.summary.get("places", 0)
    if len(demand) != count:
        return []
    before = unpack_flags(analysis.summary["flags_before"], count)
    after = unpack_flags(analysis.summary["flags_after"], count)
    names = names_for(analysis)
    return [
        (point, names.get(point.id) or point.id, bool(before[i]), bool(after[i]))
        for i, point in enumerate(demand)
    ]


def places_csv(analysis: Analysis) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["id", "name", "lat", "lon", "weight", "region", "covered_before", "covered_after"]
    )
    for point, name, before, after in place_rows(analysis):
        writer.writerow(
            safe_row([
                point.id,
                name,
                point.lat,
                point.lon,
                point.weight,
                point.region,
                int(before),
                int(after),
            ])
        )
    return out.getvalue()


def _feature(lon: float, lat: float, properties: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def geojson(analysis: Analysis) -> str:
    """Every place with its covered flags, the venues counted and the proposed sites."""
    features = [
        _feature(lon, lat, {"kind": "venue", "id": venue_id, "name": name})
        for venue_id, name, lat, lon in analysis.facilities
    ]
    features += [
        _feature(
            site["lon"],
            site["lat"],
            {
                "kind": "proposed",
                "id": site["id"],
                "name": site["name"],
                "rank": rank,
                "added": site["added"],
            },
        )
        for rank, site in enumerate(analysis.chosen, start=1)
    ]
    features += [
        _feature(
            point.lon,
            point.lat,
            {
                "kind": "place",
                "id": point.id,
                "name": name,
                "weight": point.weight,
                "region": point.region,
                "covered_before": before,
                "covered_after": after,
            },
        )
        for point, name, before, after in place_rows(analysis)
    ]
    collection = {
        "type": "FeatureCollection",
        "properties": {
            "radius_km": analysis.radius_km,
            **{k: v for k, v in analysis.summary.items() if not k.startswith("flags_")},
        },
        "features": features,
    }
    return json.dumps(collection, separators=(",", ":"))
