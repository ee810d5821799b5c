"""Fill an empty, migrated database with a large insights data set, fast.

    DATABASE_URL=sqlite:///bench/data/insights.sqlite3 uv run python bench/insights_load.py
    uv run python bench/insights_load.py --organisations 500 --years 3   # a small one

The directory comes from load_data.py (synthetic organisations in the usual networks). On top:
one network, INSIGHTS, with every organisation as an active member, a survey for each of
the last --years years asking --indicators indicators (the catalogue's, topped up with
numbered extra ones), and one submitted response per organisation and year with every
indicator answered: 5,000 × 10 × 40 = 2,000,000 answers by default. Rows go in with
bulk_create inside one transaction; no audit history is written (bench reads only). Money
is in EUR for most and in USD for one organisation in five, with exchange rates. A member
login (bench.member@example.org, admin of the first 20 organisations) and a staff login of
the network (bench.staff@example.org, with TOTP) are created for insights_bench.py. The same
seed always gives the same data.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_data  # noqa: E402

BATCH = 5000
NETWORK_SLUG = "insights"
MEMBER_EMAIL = "bench.member@example.org"
STAFF_EMAIL = "bench.staff@example.org"
MEMBER_ORGANISATIONS = 20
LAST_YEAR = 2025  # fixed, so every run loads the same rows


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args(argv)


def indicators(count: int):
    from constellation.insights.models import Indicator, Unit

    if not Indicator.objects.filter(active=True).exists():
        # An empty catalogue (no catalogue migration yet): the demo command knows the keys.
        from constellation.insights.management.commands.load_demo_insights import Command

        Command.ensure_catalogue()
    have = list(Indicator.objects.filter(active=True).exclude(unit=Unit.CHOICE).order_by("position", "key"))
    extra = [
        Indicator(key=f"bench_extra_{n}", labels={"en": f"Bench extra {n}"}, unit=Unit.COUNT, position=900 + n)
        for n in range(max(0, count - len(have)))
    ]
    Indicator.objects.bulk_create(extra, ignore_conflicts=True)
    return list(Indicator.objects.filter(active=True).exclude(unit=Unit.CHOICE).order_by("position", "key"))[:count]


def value_for(rng: random.Random, key: str, unit: str, size: int) -> Decimal:
    if key.startswith("income_") and rng.random() < 0.3:
        return Decimal(0)  # not every organisation has every source
    if unit == "money":
        return Decimal(size * rng.randint(2, 20))
    if unit == "percentage":
        return Decimal(rng.randint(0, 100))
    if unit == "area":
        return Decimal(size // rng.randint(20, 60))
    return Decimal(size * rng.randint(5, 100) // 100)


def load_insights(args: argparse.Namespace) -> dict[str, int]:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.db import connection, transaction
    from django.utils import timezone

    from constellation.accounts.models import User
    from constellation.insights.models import (
        Answer,
        ExchangeRate,
        InsightSettings,
        ResponseStatus,
        Survey,
        SurveyResponse,
    )
    from constellation.networks.models import (
        Affiliation,
        Membership,
        MembershipStatus,
        Network,
        NetworkStaff,
        Organisation,
        Person,
    )

    rng = random.Random(args.seed)
    clock = load_data.Clock()
    years = list(range(LAST_YEAR - args.years + 1, LAST_YEAR + 1))
    with transaction.atomic():
        network = Network.objects.create(name="Insights bench network", acronym="INSIGHTS", slug=NETWORK_SLUG)
        InsightSettings.objects.create(network=network, peer_group_minimum=5)
        organisations = list(Organisation.objects.order_by("pk").values_list("pk", "visitors_band"))
        Membership.objects.bulk_create(
            [Membership(organisation_id=pk, network=network, status=MembershipStatus.ACTIVE, start_date=date(2010, 1, 1))
             for pk, _band in organisations], batch_size=BATCH,
        )
        for year in years:
            ExchangeRate.objects.get_or_create(year=year, currency="USD", defaults={"units_per_base": "1.10"})
        asked = indicators(args.indicators)
        clock.lap(f"network, {len(asked)} indicators")

        sizes = {"under-50k": 30_000, "50k-250k": 150_000, "250k-1m": 600_000, "over-1m": 1_500_000, "": 100_000}
        submitted_at = timezone.now()
        answers = 0
        for year in years:
            survey = Survey.objects.create(
                network=network, year=year, title=f"Bench {year}", opens_on=date(year + 1, 1, 1),
                deadline=date(year + 1, 3, 31),
            )
            survey.indicators.set(asked)
            responses = SurveyResponse.objects.bulk_create(
                [SurveyResponse(
                    survey=survey, organisation_id=pk, status=ResponseStatus.SUBMITTED,
                    currency="USD" if pk % 5 == 0 else "EUR", submitted_at=submitted_at,
                ) for pk, _band in organisations],
                batch_size=BATCH,
            )
            if responses[0].pk is None:  # a backend that does not return ids
                responses = list(SurveyResponse.objects.filter(survey=survey).order_by("organisation_id"))
            batch = []
            for response, (_pk, band) in zip(responses, organisations, strict=True):
                size = sizes.get(band, 100_000)
                for indicator in asked:
                    batch.append(Answer(
                        response_id=response.pk, indicator_id=indicator.pk,
                        value=value_for(rng, indicator.key, indicator.unit, size),
                    ))
                if len(batch) >= BATCH * 4:
                    Answer.objects.bulk_create(batch, batch_size=BATCH)
                    answers += len(batch)
                    batch = []
            Answer.objects.bulk_create(batch, batch_size=BATCH)
            answers += len(batch)
            clock.lap(f"year {year}: {answers:,} answers so far")

        member = User.objects.create_user(MEMBER_EMAIL, None, display_name="Bench Member")
        person = Person.objects.create(name="Bench Member", email=MEMBER_EMAIL, user=member)
        Affiliation.objects.bulk_create([
            Affiliation(person=person, organisation_id=pk, role="Director", is_admin=True)
            for pk, _band in organisations[:MEMBER_ORGANISATIONS]
        ])
        staff = User.objects.create_user(STAFF_EMAIL, None, display_name="Bench Staff", is_staff=True)
        NetworkStaff.objects.create(network=network, user=staff)
        TOTP.activate(staff, generate_totp_secret())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        clock.lap("ANALYZE")
    print(f"  {'total':<34} {time.perf_counter() - clock.start:6.2f} s")
    return {"organisations": len(organisations), "years": len(years), "indicators": len(asked), "answers": answers}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    load_data.setup_django()
    started = time.perf_counter()
    directory = load_data.load(args.organisations, args.people, args.seed)
    counts = load_insights(args)
    print(
        f"Loaded {directory['organisations']:,} organisations, {counts['years']} years × {counts['indicators']} "
        f"indicators: {counts['answers']:,} answers in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
