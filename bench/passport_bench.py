"""The passport finder with 3,000 participating venues: p95 under concurrent load.

    uv run python bench/passport_bench.py                       # SQLite
    PASSPORT_BENCH_DATABASE_URL=postgres://.../constellation_passport_bench \\
        uv run python bench/passport_bench.py --only postgresql  # its public schema is DROPPED

For each backend: a fresh database with one network, 3,000 member organisations spread
over the continental United States (seeded, the same on every run) all taking part in a
90-mile programme; then, in a process of its own, the finder once cold and once warm
through the Django test client with its SQL query count; then `constellation serve`
(gunicorn, 2 workers) and load.py's threads in a second process sending finder requests
(a random member venue, and a home given as a ZIP code, a town or a point; some with a
destination), and the same for the eligibility API (which returns every eligible venue).
The aim: finder p95 under 50 ms. Figures are printed as Markdown and kept in bench/data/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

WORK = BENCH / "data"
NETWORK = "benchpass"
HOMES = [
    "place=02139", "place=60601", "place=94103", "place=10001", "place=30301", "place=Denver%2C+CO",
    "place=Seattle", "place=Austin%2C+TX", "place=Springfield%2C+IL", "latitude=39.1&longitude=-94.6",
    "latitude=44.98&longitude=-93.27", "place=Phoenix",
]
STATES = ["CA", "TX", "NY", "FL", "IL", "PA", "OH", "GA", "NC", "MI", "WA", "MA", "CO", "AZ", "MN", "OR"]


def load(venues: int) -> None:
    """One network, `venues` member organisations across the US, all in a 90-mile programme."""
    import django

    django.setup()
    from django.db import transaction

    from constellation.networks.models import (
        Membership,
        MembershipStatus,
        Network,
        Organisation,
        normalise,
    )
    from constellation.passport.models import Programme, Venue, VenueStatus

    rng = random.Random(2026)
    started = time.perf_counter()
    with transaction.atomic():
        network = Network.objects.create(name="Passport bench network", acronym="PBN", slug=NETWORK)
        organisations = []
        for n in range(venues):
            name, city = f"Bench Science Center {n:04d}", f"Bench Town {n % 400}"
            organisations.append(Organisation(
                name=name, slug=f"bench-science-center-{n:04d}", city=city, region=STATES[n % len(STATES)],
                country="US", latitude=round(rng.uniform(25.5, 48.5), 6), longitude=round(rng.uniform(-123.5, -68.0), 6),
                search_text=normalise(f"{name} {city}"),
            ))
        organisations = Organisation.objects.bulk_create(organisations, batch_size=500)
        Membership.objects.bulk_create(
            [Membership(organisation=o, network=network, status=MembershipStatus.ACTIVE) for o in organisations],
            batch_size=500,
        )
        programme = Programme.objects.create(network=network, name="Bench passport", radius=90, unit="mi")
        Venue.objects.bulk_create(
            [Venue(programme=programme, organisation=o, status=VenueStatus.ACTIVE, exclusions="planetarium shows"
                   if n % 3 == 0 else "", adults_covered=2, children_covered=4) for n, o in enumerate(organisations)],
            batch_size=500,
        )
    print(f"  {venues:,} venues loaded in {time.perf_counter() - started:.1f} s")


def finder_queries(ids: list[int], count: int = 48) -> list[str]:
    rng = random.Random(7)
    queries = []
    for n in range(count):
        query = f"member={rng.choice(ids)}&{HOMES[n % len(HOMES)]}"
        if n % 4 == 3:
            query += "&going_to=Chicago"
        queries.append(query)
    return queries


def prepare(out: Path) -> None:
    """The finder in process: cold (first request, builds the town index) and warm, with SQL counts."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from constellation.networks.models import Organisation

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    queries = finder_queries(ids)
    client = Client()
    rows = {}
    for label, query in (("zip", queries[0]), ("town+destination", queries[7]), ("point", queries[9])):
        for state in ("cold", "warm"):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(f"/passport/{NETWORK}/?{query}")
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.status_code
            rows.setdefault(label, {})[f"{state}_ms"] = elapsed
            rows[label][f"{state}_queries"] = len(captured)
            rows[label]["bytes"] = len(response.content)
    out.write_text(json.dumps({"queries": queries, "in_process": rows, "api_queries": queries[:12]}, indent=2))


