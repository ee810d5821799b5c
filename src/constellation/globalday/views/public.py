"""Public pages: the campaign's list and map, an activity, statistics, calendars, the widget."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from constellation.core.htmx import render_page
from constellation.globalday import calendars, queries
from constellation.globalday.forms import ActivityFilterForm, EmbedForm
from constellation.globalday.models import Campaign
from constellation.globalday.views.access import activity_for, campaign_for
from constellation.insights.charts import bar_chart

PAGE_SIZE = 24
EMBED_LIMIT = 30


def current_campaign(request: HttpRequest) -> HttpResponse:
    """/science-day/ shows the campaign still running: the first whose participation reports
    are not yet all due, else the latest one."""
    published = Campaign.objects.published()
    campaign = (
        published.filter(reporting_deadline__gte=timezone.localdate()).order_by("year").first()
        or published.order_by("-year").first()
    )
    if campaign is None:
        return render(request, "globalday/no_campaign.html", status=404)
    return redirect("globalday:campaign", year=campaign.year)


def _query_without(request: HttpRequest, *names: str) -> str:
    return urlencode([(k, v) for k, vs in request.GET.lists() if k not in names for v in vs if v])


def _filtered(request: HttpRequest, campaign: Campaign):
    vocabulary = queries.campaign_vocabulary(campaign)
    form = ActivityFilterForm(request.GET or None, vocabulary=vocabulary)
    filters = form.filters()
    if request.GET.get("organisation"):
        filters = queries.ActivityFilters(**{**filters.__dict__, "organisation": request.GET["organisation"][:220]})
    return vocabulary, form, filters


def campaign_page(request: HttpRequest, year: int) -> HttpResponse:
    campaign = campaign_for(request, year)
    _vocabulary, form, filters = _filtered(request, campaign)
    page = Paginator(queries.public_activities(campaign, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = _query_without(request, "page")
    context = {
        "campaign": campaign,
        "partner_networks": list(campaign.partner_networks.all()),
        "form": form,
        "filters": filters,
        "page": page,
        "query": query,
        "points_url": reverse("api-1.0.0:globalday_points", args=[campaign.year]) + (f"?{query}" if query else ""),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "can_moderate": request.user.has_perm("globalday.moderate_campaign", campaign),
        "registration_open": campaign.registration_is_open(),
    }
    return render_page(request, "globalday/campaign.html", context, partial="results")


def activity_detail(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    activity = activity_for(request, year, pk)
    user = request.user
    return render(
        request,
        "globalday/activity_detail.html",
        {
            "activity": activity,
            "campaign": activity.campaign,
            "sdgs": list(activity.sdgs.all()),
            "can_change": user.has_perm("globalday.change_activity", activity),
            "can_moderate": user.has_perm("globalday.moderate_activity", activity),
            "map_points": {
                "items": [
                    {
                        "name": activity.title, "url": "", "city": activity.city,
                        "country_name": str(activity.country.name),
                        "latitude": activity.latitude, "longitude": activity.longitude,
                    }
                ] if activity.has_coordinates else [],
                "count": 1 if activity.has_coordinates else 0,
            },
            "map_tile_url": settings.MAP_TILE_URL,
            "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


def activity_calendar(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    activity = activity_for(request, year, pk)
    return calendars.ical_response([activity], activity.campaign, filename=f"science-day-{year}-{pk}.ics")


def campaign_calendar(request: HttpRequest, year: int) -> HttpResponse:
    campaign = campaign_for(request, year)
    _vocabulary, _form, filters = _filtered(request, campaign)
    activities = queries.public_activities(campaign, filters).prefetch_related(None)
    return calendars.cached_ical_response(activities, campaign, filters, filename=f"science-day-{year}.ics")


def _chart(title: str, rows: list[queries.StatRow], limit: int = 20) -> str:
    shown = rows[:limit]
    return bar_chart(title, [r.label for r in shown], [r.activities for r in shown], horizontal=True, integer=True) if shown else ""


def statistics(request: HttpRequest, year: int) -> HttpResponse:
    campaign = campaign_for(request, year)
    stats = queries.campaign_statistics(campaign)
    sections = [
        {
            "id": "by-sdg", "title": _("By Sustainable Development Goal"), "rows": stats.by_sdg,
            "chart": _chart(_("Activities by Sustainable Development Goal"), stats.by_sdg, 17),
        },
        {
            "id": "by-country", "title": _("By country"), "rows": stats.by_country,
            "chart": _chart(_("Activities by country (the 20 with most)"), stats.by_country),
        },
        {
            "id": "by-network", "title": _("By network"), "rows": stats.by_network,
            "chart": _chart(_("Activities by network"), stats.by_network),
        },
    ]
    return render(
        request,
        "globalday/statistics.html",
        {"campaign": campaign, "stats": stats, "sections": sections, "day_has_begun": campaign.day_has_begun(),
         "can_moderate": request.user.has_perm("globalday.moderate_campaign", campaign)},
    )


@xframe_options_exempt
def embed(request: HttpRequest, year: int) -> HttpResponse:
    """The widget members put on their own sites in an <iframe>: the only page that may be
    framed (everything else answers X-Frame-Options: DENY). It shows public data only and
    has no form, so being framed by any site exposes nothing."""
    campaign = campaign_for(request, year)
    _vocabulary, _form, filters = _filtered(request, campaign)
    activities = queries.public_activities(campaign, filters)
    listed = list(activities[: EMBED_LIMIT + 1])
    query = _query_without(request, "page", "height")
    return render(
        request,
        "globalday/embed.html",
        {
            "campaign": campaign,
            "activities": listed[:EMBED_LIMIT],
            "more": len(listed) > EMBED_LIMIT,
            "full_url": request.build_absolute_uri(campaign.get_absolute_url()) + (f"?{query}" if query else ""),
        },
    )


def embed_help(request: HttpRequest, year: int) -> HttpResponse:
    """How to embed the widget, with a snippet made from the chosen options (no JS needed)."""
    campaign = campaign_for(request, year)
    form = EmbedForm(request.GET or None, vocabulary=queries.campaign_vocabulary(campaign))
    options, height = {}, 600
    if form.is_bound and form.is_valid():
        options = {k: v for k in ("country", "network", "organisation") if (v := form.cleaned_data.get(k))}
        height = form.cleaned_data.get("height") or 600
    src = request.build_absolute_uri(reverse("globalday:embed", args=[campaign.year]))
    if options:
        src += "?" + urlencode(options)
    return render(
        request,
        "globalday/embed_help.html",
        {"campaign": campaign, "form": form, "src": src, "height": height,
         "can_moderate": request.user.has_perm("globalday.moderate_campaign", campaign)},
    )
