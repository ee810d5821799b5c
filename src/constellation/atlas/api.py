"""The atlas router: read analyses (public ones without a token), start one (token).

The same visibility (AnalysisQuerySet.visible_to) and the same service
(services.start_analysis) as the pages. A second analysis while one is running is a 409.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja.errors import HttpError

from constellation.accounts.auth import token_auth
from constellation.atlas import places, queries, services
from constellation.atlas.forms import MAX_RADIUS_KM, dataset_scope_error
from constellation.atlas.models import Analysis, AnalysisStatus
from constellation.atlas.schemas import AnalysisDetailOut, AnalysisIn, AnalysisList, IdPath
from constellation.core.geo import to_km
from constellation.networks.models import Kind, Network
from constellation.networks.schemas import errors
from constellation.networks.services import DomainError

router = Router(tags=["atlas"])
LISTED = 50


def _out(analysis: Analysis) -> dict:
    return {
        "id": analysis.pk,
        "url": analysis.get_absolute_url(),
        "title": str(analysis),
        "status": analysis.status,
        "stage": analysis.stage,
        "processed": analysis.processed,
        "total": analysis.total,
        "message": analysis.message,
        "radius": analysis.radius,
        "unit": analysis.unit,
        "radius_km": analysis.radius_km,
        "network": analysis.network.slug if analysis.network else None,
        "kind": analysis.kind.slug if analysis.kind else None,
        "source": analysis.source,
        "dataset": analysis.dataset,
        "country": analysis.country.code or "",
        "min_population": analysis.min_population,
        "new_sites": analysis.new_sites,
        "method": analysis.method,
        "is_public": analysis.is_public,
        "created_at": analysis.created_at,
        "finished_at": analysis.finished_at,
    }


def _detail(analysis: Analysis) -> dict:
    out = _out(analysis)
    summary = analysis.summary
    done = analysis.status == AnalysisStatus.DONE
    out["answer"] = (
        {
            "total_weight": summary["total"],
            "covered_weight_before": summary["before"],
            "covered_weight_after": summary["after"],
            "optimal": summary["optimal"],
            "upper_bound": summary["upper_bound"],
            "method": summary["method"],
            "seconds": summary.get("seconds"),
        }
        if done
        else None
    )
    out["chosen"] = analysis.chosen if done else []
    out["regions"] = (
        [
            {
                "code": r["code"],
                "name": places.region_name(r["code"]),
                "population": r["total"],
                "covered_before": r["before"],
                "covered_after": r["after"],
            }
            for r in analysis.regions
        ]
        if done
        else []
    )
    return out


def _reader(request):
    """Reads need no token; with a valid one (or a browser session) the holder's private
    analyses are listed too. A token that is sent but wrong is a 401, not a silent stranger."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        if token_auth.authenticate(request, header[7:].strip()) is None:
            raise HttpError(401, _("This API token is not valid."))
    return request.user


@router.get(
    "/analyses", response={200: AnalysisList, **errors(401)}, url_name="atlas_analysis_list"
)
def list_analyses(request):
    """Recent analyses you may read: the public ones (and, with a token, your own)."""
    items = list(queries.analyses_for(_reader(request)).defer(*queries.HEAVY_FIELDS)[:LISTED])
    return {"items": [_out(a) for a in items], "count": len(items)}


@router.get(
    "/analyses/{analysis_id}",
    response={200: AnalysisDetailOut, **errors(401, 404, 422)},
    url_name="atlas_analysis_detail",
)
def get_analysis(request, analysis_id: Path[IdPath]):
    """An analysis with, once done, its headline figures, proposed sites and table by region."""
    return _detail(
        get_object_or_404(queries.analysis_page_queryset(_reader(request)), pk=analysis_id)
    )


@router.post(
    "/analyses",
    response={202: AnalysisDetailOut, **errors(400, 401, 409, 422)},
    auth=token_auth,
    url_name="atlas_analysis_create",
)
def create_analysis(request, payload: AnalysisIn):
    """Start an analysis over GeoNames places; poll its URL until `status` is done or failed."""
    problems = {}
    if to_km(payload.radius, payload.unit) > MAX_RADIUS_KM:
        problems["radius"] = _("At most %(km)s km.") % {"km": MAX_RADIUS_KM}
    scope = dataset_scope_error(payload.dataset, payload.country or "")
    if scope:
        problems["country"] = scope
    network = kind = None
    if payload.network:
        network = Network.objects.filter(slug=payload.network).first()
        if network is None:
            problems["network"] = _("No network has this slug.")
    if payload.kind:
        kind = Kind.objects.filter(slug=payload.kind).first()
        if kind is None:
            problems["kind"] = _("No kind has this slug.")
    if problems:
        raise ValidationError(problems)
    data = {
        "title": payload.title,
        "radius": payload.radius,
        "unit": payload.unit,
        "network": network,
        "kind": kind,
        "source": "geonames",
        "dataset": payload.dataset,
        "country": (payload.country or "").upper(),
        "min_population": payload.min_population,
        "new_sites": payload.new_sites,
        "method": payload.method,
    }
    analysis, queued = services.start_analysis(user=request.user, data=data)
    if not queued:
        raise DomainError(
            _("You already have an analysis being made (%(url)s); start the next when it is done.")
            % {"url": analysis.get_absolute_url()}
        )
    return 202, _detail(Analysis.objects.select_related("network", "kind").get(pk=analysis.pk))
