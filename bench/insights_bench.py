"""Insights at scale: the peer comparison page under load, and the annual report's build time.

    uv run python bench/insights_bench.py                       # SQLite
    BENCH_DATABASE_URL=postgres://bench:bench@127.0.0.1:5432/constellation_bench \\
        uv run python bench/insights_bench.py                   # SQLite, then PostgreSQL
    uv run python bench/insights_bench.py --only postgresql --organisations 500 --years 3

For each backend: a fresh database (BENCH_DATABASE_URL's public schema is DROPPED, as in
run_all.py) loaded by insights_load.py (5,000 organisations × 10 years × 40 indicators);
then, in a process of its own, the peer comparison page (`insights:benchmarks`) once cold
and once warm through the Django test client, with its SQL query count; then
`constellation serve` (gunicorn) and this script's load generator in a second process,
signed in as a member who administers 20 organisations, sending a mix of six comparisons
(the network as a whole, another year, and peer groups by kind, visitors band, region and
country); last, the annual report of the 5,000-member network for the last year, built by
the same function the task worker runs (HTML and PDF), timed from start to finish.

Figures are printed as Markdown for RESULTS.md and kept as JSON in bench/data/.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

WORK = BENCH / "data"
PATH = "/insights/benchmarks/"


def queries_for(slugs: list[str], network: str, year: int) -> list[str]:
    """Six comparisons a member makes: six organisations, so no two share a cached result."""
    base = [f"organisation={slug}&network={network}" for slug in slugs[:6]]
    return [
        base[0],
        f"{base[1]}&year={year - 1}",
        f"{base[2]}&kind=science-centre",
        f"{base[3]}&visitors_band=50k-250k",
        f"{base[4]}&region=EU",
        f"{base[5]}&country=FR&country=DE&year={year - 3}",
    ]


# -- Inside Django (a subprocess on the benchmark's database) -----------------------------------


def prepare(out: Path) -> None:
    """Sign the member in (a session row the server will accept), time the page cold and warm."""
    import load_data

    load_data.setup_django()
    import insights_load
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from constellation.accounts.models import User
    from constellation.networks.models import Organisation

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    member = User.objects.get(email=insights_load.MEMBER_EMAIL)
    slugs = list(
        Organisation.objects.filter(affiliations__person__user=member).order_by("pk").values_list("slug", flat=True)
    )
    queries = queries_for(slugs, insights_load.NETWORK_SLUG, insights_load.LAST_YEAR)
    client = Client()
    client.force_login(member)
    timings = {}
    for query in queries:
        row = {}
        for label in ("cold", "warm"):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(f"{PATH}?{query}", headers={"accept-language": "en"})
                row[f"{label}_ms"] = (time.perf_counter() - started) * 1000
            row[f"{label}_queries"] = len(captured.captured_queries)
            if response.status_code != 200:
                raise SystemExit(f"{PATH}?{query} answered {response.status_code}")
        timings[query] = row
    # A second session for the load generator: the test client's own one stays in this process.
    http_client = Client()
    http_client.force_login(member)
    out.write_text(json.dumps({
        "cookie": f"{settings.SESSION_COOKIE_NAME}={http_client.cookies[settings.SESSION_COOKIE_NAME].value}",
        "queries": queries, "in_process": timings,
    }, indent=2))


def time_report(out: Path) -> None:
    """Build the network's report for its last year as the task worker does; time it."""
    import load_data

    load_data.setup_django()
    import resource

    import insights_load

    from constellation.insights import reports
    from constellation.insights.models import Report, ReportStatus
    from constellation.networks.models import Network

    network = Network.objects.get(slug=insights_load.NETWORK_SLUG)
    report = Report.objects.create(network=network, year=insights_load.LAST_YEAR)
    steps = []
    started = time.perf_counter()
    last = [started]

    def on_progress(done: int, total: int) -> None:
        now = time.perf_counter()
        steps.append({"step": reports.STEPS[done - 1], "seconds": now - last[0]})
        last[0] = now
        Report.objects.filter(pk=report.pk).update(progress=done, total=total)

    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING)
    built = reports.build_report(report.pk, on_progress)
    seconds = time.perf_counter() - started
    out.write_text(json.dumps({
        "seconds": seconds, "steps": steps, "html_bytes": built.html.size, "pdf_bytes": built.pdf.size,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }, indent=2))


