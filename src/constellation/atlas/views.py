"""Atlas pages: ask a coverage question, watch it being solved, read and download the answer.

Anyone may read public analyses; signed-in people may run one (one at a time). An analysis
over an uploaded population is its owner's: strangers get a 404.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from constellation.atlas import queries, services
from constellation.atlas.forms import AnalysisForm
from constellation.atlas.models import Analysis, AnalysisStatus
from constellation.core.htmx import htmx_redirect, render_page
from constellation.networks.services import DomainError

SORT_CHOICES = [
    ("uncovered", gettext_lazy("most people out of reach")),
    ("share", gettext_lazy("lowest share within reach")),
    ("population", gettext_lazy("most people")),
    ("name", gettext_lazy("name")),
]


@require_http_methods(["GET", "POST"])
def index(request):
    may_run = request.user.has_perm("atlas.run_analysis")
    if request.method == "POST" and not may_run:
        return redirect_to_login(request.get_full_path())
    form = AnalysisForm(request.POST or None, request.FILES or None) if may_run else None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("population_file")
        try:
            analysis, queued = services.start_analysis(
                user=request.user,
                data=form.analysis_data(),
                demand_rows=form.demand_rows,
                upload_name=upload.name if upload and form.demand_rows else "",
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            analysis.refresh_from_db(fields=["status"])
            if queued:
                if (
                    not analysis.finished
                ):  # a worker that runs at once (tests, TASKS_IMMEDIATE) is done already
                    messages.success(request, _("The analysis is being made."))
            else:
                messages.info(
                    request,
                    _(
                        "You already have an analysis being made; here it is. Start the next when it is done."
                    ),
                )
            return redirect(analysis)
    context = {"form": form, "analyses": queries.recent_analyses(request.user)}
    return render(request, "atlas/index.html", context)


def _get_analysis(request, pk: int) -> Analysis:
    return get_object_or_404(queries.analysis_page_queryset(request.user), pk=pk)


@require_GET
def analysis_detail(request, pk: int):
    analysis = _get_analysis(request, pk)
    if request.htmx and analysis.finished:
        # The poll saw the end: load the whole page with the map and the tables.
        return htmx_redirect(request, analysis.get_absolute_url())
    context = {"analysis": analysis}
    if analysis.status == AnalysisStatus.DONE:
        sort = request.GET.get("sort", queries.DEFAULT_SORT)
        sort = sort if sort in queries.SORTS else queries.DEFAULT_SORT
        context.update(
            headline=queries.headline(analysis),
            sort=sort,
            sort_choices=SORT_CHOICES,
            # Read only if the template's cached tables are missing (a first visit).
            tables=SimpleLazyObject(lambda: queries.result_tables(analysis, sort)),
            proposed=queries.proposed_sites(analysis),
            answer_version=queries.answer_version(analysis),
            map_cap=services.MAP_PLACES,
        )
    return render_page(request, "atlas/analysis_detail.html", context, partial="progress")


# A finished answer never changes; the page asks for the map data with its version in the
# URL (?v=...), which may then be kept for a year. Without it (or with an older one) the
# browser must revalidate, which costs one query and a 304.
MAP_MAX_AGE = 365 * 24 * 3600
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@require_GET
def analysis_map(request, pk: int):
    """The map's places, venues, proposed sites and country shares (JSON; see atlas.js)."""
    analysis = get_object_or_404(queries.map_queryset(request.user), pk=pk)
    if analysis.status != AnalysisStatus.DONE:
        raise Http404
    version = queries.answer_version(analysis)
    # Weak: the gzipped and the plain bodies are the same data.
    etag = f'W/"atlas-map-{analysis.pk}-{version}"'
    last_modified = analysis.finished_at.timestamp() if analysis.finished_at else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        compressed = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
        response = HttpResponse(
            queries.map_json(analysis, compressed=compressed), content_type="application/json"
        )
        if compressed:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    if request.GET.get("v") == version:
        patch_cache_control(response, private=True, max_age=MAP_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    # Country names follow the visitor's language.
    patch_vary_headers(response, ("Accept-Encoding", "Accept-Language", "Cookie"))
    return response


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _finished(request, pk: int) -> Analysis:
    analysis = get_object_or_404(queries.analyses_for(request.user), pk=pk)
    if analysis.status != AnalysisStatus.DONE:
        raise Http404
    return analysis


@require_GET
def regions_csv(request, pk: int):
    analysis = _finished(request, pk)
    return _download(
        queries.regions_csv(analysis), "text/csv; charset=utf-8", f"atlas-{pk}-regions.csv"
    )


@require_GET
def places_csv(request, pk: int):
    analysis = _finished(request, pk)
    return _download(
        queries.places_csv(analysis), "text/csv; charset=utf-8", f"atlas-{pk}-places.csv"
    )


@require_GET
def analysis_geojson(request, pk: int):
    analysis = _finished(request, pk)
    return _download(queries.geojson(analysis), "application/geo+json", f"atlas-{pk}.geojson")
