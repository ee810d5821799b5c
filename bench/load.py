"""Concurrent HTTP load against a running Constellation, from a process of its own.

    uv run python bench/load.py --base http://127.0.0.1:8123 --requests 420 --concurrency 8

Standard library only (threads and http.client, one keep-alive connection per thread), so
it never imports Django or shares a process with the server. For each endpoint in
scenarios.py it warms up, then sends --requests requests spread evenly over that
endpoint's query strings in a shuffled (seeded) order, and prints latency percentiles and
throughput, per endpoint and per query string; --json writes the same figures to a file.
Loopback only: the base URL must be 127.0.0.1 or localhost.
"""

from __future__ import annotations

import argparse
import http.client
import json
import queue
import random
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scenarios  # noqa: E402


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    rank = (len(sorted_values) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def summary(latencies_ms: list[float]) -> dict[str, float]:
    values = sorted(latencies_ms)
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": values[-1] if values else float("nan"),
    }


class Worker(threading.Thread):
    """Takes URLs from the queue until it is empty, timing each full response."""

    headers: dict[str, str] = {"Accept-Language": "en"}  # a subclass may add a session cookie

    def __init__(self, host: str, port: int, jobs: queue.Queue, results: list):
        super().__init__(daemon=True)
        self.host, self.port, self.jobs, self.results = host, port, jobs, results
        self.connection: http.client.HTTPConnection | None = None

    def fetch(self, path: str) -> tuple[int, int]:
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.connection.request("GET", path, headers=self.headers)
                response = self.connection.getresponse()
                body = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                return response.status, len(body)
            except (http.client.HTTPException, OSError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def run(self) -> None:
        while True:
            try:
                query, path = self.jobs.get_nowait()
            except queue.Empty:
                break
            started = time.perf_counter()
            try:
                status, size = self.fetch(path)
            except (http.client.HTTPException, OSError) as error:
                status, size = 0, 0
                print(f"  error on {path}: {error!r}", file=sys.stderr)
            self.results.append((query, (time.perf_counter() - started) * 1000, status, size))
        if self.connection is not None:
            self.connection.close()


def run_batch(host: str, port: int, jobs: list[tuple[str, str]], concurrency: int) -> tuple[list, float]:
    work: queue.Queue = queue.Queue()
    for job in jobs:
        work.put(job)
    results: list = []
    workers = [Worker(host, port, work, results) for _ in range(concurrency)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results, time.perf_counter() - started


def bench_endpoint(host, port, path, queries, *, requests, concurrency, warmup, seed) -> dict:
    warm = [(q, scenarios.url(path, q)) for q in queries for _ in range(warmup)]
    run_batch(host, port, warm, concurrency)

    per_query = max(1, requests // len(queries))
    jobs = [(q, scenarios.url(path, q)) for q in queries for _ in range(per_query)]
    random.Random(seed).shuffle(jobs)
    results, elapsed = run_batch(host, port, jobs, concurrency)

    ok = [r for r in results if r[2] == 200]
    out = {
        "path": path,
        "requests": len(results),
        "warmup_requests": len(warm),
        "errors": len(results) - len(ok),
        "seconds": elapsed,
        "rps": len(results) / elapsed,
        **summary([r[1] for r in ok]),
        "queries": {},
    }
    for q in queries:
        rows = [r for r in ok if r[0] == q]
        out["queries"][q or "(none)"] = {**summary([r[1] for r in rows]), "bytes": rows[0][3] if rows else 0}
    return out


def print_report(name: str, result: dict) -> None:
    print(
        f"{name:<10} {result['requests']:>5} req  {result['errors']} errors  {result['rps']:6.1f} req/s  "
        f"p50 {result['p50']:6.1f} ms  p95 {result['p95']:6.1f} ms  p99 {result['p99']:6.1f} ms"
    )
    for query, row in result["queries"].items():
        print(f"    {query:<40} p50 {row['p50']:6.1f}  p95 {row['p95']:6.1f}  ({row['bytes']:,} bytes)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="e.g. http://127.0.0.1:8123")
    parser.add_argument("--requests", type=int, default=420, help="measured requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured requests per query string")
    parser.add_argument("--endpoint", choices=sorted(scenarios.ENDPOINTS), action="append")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    base = urlsplit(args.base)
    if base.hostname not in ("127.0.0.1", "localhost") or base.scheme != "http":
        raise SystemExit("Load goes to this machine only: use http://127.0.0.1:PORT")
    report = {"concurrency": args.concurrency, "endpoints": {}}
    for name in args.endpoint or list(scenarios.ENDPOINTS):
        path, queries = scenarios.ENDPOINTS[name]
        result = bench_endpoint(
            base.hostname, base.port or 80, path, queries, requests=args.requests,
            concurrency=args.concurrency, warmup=args.warmup, seed=args.seed,
        )
        report["endpoints"][name] = result
        print_report(name, result)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