def warm(base: str, path: str, queries: list[str], clients: int) -> None:
    """Every query a few times, so that each gunicorn worker has built its town index."""
    from urllib.parse import urlsplit

    import load as loader

    parts = urlsplit(base)
    loader.run_batch(parts.hostname, parts.port, [(q, f"{path}?{q}") for q in queries for _ in range(2)], max(clients, 2))


def generate(base: str, path: str, queries: list[str], requests: int, clients: int, out: Path) -> None:
    from urllib.parse import urlsplit

    import load as loader

    parts = urlsplit(base)
    result = loader.bench_endpoint(
        parts.hostname, parts.port, path, queries, requests=requests, concurrency=clients, warmup=1, seed=1
    )
    result.pop("queries")
    out.write_text(json.dumps(result, indent=2))


def bench_backend(backend, args, run_all) -> dict:
    directory = WORK / "passport-run" / backend.name
    (directory / "static").mkdir(parents=True, exist_ok=True)
    env = run_all.base_env(backend.fresh("passport"), directory)
    result: dict = {"version": backend.version()}
    print(f"\n== {backend.name}: {args.venues:,} venues", flush=True)
    run_all.run([*run_all.constellation_command(), "migrate", "--no-input", "-v", "0"], env)
    result["load_seconds"], _ = run_all.run([sys.executable, __file__, "--load", str(args.venues)], env, timeout=1800)
    prepared = directory / "prepared.json"
    run_all.run([sys.executable, __file__, "--prepare", str(prepared)], env)
    result["prepared"] = json.loads(prepared.read_text())
    for label, row in result["prepared"]["in_process"].items():
        print(f"  finder {label:<18} cold {row['cold_ms']:6.0f} ms ({row['cold_queries']} q)  "
              f"warm {row['warm_ms']:6.1f} ms ({row['warm_queries']} q)  {row['bytes'] / 1024:.0f} KiB")

    result["http"] = {}
    server = run_all.Server(env, directory / "server.log", args.workers)
    meter = run_all.CpuMeter(server, backend)
    programme_id = 1
    try:
        endpoints = {
            "finder": (f"/passport/{NETWORK}/", result["prepared"]["queries"]),
            "api": (f"/api/v1/passport/programmes/{programme_id}/eligible", [
                q.replace("latitude=", "lat=").replace("longitude=", "lon=").split("&going_to")[0]
                for q in result["prepared"]["api_queries"]
            ]),
        }
        for name, (path, queries) in endpoints.items():
            # The API answers every eligible venue (~1.5 MB at 3,000): measured, but briefly.
            levels = args.concurrency if name == "finder" else args.concurrency[:1]
            requests = args.requests if name == "finder" else args.api_requests
            for concurrency in levels:
                print(f"\n== {backend.name}: {name}, gunicorn {args.workers} workers, {concurrency} clients", flush=True)
                out = directory / f"{name}-c{concurrency}.json"
                # Warm up first (each worker builds its town index, ~3 s): not in the CPU figures.
                run_all.run([sys.executable, __file__, "--warm", server.base, "--path", path,
                             "--queries", json.dumps(queries), "--clients", str(concurrency)], env)
                loadavg_before = os.getloadavg()
                before = meter.sample()
                run_all.run(
                    [sys.executable, __file__, "--generate", str(out), "--base", server.base, "--path", path,
                     "--queries", json.dumps(queries), "--requests", str(requests), "--clients", str(concurrency)],
                    env,
                )
                spent = run_all.CpuMeter.spent(before, meter.sample())
                row = json.loads(out.read_text())
                served = row["requests"] + row["warmup_requests"]
                row["cpu_ms_per_request"] = {part: seconds * 1000 / served for part, seconds in spent.items()}
                row["loadavg"] = [loadavg_before[0], os.getloadavg()[0]]
                result["http"][f"{name}-{concurrency}"] = row
                print(f"  p50 {row['p50']:.1f} ms  p95 {row['p95']:.1f} ms  p99 {row['p99']:.1f} ms  "
                      f"{row['rps']:.1f} req/s  errors {row['errors']}")
    finally:
        server.stop()
    return result


