from __future__ import annotations

from ninja import Field, Schema


class NetworkOut(Schema):
    id: int
    slug: str
    acronym: str
    name: str
    region: str
    website: str
    description: str
    member_count: int = 0


class MembershipOut(Schema):
    network: str = Field(..., alias="network.acronym")
    status: str


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    native_name: str
    city: str
    region: str
    country: str
    country_name: str
    latitude: float | None
    longitude: float | None
    website: str
    description: str
    year_founded: int | None
    visitors_band: str
    kinds: list[str]
    networks: list[str]
    url: str

    @staticmethod
    def resolve_country(obj) -> str:
        return str(obj.country.code)

    @staticmethod
    def resolve_country_name(obj) -> str:
        return str(obj.country.name)

    @staticmethod
    def resolve_kinds(obj) -> list[str]:
        return [kind.slug for kind in obj.kinds.all()]

    @staticmethod
    def resolve_networks(obj) -> list[str]:
        memberships = getattr(obj, "active_memberships", None)
        if memberships is None:
            memberships = [m for m in obj.memberships.all() if m.status == "active"]
        return [m.network.acronym for m in memberships]

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class OrganisationDetailOut(OrganisationOut):
    address: str
    descriptions: dict[str, str]
    topics: list[str]
    languages: list[str]
    accessibility: list[str]
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_topics(obj) -> list[str]:
        return [topic.slug for topic in obj.topics.all()]

    @staticmethod
    def resolve_accessibility(obj) -> list[str]:
        return [feature.slug for feature in obj.accessibility.all()]

    @staticmethod
    def resolve_memberships(obj):
        return list(obj.memberships.all())


class PointOut(Schema):
    name: str
    url: str
    city: str
    country_name: str
    latitude: float
    longitude: float


class PointList(Schema):
    items: list[PointOut]
    count: int


class OrganisationList(Schema):
    items: list[OrganisationOut]
    count: int


class NetworkList(Schema):
    items: list[NetworkOut]
    count: int
