"""Field-wide figures of a network: how many people its members reach, and how diversified
their income is. These figures are public, so every number here obeys one rule.

**No member's figure is ever public.** A cell (the network's total, a country, a kind, a
year) carries a number only when at least `minimum` organisations contribute to it (the
network's `InsightSettings.peer_group_minimum`, 5 when it has none). A hidden cell carries a
reason instead of a number. A count alone is not enough, so four more traps are closed:

- *Dominance.* Five members where one is huge publish that one's figure to within the
  others' small sum: a sum is hidden when one member dominates it (the p% rule).
- *Complements.* When the cells of a breakdown add up to a shown total, the total minus the
  shown cells is the sum of the hidden ones. While that sum would itself be hidden (too few
  members, or dominated), the smallest shown cells are hidden too (secondary suppression).
- *Nested groups.* A kind holding every member of a country and one more differs from that
  country by one member's figure: when the difference of two shown groups would be hidden
  on its own, the smaller group is hidden. Countries and kinds are protected together.
- *Parts of a total.* On-site and outreach add up to the reach total: if one part is hidden,
  the other is hidden too, or the total minus one part would give the other away.

What remains (documented, not closed): the same cell published at two moments, before and
after one late response, differs by exactly that member's figure; and a sum worked out
from a partition (total minus the shown countries) could in rare layouts be set against a
third group. Publishing a year only once its survey has closed would narrow the first.

All of a network's figures are loaded once (`FieldData.load`, a fixed number of queries),
then every breakdown is computed in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from constellation.insights import figures as fig
from constellation.insights.models import Indicator, InsightSettings, ResponseStatus, SurveyResponse
from constellation.networks.models import Network, Organisation

ONSITE = "onsite_visitors"
OUTREACH = "outreach_participants"
ONLINE = "online_reach"
DEFAULT_MINIMUM = 5

# Herfindahl-Hirschman bands, as competition authorities read the index (0-10,000).
DIVERSIFIED_BELOW = Decimal(2500)
CONCENTRATED_ABOVE = Decimal(5000)
HHI_BANDS = (
    ("diversified", gettext_lazy("Diversified (below 2,500)")),
    ("moderate", gettext_lazy("Moderately concentrated (2,500 to 5,000)")),
    ("concentrated", gettext_lazy("Concentrated (above 5,000)")),
)

Key = tuple[str, str]  # a group: ("country", "BE"), ("kind", "aquarium"), ("network", "")
TOTAL = ("network", "")

# The p% rule of statistical offices: a sum is sensitive when what is left after its two
# largest contributions is less than P of the largest, because the second-largest member
# could then estimate the largest to within P.
DOMINANCE_P = Decimal("0.10")

# Why a cell has no number: stable codes for the open data, sentences for people.
TOO_FEW = "too_few"
DOMINATED = "dominated"
PROTECTS_OTHERS = "protects_others"


@dataclass(frozen=True)
class Cell:
    """One published figure: a value over `organisations` members, or a reason it is hidden."""

    value: Decimal | None
    organisations: int | None
    reason: str = ""
    note: str = ""

    @property
    def suppressed(self) -> bool:
        return bool(self.reason)


@dataclass(frozen=True)
class Row:
    """A line of a breakdown: a group (a country, a kind, a band) and its cell."""

    code: str
    label: str
    cell: Cell


@dataclass(frozen=True)
class Reach:
    year: int
    total: Cell  # on-site visitors plus outreach participants
    onsite: Cell
    outreach: Cell
    online: Cell  # counted apart: an online visitor may be the same person many times


@dataclass(frozen=True)
class Diversification:
    year: int
    median: Cell
    bands: list[Row]  # counts of organisations per HHI band


def sensitivity(values: Iterable[Decimal], minimum: int, *, additive: bool = True) -> str:
    """Why a figure over these members' values may not be published ("" if it may).

    Counts always; dominance only for sums (`additive`): a median or a share does not add
    up to anyone's figure.
    """
    ordered = sorted((abs(value) for value in values), reverse=True)
    if len(ordered) < minimum:
        return TOO_FEW
    if additive and ordered and sum(ordered[2:], Decimal(0)) < DOMINANCE_P * ordered[0]:
        return DOMINATED
    return ""


def hidden(reason: str, minimum: int) -> Cell:
    notes = {
        TOO_FEW: _("Fewer than %(minimum)s organisations reported.") % {"minimum": minimum},
        DOMINATED: _("One organisation makes up nearly all of this figure."),
        PROTECTS_OTHERS: _("Hidden so that another hidden figure cannot be worked out from this one."),
    }
    return Cell(None, None, reason, notes[reason])


def sum_cell(values: Sequence[Decimal], minimum: int) -> Cell:
    """The sum of one value per organisation, unless it is sensitive."""
    reason = sensitivity(values, minimum)
    return hidden(reason, minimum) if reason else Cell(sum(values, Decimal(0)), len(values))


def median_cell(values: Sequence[Decimal], minimum: int) -> Cell:
    reason = sensitivity(values, minimum, additive=False)
    return hidden(reason, minimum) if reason else Cell(fig.median(values), len(values))


def peer_group_minimum(network: Network) -> int:
    """The network's smallest publishable group (1 query)."""
    minimum = InsightSettings.objects.filter(network=network).values_list("peer_group_minimum", flat=True).first()
    return minimum or DEFAULT_MINIMUM


