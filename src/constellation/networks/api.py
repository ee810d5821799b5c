"""The networks router: the public directory, people (members only) and writes (tokens).

Endpoints find the object, check the same rules as the web pages (networks.rules), let the
schema validate the input, and call networks.services. Strangers get 404 where existence
is private; a DomainError becomes a 409 (see constellation.api).
"""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries
from ninja import Field as NinjaField
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError

from constellation.accounts.auth import token_auth
from constellation.networks import queries, services
from constellation.networks.models import (
    AccessibilityFeature,
    Kind,
    MembershipCategory,
    MembershipStatus,
    Network,
    Organisation,
    Topic,
)
from constellation.networks.schemas import (
    SLUG_PATTERN,
    MembershipDetailOut,
    MembershipIn,
    NetworkList,
    NetworkOut,
    OrganisationDetailOut,
    OrganisationIn,
    OrganisationList,
    OrganisationPatch,
    PersonList,
    PersonOut,
    PointList,
    SearchText,
    Slug,
    errors,
)

router = Router(tags=["directory"])

SlugPath = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=220)]
# Bounded so that no database is asked about an id it cannot store (SQLite overflows past 2**63).
IdPath = Annotated[int, Path(ge=1, le=2**31 - 1)]


class DirectoryQuery(Schema):
    q: SearchText = NinjaField("", description="Words to find in names, cities and descriptions")
    network: list[Slug] = NinjaField(default_factory=list, max_length=50, description="Network slugs (any of)")
    country: list[Annotated[str, NinjaField(pattern=r"^[A-Za-z]{2}$")]] = NinjaField(
        default_factory=list, max_length=50, description="ISO 3166 country codes (any of)"
    )
    kind: list[Slug] = NinjaField(default_factory=list, max_length=50, description="Kind slugs (any of)")
    topic: list[Slug] = NinjaField(default_factory=list, max_length=50, description="Topic slugs (any of)")
    sort: str = NinjaField("name", pattern=r"^-?(name|country|founded|updated)$")

    def to_filters(self) -> queries.DirectoryFilters:
        return queries.DirectoryFilters(
            q=self.q, network=self.network, country=[c.upper() for c in self.country],
            kind=self.kind, topic=self.topic, sort=self.sort,
        )


class PageQuery(Schema):
    limit: int = NinjaField(50, ge=1, le=200)
    offset: int = NinjaField(0, ge=0, le=1_000_000)


class PeopleQuery(Schema):
    q: SearchText = NinjaField("", description="Words to find in names, job titles and expertise")


def _page(qs, page: PageQuery, *, count: int | None = None) -> dict:
    """One page of a list, as every list answers: {"items": [...], "count": N}."""
    return {
        "items": list(qs[page.offset : page.offset + page.limit]),
        "count": qs.count() if count is None else count,
    }


# --- Public reads -----------------------------------------------------------------------


def _networks():
    return Network.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE))
    )


@router.get("/networks", response=NetworkList, url_name="network_list")
def list_networks(request):
    items = list(_networks())
    return {"items": items, "count": len(items)}


@router.get("/networks/{slug}", response={200: NetworkOut, **errors(404, 422)}, url_name="network_detail")
def get_network(request, slug: SlugPath):
    return get_object_or_404(_networks(), slug=slug)


@router.get("/organisations", response={200: OrganisationList, **errors(422)}, url_name="organisation_list")
def list_organisations(request, filters: Query[DirectoryQuery], page: Query[PageQuery]):
    """The directory: same search and facets as the web page, paginated by limit/offset."""
    directory_filters = filters.to_filters()
    return _page(
        queries.directory_results(directory_filters), page, count=queries.directory_count(directory_filters)
    )


@router.get("/organisations/points", response={200: PointList, **errors(422)}, url_name="organisation_points")
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


@router.get(
    "/organisations/{slug}", response={200: OrganisationDetailOut, **errors(404, 422)}, url_name="organisation_detail"
)
def get_organisation(request, slug: SlugPath):
    return get_object_or_404(queries.organisation_detail_queryset(), slug=slug)


# --- People: members only ---------------------------------------------------------------


def _require_member(request) -> None:
    if not request.user.has_perm("networks.view_people"):
        raise HttpError(403, _("Only members of a network can see its people."))


