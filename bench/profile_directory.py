"""Where the directory page's time goes, step by step, in-process (no server, no concurrency).

    DATABASE_URL=... uv run python bench/profile_directory.py

Times the steps the directory view takes, with the same functions it calls: reading the
filters, the page of results (count, rows, prefetches), the facet counts, and rendering
the template; then the whole request through the middleware, and the API list. Medians
of --repeat runs. Read it beside RESULTS.md: it is how the figures in "Why" were found.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scenarios  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def directory_steps(query: str, repeat: int) -> list[float]:
    """Median ms of each step of the directory view for one query string."""
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string
    from django.test import Client, RequestFactory

    from constellation.networks import queries, views

    url = scenarios.url(scenarios.DIRECTORY_PATH, query)
    request = RequestFactory(SERVER_NAME="127.0.0.1").get(url)
    request.user, request.htmx = AnonymousUser(), False
    form, filters = views.read_filters(request)

    def page():
        paginator = Paginator(queries.directory_results(filters), settings.DIRECTORY_PAGE_SIZE)
        result = paginator.get_page(request.GET.get("page"))
        list(result.object_list)
        return result

    context = {
        "form": form, "filters": filters, "facets": queries.directory_facets(filters), "page": page(),
        "view": "list", "query_without_page": "", "map_tile_url": "", "map_tile_attribution": "",
        "points_url": "",
    }
    client = Client(SERVER_NAME="127.0.0.1")
    return [
        median_ms(lambda: views.read_filters(request), repeat),
        median_ms(page, repeat),
        median_ms(lambda: queries.directory_facets(filters), repeat),
        median_ms(lambda: render_to_string("networks/organisation_list.html", context, request=request), repeat),
        median_ms(lambda: client.get(url), repeat),
    ]


def request_ms(url: str, repeat: int) -> float:
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    return median_ms(lambda: client.get(url), repeat)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "constellation.settings")
    import django

    django.setup()
    from django.db import connection

    from constellation.networks.models import Organisation

    print(
        f"{Organisation.objects.count():,} organisations on {connection.vendor}; "
        f"load average {os.getloadavg()[0]:.2f}; medians of {args.repeat} runs, in ms"
    )
    print(f"  {'query string':<38} {'filters':>7} {'page':>7} {'facets':>7} {'render':>7} {'request':>7}")
    for query in scenarios.DIRECTORY_QUERIES:
        timings = directory_steps(query, args.repeat)
        print(f"  {query or '(none)':<38} " + " ".join(f"{t:7.1f}" for t in timings))
    for query in scenarios.API_QUERIES:
        url = scenarios.url(scenarios.API_PATH, query)
        print(f"  {url:<58} request {request_ms(url, args.repeat):7.1f}")


if __name__ == "__main__":
    main()
