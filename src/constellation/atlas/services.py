"""Making and solving coverage analyses.

`start_analysis` records a queued Analysis and schedules `run_analysis_task` after commit;
`run_analysis` (the task's body) claims it, builds the coverage problem from the directory
and the population, hands it to `atlas.solver`, writes its progress to the row and stores
the answer compactly (see `store_answer`). Nothing here runs when a page is viewed.
"""

from __future__ import annotations

import base64
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from scipy.spatial import cKDTree

from constellation.atlas import places as place_names
from constellation.atlas.models import Analysis, AnalysisStatus, PopulationSource
from constellation.core.geo import chord_for_km, distances_km, to_km, unit_vectors
from constellation.networks.models import Membership, MembershipStatus, Organisation
from constellation.networks.services import DomainError

logger = logging.getLogger(__name__)

# How many places of each kind (covered, not covered) the map draws: the largest ones.
MAP_PLACES = 3000
# The solver may use this long before it returns its best answer with a bound.
TIME_LIMIT_SECONDS = 60.0
# A queued or running analysis older than this no longer blocks its owner's next one
# (a worker that died mid-run must not lock a person out for good).
STALE_AFTER = timedelta(hours=2)
# Progress is written to the row at most this often (each write is a query).
PROGRESS_EVERY_SECONDS = 0.5


# -- Requests ---------------------------------------------------------------------------------


def start_analysis(
    *, user, data: dict, demand_rows: list | None = None, upload_name: str = ""
) -> tuple[Analysis, bool]:
    """Queue an analysis for `user`; (analysis, True) when a new one was queued.

    One analysis at a time per person: while one of theirs is queued or running it is
    returned instead (False), which also makes a double click harmless. The user's row is
    locked while looking, so two simultaneous requests queue one analysis. An uploaded
    population (`demand_rows`, already checked by the form) makes the analysis private to
    its owner. The task is enqueued after commit.
    """
    from constellation.atlas.tasks import run_analysis_task

    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        pending = (
            Analysis.objects.pending()
            .filter(created_by=user, created_at__gte=timezone.now() - STALE_AFTER)
            .first()
        )
        if pending is not None:
            return pending, False
        analysis = Analysis(created_by=user, **data)
        analysis.radius_km = to_km(analysis.radius, analysis.unit)
        if analysis.source == PopulationSource.UPLOAD:
            analysis.uploaded_demand = demand_rows or []
            analysis.upload_name = upload_name[:200]
            analysis.is_public = False
            analysis.dataset = ""
            analysis.country = ""
        analysis.full_clean(
            exclude=["dataset"] if analysis.source == PopulationSource.UPLOAD else None
        )
        analysis.save()
        analysis_id, language = analysis.pk, translation.get_language() or ""
        transaction.on_commit(lambda: run_analysis_task.enqueue(analysis_id, language))
    return analysis, True


def run_analysis(analysis_id: int, *, time_limit: float = TIME_LIMIT_SECONDS) -> Analysis | None:
    """Solve a queued analysis, saving progress as the solver reports it.

    Safe to run twice: only a queued analysis is claimed. A problem the solver refuses
    (ProblemError) fails the analysis with the solver's message; anything unexpected fails
    it with a general message and goes to the log.
    """
    from constellation.atlas.solver import ProblemError, solve

    claimed = Analysis.objects.filter(pk=analysis_id, status=AnalysisStatus.QUEUED).update(
        status=AnalysisStatus.RUNNING, stage="reading", processed=0, total=0
    )
    analysis = Analysis.objects.filter(pk=analysis_id).first()
    if not claimed or analysis is None:
        return analysis
    try:
        inputs = build_problem(analysis)
        if not inputs.problem.demand:
            raise DomainError(
                _("No populated place matches this choice: there is nobody to count.")
            )
        answer = solve(
            inputs.problem,
            method=analysis.method,
            time_limit=time_limit,
            progress=_progress_writer(analysis_id),
        )
        store_answer(analysis, inputs, answer)
        _prepare_pages(analysis)
    except (ProblemError, DomainError) as error:
        _fail(analysis_id, str(getattr(error, "message", error)))
    except Exception:
        logger.exception("Atlas analysis %s failed", analysis_id)
        _fail(
            analysis_id,
            _(
                "The analysis could not be made. Please try again; if it fails again, tell the administrators."
            ),
        )
    return Analysis.objects.filter(pk=analysis_id).first()


