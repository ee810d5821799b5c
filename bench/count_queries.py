"""SQL queries per request, and where a request's time goes, measured in-process.

    uv run python bench/count_queries.py [--json out.json] [--repeat 7]

Uses Django's test client against the database in DATABASE_URL (read-only: it only sends
GETs) and CaptureQueriesContext. For each request in scenarios.py it prints the number of
queries, the median wall time of the whole request, the median time spent in SQL, and
the slowest statements, so a slow page can be traced to its query without a profiler.
Run it at 300 and at 10,000 organisations: the query counts must be the same.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scenarios  # noqa: E402


def cold_queries(client, url: str) -> int:
    """Queries of a request that finds the directory cache empty (first visit after an edit)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cold = cold_queries(client, url)
    client.get(url)  # warm caches (templates, translations, the country list)
    walls, sqls, counts, statuses = [], [], [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            walls.append((time.perf_counter() - started) * 1000)
        statuses.append(response.status_code)
        counts.append(len(captured.captured_queries))
        sqls.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
    return {
        "status": statuses[-1],
        "queries": counts[-1],
        "cold_queries": cold,
        "queries_stable": len(set(counts)) == 1,
        "wall_ms": statistics.median(walls),
        "sql_ms": statistics.median(sqls),
        "slowest": [{"ms": float(q["time"]) * 1000, "sql": q["sql"]} for q in slowest],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--show-sql", action="store_true", help="print the slowest statements")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "constellation.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from constellation.networks.models import Organisation

    client = Client(SERVER_NAME="127.0.0.1")
    organisations = Organisation.objects.count()
    print(f"{organisations:,} organisations on {connection.vendor}")
    report = {"organisations": organisations, "vendor": connection.vendor, "requests": {}}
    for path, queries in scenarios.ENDPOINTS.values():
        for query in queries:
            url = scenarios.url(path, query)
            row = measure(client, url, args.repeat)
            report["requests"][url] = row
            print(
                f"  {url:<58} {row['status']}  {row['cold_queries']:>2} cold / {row['queries']:>2} warm queries  "
                f"{row['wall_ms']:7.1f} ms  (SQL {row['sql_ms']:6.1f} ms)"
            )
            if args.show_sql:
                for q in row["slowest"]:
                    print(f"      {q['ms']:6.1f} ms  {q['sql'][:300]}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
