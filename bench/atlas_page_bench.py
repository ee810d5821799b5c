"""The access atlas's result page, its map data and the index, timed in one process.

    export DATABASE_URL=sqlite:////tmp/atlas-page.sqlite3 DATA_DIR=/tmp/atlas-page-data
    uv run constellation migrate && uv run constellation load_demo && uv run constellation load_demo_atlas
    uv run python bench/atlas_page_bench.py [--repeat 60] [--json out.json]
    # and a running server too (see bench/RESULTS.md for `constellation serve`):
    uv run python bench/atlas_page_bench.py --base http://127.0.0.1:8123 --concurrency 2

Requests go through Django's test client (no web server, no network) as an anonymous
visitor, on the demo analysis (GeoNames cities15000 worldwide, 34,006 places). For each URL:
the first request after the cache is emptied ("cold": what the first visitor of a freshly
finished analysis pays), then --repeat requests after a warm-up, reporting p50 / p95 / max in
milliseconds, the body size in bytes and the number of SQL queries (cold and warm). The map
data is also asked for with its ETag (a browser that already has it: 304). With --base, the
same URLs are then timed over HTTP against a running server with bench/load.py's clients.
Prints a Markdown table for /work/notes/bench-atlas-page.md. Use a database you may change
(the cache is cleared: give it a DATA_DIR of its own).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "constellation.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from constellation.atlas.models import Analysis, AnalysisStatus  # noqa: E402


def percentile(sorted_values: list[float], p: float) -> float:
    """Linear interpolation between ranks, as bench/load.py computes it."""
    if not sorted_values:
        return float("nan")
    rank = (len(sorted_values) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def timed(client: Client, url: str, headers: dict) -> tuple[float, int, object]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        body = b"".join(response) if response.streaming else response.content
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, len(queries), (response, body)


def measure(client: Client, url: str, repeat: int, headers: dict | None = None) -> dict:
    headers = {"Accept-Language": "en", **(headers or {})}
    cache.clear()
    cold_ms, cold_queries, (response, body) = timed(client, url, headers)
    for _ in range(3):
        timed(client, url, headers)
    times, counts = [], set()
    for _ in range(repeat):
        elapsed, count, (response, body) = timed(client, url, headers)
        times.append(elapsed)
        counts.add(count)
    times.sort()
    return {
        "url": url,
        "status": response.status_code,
        "bytes": len(body),
        "encoding": response.get("Content-Encoding", ""),
        "gzip_bytes": len(gzip.compress(body, 6)) if body else 0,
        "cold_ms": cold_ms,
        "cold_queries": cold_queries,
        "queries": sorted(counts),
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "max": times[-1],
        "etag": response.get("ETag"),
        "cache_control": response.get("Cache-Control"),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--base",
        help="also time a running server on this loopback URL (bench/load.py's clients), "
        "e.g. http://127.0.0.1:8123",
    )
    parser.add_argument("--concurrency", type=int, default=2, help="clients for --base")
    args = parser.parse_args(argv)

    analysis = (
        Analysis.objects.filter(is_demo=True, status=AnalysisStatus.DONE).order_by("-pk").first()
    )
    if analysis is None:
        raise SystemExit("Run `constellation load_demo` and `constellation load_demo_atlas` first.")
    client = Client(SERVER_NAME="127.0.0.1")
    page = analysis.get_absolute_url()
    urls = [("Result page", page, {}), ("Result page, ordered by name", page + "?sort=name", {})]
    # The map data URL as the page gives it to the script (with its ?v= version).
    html = client.get(page, headers={"Accept-Language": "en"}).content.decode()
    found = re.search(r'data-data-url="([^"]+)"', html)
    map_url = unescape(found.group(1)) if found else None
    if map_url:
        urls.append(("Map data, as a browser asks (gzip)", map_url, {"Accept-Encoding": "gzip"}))
        urls.append(("Map data, uncompressed", map_url, {}))
    urls.append(("Index", reverse("atlas:index"), {}))

    print(
        f"Analysis {analysis.pk}: {analysis.summary.get('places', 0):,} places, "
        f"{len(analysis.regions):,} regions, on {connection.vendor}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, "
        f"Python {platform.python_version()}, Django {django.get_version()}"
    )
    rows = []
    for label, url, headers in urls:
        rows.append((label, measure(client, url, args.repeat, headers)))
    if map_url and rows[2][1]["etag"]:
        again = {"Accept-Encoding": "gzip", "If-None-Match": rows[2][1]["etag"]}
        row = measure(client, map_url, args.repeat, again)
        rows.append(("Map data, revalidated (If-None-Match)", row))

    print()
    print(
        "| What | URL | Status | p50 ms | p95 ms | max ms | cold ms | Size (gzipped) | Queries cold / warm |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for label, r in rows:
        warm = "/".join(str(c) for c in r["queries"])
        packed = "sent gzipped" if r["encoding"] else f"{r['gzip_bytes'] / 1024:.1f} KB"
        print(
            f"| {label} | `{r['url']}` | {r['status']} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['max']:.1f} | {r['cold_ms']:.1f} | {r['bytes'] / 1024:.1f} KB "
            f"({packed}) | "
            f"{r['cold_queries']} / {warm} |"
        )
    if map_url:
        print(
            f"\nMap data headers: ETag {rows[2][1]['etag']}, Cache-Control {rows[2][1]['cache_control']}"
        )
    print(f"Load average after: {os.getloadavg()[0]:.2f}")
    report = [{"what": label, **r} for label, r in rows]
    if args.base:
        # load.py's clients send the same headers for every URL (gzip accepted).
        asked = [(label, url) for label, url, _h in urls if "uncompressed" not in label]
        report += over_http(args.base, asked, args)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


def over_http(base: str, urls: list[tuple[str, str]], args) -> list[dict]:
    """Each URL --repeat times from --concurrency keep-alive clients (bench/load.py), as a
    browser asks: in English, accepting gzip."""
    sys.path.insert(0, str(ROOT / "bench"))
    import load

    split = urlsplit(base)
    if split.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("--base must be a loopback URL")
    load.Worker.headers = {"Accept-Language": "en", "Accept-Encoding": "gzip"}
    print(
        f"\nOver HTTP ({base}, {args.concurrency} clients, {args.repeat} requests per URL, "
        f"load average {os.getloadavg()[0]:.2f})\n"
    )
    print("| What | p50 ms | p95 ms | p99 ms | max ms | Bytes sent | Requests/s |")
    print("|---|---|---|---|---|---|---|")
    rows = []
    for label, url in urls:
        load.run_batch(split.hostname, split.port, [(url, url)] * 10, args.concurrency)
        results, seconds = load.run_batch(
            split.hostname, split.port, [(url, url)] * args.repeat, args.concurrency
        )
        figures = load.summary([ms for _q, ms, _status, _size in results])
        statuses = sorted({status for _q, _ms, status, _size in results})
        size = results[-1][3] if results else 0
        print(
            f"| {label} | {figures['p50']:.1f} | {figures['p95']:.1f} | {figures['p99']:.1f} | "
            f"{figures['max']:.1f} | {size / 1024:.1f} KB | {len(results) / seconds:.0f} |"
            + ("" if statuses == [200] else f" statuses {statuses}")
        )
        rows.append({"what": f"HTTP: {label}", "url": url, **figures, "bytes": size})
    print(f"Load average after: {os.getloadavg()[0]:.2f}")
    return rows


if __name__ == "__main__":
    main()
