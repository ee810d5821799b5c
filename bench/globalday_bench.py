"""The science day at scale: the public list page and the iCal export with ~3,000 activities.

    DATABASE_URL=sqlite:////tmp/globalday-bench.sqlite3 uv run constellation migrate
    DATABASE_URL=sqlite:////tmp/globalday-bench.sqlite3 uv run constellation load_demo
    DATABASE_URL=sqlite:////tmp/globalday-bench.sqlite3 uv run python bench/globalday_bench.py [--activities 3000]

Adds a campaign (year 2040) with N approved activities spread over the demo organisations
(only once; it is reused on later runs), then times requests through Django's test client
in one process (no web server, no network): each URL `--repeat` times after one warm-up,
reporting the median and 95th percentile in milliseconds and the number of SQL queries.
Prints Markdown for /work/notes/bench-globalday.md. Use a database you may change.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "constellation.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from constellation.globalday import places  # noqa: E402
from constellation.globalday.models import Activity, Campaign  # noqa: E402
from constellation.networks.models import Network, Organisation, Topic  # noqa: E402

YEAR = 2040


def ensure_campaign(size: int) -> Campaign:
    day = datetime.date(YEAR, 11, 10)
    campaign, _ = Campaign.objects.get_or_create(
        year=YEAR,
        defaults={
            "date": day, "title": f"Benchmark day {YEAR}", "theme": "Scale",
            "registration_opens": datetime.date(YEAR, 1, 1), "registration_closes": datetime.date(YEAR, 11, 1),
            "reporting_deadline": datetime.date(YEAR, 12, 31), "is_published": True,
        },
    )
    campaign.partner_networks.set(Network.objects.all())
    have = campaign.activities.count()
    if have >= size:
        return campaign
    organisations = list(Organisation.objects.with_coordinates().order_by("pk"))
    if not organisations:
        raise SystemExit("Run `constellation load_demo` on this database first.")
    sdgs = list(Topic.objects.filter(is_sdg=True).order_by("position"))
    rng = random.Random(YEAR)
    rows, goals = [], []
    for n in range(have, size):
        organisation = organisations[n % len(organisations)]
        zone = places.time_zone_for(organisation.city, str(organisation.country))
        start = datetime.datetime.combine(day, datetime.time(8 + n % 10), tzinfo=ZoneInfo(zone))
        rows.append(Activity(
            campaign=campaign, organisation=organisation, title=f"Activity {n}: science for everyone",
            description="Hands-on experiments, talks and shows; come along.", format=rng.choice(["on_site", "online", "outreach"]),
            audiences=["general"], language=rng.choice(["en", "fr", "es", "pt", "ar"]), city=organisation.city,
            country=organisation.country, latitude=organisation.latitude, longitude=organisation.longitude,
            time_zone=zone, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
            expected_participants=rng.randint(20, 3000), status="approved",
        ))
        goals.append(rng.sample(sdgs, rng.randint(1, 3)))
    Activity.objects.bulk_create(rows, batch_size=500)
    through = Activity.sdgs.through
    through.objects.bulk_create(
        [through(activity_id=a.pk, topic_id=t.pk) for a, ts in zip(rows, goals, strict=True) for t in ts], batch_size=2000
    )
    return campaign


def measure(client: Client, url: str, repeat: int, *, cold: bool = False) -> tuple[float, float, int, int]:
    client.get(url)
    times = []
    for _ in range(repeat):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(captured), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    campaign = ensure_campaign(args.activities)
    total = campaign.activities.count()
    base = f"/science-day/{YEAR}/"
    urls = [
        ("list, first page", base),
        ("list, SDG 13 + format", f"{base}?sdg=13&format=on_site"),
        ("list, text search", f"{base}?q=everyone&page=5"),
        ("map points (API), all", f"/api/v1/science-day/campaigns/{YEAR}/points"),
        ("statistics", f"{base}statistics/"),
        ("iCal, all activities, cached", f"{base}calendar.ics"),
        ("iCal, all activities, built (cache cleared)", f"{base}calendar.ics"),
        ("iCal, SDG 13, built (cache cleared)", f"{base}calendar.ics?sdg=13"),
        ("widget, one country", f"{base}embed/?country=US"),
    ]
    client = Client()
    print(f"Science day benchmark: {total:,} approved activities, {connection.vendor}, "
          f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, {args.repeat} runs each\n")
    print("| request | median ms | p95 ms | queries | bytes |")
    print("|---|---:|---:|---:|---:|")
    for label, url in urls:
        cold = "cache cleared" in label
        median, p95, queries, size = measure(client, url, min(args.repeat, 10) if cold else args.repeat, cold=cold)
        print(f"| {label} (`{url}`) | {median:.0f} | {p95:.0f} | {queries} | {size:,} |")


if __name__ == "__main__":
    main()
