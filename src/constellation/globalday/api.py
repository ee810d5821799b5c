"""The science-day router: campaigns and their approved activities (public), and
registering an activity (token). Same filters, querysets and services as the pages."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from constellation.accounts.auth import token_auth
from constellation.globalday import places, queries, services
from constellation.globalday.models import Campaign, language_choices
from constellation.globalday.schemas import (
    ActivityIn,
    ActivityList,
    ActivityOut,
    CampaignList,
    PointList,
    SearchText,
)
from constellation.networks.models import Organisation, Topic
from constellation.networks.schemas import errors

router = Router(tags=["science day"])

# Empty means "any", as the page's filter form sends it.
OPTIONAL_SLUG = r"^([-a-zA-Z0-9_]+)?$"
YearPath = Annotated[int, Path(ge=1900, le=2999)]


class ActivityQuery(Schema):
    q: SearchText = Field("", description="Words to find in titles, descriptions, cities and organisations")
    sdg: int | None = Field(None, ge=1, le=17, description="Sustainable Development Goal, 1 to 17")
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", description="ISO 3166 country code")
    network: str = Field("", pattern=OPTIONAL_SLUG, max_length=220, description="Network slug: organisations with an open membership")
    format: str = Field("", pattern=r"^(on_site|online|outreach)?$")
    language: str = Field("", pattern=r"^([a-z]{2,3})?$")
    organisation: str = Field("", pattern=OPTIONAL_SLUG, max_length=220, description="Organisation slug")

    def to_filters(self) -> queries.ActivityFilters:
        return queries.ActivityFilters(
            q=self.q, sdg=self.sdg, country=self.country.upper(), network=self.network,
            format=self.format, language=self.language, organisation=self.organisation,
        )


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


def _campaign(year: int) -> Campaign:
    return get_object_or_404(Campaign.objects.published(), year=year)


@router.get("/campaigns", response=CampaignList, url_name="globalday_campaigns")
def list_campaigns(request):
    items = list(Campaign.objects.published().prefetch_related("partner_networks"))
    return {"items": items, "count": len(items)}


@router.get("/campaigns/{year}/activities", response={200: ActivityList, **errors(404, 422)}, url_name="globalday_activities")
def list_activities(request, year: YearPath, filters: Query[ActivityQuery], page: Query[PageQuery]):
    """Approved activities of the campaign, with the filters of the public page."""
    qs = queries.public_activities(_campaign(year), filters.to_filters())
    return {"items": list(qs[page.offset : page.offset + page.limit]), "count": qs.count()}


@router.get("/campaigns/{year}/points", response={200: PointList, **errors(404, 422)}, url_name="globalday_points")
def activity_points(request, year: YearPath, filters: Query[ActivityQuery]):
    """Every matching approved activity with coordinates, for the map (no pagination)."""
    items = queries.map_points(queries.public_activities(_campaign(year), filters.to_filters()))
    return {"items": items, "count": len(items)}


@router.post(
    "/campaigns/{year}/activities", response={201: ActivityOut, **errors(400, 401, 404, 409, 422)}, auth=token_auth,
    tags=["writes"], url_name="globalday_activity_create",
)
def create_activity(request, year: YearPath, payload: ActivityIn):
    """Register an activity for an organisation you work at; it waits for moderation."""
    campaign = _campaign(year)
    organisation = get_object_or_404(Organisation, slug=payload.organisation)
    if not request.user.has_perm("globalday.register_activity", organisation):
        raise Http404
    problems = {}
    if abs((payload.date - campaign.date).days) > 1:
        problems["date"] = _("The activity must take place on the day of the campaign (%(date)s).") % {
            "date": campaign.date.isoformat()
        }
    sdgs = list(Topic.objects.filter(is_sdg=True, position__in=payload.sdgs))
    if len(sdgs) != len(set(payload.sdgs)):
        problems["sdgs"] = _("Choose Sustainable Development Goals between 1 and 17.")
    if payload.language not in dict(language_choices()):
        problems["language"] = _("Choose a language from the list.")
    zone = payload.time_zone or places.time_zone_for(payload.city or organisation.city, payload.country)
    if zone not in dict(places.time_zone_choices()):
        problems["time_zone"] = _("Choose a time zone from the list.")
    if problems:
        raise ValidationError(problems)
    starts_at, ends_at = services.local_times(payload.date, payload.start_time, payload.end_time, zone)
    data = {
        **payload.dict(exclude={"organisation", "date", "start_time", "end_time", "sdgs", "country", "time_zone"}),
        "country": payload.country, "sdgs": sdgs, "time_zone": zone, "starts_at": starts_at, "ends_at": ends_at,
    }
    activity = services.submit_activity(campaign=campaign, organisation=organisation, data=data, actor=request.user)
    return 201, activity
