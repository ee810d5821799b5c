"""The insights router: peer comparisons, and an organisation's own figures (tokens only).

The same access rules as the pages (benchmark_rules): anyone who may not compare an
organisation gets a 404, whether or not it exists.
"""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from constellation.accounts.auth import token_auth
from constellation.insights import benchmark_rules
from constellation.insights.benchmarks import (
    PeerFigure,
    PeerGroup,
    compare,
    default_year,
    reporting_years,
)
from constellation.insights.models import Answer, ResponseStatus, Unit
from constellation.insights.schemas import (
    BenchmarkQuery,
    ComparisonOut,
    FiguresQuery,
    OrganisationFiguresOut,
    number,
)
from constellation.networks.models import Kind, Organisation, pick_translation
from constellation.networks.schemas import SLUG_PATTERN, errors

router = Router(tags=["insights"], auth=token_auth)

SlugPath = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=220)]


def _comparable(request, slug: str) -> Organisation:
    organisation = benchmark_rules.comparable_organisations(request.user).filter(slug=slug).first()
    if organisation is None:
        raise Http404
    return organisation


def _figure(figure: PeerFigure) -> dict:
    return {
        "year": figure.year, "own": number(figure.own), "suppressed": figure.suppressed, "reason": figure.reason,
        "count": figure.count, "lower_quartile": number(figure.lower_quartile), "median": number(figure.median),
        "upper_quartile": number(figure.upper_quartile), "percentile_rank": number(figure.percentile_rank),
    }


@router.get(
    "/benchmarks", response={200: ComparisonOut, **errors(401, 404, 422)}, url_name="insights_benchmarks"
)
def benchmarks(request, filters: Query[BenchmarkQuery]):
    """An organisation's figures beside a peer group's median, quartiles and its percentile rank.

    A group figure is null with `suppressed: true` when fewer organisations than the
    network's minimum (5 unless the network set another) report it.
    """
    organisation = _comparable(request, filters.organisation)
    networks = benchmark_rules.comparable_networks(request.user, organisation)
    if filters.network is None:
        network = networks[0] if networks else None
    else:
        network = next((n for n in networks if n.slug == filters.network), None)
    if network is None:
        raise ValidationError({"network": _("The organisation is not a member of that network, or you cannot compare within it.")})
    unknown = sorted(set(filters.kind) - set(Kind.objects.filter(slug__in=filters.kind).values_list("slug", flat=True)))
    if unknown:
        raise ValidationError({"kind": _("Unknown: %(slugs)s.") % {"slugs": ", ".join(unknown)}})
    reports = reporting_years(network)
    year = filters.year if filters.year is not None else default_year(organisation, network, reports)
    if year not in reports:
        raise ValidationError({"year": _("No organisation of %(network)s has submitted figures for that year.") % {"network": network.acronym}})
    group = PeerGroup.build(
        network, kinds=filters.kind, visitors_bands=filters.visitors_band,
        countries=filters.country, regions=filters.region,
    )
    comparison = compare(organisation, group, year, reports=reports)
    items = [
        {
            **_figure(figure), "key": figure.metric.key, "label": figure.metric.label, "unit": figure.metric.unit,
            "is_ratio": figure.metric.is_ratio, "trend": [_figure(point) for point in comparison.trends[figure.metric.key]],
        }
        for figure in comparison.figures
    ]
    return {
        "organisation": organisation.slug,
        "year": comparison.year,
        "years": comparison.years,
        "currency": comparison.currency,
        "group": {
            "network": network.slug, "kind": list(group.kinds), "visitors_band": list(group.visitors_bands),
            "country": list(group.countries), "region": list(group.regions), "size": comparison.group_size,
            "includes_organisation": comparison.in_group, "minimum": comparison.minimum,
        },
        "items": items,
        "count": len(items),
    }


@router.get(
    "/organisations/{slug}/figures", response={200: OrganisationFiguresOut, **errors(401, 404, 422)},
    url_name="insights_organisation_figures",
)
def organisation_figures(request, slug: SlugPath, filters: Query[FiguresQuery]):
    """An organisation's own submitted figures as reported (money in the response's currency).

    For its own people and the staff of the networks it reported to; 404 for anyone else.
    """
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("insights.view_organisation_figures", organisation):
        raise Http404
    answers = Answer.objects.filter(
        response__organisation=organisation, response__status=ResponseStatus.SUBMITTED
    )
    network_ids = benchmark_rules.figure_network_ids(request.user, organisation)
    if network_ids is not None:
        answers = answers.filter(response__survey__network_id__in=network_ids)
    if filters.year is not None:
        answers = answers.filter(response__survey__year=filters.year)
    if filters.network is not None:
        answers = answers.filter(response__survey__network__slug=filters.network)
    rows = answers.order_by("-response__survey__year", "response__survey__network__slug", "indicator__position", "indicator__key").values_list(
        "response_id", "response__survey__network__slug", "response__survey__year", "response__currency",
        "indicator__key", "indicator__labels", "indicator__unit", "value", "choice",
    )
    responses: dict[int, dict] = {}
    for response_id, network, year, currency, key, labels, unit, value, choice in rows:
        response = responses.setdefault(
            response_id, {"network": network, "year": year, "currency": currency, "figures": []}
        )
        response["figures"].append(
            {
                "indicator": key, "label": pick_translation(labels) or key, "unit": unit,
                "value": None if unit == Unit.CHOICE else number(value), "choice": choice,
            }
        )
    items = list(responses.values())
    return {"organisation": organisation.slug, "items": items, "count": len(items)}