def _prepare_pages(analysis: Analysis) -> None:
    """Build what the result page and its map read (in the requester's language) while the
    answer is at hand, so the first visit is as quick as the next. Only a cache is written:
    if that fails, the first visit builds it instead."""
    from constellation.atlas import queries

    try:
        queries.result_tables(analysis)
        queries.map_json(analysis)
    except Exception:
        logger.warning("Atlas analysis %s: pages not prepared", analysis.pk, exc_info=True)


def _fail(analysis_id: int, message: str) -> None:
    Analysis.objects.filter(pk=analysis_id).update(
        status=AnalysisStatus.FAILED, finished_at=timezone.now(), message=message
    )


def _progress_writer(analysis_id: int):
    """The solver's progress callback: a row update, at most twice a second."""
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY_SECONDS and done < total:
            return
        last[0] = now
        Analysis.objects.filter(pk=analysis_id).update(
            stage=str(stage)[:200], processed=done, total=total
        )

    return progress


# -- The problem --------------------------------------------------------------------------------


@dataclass
class Inputs:
    problem: object  # atlas.solver.Problem
    venues: list[dict]
    names: dict[str, str]


def venues_for(analysis: Analysis) -> list[dict]:
    """The directory's organisations with coordinates that match the analysis's filters."""
    qs = Organisation.objects.with_coordinates()
    if analysis.network_id:
        qs = qs.filter(
            pk__in=Membership.objects.filter(
                network_id=analysis.network_id, status=MembershipStatus.ACTIVE
            ).values("organisation_id")
        )
    if analysis.kind_id:
        qs = qs.filter(
            pk__in=Organisation.kinds.through.objects.filter(kind_id=analysis.kind_id).values(
                "organisation_id"
            )
        )
    return [
        {"id": slug, "name": name, "lat": lat, "lon": lon}
        for slug, name, lat, lon in qs.order_by("pk").values_list(
            "slug", "name", "latitude", "longitude"
        )
    ]


def demand_for(analysis: Analysis) -> list:
    """The population points, in the same order every time (the stored flags rely on it)."""
    from constellation.atlas.geodata import geonames_demand
    from constellation.atlas.solver import Demand

    if analysis.source == PopulationSource.UPLOAD:
        return [
            Demand(id=str(row[3]), lat=row[0], lon=row[1], weight=row[2], region=str(row[4]))
            for row in analysis.uploaded_demand
        ]
    return geonames_demand(
        dataset=analysis.dataset,
        country=analysis.country.code if analysis.country else None,
        min_population=analysis.min_population,
    )


def names_for(analysis: Analysis) -> dict[str, str]:
    """Place names by demand id: GeoNames names, or the ids of an uploaded file."""
    if analysis.source == PopulationSource.UPLOAD:
        return {}
    return place_names.geonames_names(analysis.dataset)


def build_problem(analysis: Analysis) -> Inputs:
    from constellation.atlas.solver import Problem, Site

    venues = venues_for(analysis)
    demand = demand_for(analysis)
    problem = Problem(
        radius_km=analysis.radius_km,
        facilities=[Site(id=v["id"], lat=v["lat"], lon=v["lon"]) for v in venues],
        demand=demand,
        candidates=None,
        new_sites=analysis.new_sites,
    )
    return Inputs(problem=problem, venues=venues, names=names_for(analysis))


# -- The answer ---------------------------------------------------------------------------------


def pack_flags(flags) -> str:
    return base64.b64encode(np.packbits(np.asarray(flags, dtype=bool)).tobytes()).decode("ascii")


def unpack_flags(text: str, count: int) -> np.ndarray:
    bits = np.unpackbits(np.frombuffer(base64.b64decode(text), dtype=np.uint8))
    return bits[:count].astype(bool)