# -- The load generator (a process of its own, standard library only) ----------------------------


def generate_load(base: str, cookie: str, queries: list[str], requests: int, concurrency: int, out: Path) -> None:
    from urllib.parse import urlsplit

    import load

    class SignedInWorker(load.Worker):
        """load.py's worker with the member's session cookie on every request."""

        headers = {"Accept-Language": "en", "Cookie": cookie}

    load.Worker = SignedInWorker  # run_batch builds its workers from this name
    parts = urlsplit(base)
    result = load.bench_endpoint(
        parts.hostname, parts.port, PATH, queries, requests=requests, concurrency=concurrency, warmup=3, seed=1,
    )
    load.print_report("benchmarks", result)
    out.write_text(json.dumps(result, indent=2))


# -- The driver ------------------------------------------------------------------------------------


def bench_backend(backend, args, run_all) -> dict:
    directory = WORK / "insights-run" / backend.name
    (directory / "static").mkdir(parents=True, exist_ok=True)
    env = run_all.base_env(backend.fresh("insights"), directory)
    result: dict = {"version": backend.version()}
    print(f"\n== {backend.name}: load {args.organisations:,} organisations × {args.years} years", flush=True)
    run_all.run([*run_all.constellation_command(), "migrate", "--no-input", "-v", "0"], env)
    result["load_seconds"], _ = run_all.run(
        [sys.executable, str(BENCH / "insights_load.py"), "--organisations", str(args.organisations),
         "--years", str(args.years), "--indicators", str(args.indicators)], env, timeout=3600,
    )

    print(f"\n== {backend.name}: the comparison page in process (cold, warm)", flush=True)
    prepared = directory / "prepared.json"
    run_all.run([sys.executable, __file__, "--prepare", str(prepared)], env)
    result["prepared"] = json.loads(prepared.read_text())
    for query, row in result["prepared"]["in_process"].items():
        print(f"  {query:<70} cold {row['cold_ms']:6.0f} ms ({row['cold_queries']} q)  "
              f"warm {row['warm_ms']:6.0f} ms ({row['warm_queries']} q)")

    result["http"] = {}
    server = run_all.Server(env, directory / "server.log", args.workers)
    meter = run_all.CpuMeter(server, backend)
    try:
        for concurrency in args.concurrency:
            print(f"\n== {backend.name}: HTTP, gunicorn {args.workers} workers, {concurrency} clients", flush=True)
            out = directory / f"http-c{concurrency}.json"
            loadavg_before = os.getloadavg()
            before = meter.sample()
            run_all.run(
                [sys.executable, __file__, "--generate", str(out), "--base", server.base,
                 "--cookie", result["prepared"]["cookie"], "--queries", json.dumps(result["prepared"]["queries"]),
                 "--requests", str(args.requests), "--clients", str(concurrency)],
                env,
            )
            spent = run_all.CpuMeter.spent(before, meter.sample())
            row = json.loads(out.read_text())
            served = row["requests"] + row["warmup_requests"]
            row["cpu_ms_per_request"] = {part: seconds * 1000 / served for part, seconds in spent.items()}
            row["loadavg"] = [loadavg_before[0], os.getloadavg()[0]]
            result["http"][str(concurrency)] = row
    finally:
        server.stop()

    print(f"\n== {backend.name}: the annual report", flush=True)
    report_out = directory / "report.json"
    run_all.run([sys.executable, __file__, "--time-report", str(report_out)], env, timeout=900)
    result["report"] = json.loads(report_out.read_text())
    print(f"  report built in {result['report']['seconds']:.1f} s "
          f"(PDF {result['report']['pdf_bytes'] / 1024:.0f} KiB, peak memory {result['report']['max_rss_mb']:.0f} MB)")
    return result