def markdown(report: dict) -> str:
    lines = []
    for result in report["backends"].values():
        lines += [f"#### {result['version']}", "", f"Loading {report['venues']:,} venues: {result['load_seconds']:.0f} s.", ""]
        lines += ["| Finder request (in process) | Cold ms | Cold queries | Warm ms | Warm queries | Page KiB |",
                  "|---|---:|---:|---:|---:|---:|"]
        for label, row in result["prepared"]["in_process"].items():
            lines.append(f"| {label} | {row['cold_ms']:.0f} | {row['cold_queries']} | {row['warm_ms']:.1f} "
                         f"| {row['warm_queries']} | {row['bytes'] / 1024:.0f} |")
        lines += ["", "| Endpoint | Clients | Requests | Errors | req/s | p50 ms | p95 ms | p99 ms | CPU ms/request app + db "
                  "| Load average before/after |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for key, row in result["http"].items():
            name, concurrency = key.rsplit("-", 1)
            cpu = row["cpu_ms_per_request"]
            lines.append(
                f"| {name} | {concurrency} | {row['requests']} | {row['errors']} | {row['rps']:.1f} | {row['p50']:.1f} "
                f"| {row['p95']:.1f} | {row['p99']:.1f} | {cpu['app']:.1f} + {cpu['db']:.1f} "
                f"| {row['loadavg'][0]:.1f} / {row['loadavg'][1]:.1f} |"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venues", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=400, help="measured requests per endpoint and concurrency")
    parser.add_argument("--api-requests", type=int, default=100, help="measured API requests (first concurrency only)")
    parser.add_argument("--concurrency", type=int, action="append", help="clients, repeatable (default 2 and 4)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default="sqlite")
    # The modes below are this script calling itself in a separate process.
    parser.add_argument("--load", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warm", help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--queries", help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.load:
        return load(args.load)
    if args.prepare:
        return prepare(args.prepare)
    if args.warm:
        return warm(args.warm, args.path, json.loads(args.queries), args.clients)
    if args.generate:
        return generate(args.base, args.path, json.loads(args.queries), args.requests, args.clients, args.generate)

    import run_all

    args.concurrency = args.concurrency or [2, 4]
    WORK.mkdir(exist_ok=True)
    started = time.perf_counter()
    report = {"started": datetime.now().isoformat(timespec="seconds"), "machine": run_all.machine(),
              "venues": args.venues, "backends": {}}
    if args.only == "postgresql":
        url = os.environ.get("PASSPORT_BENCH_DATABASE_URL")
        if not url:
            raise SystemExit("Set PASSPORT_BENCH_DATABASE_URL to a PostgreSQL database the benchmark may wipe.")
        backend = run_all.PostgreSQL(url)
    else:
        backend = run_all.SQLite(WORK / "passport-run" / "sqlite")
    (WORK / "passport-run" / backend.name).mkdir(parents=True, exist_ok=True)
    report["backends"][backend.name] = bench_backend(backend, args, run_all)
    report["seconds"] = time.perf_counter() - started
    out = WORK / f"passport-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2))
    m = report["machine"]
    print(f"\n{m['cpus']} CPUs ({m['cpu']}), {m['memory']} RAM, Python {m['python']}, Django {m['django']}; "
          f"commit {m['commit']} (+{m['uncommitted_src_files']} uncommitted files in src)")
    print("\n" + markdown(report))
    print(f"Whole run: {report['seconds'] / 60:.1f} min. Figures kept in {out.relative_to(BENCH.parent)}")


if __name__ == "__main__":
    main()
