"""Read-side builders for the directory: search, facets and the querysets pages and API share.

Every function here issues a fixed number of queries whatever the data size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django_countries import countries

from constellation.networks.forms import SORTS
from constellation.networks.models import (
    Kind,
    Membership,
    MembershipStatus,
    Network,
    Organisation,
    Person,
    Topic,
)


@dataclass
class DirectoryFilters:
    q: str = ""
    network: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    topic: list[str] = field(default_factory=list)
    sort: str = ""

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.network or self.country or self.kind or self.topic)


def filter_organisations(filters: DirectoryFilters, *, skip: str | None = None) -> QuerySet[Organisation]:
    """Organisations matching the filters; `skip` leaves one facet out (for its own counts).

    Within a facet the values are alternatives (France or Spain); facets combine (and a
    science centre).
    """
    qs = Organisation.objects.all()
    if filters.q:
        qs = qs.search(filters.q)
    if filters.country and skip != "country":
        qs = qs.filter(country__in=filters.country)
    if filters.network and skip != "network":
        qs = qs.filter(
            pk__in=Membership.objects.filter(
                network__slug__in=filters.network, status=MembershipStatus.ACTIVE
            ).values("organisation_id")
        )
    if filters.kind and skip != "kind":
        qs = qs.filter(pk__in=Organisation.kinds.through.objects.filter(kind__slug__in=filters.kind).values("organisation_id"))
    if filters.topic and skip != "topic":
        qs = qs.filter(
            pk__in=Organisation.topics.through.objects.filter(topic__slug__in=filters.topic).values("organisation_id")
        )
    return qs


def directory_results(filters: DirectoryFilters) -> QuerySet[Organisation]:
    """The list the directory pages and the API paginate: 1 query for the page, +2 prefetches."""
    order = SORTS.get(filters.sort or "name", SORTS["name"])[0]
    return (
        filter_organisations(filters)
        .order_by(order, "name", "pk")
        .only(
            "pk", "name", "native_name", "slug", "city", "region", "country", "website", "descriptions",
            "year_founded", "visitors_band", "latitude", "longitude", "updated_at",
        )
        .prefetch_related(
            Prefetch("kinds", queryset=Kind.objects.only("pk", "slug", "name")),
            Prefetch(
                "memberships",
                queryset=Membership.objects.active().select_related("network").only(
                    "pk", "organisation_id", "status", "network__acronym", "network__slug", "network__name"
                ),
                to_attr="active_memberships",
            ),
        )
    )


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


def directory_facets(filters: DirectoryFilters) -> dict[str, list[FacetValue]]:
    """Counts for each facet value, given every other active filter: 4 queries."""
    def ids(skip: str):
        return filter_organisations(filters, skip=skip).values("pk")

    networks = (
        Network.objects.annotate(
            n=Count(
                "memberships",
                filter=Q(memberships__status=MembershipStatus.ACTIVE, memberships__organisation__in=ids("network")),
            )
        )
        .order_by("acronym")
        .values_list("slug", "acronym", "n")
    )
    kinds = Kind.objects.annotate(n=Count("organisations", filter=Q(organisations__in=ids("kind")))).values_list(
        "slug", "name", "n"
    )
    topics = Topic.objects.annotate(n=Count("organisations", filter=Q(organisations__in=ids("topic")))).values_list(
        "slug", "name", "n"
    )
    country_counts = dict(
        filter_organisations(filters, skip="country").order_by().values_list("country").annotate(n=Count("pk"))
    )

    def facet(rows, selected, translate=False):
        from django.utils.translation import gettext

        out = [
            FacetValue(slug, gettext(label) if translate else label, n, slug in selected)
            for slug, label, n in rows
            if n or slug in selected
        ]
        return out

    country_rows = sorted(
        ((code, countries.name(code), n) for code, n in country_counts.items()), key=lambda row: row[1]
    )
    return {
        "network": facet(networks, filters.network),
        "country": facet(country_rows, filters.country),
        "kind": facet(kinds, filters.kind, translate=True),
        "topic": facet(topics, filters.topic, translate=True),
    }


def organisation_detail_queryset() -> QuerySet[Organisation]:
    return Organisation.objects.prefetch_related(
        "kinds",
        "topics",
        "accessibility",
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("network", "category").order_by("network__acronym"),
        ),
    )


def public_staff(organisation: Organisation, audience: str) -> QuerySet[Person]:
    """People shown on an organisation's page: those whose listing and affiliation the audience may see."""
    from constellation.networks.models import Affiliation, Visibility

    levels = [Visibility.PUBLIC] if audience == "public" else [Visibility.PUBLIC, Visibility.MEMBERS]
    return (
        Affiliation.objects.current()
        .filter(
            organisation=organisation,
            person__is_erased=False,
            person__name_visibility__in=levels,
            person__affiliations_visibility__in=levels,
        )
        .select_related("person")
        .order_by("person__name")
    )


def people_directory(query: str = "") -> QuerySet[Person]:
    qs = Person.objects.listed_for_members()
    if query:
        qs = qs.search(query)
    from constellation.networks.models import Affiliation

    return qs.order_by("name", "pk").prefetch_related(
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.current().select_related("organisation").only(
                "pk", "person_id", "role", "organisation__name", "organisation__slug"
            ),
            to_attr="current_affiliations",
        )
    )
