from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django_countries import countries
from ninja import Query, Router, Schema
from ninja import Field as NinjaField

from constellation.networks import queries
from constellation.networks.models import MembershipStatus, Network
from constellation.networks.schemas import (
    NetworkList,
    NetworkOut,
    OrganisationDetailOut,
    OrganisationList,
    PointList,
)

router = Router(tags=["directory"])


class DirectoryQuery(Schema):
    q: str = NinjaField("", max_length=200, description="Words to find in names, cities and descriptions")
    network: list[str] = NinjaField(default_factory=list, description="Network slugs (any of)")
    country: list[str] = NinjaField(default_factory=list, description="ISO 3166 country codes (any of)")
    kind: list[str] = NinjaField(default_factory=list, description="Kind slugs (any of)")
    topic: list[str] = NinjaField(default_factory=list, description="Topic slugs (any of)")
    sort: str = NinjaField("name", pattern=r"^-?(name|country|founded|updated)$")

    def to_filters(self) -> queries.DirectoryFilters:
        return queries.DirectoryFilters(
            q=self.q, network=self.network, country=[c.upper() for c in self.country],
            kind=self.kind, topic=self.topic, sort=self.sort,
        )


class PageQuery(Schema):
    limit: int = NinjaField(50, ge=1, le=200)
    offset: int = NinjaField(0, ge=0, le=1_000_000)


def _networks():
    return Network.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE))
    )


@router.get("/networks", response=NetworkList, url_name="network_list")
def list_networks(request):
    items = list(_networks())
    return {"items": items, "count": len(items)}


@router.get("/networks/{slug}", response=NetworkOut, url_name="network_detail")
def get_network(request, slug: str):
    return get_object_or_404(_networks(), slug=slug)


@router.get("/organisations", response=OrganisationList, url_name="organisation_list")
def list_organisations(request, filters: Query[DirectoryQuery], page: Query[PageQuery]):
    """The directory: same search and facets as the web page, paginated by limit/offset."""
    qs = queries.directory_results(filters.to_filters())
    return {"items": list(qs[page.offset : page.offset + page.limit]), "count": qs.count()}


@router.get("/organisations/points", response=PointList, url_name="organisation_points")
def organisation_points(request, filters: Query[DirectoryQuery]):
    """Every matching organisation that has coordinates, for the map (no pagination)."""
    rows = (
        queries.filter_organisations(filters.to_filters())
        .with_coordinates()
        .order_by("name")
        .values_list("name", "slug", "city", "country", "latitude", "longitude")
    )
    base = reverse("networks:organisation-detail", args=["__slug__"])
    items = [
        {
            "name": name, "url": base.replace("__slug__", slug), "city": city,
            "country_name": str(countries.name(country)), "latitude": lat, "longitude": lon,
        }
        for name, slug, city, country, lat, lon in rows
    ]
    return {"items": items, "count": len(items)}


@router.get("/organisations/{slug}", response=OrganisationDetailOut, url_name="organisation_detail")
def get_organisation(request, slug: str):
    return get_object_or_404(queries.organisation_detail_queryset(), slug=slug)
