"""Give the demo five years of survey figures, a survey to fill in, settings and targets.

    uv run constellation load_demo            # first: networks, institutions, logins
    uv run constellation load_demo_insights

For every demo network with members: a survey for each of the five years before this one,
answered and submitted by each active member, and an open survey for this year that nobody
has answered yet (admin@example.org can fill it in for their science centre). Figures are
invented but plausible: sized by the organisation's visitors band, growing a few percent a
year, with a COVID-like dip, money in the local currency of some members (with the
exchange rates of those years), and a few deliberate jumps of more than 50 % that the member
explained in a comment, for the anomaly checks to show. The same organisation gives the same
figures to each of its networks, and every run gives the same figures (seeded by name).

Running it again adds only what is missing.
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from constellation.insights.models import (
    Aggregation,
    Answer,
    ExchangeRate,
    Indicator,
    InsightSettings,
    ResponseStatus,
    Survey,
    SurveyResponse,
    Target,
    Unit,
)
from constellation.networks.models import (
    MembershipStatus,
    Network,
    Organisation,
    VisitorsBand,
)

YEARS = 5
# The catalogue's keys; a database whose catalogue migration has run already has them, and
# get_or_create leaves those as they are.
CATALOGUE = [
    ("onsite_visitors", "Visitors on site", "reach", Unit.COUNT, False),
    ("school_visitors", "School visitors", "reach", Unit.COUNT, False),
    ("outreach_participants", "Outreach participants", "reach", Unit.COUNT, False),
    ("online_reach", "People reached online", "reach", Unit.COUNT, False),
    ("underserved_visitors", "Visitors from underserved communities", "reach", Unit.COUNT, False),
    ("member_households", "Member households", "reach", Unit.COUNT, False),
    ("floor_area", "Exhibition floor area", "resources", Unit.AREA, False),
    ("staff_fte", "Staff (full-time equivalent)", "resources", Unit.COUNT, False),
    ("volunteers", "Volunteers", "resources", Unit.COUNT, False),
    ("operating_budget", "Operating budget", "finance", Unit.MONEY, False),
    ("income_public", "Income: public funding", "finance", Unit.MONEY, True),
    ("income_admissions", "Income: admissions", "finance", Unit.MONEY, True),
    ("income_memberships", "Income: memberships", "finance", Unit.MONEY, True),
    ("income_grants", "Income: grants", "finance", Unit.MONEY, True),
    ("income_corporate", "Income: corporate", "finance", Unit.MONEY, True),
    ("income_philanthropy", "Income: philanthropy", "finance", Unit.MONEY, True),
    ("income_retail", "Income: shop, café and rentals", "finance", Unit.MONEY, True),
    ("income_other", "Income: other", "finance", Unit.MONEY, True),
    ("governance", "Governance", "organisation", Unit.CHOICE, False),
]
GOVERNANCE = ["public", "non-profit", "university", "private"]

# Visitors a year, low and high, for each band; no band reads as a mid-sized centre.
VISITORS = {
    VisitorsBand.UNDER_50K: (12_000, 48_000),
    VisitorsBand.FROM_50K: (60_000, 240_000),
    VisitorsBand.FROM_250K: (260_000, 950_000),
    VisitorsBand.OVER_1M: (1_050_000, 2_600_000),
    "": (40_000, 180_000),
}
# Attendance as a share of a normal year.
COVID_DIP = {2020: Decimal("0.38"), 2021: Decimal("0.62"), 2022: Decimal("0.86")}
# Where the money is not reported in euros, with a rough rate (units per euro) per year.
CURRENCIES = {"US": "USD", "BR": "BRL", "MX": "MXN", "ZA": "ZAR", "GB": "GBP"}
RATES = {
    "USD": {2019: "1.12", 2020: "1.14", 2021: "1.18", 2022: "1.05", 2023: "1.08", 2024: "1.08", 2025: "1.13"},
    "BRL": {2019: "4.41", 2020: "5.89", 2021: "6.38", 2022: "5.44", 2023: "5.40", 2024: "5.83", 2025: "6.30"},
    "MXN": {2019: "21.56", 2020: "24.52", 2021: "23.99", 2022: "21.19", 2023: "19.18", 2024: "19.83", 2025: "21.30"},
    "ZAR": {2019: "16.18", 2020: "18.77", 2021: "17.48", 2022: "17.21", 2023: "19.96", 2024: "19.83", 2025: "20.40"},
    "GBP": {2019: "0.88", 2020: "0.89", 2021: "0.86", 2022: "0.85", 2023: "0.87", 2024: "0.85", 2025: "0.86"},
}
NETWORK_CURRENCY = {"astc": "USD", "redpop": "USD", "saastec": "ZAR", "ukscn": "GBP"}
ANOMALIES = [
    ("onsite_visitors", Decimal("1.8"), "We reopened after a year-long renovation with a new planetarium."),
    ("income_grants", Decimal("2.5"), "A three-year EU research grant started this year."),
    ("online_reach", Decimal("3.0"), "One of our videos was shared widely; the figure is confirmed by our analytics."),
    ("school_visitors", Decimal("0.4"), "Schools could not travel for eight months because of a bus strike."),
]
EXPLAINED_JUMP = "Visitors came back after the pandemic closures."
BACK_TO_USUAL = "Back to our usual level after last year's exceptional figure."


class Command(BaseCommand):
    help = "Give the demo networks five years of survey figures, an open survey, settings and targets."

    def handle(self, *args, **options):
        started = time.monotonic()
        this_year = timezone.localdate().year
        years = list(range(this_year - YEARS, this_year))
        networks = list(Network.objects.filter(memberships__status=MembershipStatus.ACTIVE).distinct().order_by("slug"))
        if not networks:
            raise CommandError("No network has active members: run `constellation load_demo` first.")
        with transaction.atomic():
            indicators = self.ensure_catalogue()
            self.ensure_rates(years)
            counts = {"responses": 0, "answers": 0, "anomalies": 0}
            for network in networks:
                InsightSettings.objects.get_or_create(
                    network=network, defaults={"currency": NETWORK_CURRENCY.get(network.slug, "EUR")}
                )
                members = list(
                    Organisation.objects.filter(
                        memberships__network=network, memberships__status=MembershipStatus.ACTIVE
                    ).order_by("pk").distinct()
                )
                for year in years:
                    survey = self.survey(network, year, indicators)
                    self.answer(survey, members, indicators, counts)
                self.survey(network, this_year, indicators, open_now=True)
                self.targets(network, this_year)
        self.stdout.write(
            f"Demo insights loaded in {time.monotonic() - started:.1f} s: {len(networks)} networks, "
            f"surveys for {years[0]}–{years[-1]} (open for {this_year}), {counts['responses']} new responses, "
            f"{counts['answers']} new answers, {counts['anomalies']} explained anomalies; "
            f"{Target.objects.count()} targets, {ExchangeRate.objects.count()} exchange rates."
        )

    # -- Reference data --------------------------------------------------------------------

    @staticmethod
    def ensure_catalogue() -> list[Indicator]:
        for position, (key, label, category, unit, income) in enumerate(CATALOGUE):
            Indicator.objects.get_or_create(key=key, defaults={
                "labels": {"en": label}, "category": category, "unit": unit, "is_income_source": income,
                "choices": GOVERNANCE if unit == Unit.CHOICE else [], "position": position, "min_value": 0,
            })
        return list(Indicator.objects.filter(active=True))

    @staticmethod
    def ensure_rates(years: list[int]) -> None:
        for currency, by_year in RATES.items():
            for year in years:
                rate = by_year.get(year) or by_year[max(by_year)]
                ExchangeRate.objects.get_or_create(year=year, currency=currency, defaults={"units_per_base": rate})

    @staticmethod
    def survey(network: Network, year: int, indicators: list[Indicator], *, open_now: bool = False) -> Survey:
        opens = date(year + 1, 2, 1)
        deadline = date(year + 1, 4, 30)
        if open_now:
            opens, deadline = timezone.localdate() - timedelta(days=7), timezone.localdate() + timedelta(days=60)
        survey, created = Survey.objects.get_or_create(network=network, year=year, defaults={
            "title": f"{network.acronym} annual statistics {year}", "opens_on": opens, "deadline": deadline,
        })
        if created:
            survey.indicators.set(indicators)
        return survey

    # -- Figures ---------------------------------------------------------------------------

    def answer(self, survey: Survey, members: list[Organisation], indicators: list[Indicator], counts: dict) -> None:
        done = set(SurveyResponse.objects.filter(survey=survey).values_list("organisation_id", flat=True))
        todo = [m for m in members if m.pk not in done and self.reports(m, survey.year)]
        submitted_at = timezone.make_aware(datetime(survey.year + 1, 3, 15, 12))
        responses = SurveyResponse.objects.bulk_create(
            SurveyResponse(
                survey=survey, organisation=organisation, status=ResponseStatus.SUBMITTED,
                currency=CURRENCIES.get(organisation.country.code, "EUR"), submitted_at=submitted_at,
            )
            for organisation in todo
        )
        responses = SurveyResponse.objects.filter(survey=survey, organisation__in=todo).select_related("organisation")
        answers = []
        for response in responses:
            figures, comments = self.figures(response.organisation, survey.year, response.currency)
            counts["anomalies"] += sum(1 for c in comments.values() if c not in (EXPLAINED_JUMP, BACK_TO_USUAL))
            for indicator in indicators:
                if indicator.unit == Unit.CHOICE:
                    choice = self.choice(response.organisation, indicator, figures.get(indicator.key))
                    answers.append(Answer(response=response, indicator=indicator, choice=choice))
                    continue
                value = figures.get(indicator.key)
                if value is None:
                    value = self.other_value(response.organisation, indicator, survey.year)
                answers.append(Answer(
                    response=response, indicator=indicator, value=value, comment=comments.get(indicator.key, ""),
                ))
        Answer.objects.bulk_create(answers, batch_size=2000)
        counts["responses"] += len(responses)
        counts["answers"] += len(answers)

    @staticmethod
    def reports(organisation: Organisation, year: int) -> bool:
        """Most members report every year; one in twelve skips a year now and then."""
        return random.Random(f"{organisation.name}|{year}|reports").random() > 0.08

    def figures(self, organisation: Organisation, year: int, currency: str) -> tuple[dict, dict[str, str]]:
        """This organisation's figures for a year, and the comments explaining big jumps."""
        values = self.base_figures(organisation, year, currency)
        comments: dict[str, str] = {}
        if year == timezone.localdate().year - YEARS:
            return values, comments  # the first year shown has no previous year to differ from
        previous = self.base_figures(organisation, year - 1, currency)
        for key, value in values.items():
            before = previous.get(key)
            if isinstance(value, Decimal) and before and abs(value - before) > before / 2:
                comments[key] = self.anomaly_comment(organisation, year, key) or (
                    BACK_TO_USUAL if self.anomaly_comment(organisation, year - 1, key) else EXPLAINED_JUMP
                )
        return values, comments

    @staticmethod
    def anomaly(organisation: Organisation, year: int) -> tuple[str, Decimal, str] | None:
        """One organisation in twenty has one odd year (never the first year shown)."""
        rng = random.Random(f"{organisation.name}|anomaly")
        if rng.random() > 1 / 20:
            return None
        this_year = timezone.localdate().year
        odd_year = rng.randrange(this_year - YEARS + 1, this_year)
        return ANOMALIES[rng.randrange(len(ANOMALIES))] + (odd_year,) if odd_year == year else None

    def anomaly_comment(self, organisation: Organisation, year: int, key: str) -> str:
        odd = self.anomaly(organisation, year)
        return odd[2] if odd and odd[0] == key else ""

    def base_figures(self, organisation: Organisation, year: int, currency: str) -> dict:
        rng = random.Random(f"{organisation.name}|profile")
        low, high = VISITORS.get(organisation.visitors_band, VISITORS[""])
        normal = Decimal(rng.randint(low, high))
        growth = Decimal(1) + Decimal(rng.randint(-10, 45)) / 1000  # -1 % to +4.5 % a year
        this_year = timezone.localdate().year
        noise = Decimal(1) + Decimal(random.Random(f"{organisation.name}|{year}").randint(-30, 30)) / 1000
        steady = normal * growth ** (year - (this_year - YEARS)) * noise
        visitors = steady * COVID_DIP.get(year, Decimal(1))
        budget = steady * Decimal(rng.randint(12, 45))  # per visitor of a normal year
        # An income mix of two to eight sources with this organisation's own weights.
        sources = ["income_public", "income_admissions", "income_memberships", "income_grants",
                   "income_corporate", "income_philanthropy", "income_retail", "income_other"]
        # About half the members have three sources or more: the target (60 %) is not met yet.
        used = sources[:2] + rng.sample(sources[2:], rng.choice([0, 0, 0, 0, 0, 1, 1, 2, 3, 5]))
        weights = {key: Decimal(rng.randint(5, 60)) for key in used}
        if year in COVID_DIP:  # less from tickets, more public support in the dip
            weights["income_admissions"] = weights["income_admissions"] * COVID_DIP[year]
        total_weight = sum(weights.values())
        values = {
            "onsite_visitors": visitors,
            "school_visitors": visitors * Decimal(rng.randint(15, 35)) / 100,
            "outreach_participants": visitors * Decimal(rng.randint(3, 30)) / 100,
            # Online audiences grew through the closures.
            "online_reach": steady * Decimal(rng.randint(50, 400)) / 100 * (Decimal("1.1") ** (year - this_year + YEARS)),
            "underserved_visitors": visitors * Decimal(rng.randint(5, 30)) / 100,
            "member_households": normal * Decimal(rng.randint(2, 20)) / 1000,
            "floor_area": Decimal(max(400, min(40_000, int(normal / rng.randint(25, 60))))),
            "staff_fte": Decimal(5) + normal / rng.randint(3000, 8000),
            "volunteers": normal / rng.randint(2000, 10000),
            "operating_budget": budget,
        }
        for key in sources:
            values[key] = budget * weights[key] / total_weight if key in weights else Decimal(0)
        values["governance"] = GOVERNANCE[rng.randrange(len(GOVERNANCE))]
        odd = self.anomaly(organisation, year)
        if odd:
            values[odd[0]] = values[odd[0]] * odd[1]
        rate = Decimal(RATES[currency].get(year) or RATES[currency][max(RATES[currency])]) if currency in RATES else 1
        for key in ["operating_budget", *sources]:
            values[key] = values[key] * rate
        return {
            key: value if not isinstance(value, Decimal) else value.quantize(Decimal(1)) for key, value in values.items()
        }

    @staticmethod
    def choice(organisation: Organisation, indicator: Indicator, proposed: str | None) -> str:
        allowed = [c["value"] if isinstance(c, dict) else str(c) for c in indicator.choices or []]
        if not allowed or proposed in allowed:
            return proposed or ""
        return allowed[random.Random(f"{organisation.name}|{indicator.key}").randrange(len(allowed))]

    @staticmethod
    def other_value(organisation: Organisation, indicator: Indicator, year: int) -> Decimal:
        """A catalogue indicator this command does not know: a steady figure within its bounds."""
        rng = random.Random(f"{organisation.name}|{indicator.key}")
        if indicator.unit == Unit.PERCENTAGE:
            return Decimal(rng.randint(5, 95))
        high = int(indicator.max_value) if indicator.max_value is not None else 1000
        low = int(indicator.min_value) if indicator.min_value is not None else 0
        return Decimal(rng.randint(low, max(low, high)))

    # -- Targets ---------------------------------------------------------------------------

    @staticmethod
    def targets(network: Network, this_year: int) -> None:
        for name, formula, aggregation, threshold, value in (
            ("Share of members with three or more income sources: 60%", "income_sources",
             Aggregation.SHARE_AT_LEAST, 3, 60),
            ("Average share of visitors from underserved communities: 20%",
             "underserved_visitors / onsite_visitors * 100", Aggregation.MEAN, None, 20),
            ("Share of members with at least a quarter of visitors from schools: 50%",
             "school_visitors / onsite_visitors * 100", Aggregation.SHARE_AT_LEAST, 25, 50),
        ):
            Target.objects.get_or_create(network=network, name=name, defaults={
                "formula": formula, "aggregation": aggregation, "threshold": threshold, "target_value": value,
                "target_year": this_year + 2, "baseline_year": this_year - YEARS,
            })