def markdown(report: dict) -> str:
    lines = []
    for result in report["backends"].values():
        lines += [f"#### {result['version']}", "", f"Loading the data set: {result['load_seconds']:.0f} s.", ""]
        lines += ["| Comparison (in process, one request) | Cold ms | Cold queries | Warm ms | Warm queries |",
                  "|---|---:|---:|---:|---:|"]
        for query, row in result["prepared"]["in_process"].items():
            short = query.split("&", 1)[1] if "&" in query else query
            lines.append(f"| `{short}` | {row['cold_ms']:.0f} | {row['cold_queries']} | {row['warm_ms']:.0f} "
                         f"| {row['warm_queries']} |")
        lines += ["", "| Clients | Requests | Errors | req/s | p50 ms | p95 ms | p99 ms | CPU ms/request: app + database "
                  "| Load average before/after |", "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for concurrency, row in result["http"].items():
            cpu = row["cpu_ms_per_request"]
            lines.append(
                f"| {concurrency} | {row['requests']} | {row['errors']} | {row['rps']:.1f} | {row['p50']:.0f} "
                f"| {row['p95']:.0f} | {row['p99']:.0f} | {cpu['app']:.0f} + {cpu['db']:.0f} "
                f"| {row['loadavg'][0]:.1f} / {row['loadavg'][1]:.1f} |"
            )
        rep = result["report"]
        steps = ", ".join(f"{s['step']} {s['seconds']:.1f}" for s in rep["steps"])
        lines += ["", f"Annual report of the 5,000-member network: **{rep['seconds']:.1f} s** ({steps} s); "
                  f"HTML {rep['html_bytes'] / 1024:.0f} KiB, PDF {rep['pdf_bytes'] / 1024:.0f} KiB, "
                  f"peak memory {rep['max_rss_mb']:.0f} MB.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--requests", type=int, default=420, help="measured requests per concurrency")
    parser.add_argument("--concurrency", type=int, action="append", help="clients, repeatable (default 2 and 8)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    # The modes below are this script calling itself in a separate process.
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--time-report", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--cookie", help=argparse.SUPPRESS)
    parser.add_argument("--queries", help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.prepare:
        return prepare(args.prepare)
    if args.time_report:
        return time_report(args.time_report)
    if args.generate:
        return generate_load(args.base, args.cookie, json.loads(args.queries), args.requests, args.clients, args.generate)

    import run_all

    args.concurrency = args.concurrency or [2, 8]
    WORK.mkdir(exist_ok=True)
    started = time.perf_counter()
    report = {"started": datetime.now().isoformat(timespec="seconds"), "machine": run_all.machine(), "backends": {}}
    backends = []
    if args.only in (None, "sqlite"):
        backends.append(run_all.SQLite(WORK / "insights-run" / "sqlite"))
    if args.only in (None, "postgresql"):
        if os.environ.get("BENCH_DATABASE_URL"):
            backends.append(run_all.PostgreSQL(os.environ["BENCH_DATABASE_URL"]))
        else:
            print("PostgreSQL skipped: set BENCH_DATABASE_URL to a database the benchmark may wipe.")
    for backend in backends:
        (WORK / "insights-run" / backend.name).mkdir(parents=True, exist_ok=True)
        report["backends"][backend.name] = bench_backend(backend, args, run_all)
    report["seconds"] = time.perf_counter() - started
    out = WORK / f"insights-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2))
    m = report["machine"]
    print(f"\n{m['cpus']} CPUs ({m['cpu']}), {m['memory']} RAM, Python {m['python']}, Django {m['django']}; "
          f"commit {m['commit']} (+{m['uncommitted_src_files']} uncommitted files in src)")
    print("\n" + markdown(report))
    print(f"Whole run: {report['seconds'] / 60:.1f} min. Figures kept in {out.relative_to(BENCH.parent)}")


if __name__ == "__main__":
    main()