def within(
    radius_km: float, points_lat, points_lon, site_lat: float, site_lon: float, tree: cKDTree
) -> np.ndarray:
    """Indices of the points within `radius_km` of a site (great circle, as the format says)."""
    centre = unit_vectors([site_lat], [site_lon])[0]
    near = np.asarray(
        tree.query_ball_point(centre, chord_for_km(radius_km) * (1 + 1e-9)), dtype=int
    )
    if near.size == 0:
        return near
    return near[distances_km(site_lat, site_lon, points_lat[near], points_lon[near]) <= radius_km]


def store_answer(analysis: Analysis, inputs: Inputs, answer) -> None:
    """Keep what the pages show, in a few JSON columns of the row.

    - summary: headline figures, the solver's proof (optimal / upper bound), counts, and the
      per-place covered flags packed as bits (`before`, `after`) for the exports;
    - regions: [{code, total, before, after}] with covered people, not shares;
    - chosen: the proposed sites in the order picked, with the people each adds;
    - facilities: the venues counted, frozen as they were;
    - places: the MAP_PLACES largest covered and uncovered places, [lat, lon, weight, name, state]
      with state 0 = out of reach, 1 = within reach today, 2 = brought within reach.
    """
    demand = inputs.problem.demand
    n = len(demand)
    lats = np.fromiter((d.lat for d in demand), dtype=float, count=n)
    lons = np.fromiter((d.lon for d in demand), dtype=float, count=n)
    weights = np.fromiter((d.weight for d in demand), dtype=float, count=n)
    before = np.asarray(answer.covered_before, dtype=bool)
    after = np.asarray(answer.covered_after, dtype=bool)
    index = {d.id: i for i, d in enumerate(demand)}
    names = inputs.names

    chosen = []
    if answer.chosen:
        tree = cKDTree(unit_vectors(lats, lons))
        covered = before.copy()
        for site_id in answer.chosen:
            i = index.get(site_id)
            if i is None:
                continue
            near = within(analysis.radius_km, lats, lons, lats[i], lons[i], tree)
            fresh = near[~covered[near]]
            covered[fresh] = True
            chosen.append(
                {
                    "id": site_id,
                    "name": names.get(site_id) or site_id,
                    "region": demand[i].region,
                    "lat": round(float(lats[i]), 5),
                    "lon": round(float(lons[i]), 5),
                    "added": round(float(weights[fresh].sum())),
                }
            )

    regions = [
        {
            "code": figure.region,
            "total": round(figure.total),
            "before": round(figure.total * figure.covered_before),
            "after": round(figure.total * figure.covered_after),
        }
        for figure in answer.regions
    ]

    state = before.astype(np.int8) + (after & ~before).astype(np.int8) * 2
    places = []
    for group in (np.flatnonzero(~after), np.flatnonzero(after)):
        largest = group[np.argsort(-weights[group], kind="stable")[:MAP_PLACES]]
        places.extend(
            [
                round(float(lats[i]), 4),
                round(float(lons[i]), 4),
                round(float(weights[i])),
                names.get(demand[i].id) or demand[i].id,
                int(state[i]),
            ]
            for i in largest
        )

    analysis.summary = {
        "total": round(answer.total_weight),
        "before": round(answer.covered_weight_before),
        "after": round(answer.covered_weight_after),
        "method": answer.method,
        "optimal": bool(answer.optimal),
        "upper_bound": None if answer.upper_bound is None else round(answer.upper_bound),
        "seconds": round(answer.seconds, 2),
        "places": n,
        "places_covered": int(after.sum()),
        "venues": len(inputs.venues),
        "flags_before": pack_flags(before),
        "flags_after": pack_flags(after),
    }
    analysis.regions = regions
    analysis.chosen = chosen
    analysis.facilities = [
        [v["id"], v["name"], round(v["lat"], 5), round(v["lon"], 5)] for v in inputs.venues
    ]
    analysis.places = places
    analysis.status, analysis.finished_at, analysis.message = (
        AnalysisStatus.DONE,
        timezone.now(),
        "",
    )
    analysis.stage = ""
    analysis.save(
        update_fields=[
            "summary",
            "regions",
            "chosen",
            "facilities",
            "places",
            "status",
            "finished_at",
            "message",
            "stage",
        ]
    )
