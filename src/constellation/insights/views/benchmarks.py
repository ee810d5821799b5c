"""Peer benchmarking pages: a member's figures beside its peer group; every member's figures for staff.

Access (benchmark_rules): a member compares the organisations it works at, staff any
member of their network; anyone else asking for an organisation gets a 404.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext as _

from constellation.core.htmx import render_page
from constellation.core.spreadsheets import safe_cell
from constellation.insights import benchmark_rules
from constellation.insights.benchmark_forms import SELECT_LIMIT, BenchmarkForm
from constellation.insights.benchmarks import (
    REGIONS,
    Comparison,
    Metric,
    benchmark_metrics,
    compare,
    default_year,
    peer_rows,
    reporting_years,
)
from constellation.insights.charts import bar_chart, line_chart
from constellation.networks.models import Kind, Network, Organisation, VisitorsBand


@dataclass
class Selection:
    """What the query string asks for, with the choices the user has."""

    form: BenchmarkForm
    organisation: Organisation
    network: Network | None
    metrics: list[Metric]
    reports: dict[int, str]


def _select(request: HttpRequest) -> Selection | None:
    """The organisation (404 if the user may not compare it), its networks and years, and the form.

    None when the user may compare no organisation at all. A network or year that does not
    fit the chosen organisation falls back to its default, as the lists change under the
    person choosing (htmx swaps the network and year lists when the organisation changes).
    """
    user = request.user
    allowed = benchmark_rules.comparable_organisations(user).order_by("name", "pk").only("pk", "name", "slug")
    listed = list(allowed[: SELECT_LIMIT + 1])
    too_many = len(listed) > SELECT_LIMIT
    slug = request.GET.get("organisation", "")
    organisation = next((o for o in listed if o.slug == slug), None) if slug else (listed[0] if listed else None)
    if slug and organisation is None and too_many:
        organisation = allowed.filter(slug=slug).first()
    if slug and organisation is None:
        raise Http404
    if organisation is None:
        return None

    networks = benchmark_rules.comparable_networks(user, organisation)
    network = next((n for n in networks if n.slug == request.GET.get("network")), networks[0] if networks else None)
    reports = reporting_years(network) if network else {}
    data = request.GET.copy()
    data["organisation"] = organisation.slug
    data["network"] = network.slug if network else ""
    try:
        year = int(data.get("year", ""))
    except ValueError:
        year = None
    if year not in reports and network:
        year = default_year(organisation, network, reports)
    data["year"] = "" if year is None else str(year)
    metrics = benchmark_metrics()
    form = BenchmarkForm(
        data,
        organisations=None if too_many else [(o.slug, o.name) for o in listed],
        networks=networks,
        years=list(reports),
        kinds=list(Kind.objects.only("pk", "slug", "name")),
        metrics=metrics,
        country_codes=member_countries(network) if network else None,
    )
    return Selection(form, organisation, network, metrics, reports)


def member_countries(network) -> list[str]:
    """Countries of the network's member organisations: 1 query, then cached until the
    directory changes (its generation number moves with every membership or organisation edit)."""
    from django.core.cache import cache

    from constellation.networks.models import Organisation
    from constellation.networks.queries import directory_version

    key = f"insights:member-countries:{network.pk}:{directory_version()}"
    codes = cache.get(key)
    if codes is None:
        codes = sorted(
            set(Organisation.objects.filter(memberships__network=network).values_list("country", flat=True))
        )
        cache.set(key, codes, 3600)
    return codes


def _trend_chart(comparison: Comparison, key: str) -> dict:
    points = comparison.trends[key]
    metric = next(f.metric for f in comparison.figures if f.metric.key == key)
    series = {
        _("Your value"): [p.own for p in points],
        _("Group median"): [p.median for p in points],
        _("Lower quartile"): [p.lower_quartile for p in points],
        _("Upper quartile"): [p.upper_quartile for p in points],
    }
    title = _("%(figure)s over the years") % {"figure": metric.label}
    return {
        "metric": metric,
        "points": points,
        "svg": line_chart(title, [p.year for p in points], series) if points else "",
        "title": title,
    }


def _rank_chart(comparison: Comparison) -> dict:
    ranked = [f for f in comparison.figures if f.metric.is_ratio and f.percentile_rank is not None]
    title = _("Your percentile rank in the group, %(year)s") % {"year": comparison.year}
    return {
        "figures": ranked,
        "title": title,
        "svg": bar_chart(title, [f.metric.label for f in ranked], [f.percentile_rank for f in ranked], horizontal=True)
        if ranked
        else "",
    }


def _group_description(form: BenchmarkForm) -> list[str]:
    data = form.cleaned_data
    kinds = dict(form.fields["kind"].choices)
    countries = dict(form.fields["country"].choices)
    parts = [", ".join(str(kinds[k]) for k in data["kind"])] if data["kind"] else []
    if data["visitors_band"]:
        parts.append(", ".join(str(VisitorsBand(b).label) for b in data["visitors_band"]))
    places = [str(REGIONS[r]) for r in data["region"]] + [str(countries[c]) for c in data["country"]]
    if places:
        parts.append(", ".join(places))
    return parts


@login_required
def benchmark_compare(request: HttpRequest) -> HttpResponse:
    selection = _select(request)
    context: dict = {"selection": selection, "form": selection.form if selection else None}
    if selection and selection.network and selection.form.is_valid():
        form = selection.form
        comparison = compare(
            selection.organisation, form.peer_group(selection.network), form.cleaned_data["year"],
            metrics=selection.metrics, reports=selection.reports,
        )
        keys = [m.key for m in selection.metrics]
        trend_key = form.cleaned_data["trend"] or ("onsite_visitors" if "onsite_visitors" in keys else keys[0])
        context.update(
            comparison=comparison,
            group_description=_group_description(form),
            ratios=[f for f in comparison.figures if f.metric.is_ratio],
            indicators=[f for f in comparison.figures if not f.metric.is_ratio],
            trend=_trend_chart(comparison, trend_key),
            ranks=_rank_chart(comparison),
            can_view_peers=request.user.has_perm("insights.view_peer_figures", selection.network),
            query=request.GET.urlencode() if request.GET else form.data.urlencode(),
        )
    return render_page(request, "insights/benchmark_compare.html", context, partial="results")


@login_required
def benchmark_peers(request: HttpRequest) -> HttpResponse:
    """Staff only: every member of the peer group and its raw figures, as a table or CSV."""
    selection = _select(request)
    if selection is None or selection.network is None:
        raise Http404
    if not request.user.has_perm("insights.view_peer_figures", selection.network):
        raise Http404
    form = selection.form
    if not form.is_valid():
        raise Http404
    year = form.cleaned_data["year"]
    metrics = selection.metrics
    rows = peer_rows(form.peer_group(selection.network), year, metrics)
    if request.GET.get("format") == "csv":
        return _peers_csv(rows, metrics, filename=f"peers-{selection.network.slug}-{year}.csv")
    shown = [m for m in metrics if any(row.values[m.key] is not None for row in rows)]
    return render_page(
        request,
        "insights/benchmark_peers.html",
        {
            "selection": selection,
            "form": form,
            "year": year,
            "metrics": shown,
            "rows": [(row, [(row.values[m.key], m.unit) for m in shown]) for row in rows],
            "group_description": _group_description(form),
            "query": request.GET.urlencode(),
        },
    )


def _peers_csv(rows, metrics: list[Metric], *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that Excel reads UTF-8
    writer = csv.writer(response)
    writer.writerow([_("Organisation"), "slug", *[m.key for m in metrics]])
    for row in rows:
        writer.writerow([safe_cell(row.name), row.slug, *["" if row.values[m.key] is None else row.values[m.key] for m in metrics]])
    return response


urlpatterns = [
    path("benchmarks/", benchmark_compare, name="benchmarks"),
    path("benchmarks/peers/", benchmark_peers, name="benchmark-peers"),
]
