"""The conference programme for attendees and apps, at 200 sessions: p95 under concurrent load.

    uv run python bench/events_programme_bench.py                      # SQLite
    DATABASE_URL=postgres://.../constellation_programme_bench \\
        uv run python bench/events_programme_bench.py   # + PostgreSQL: its public schema is DROPPED

For each backend: a fresh database with one network and a published three-day conference
(seeded, the same on every run): 12 rooms, 6 slots a day, 8 tracks, 200 sessions (one in
twenty a two-slot workshop) with 1-3 presenters each from 300 people at 100 organisations, and
1,000 attendees who starred 8 sessions each (8,000 interests; 100 of them have a calendar
feed). Then, in a process of its own, every endpoint once with the cache cold and once warm
through the Django test client, with its SQL query count; then `constellation serve`
(gunicorn, 2 workers) and load.py's threads in another process: the programme page (each
day, all days, a search, a room and a track filter), 40 session pages, the frab XML, the
JSON schedule, the whole-programme iCal and 40 personal iCal feeds. Aim: p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

WORK = BENCH / "data"
SLUG = "bench-conf"
DAYS = [date(2027, 5, 26), date(2027, 5, 27), date(2027, 5, 28)]
STARTS = [(9, 0), (10, 45), (13, 30), (15, 15), (17, 0), (18, 30)]
WORDS = (
    "museum climate visitors science centre evaluation exhibition families tinkering ocean "
    "planetarium citizen research youth inclusion accessibility digital collections outreach "
    "communication biodiversity energy health storytelling design partnership funding"
).split()


def load(sessions: int, attendees: int) -> None:
    import django

    django.setup()
    from zoneinfo import ZoneInfo

    from django.db import transaction
    from django.utils import timezone

    from constellation.accounts.models import User
    from constellation.events import services
    from constellation.events.models import (
        AgendaFeed,
        Event,
        Interest,
        Presenter,
        PresenterRole,
        Proposal,
        ProposalState,
        Room,
        SessionFormat,
        Slot,
        Track,
    )
    from constellation.networks.models import Network, Organisation, Person

    rng = random.Random(2027)
    tz = ZoneInfo("Europe/Lisbon")
    started = time.perf_counter()
    with transaction.atomic():
        network = Network.objects.create(name="Programme bench network", acronym="PBN", slug="pbn")
        event = Event.objects.create(
            network=network,
            name="Bench Annual Conference 2027",
            slug=SLUG,
            start_date=DAYS[0],
            end_date=DAYS[-1],
            time_zone="Europe/Lisbon",
            venue_name="Centro de Congressos",
            city="Lisbon",
            country="PT",
            is_published=True,
        )
        rooms = [
            Room.objects.create(
                event=event,
                name=f"Room {n + 1}",
                slug=f"room-{n + 1}",
                capacity=rng.choice([40, 80, 120, 300]),
                position=n,
            )
            for n in range(12)
        ]
        slots_by_day = [
            [
                Slot.objects.create(
                    event=event,
                    start=datetime(d.year, d.month, d.day, h, m, tzinfo=tz),
                    end=datetime(d.year, d.month, d.day, h, m, tzinfo=tz) + timedelta(minutes=90),
                )
                for h, m in STARTS
            ]
            for d in DAYS
        ]
        colours = [
            "#1a7f5a",
            "#3d5a80",
            "#b5541c",
            "#ffe066",
            "#6a4c93",
            "#0b7285",
            "#c2255c",
            "#2b2d42",
        ]
        tracks = [
            Track.objects.create(
                event=event, name=f"Track {w.title()}", slug=w, colour=c, position=n
            )
            for n, (w, c) in enumerate(zip(WORDS, colours, strict=False))
        ]
        talk = SessionFormat.objects.create(event=event, name="Session", duration_slots=1)
        workshop = SessionFormat.objects.create(event=event, name="Workshop", duration_slots=2)
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Science Centre {n:03d}",
                slug=f"science-centre-{n:03d}",
                country="PT",
                city="Lisbon",
                search_text=f"science centre {n:03d}",
            )
            for n in range(100)
        )
        people = Person.objects.bulk_create(
            Person(
                name=f"Presenter {n:03d} {rng.choice(['Silva', 'Müller', 'Dupré', 'Okafor', 'Núñez'])}",
                name_visibility="public",
                search_text=f"presenter {n:03d}",
            )
            for n in range(300)
        )
        # Free places: (day, slot index, room); workshops take two consecutive slots.
        free = {(d, i, r) for d in range(3) for i in range(len(STARTS)) for r in range(12)}
        now = timezone.now()
        placements = []
        for n in range(sessions):
            is_workshop = n < sessions // 20  # placed first, while pairs of slots are free
            candidates = sorted(
                (d, i, r)
                for d, i, r in free
                if not is_workshop or (i + 1 < len(STARTS) and (d, i + 1, r) in free)
            )
            d, i, r = rng.choice(candidates)
            free.discard((d, i, r))
            if is_workshop:
                free.discard((d, i + 1, r))
            title = " ".join(rng.sample(WORDS, 4)).capitalize()
            proposal = Proposal.objects.create(
                event=event,
                title=f"{title} ({n})",
                abstract=" ".join(rng.choices(WORDS, k=60)).capitalize() + ".",
                format=workshop if is_workshop else talk,
                track=rng.choice(tracks),
                language="en",
                state=ProposalState.CONFIRMED,
                submitted_at=now,
            )
            chosen = rng.sample(people, rng.randint(1, 3))
            Presenter.objects.bulk_create(
                Presenter(
                    proposal=proposal,
                    person=p,
                    name=p.name,
                    organisation=rng.choice(organisations),
                    role=PresenterRole.PROPOSER if k == 0 else PresenterRole.CO_PRESENTER,
                    position=k,
                    biography="Works on " + " ".join(rng.sample(WORDS, 5)) + ".",
                )
                for k, p in enumerate(chosen)
            )
            placements.append((proposal, slots_by_day[d][i], rooms[r], False))
        services.replace_draft_placements(event=event, placements=placements)
        services.publish_timetable(event=event)
        users = User.objects.bulk_create(
            User(email=f"attendee{n:04d}@example.org", display_name=f"Attendee {n:04d}")
            for n in range(attendees)
        )
        proposals = [p for p, *_ in placements]
        Interest.objects.bulk_create(
            (Interest(user=u, proposal=p) for u in users for p in rng.sample(proposals, 8)),
            batch_size=2000,
        )
        AgendaFeed.objects.bulk_create(AgendaFeed(event=event, user=u) for u in users[:100])
    print(
        f"  {sessions} sessions, {attendees:,} attendees loaded in {time.perf_counter() - started:.1f} s"
    )


def endpoints() -> dict[str, list[str]]:
    """The URLs each measured endpoint is asked for (read from the loaded database)."""
    from constellation.events.models import AgendaFeed, Proposal

    base = f"/events/{SLUG}"
    codes = list(
        Proposal.objects.filter(event__slug=SLUG).order_by("pk").values_list("code", flat=True)
    )
    tokens = list(
        AgendaFeed.objects.filter(event__slug=SLUG).order_by("pk").values_list("token", flat=True)
    )
    rng = random.Random(11)
    return {
        "programme page": [
            *(f"{base}/programme/?day={d.isoformat()}" for d in DAYS),
            f"{base}/programme/?day=all",
            f"{base}/programme/?day=all&q=museum+climate",
            f"{base}/programme/?day={DAYS[1].isoformat()}&room=room-3",
            f"{base}/programme/?day={DAYS[2].isoformat()}&track=visitors",
        ],
        "session page": [f"{base}/sessions/{c}/" for c in rng.sample(codes, 40)],
        "frab XML": [f"{base}/schedule.xml"],
        "JSON schedule": [f"{base}/schedule.json"],
        "programme iCal": [f"{base}/programme.ics"],
        "personal iCal": [f"{base}/agenda/{t}.ics" for t in rng.sample(tokens, 40)],
    }


def prepare(out: Path) -> None:
    """Each endpoint in process, cache cold then warm, with its SQL query count and size."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from constellation.events.programme import queries

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    urls = endpoints()
    client = Client()
    client.get("/events/")  # the process's first request loads URLs and templates: not measured
    rows = {}
    for name, paths in urls.items():
        row = {}
        for state in ("cold", "warm"):
            if state == "cold":
                cache.clear()
                queries.forget_memo()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(paths[0])
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (paths[0], response.status_code)
            row[f"{state}_ms"], row[f"{state}_queries"] = elapsed, len(captured)
            row["bytes"] = len(response.content)
        rows[name] = row
    out.write_text(json.dumps({"urls": urls, "in_process": rows}, indent=2))


