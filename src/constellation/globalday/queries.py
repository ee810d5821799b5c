"""Reads for the science day: the public list's filters, facets and statistics.

Every function runs a fixed number of queries whatever the number of activities.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django_countries import countries

from constellation.globalday.models import Activity, ActivityStatus, Campaign
from constellation.networks.models import OPEN_STATUSES, Network, Topic


@dataclass(frozen=True)
class ActivityFilters:
    q: str = ""
    sdg: int | None = None
    country: str = ""
    network: str = ""
    format: str = ""
    language: str = ""
    organisation: str = ""

    @property
    def is_filtered(self) -> bool:
        return any((self.q, self.sdg, self.country, self.network, self.format, self.language, self.organisation))


def filter_activities(qs: QuerySet[Activity], filters: ActivityFilters) -> QuerySet[Activity]:
    if filters.sdg:
        qs = qs.filter(sdgs__is_sdg=True, sdgs__position=filters.sdg)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    if filters.network:
        qs = qs.in_network(filters.network)
    if filters.format:
        qs = qs.filter(format=filters.format)
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.organisation:
        qs = qs.filter(organisation__slug=filters.organisation)
    for word in filters.q.split()[:10]:
        qs = qs.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(city__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    return qs


def public_activities(campaign: Campaign, filters: ActivityFilters) -> QuerySet[Activity]:
    """Approved activities of the campaign matching the filters, ready for a list page
    (organisation joined, SDGs prefetched: two queries for any page size)."""
    qs = filter_activities(Activity.objects.filter(campaign=campaign).approved(), filters)
    return qs.select_related("organisation", "campaign").prefetch_related("sdgs").order_by("starts_at", "title", "pk")


def sdg_topics() -> list[Topic]:
    return list(Topic.objects.filter(is_sdg=True, position__gte=1, position__lte=17).order_by("position"))


@dataclass
class Vocabulary:
    sdgs: list[Topic]
    countries: list[tuple[str, str]]
    networks: list[Network]
    languages: list[str]


def campaign_vocabulary(campaign: Campaign) -> Vocabulary:
    """What the filters offer: the SDGs, and the countries, networks and languages that
    approved activities have (three more queries)."""
    approved = Activity.objects.filter(campaign=campaign, status=ActivityStatus.APPROVED)
    codes = sorted(set(approved.values_list("country", flat=True)))
    names = dict(countries)
    networks = list(
        Network.objects.filter(
            memberships__status__in=OPEN_STATUSES, memberships__organisation__science_day_activities__in=approved
        ).distinct().order_by("acronym")
    )
    languages = sorted(set(approved.values_list("language", flat=True)))
    return Vocabulary(
        sdgs=sdg_topics(),
        countries=sorted(((c, str(names.get(c, c))) for c in codes), key=lambda pair: pair[1]),
        networks=networks,
        languages=languages,
    )


def map_points(qs: QuerySet[Activity]) -> list[dict]:
    """Markers for map.js: one query, only the columns the popup needs."""
    names = dict(countries)
    rows = qs.exclude(latitude__isnull=True).exclude(longitude__isnull=True).order_by().values_list(
        "pk", "title", "city", "country", "latitude", "longitude", "campaign__year"
    )
    from django.urls import reverse

    return [
        {
            "name": title, "url": reverse("globalday:activity-detail", args=[year, pk]), "city": city,
            "country_name": str(names.get(country, country)), "latitude": lat, "longitude": lon,
        }
        for pk, title, city, country, lat, lon, year in rows
    ]


@dataclass
class StatRow:
    key: str
    label: str
    activities: int
    expected: int
    actual: int | None
    reported: int


def _rows(qs, key_field: str, labels: dict) -> list[StatRow]:
    rows = (
        qs.order_by()
        .values(key_field)
        .annotate(
            n=Count("pk", distinct=True),
            expected=Sum("expected_participants"),
            actual=Sum("actual_participants"),
            reported=Count("actual_participants"),
        )
    )
    result = [
        StatRow(
            key=str(row[key_field]), label=str(labels.get(row[key_field], row[key_field])), activities=row["n"],
            expected=row["expected"] or 0, actual=row["actual"], reported=row["reported"],
        )
        for row in rows
        if row[key_field] is not None
    ]
    return sorted(result, key=lambda r: (-r.activities, r.label))


@dataclass
class Statistics:
    total: StatRow
    by_sdg: list[StatRow]
    by_country: list[StatRow]
    by_network: list[StatRow]


def campaign_statistics(campaign: Campaign) -> Statistics:
    """Approved activities, expected and actual participants: in total and by SDG, country
    and network (an activity with three SDGs counts once under each of them; one in two
    networks counts under both, so those columns add up to more than the total)."""
    approved = Activity.objects.filter(campaign=campaign, status=ActivityStatus.APPROVED)
    totals = approved.aggregate(
        n=Count("pk"), expected=Sum("expected_participants"), actual=Sum("actual_participants"),
        reported=Count("actual_participants"),
    )
    total = StatRow(
        key="total", label="", activities=totals["n"], expected=totals["expected"] or 0,
        actual=totals["actual"], reported=totals["reported"],
    )
    sdgs = {t.position: str(t) for t in sdg_topics()}
    by_sdg = sorted(_rows(approved.filter(sdgs__is_sdg=True), "sdgs__position", sdgs), key=lambda r: int(r.key))
    by_country = _rows(approved, "country", dict(countries))
    network_labels = dict(Network.objects.values_list("pk", "acronym"))
    by_network = _rows(
        Activity.objects.filter(
            pk__in=approved.values("pk"),
            organisation__memberships__status__in=OPEN_STATUSES,
        ),
        "organisation__memberships__network",
        network_labels,
    )
    return Statistics(total=total, by_sdg=by_sdg, by_country=by_country, by_network=by_network)


def report_rows(campaign: Campaign) -> QuerySet[Activity]:
    """Every approved activity of the campaign for the staff report, in one query plus SDGs."""
    return (
        Activity.objects.filter(campaign=campaign, status=ActivityStatus.APPROVED)
        .select_related("organisation")
        .prefetch_related("sdgs")
        .order_by("country", "organisation__name", "starts_at", "pk")
    )

