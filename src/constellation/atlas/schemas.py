"""The atlas API's contract: coverage analyses, their question and their answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from constellation.atlas.forms import MAX_NEW_SITES, MAX_RADIUS_KM
from constellation.atlas.models import Dataset, DistanceUnit, Method
from constellation.networks.schemas import Slug

CountryCode = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
IdPath = Annotated[int, Field(ge=1, le=2**31 - 1)]


class AnalysisIn(Schema):
    title: str = Field("", max_length=200)
    radius: float = Field(
        ..., gt=0, description=f"Distance from a venue (at most {MAX_RADIUS_KM} km)"
    )
    unit: Literal[*DistanceUnit.values] = "km"
    network: Slug | None = Field(None, description="Count only venues of this network (slug)")
    kind: Slug | None = Field(None, description="Count only venues of this kind (slug)")
    dataset: Literal[*Dataset.values] = Field(
        "cities15000", description="GeoNames places to count people in"
    )
    country: CountryCode | None = Field(
        None, description="Only places in this country (ISO 3166 code)"
    )
    min_population: int = Field(0, ge=0, le=10**9)
    new_sites: int = Field(
        0, ge=0, le=MAX_NEW_SITES, description="How many new sites to propose (0: coverage only)"
    )
    method: Literal[*Method.values] = Field(
        "exact", description="exact: best choice, proven; greedy: fast"
    )


class RegionOut(Schema):
    code: str = Field(..., description='"CC-admin1" (e.g. "US-CA") or a country code')
    name: str
    population: int
    covered_before: int = Field(..., description="People within reach today")
    covered_after: int = Field(..., description="People within reach with the proposed sites")


class SiteOut(Schema):
    id: str = Field(..., description="The GeoNames id of the place the site is proposed at")
    name: str
    region: str
    lat: float
    lon: float
    added: int = Field(
        ..., description="People this site brings within reach, after the sites before it"
    )


class AnalysisOut(Schema):
    id: int
    url: str
    title: str
    status: str
    stage: str
    processed: int
    total: int
    message: str
    radius: float
    unit: str
    radius_km: float
    network: str | None
    kind: str | None
    source: str
    dataset: str
    country: str
    min_population: int
    new_sites: int
    method: str
    is_public: bool
    created_at: datetime
    finished_at: datetime | None


class AnalysisList(Schema):
    items: list[AnalysisOut]
    count: int


class AnswerOut(Schema):
    total_weight: int
    covered_weight_before: int
    covered_weight_after: int
    optimal: bool
    upper_bound: int | None
    method: str
    seconds: float | None


class AnalysisDetailOut(AnalysisOut):
    answer: AnswerOut | None
    chosen: list[SiteOut]
    regions: list[RegionOut]
