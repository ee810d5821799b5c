"""The science day's API contract: explicit fields only."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from constellation.globalday.models import ActivityFormat, Audience
from constellation.networks.schemas import (  # noqa: F401
    Country,
    Name,
    PointList,
    Prose,
    SearchText,
    ShortText,
    Slug,
    Text,
    Website,
)


class CampaignOut(Schema):
    year: int
    date: datetime.date
    title: str
    theme: str
    description: str
    registration_opens: datetime.date
    registration_closes: datetime.date
    reporting_deadline: datetime.date
    partner_networks: list[str] = Field(..., description="Network slugs")
    url: str

    @staticmethod
    def resolve_partner_networks(obj) -> list[str]:
        return [n.slug for n in obj.partner_networks.all()]

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class CampaignList(Schema):
    items: list[CampaignOut]
    count: int


class ActivityOut(Schema):
    id: int
    title: str
    description: str
    organisation: str = Field(..., description="Organisation slug")
    organisation_name: str
    format: str
    audiences: list[str]
    sdgs: list[int] = Field(..., description="Sustainable Development Goals, 1 to 17")
    language: str
    place_name: str
    city: str
    country: str
    latitude: float | None
    longitude: float | None
    time_zone: str
    starts_at: datetime.datetime = Field(..., description="In the activity's time zone")
    ends_at: datetime.datetime
    link: str
    expected_participants: int
    actual_participants: int | None
    status: str
    url: str

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_organisation_name(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_sdgs(obj) -> list[int]:
        return [t.position for t in obj.sdgs.all()]

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code

    @staticmethod
    def resolve_starts_at(obj) -> datetime.datetime:
        return obj.local_start

    @staticmethod
    def resolve_ends_at(obj) -> datetime.datetime:
        return obj.local_end

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class ActivityList(Schema):
    items: list[ActivityOut]
    count: int


Format = Annotated[str, StringConstraints(pattern="^(" + "|".join(ActivityFormat.values) + ")$")]
AudienceCode = Annotated[str, StringConstraints(pattern="^(" + "|".join(Audience.values) + ")$")]


class ActivityIn(Schema):
    organisation: Slug
    title: Name
    description: Prose
    format: Format
    audiences: list[AudienceCode] = Field(default_factory=list, max_length=10)
    sdgs: list[Annotated[int, Field(ge=1, le=17)]] = Field(..., min_length=1, max_length=17)
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
    place_name: Text = ""
    city: ShortText = ""
    country: Country
    time_zone: Annotated[str, StringConstraints(max_length=60)] = Field("", description="IANA name; empty: from the city")
    date: datetime.date
    start_time: datetime.time = Field(..., description="Local time at the place")
    end_time: datetime.time
    link: Website = ""
    expected_participants: int = Field(..., ge=0, le=10_000_000)
