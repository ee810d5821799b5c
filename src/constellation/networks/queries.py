"""Read-side builders for the directory: search, facets and the querysets pages and API share.

Every function here issues a fixed number of queries whatever the data size.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import get_language
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


def filter_organisations(filters: DirectoryFilters) -> QuerySet[Organisation]:
    """Organisations matching the filters.

    Within a facet the values are alternatives (France or Spain); facets combine (and a
    science centre). Slugs become ids through the cached vocabulary, which spares the
    database a join per facet; an unknown slug matches nothing.
    """
    qs = Organisation.objects.all()
    if filters.q:
        qs = qs.search(filters.q)
    if filters.country:
        qs = qs.filter(country__in=filters.country)
    if filters.network or filters.kind or filters.topic:
        vocabulary = directory_vocabulary()
    if filters.network:
        ids = [pk for pk, slug, _acronym in vocabulary.networks if slug in filters.network]
        qs = qs.filter(
            pk__in=Membership.objects.filter(network_id__in=ids, status=MembershipStatus.ACTIVE).values("organisation_id")
        )
    if filters.kind:
        ids = [kind.pk for kind in vocabulary.kinds if kind.slug in filters.kind]
        qs = qs.filter(pk__in=Organisation.kinds.through.objects.filter(kind_id__in=ids).values("organisation_id"))
    if filters.topic:
        ids = [topic.pk for topic in vocabulary.topics if topic.slug in filters.topic]
        qs = qs.filter(pk__in=Organisation.topics.through.objects.filter(topic_id__in=ids).values("organisation_id"))
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


# The directory's facet counts are the costliest part of its page (four grouped counts over
# every matching organisation). They are cached per filter combination and language, under
# a version number that every change to organisations, memberships, kinds or topics bumps
# (signals.py), so a count is never stale: an edit simply starts a new generation.
DIRECTORY_VERSION_KEY = "directory:version"
FACET_CACHE_SECONDS = 600


def directory_version() -> int:
    version = cache.get(DIRECTORY_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(DIRECTORY_VERSION_KEY, version, timeout=None)
    return version


def bump_directory_version() -> None:
    try:
        cache.incr(DIRECTORY_VERSION_KEY)
    except ValueError:
        cache.set(DIRECTORY_VERSION_KEY, 2, timeout=None)


def _filters_key(filters: DirectoryFilters) -> str:
    parts = [
        filters.q.strip().lower(), *sorted(filters.network), "|", *sorted(filters.country), "|",
        *sorted(filters.kind), "|", *sorted(filters.topic),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"{directory_version()}:{digest}"


def directory_count(filters: DirectoryFilters) -> int:
    """How many organisations match: one COUNT query, then cached for this generation."""
    key = f"directory:count:{_filters_key(filters)}"
    count = cache.get(key)
    if count is None:
        count = filter_organisations(filters).count()
        cache.set(key, count, FACET_CACHE_SECONDS)
    return count


class CountedPaginator(Paginator):
    """A paginator told the total, so it does not run its own COUNT."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def facet_cache_key(filters: DirectoryFilters) -> str:
    return f"directory:facets:{get_language()}:{_filters_key(filters)}"


@dataclass
class Vocabulary:
    """The networks, kinds and topics the directory filters on: 3 queries, cached."""

    networks: list[tuple[int, str, str]]  # pk, slug, acronym
    kinds: list[Kind]
    topics: list[Topic]


def directory_vocabulary() -> Vocabulary:
    key = f"directory:vocabulary:{directory_version()}"
    vocabulary = cache.get(key)
    if vocabulary is None:
        vocabulary = Vocabulary(
            networks=list(Network.objects.order_by("acronym").values_list("pk", "slug", "acronym")),
            kinds=list(Kind.objects.only("pk", "slug", "name")),
            topics=list(Topic.objects.all()),
        )
        cache.set(key, vocabulary, FACET_CACHE_SECONDS)
    return vocabulary


def directory_facets(filters: DirectoryFilters) -> dict[str, list[FacetValue]]:
    """Counts for each facet value, given every other active filter.

    On a cache miss: 4 grouped counts on the link tables (without any subquery when no
    other filter is active); on a hit: none. Labels come from the cached vocabulary.
    """
    key = facet_cache_key(filters)
    facets = cache.get(key)
    if facets is None:
        facets = _count_facets(filters)
        cache.set(key, facets, FACET_CACHE_SECONDS)
    return facets


def _count_facets(filters: DirectoryFilters) -> dict[str, list[FacetValue]]:
    def matching(skip: str) -> QuerySet | None:
        """Ids of the organisations matching every filter but `skip`; None if unfiltered."""
        others = DirectoryFilters(**{**filters.__dict__, skip: [] if skip != "q" else ""})
        return filter_organisations(others).values("pk") if others.is_filtered else None

    def grouped(rows: QuerySet, skip: str, column: str) -> dict:
        ids = matching(skip)
        if ids is not None:
            rows = rows.filter(organisation_id__in=ids)
        return dict(rows.order_by().values_list(column).annotate(n=Count("pk")))

    network_counts = grouped(Membership.objects.filter(status=MembershipStatus.ACTIVE), "network", "network_id")
    kind_counts = grouped(Organisation.kinds.through.objects.all(), "kind", "kind_id")
    topic_counts = grouped(Organisation.topics.through.objects.all(), "topic", "topic_id")
    country_ids = matching("country")
    countries_qs = Organisation.objects.all() if country_ids is None else Organisation.objects.filter(pk__in=country_ids)
    country_counts = dict(countries_qs.order_by().values_list("country").annotate(n=Count("pk")))

    def facet(rows, counts, selected) -> list[FacetValue]:
        return [
            FacetValue(slug, label, counts.get(pk, 0), slug in selected)
            for pk, slug, label in rows
            if counts.get(pk) or slug in selected
        ]

    vocabulary = directory_vocabulary()
    networks = vocabulary.networks
    kinds = [(kind.pk, kind.slug, str(kind)) for kind in vocabulary.kinds]
    topics = [(topic.pk, topic.slug, str(topic)) for topic in vocabulary.topics]
    country_rows = sorted(((code, code, str(countries.name(code))) for code in country_counts), key=lambda row: row[2])
    return {
        "network": facet(networks, network_counts, filters.network),
        "country": facet(country_rows, country_counts, filters.country),
        "kind": facet(kinds, kind_counts, filters.kind),
        "topic": facet(topics, topic_counts, filters.topic),
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
