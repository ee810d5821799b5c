"""The insights API's contract: peer comparisons and an organisation's own figures.

A peer statistic is null with `suppressed: true` and a reason when fewer organisations
than the network's minimum report it. No schema here has room for another organisation's
value, nor a group minimum or maximum.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from constellation.insights.benchmarks import REGIONS
from constellation.networks.models import VisitorsBand
from constellation.networks.schemas import Slug


def number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


CountryCode = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
Year = Annotated[int, Field(ge=1900, le=2200)]


class BenchmarkQuery(Schema):
    organisation: Slug = Field(..., description="The organisation to compare: one you work at, or (staff) a member")
    network: Slug | None = Field(None, description="Network slug; by default the organisation's first")
    year: Year | None = Field(None, description="By default the latest year the organisation reported")
    kind: list[Slug] = Field(default_factory=list, max_length=50, description="Peer group: kind slugs (any of)")
    visitors_band: list[Literal[*VisitorsBand.values]] = Field(
        default_factory=list, max_length=10, description="Peer group: size bands (any of)"
    )
    country: list[CountryCode] = Field(
        default_factory=list, max_length=50, description="Peer group: ISO 3166 country codes; with regions, any of"
    )
    region: list[Literal[*REGIONS]] = Field(
        default_factory=list, max_length=10, description="Peer group: continent codes (EU, AF, ...); with countries, any of"
    )


class PeerFigureOut(Schema):
    year: int
    own: float | None = Field(..., description="The organisation's own value")
    suppressed: bool = Field(..., description="True when too few organisations in the group report it")
    reason: str
    count: int | None = Field(..., description="Organisations in the group reporting it (null when suppressed)")
    lower_quartile: float | None
    median: float | None
    upper_quartile: float | None
    percentile_rank: float | None = Field(
        ..., description="0-100: share of the group at or below the organisation's value (chosen year only, not in trends)"
    )


class MetricComparisonOut(PeerFigureOut):
    key: str = Field(..., description="An indicator key, or a ratio's name")
    label: str
    unit: str = Field(..., description="count, money, area, percentage or ratio; money in `currency`")
    is_ratio: bool
    trend: list[PeerFigureOut] = Field(..., description="The same figure in each year, oldest first")


class PeerGroupOut(Schema):
    network: str
    kind: list[str]
    visitors_band: list[str]
    country: list[str]
    region: list[str]
    size: int = Field(..., description="Organisations in the group that reported for the year")
    includes_organisation: bool
    minimum: int = Field(..., description="The smallest number of reporting organisations a group figure needs")


class ComparisonOut(Schema):
    organisation: str
    year: int
    years: list[int]
    currency: str
    group: PeerGroupOut
    items: list[MetricComparisonOut]
    count: int


class FigureOut(Schema):
    indicator: str
    label: str
    unit: str
    value: float | None
    choice: str


class ResponseFiguresOut(Schema):
    network: str
    year: int
    currency: str = Field(..., description="The currency the money figures were reported in")
    figures: list[FigureOut]


class OrganisationFiguresOut(Schema):
    organisation: str
    items: list[ResponseFiguresOut]
    count: int


class FiguresQuery(Schema):
    year: Year | None = None
    network: Slug | None = None