def generate(base: str, urls: list[str], requests: int, clients: int, out: Path) -> None:
    from urllib.parse import urlsplit

    import load as loader

    parts = urlsplit(base)
    warm = [(u, u) for u in urls for _ in range(2)]
    loader.run_batch(parts.hostname, parts.port, warm, clients)
    jobs = [(u, u) for u in urls for _ in range(max(1, requests // len(urls)))]
    random.Random(1).shuffle(jobs)
    results, elapsed = loader.run_batch(parts.hostname, parts.port, jobs, clients)
    ok = [r for r in results if r[2] == 200]
    row = {
        "requests": len(results),
        "warmup_requests": len(warm),
        "errors": len(results) - len(ok),
        "seconds": elapsed,
        "rps": len(results) / elapsed,
        **loader.summary([r[1] for r in ok]),
    }
    out.write_text(json.dumps(row, indent=2))


def bench_backend(backend, args, run_all) -> dict:
    directory = WORK / "events-programme-run" / backend.name
    (directory / "static").mkdir(parents=True, exist_ok=True)
    env = run_all.base_env(backend.fresh("events_programme"), directory)
    result: dict = {"version": backend.version()}
    print(
        f"\n== {backend.name}: {args.sessions} sessions, {args.attendees:,} attendees", flush=True
    )
    run_all.run([*run_all.constellation_command(), "migrate", "--no-input", "-v", "0"], env)
    result["load_seconds"], _ = run_all.run(
        [
            sys.executable,
            __file__,
            "--load",
            str(args.sessions),
            "--attendees",
            str(args.attendees),
        ],
        env,
        timeout=1800,
    )
    prepared = directory / "prepared.json"
    run_all.run([sys.executable, __file__, "--prepare", str(prepared)], env)
    result["prepared"] = json.loads(prepared.read_text())
    for name, row in result["prepared"]["in_process"].items():
        print(
            f"  {name:<15} cold {row['cold_ms']:7.1f} ms ({row['cold_queries']} q)  "
            f"warm {row['warm_ms']:6.1f} ms ({row['warm_queries']} q)  {row['bytes'] / 1024:.0f} KiB"
        )
    result["http"] = {}
    server = run_all.Server(env, directory / "server.log", args.workers)
    meter = run_all.CpuMeter(server, backend)
    try:
        for name, urls in result["prepared"]["urls"].items():
            for clients in args.concurrency:
                out = directory / f"{name.replace(' ', '-')}-c{clients}.json"
                loadavg_before = os.getloadavg()
                before = meter.sample()
                run_all.run(
                    [
                        sys.executable,
                        __file__,
                        "--generate",
                        str(out),
                        "--base",
                        server.base,
                        "--urls",
                        json.dumps(urls),
                        "--requests",
                        str(args.requests),
                        "--clients",
                        str(clients),
                    ],
                    env,
                )
                spent = run_all.CpuMeter.spent(before, meter.sample())
                row = json.loads(out.read_text())
                served = row["requests"] + row["warmup_requests"]
                row["cpu_ms_per_request"] = {part: s * 1000 / served for part, s in spent.items()}
                row["loadavg"] = [loadavg_before[0], os.getloadavg()[0]]
                result["http"][f"{name}|{clients}"] = row
                print(
                    f"  {name:<15} {clients} clients: p50 {row['p50']:.1f} ms  p95 {row['p95']:.1f} ms  "
                    f"p99 {row['p99']:.1f} ms  {row['rps']:.1f} req/s  errors {row['errors']}",
                    flush=True,
                )
    finally:
        server.stop()
    return result


def markdown(report: dict) -> str:
    lines = []
    for result in report["backends"].values():
        lines += [
            f"#### {result['version']}",
            "",
            f"Loading {report['sessions']} sessions and {report['attendees']:,} attendees: "
            f"{result['load_seconds']:.0f} s.",
            "",
            "| Endpoint (in process, anonymous) | Cold ms | Cold queries | Warm ms | Warm queries | KiB |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, row in result["prepared"]["in_process"].items():
            lines.append(
                f"| {name} | {row['cold_ms']:.0f} | {row['cold_queries']} | {row['warm_ms']:.1f} "
                f"| {row['warm_queries']} | {row['bytes'] / 1024:.0f} |"
            )
        lines += [
            "",
            "| Endpoint over HTTP | Clients | Requests | Errors | req/s | p50 ms | p95 ms | p99 ms "
            "| CPU ms/request app + db | Load average before/after |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for key, row in result["http"].items():
            name, clients = key.split("|")
            cpu = row["cpu_ms_per_request"]
            lines.append(
                f"| {name} | {clients} | {row['requests']} | {row['errors']} | {row['rps']:.1f} "
                f"| {row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} | {cpu['app']:.1f} + "
                f"{cpu['db']:.1f} | {row['loadavg'][0]:.1f} / {row['loadavg'][1]:.1f} |"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--attendees", type=int, default=1000)
    parser.add_argument(
        "--requests", type=int, default=300, help="measured requests per endpoint and concurrency"
    )
    parser.add_argument(
        "--concurrency", type=int, action="append", help="clients, repeatable (default 4)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--only",
        choices=["sqlite", "postgresql"],
        help="one backend (default: SQLite, and PostgreSQL too when DATABASE_URL names one)",
    )
    # The modes below are this script calling itself in a separate process.
    parser.add_argument("--load", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--urls", help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.load:
        return load(args.load, args.attendees)
    if args.prepare:
        return prepare(args.prepare)
    if args.generate:
        return generate(
            args.base, json.loads(args.urls), args.requests, args.clients, args.generate
        )

    import run_all

    args.concurrency = args.concurrency or [4]
    WORK.mkdir(exist_ok=True)
    started = time.perf_counter()
    report = {
        "started": datetime.now().isoformat(timespec="seconds"),
        "machine": run_all.machine(),
        "sessions": args.sessions,
        "attendees": args.attendees,
        "backends": {},
    }
    backends = []
    if args.only in (None, "sqlite"):
        backends.append(run_all.SQLite(WORK / "events-programme-run" / "sqlite"))
    url = os.environ.get("DATABASE_URL", "")
    if args.only in (None, "postgresql"):
        if url.startswith("postgres"):
            backends.append(run_all.PostgreSQL(url))
        elif args.only == "postgresql":
            raise SystemExit("Set DATABASE_URL to a PostgreSQL database the benchmark may wipe.")
    for backend in backends:
        (WORK / "events-programme-run" / backend.name).mkdir(parents=True, exist_ok=True)
        report["backends"][backend.name] = bench_backend(backend, args, run_all)
    report["seconds"] = time.perf_counter() - started
    out = WORK / f"events-programme-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2))
    m = report["machine"]
    print(
        f"\n{m['cpus']} CPUs ({m['cpu']}), {m['memory']} RAM, Python {m['python']}, Django {m['django']}; "
        f"commit {m['commit']} (+{m['uncommitted_src_files']} uncommitted files in src)"
    )
    print("\n" + markdown(report))
    print(
        f"Whole run: {report['seconds'] / 60:.1f} min. Figures kept in {out.relative_to(BENCH.parent)}"
    )


if __name__ == "__main__":
    main()
