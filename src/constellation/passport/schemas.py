"""The passport API's contract: explicit fields only."""

from __future__ import annotations

from ninja import Field, Schema


class ProgrammeOut(Schema):
    id: int
    network: str = Field(description="The network's acronym")
    network_slug: str
    name: str
    radius: float = Field(description="The exclusion radius as the network gives it, in `unit`")
    unit: str = Field(description="mi or km")
    radius_km: float
    venue_count: int
    url: str


class ProgrammeList(Schema):
    items: list[ProgrammeOut]
    count: int


class VenueOut(Schema):
    id: int = Field(description="The organisation's id (as in /organisations)")
    slug: str
    name: str
    city: str
    region: str
    country: str
    country_name: str
    latitude: float
    longitude: float
    url: str
    free_general_admission: bool
    other_benefit: str
    adults_covered: int
    children_covered: int
    id_required: bool
    exclusions: str


class VenueList(Schema):
    items: list[VenueOut]
    count: int


class EligibleVenueOut(VenueOut):
    distance_km: float = Field(description="From the residence")
    to_member_km: float


class EligibleList(Schema):
    items: list[EligibleVenueOut]
    count: int
    member: int
    residence: str
    radius_km: float


class EligibleQuery(Schema):
    member: int = Field(ge=1, le=2**31 - 1, description="The organisation id of the visitor's member venue")
    place: str = Field("", max_length=120, description="The residence: a town or a US ZIP code")
    lat: float | None = Field(None, ge=-90, le=90, description="Or the residence's latitude")
    lon: float | None = Field(None, ge=-180, le=180, description="and longitude")


class PassportPointOut(Schema):
    name: str
    url: str
    city: str
    country_name: str
    latitude: float
    longitude: float


class PassportPointList(Schema):
    items: list[PassportPointOut]
    count: int