@router.get(
    "/people", response={200: PersonList, **errors(401, 403, 422)}, auth=token_auth, tags=["people"],
    url_name="person_list",
)
def list_people(request, filters: Query[PeopleQuery], page: Query[PageQuery]):
    """People who list themselves for members, with what each shows to members."""
    _require_member(request)
    return _page(queries.people_directory(filters.q), page)


@router.get(
    "/people/{person_id}", response={200: PersonOut, **errors(401, 403, 404, 422)}, auth=token_auth,
    tags=["people"], url_name="person_detail",
)
def get_person(request, person_id: IdPath):
    _require_member(request)
    return get_object_or_404(queries.people_directory(), pk=person_id)


# --- Writes -------------------------------------------------------------------------------


def _organisation_for(request, slug: str, perm: str) -> Organisation:
    """The organisation if the token's user holds `perm` on it; strangers get a 404."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm(perm, organisation):
        raise Http404
    return organisation


M2M_MODELS = {"kinds": Kind, "topics": Topic, "accessibility": AccessibilityFeature}


def _organisation_data(payload: OrganisationPatch) -> dict:
    """The payload's changes, with kind, topic and feature slugs turned into rows.

    Every unknown slug is reported at once, before anything is written.
    """
    data = payload.changes()
    problems = {}
    for field, model in M2M_MODELS.items():
        if field not in data:
            continue
        rows = list(model.objects.filter(slug__in=data[field]))
        unknown = sorted(set(data[field]) - {row.slug for row in rows})
        if unknown:
            problems[field] = _("Unknown: %(slugs)s.") % {"slugs": ", ".join(unknown)}
        data[field] = rows
    if problems:
        raise ValidationError(problems)
    return data


def _detail(organisation: Organisation) -> Organisation:
    return queries.organisation_detail_queryset().get(pk=organisation.pk)


@router.post(
    "/organisations", response={201: OrganisationDetailOut, **errors(400, 401, 403, 422)}, auth=token_auth,
    tags=["writes"], url_name="organisation_create",
)
def create_organisation(request, payload: OrganisationIn):
    """Add an organisation to the directory (network staff only)."""
    # The same people who may import organisations (networks.import_data). A new
    # organisation belongs to no network yet: its staff then PUT the membership.
    if not request.user.has_perm("networks.add_organisation"):
        raise HttpError(403, _("Only network staff can add organisations."))
    organisation = services.save_organisation(data=_organisation_data(payload), actor=request.user)
    return 201, _detail(organisation)


@router.patch(
    "/organisations/{slug}", response={200: OrganisationDetailOut, **errors(400, 401, 404, 422)},
    auth=token_auth, tags=["writes"], url_name="organisation_update",
)
def update_organisation(request, slug: SlugPath, payload: OrganisationPatch):
    """Change some fields of an organisation you may edit (its admins and its networks' staff)."""
    organisation = _organisation_for(request, slug, "networks.change_organisation")
    services.save_organisation(organisation=organisation, data=_organisation_data(payload), actor=request.user)
    return _detail(organisation)


@router.put(
    "/organisations/{slug}/memberships/{network_slug}",
    response={200: MembershipDetailOut, **errors(400, 401, 403, 404, 409, 422)},
    auth=token_auth, tags=["writes"], url_name="membership_set",
)
def put_membership(request, slug: SlugPath, network_slug: SlugPath, payload: MembershipIn):
    """Set the organisation's open membership of a network (that network's staff only).

    An organisation has at most one applied, active or suspended membership per network:
    this changes it, or starts a new one when the last has ended or lapsed.
    """
    organisation = get_object_or_404(Organisation, slug=slug)
    network = get_object_or_404(Network, slug=network_slug)
    if not request.user.has_perm("networks.manage_network", network):
        raise HttpError(403, _("Only the staff of %(network)s can change its memberships.") % {"network": network})
    category = None
    if payload.category is not None:
        category = MembershipCategory.objects.filter(network=network, slug=payload.category).first()
        if category is None:
            raise ValidationError({"category": _("%(network)s has no such category.") % {"network": network}})
    membership = services.set_membership(
        organisation=organisation, network=network, status=payload.status, category=category, actor=request.user
    )
    return membership