def income_source_keys() -> list[str]:
    """Keys of the indicators counted as income sources (1 query)."""
    return list(Indicator.objects.filter(is_income_source=True).order_by("key").values_list("key", flat=True))


def income_sources_count(figures: fig.Figures, income_keys: Iterable[str]) -> int | None:
    """How many income sources brought in more than zero; None if no income was reported."""
    reported = [figures[key] for key in income_keys if key in figures]
    if not reported:
        return None
    return sum(1 for value in reported if value > 0)


def organisation_hhi(figures: fig.Figures, income_keys: Iterable[str]) -> Decimal | None:
    return fig.herfindahl(figures.get(key) for key in income_keys)


def hhi_band(hhi: Decimal) -> str:
    if hhi < DIVERSIFIED_BELOW:
        return "diversified"
    if hhi > CONCENTRATED_ABOVE:
        return "concentrated"
    return "moderate"


def _as_decimal(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def organisation_reach(figures: fig.Figures) -> Decimal | None:
    """On-site plus outreach for one organisation; None if it reported neither."""
    parts = [figures[key] for key in (ONSITE, OUTREACH) if key in figures]
    return sum(parts, Decimal(0)) if parts else None


@dataclass
class FieldData:
    """A network's submitted figures with what the breakdowns need, loaded in 6 queries."""

    network: Network
    minimum: int
    table: fig.FigureTable
    income_keys: list[str]
    countries: dict[int, str]  # organisation id -> country code
    kinds: dict[int, list[tuple[str, str]]]  # organisation id -> [(slug, untranslated name)]
    _published: dict[int, dict[Key, Cell]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, network: Network) -> FieldData:
        reporting = SurveyResponse.objects.filter(
            survey__network=network, status=ResponseStatus.SUBMITTED
        ).values("organisation_id")
        kinds: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for organisation_id, slug, name in (
            Organisation.kinds.through.objects.filter(organisation_id__in=reporting)
            .order_by("kind__position", "kind__slug")
            .values_list("organisation_id", "kind__slug", "kind__name")
        ):
            kinds[organisation_id].append((slug, name))
        return cls(
            network=network,
            minimum=peer_group_minimum(network),
            table=fig.load_figures(network=network),
            income_keys=income_source_keys(),
            countries=dict(Organisation.objects.filter(pk__in=reporting).values_list("pk", "country")),
            kinds=dict(kinds),
        )

    @property
    def years(self) -> list[int]:
        return self.table.years()

    @property
    def latest_year(self) -> int | None:
        return self.years[-1] if self.years else None

    def _values(self, year: int, measure: Callable[[fig.Figures], Decimal | None]) -> dict[int, Decimal]:
        values = {}
        for organisation_id, figures in self.table.for_year(year).items():
            value = measure(figures)
            if value is not None:
                values[organisation_id] = value
        return values

    # Reach ------------------------------------------------------------------------------

    def reach(self, year: int) -> Reach:
        onsite = sum_cell(list(self._values(year, lambda f: f.get(ONSITE)).values()), self.minimum)
        outreach = sum_cell(list(self._values(year, lambda f: f.get(OUTREACH)).values()), self.minimum)
        if onsite.suppressed != outreach.suppressed:  # the total minus one part is the other
            onsite = onsite if onsite.suppressed else hidden(PROTECTS_OTHERS, self.minimum)
            outreach = outreach if outreach.suppressed else hidden(PROTECTS_OTHERS, self.minimum)
        return Reach(
            year=year,
            total=self._reach_cells(year)[TOTAL],
            onsite=onsite,
            outreach=outreach,
            online=sum_cell(list(self._values(year, lambda f: f.get(ONLINE)).values()), self.minimum),
        )

    def reach_by_year(self) -> list[Reach]:
        return [self.reach(year) for year in self.years]

    def reach_by_country(self, year: int) -> list[Row]:
        cells = self._reach_cells(year)
        rows = [
            Row(code, str(countries.name(code)) or _("Country not given"), cell)
            for (dimension, code), cell in cells.items()
            if dimension == "country"
        ]
        return sorted(rows, key=lambda row: row.label)

    def reach_by_kind(self, year: int) -> list[Row]:
        """By kind of organisation. An organisation of two kinds counts in both, so the rows
        do not add up to the total; they are still protected as if they did, since most
        organisations have one kind."""
        names = {slug: name for kinds in self.kinds.values() for slug, name in kinds}
        rows = [
            Row(code, _(names[code]) if code else _("Kind not given"), cell)
            for (dimension, code), cell in self._reach_cells(year).items()
            if dimension == "kind"
        ]
        return sorted(rows, key=lambda row: (row.code == "", row.label))

    def _reach_cells(self, year: int) -> dict[tuple[str, str], Cell]:
        """The year's reach total, by country and by kind, protected together: a country
        and a kind holding nearly the same members must not give one member away."""
        if year not in self._published:
            groups: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(dict)
            for organisation_id, value in self._values(year, organisation_reach).items():
                groups[TOTAL][organisation_id] = value
                groups[("country", self.countries.get(organisation_id, ""))][organisation_id] = value
                for slug, _name in self.kinds.get(organisation_id) or [("", "")]:
                    groups[("kind", slug)][organisation_id] = value
            by = {dimension: [key for key in groups if key[0] == dimension] for dimension in ("country", "kind")}
            groups.setdefault(TOTAL, {})
            self._published[year] = protect(groups, self.minimum, partitions=[by["country"], by["kind"]])
        return self._published[year]

    # Income diversification ---------------------------------------------------------------

    def hhi_by_organisation(self, year: int) -> dict[int, Decimal]:
        """Each organisation's HHI of income sources. Private: never show these in public."""
        return self._values(year, lambda f: organisation_hhi(f, self.income_keys))

    def income_sources_by_organisation(self, year: int) -> dict[int, Decimal]:
        """Each organisation's number of income sources above zero. Private, as above."""
        return self._values(year, lambda f: _as_decimal(income_sources_count(f, self.income_keys)))

    def diversification(self, year: int) -> Diversification:
        """The distribution of HHI over members: counts per band and the median.

        Counts of organisations per band reveal no member's figure, but the whole
        distribution is hidden when fewer than `minimum` organisations reported income.
        """
        values = list(self.hhi_by_organisation(year).values())
        median = median_cell(values, self.minimum)
        if median.suppressed:
            return Diversification(year, median, [Row(code, str(label), median) for code, label in HHI_BANDS])
        counts = defaultdict(int)
        for value in values:
            counts[hhi_band(value)] += 1
        bands = [Row(code, str(label), Cell(Decimal(counts[code]), len(values))) for code, label in HHI_BANDS]
        return Diversification(year, median, bands)


def protect(
    groups: dict[Key, dict[int, Decimal]], minimum: int, *, partitions: Sequence[Sequence[Key]] = ()
) -> dict[Key, Cell]:
    """A cell per group (the sum of its members' values), hidden wherever it would tell.

    Groups are sets of organisations with one value each, the same value in every group
    (one measure, e.g. the reach total, broken down by country and by kind).

    1. A sensitive group (too few members, or one dominating) is hidden.
    2. Nested groups: when a shown group holds every member of another shown
       group and more, their difference is those extra members' sum: if that sum is itself
       sensitive, the smaller group is hidden.
    3. Complements: in each partition (groups adding up to a shown whole), while the hidden
       groups together make a sensitive sum, the smallest shown group is hidden too.

    Hiding never reveals anything, so each rule may only hide more; the order decides which
    cell is sacrificed, not whether the result is safe against these two differences.
    """
    members = {key: frozenset(values) for key, values in groups.items()}
    value_of = {organisation: value for values in groups.values() for organisation, value in values.items()}

    def sensitive(organisations: Iterable[int]) -> str:
        return sensitivity([value_of[organisation] for organisation in organisations], minimum)

    reasons = {key: reason for key in groups if (reason := sensitive(members[key]))}
    keys = sorted(members)
    for big in keys:
        for small in keys:
            if big in reasons or small in reasons or not members[small] < members[big]:
                continue
            if sensitive(members[big] - members[small]):
                reasons[small] = PROTECTS_OTHERS
    for partition in partitions:
        while True:
            hidden_members = frozenset().union(*(members[key] for key in partition if key in reasons))
            shown = sorted((key for key in partition if key not in reasons), key=lambda key: (len(members[key]), key))
            if not hidden_members or not shown or not sensitive(hidden_members):
                break
            reasons[shown[0]] = PROTECTS_OTHERS
    return {
        key: hidden(reasons[key], minimum) if key in reasons else Cell(sum(values.values(), Decimal(0)), len(values))
        for key, values in groups.items()
    }


# The functions the rest of the project calls; each loads what it needs.


def reach(network: Network, year: int) -> Reach:
    return FieldData.load(network).reach(year)


def reach_by_country(network: Network, year: int) -> list[Row]:
    return FieldData.load(network).reach_by_country(year)


def reach_by_kind(network: Network, year: int) -> list[Row]:
    return FieldData.load(network).reach_by_kind(year)


def reach_by_year(network: Network) -> list[Reach]:
    return FieldData.load(network).reach_by_year()


def hhi_by_organisation(network: Network, year: int) -> dict[int, Decimal]:
    return FieldData.load(network).hhi_by_organisation(year)


def diversification(network: Network, year: int) -> Diversification:
    return FieldData.load(network).diversification(year)


# Open data ------------------------------------------------------------------------------------

OPEN_DATA_HEADER = [
    "network", "year", "breakdown", "group_code", "group", "measure", "value", "organisations",
    "hidden_because", "note",
]


def _plain(value: Decimal | None) -> str:
    return "" if value is None else str(value.quantize(Decimal(1)))


def open_data_rows(data: FieldData, years: Iterable[int]) -> list[list[str]]:
    """The public figures as rows for a CSV: a hidden cell has no value and no count, only
    the reason (a stable code) and a note in the reader's language."""
    rows = [OPEN_DATA_HEADER]
    acronym = data.network.acronym

    def line(year: int, breakdown: str, code: str, label: str, measure: str, cell: Cell) -> list[str]:
        count = "" if cell.organisations is None else str(cell.organisations)
        return [acronym, str(year), breakdown, code, label, measure, _plain(cell.value), count, cell.reason, cell.note]

    for year in years:
        reach = data.reach(year)
        rows += [
            line(year, "network", "", "", "people_reached", reach.total),
            line(year, "network", "", "", ONSITE, reach.onsite),
            line(year, "network", "", "", OUTREACH, reach.outreach),
            line(year, "network", "", "", ONLINE, reach.online),
        ]
        rows += [line(year, "country", r.code, r.label, "people_reached", r.cell) for r in data.reach_by_country(year)]
        rows += [line(year, "kind", r.code, r.label, "people_reached", r.cell) for r in data.reach_by_kind(year)]
        diversification = data.diversification(year)
        rows.append(line(year, "network", "", "", "median_hhi", diversification.median))
        rows += [line(year, "hhi_band", r.code, r.label, "organisations_in_band", r.cell) for r in diversification.bands]
    return rows
