"""Every programme page and export costs a fixed number of SQL queries whatever the number
of sessions: measured with the cache cold (built from the database) and warm."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from constellation.events.programme import queries
from tests.events import programme_fixtures
from tests.events.programme_fixtures import grow_programme

pytestmark = pytest.mark.django_db

small_event = programme_fixtures.small_event
programme_event = programme_fixtures.programme_event


def count(client, url: str, *, cold: bool) -> int:
    if cold:
        cache.clear()
        queries.forget_memo()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def pages(s, feed_token: str) -> dict[str, str]:
    slug = s.event.slug
    return {
        "programme": reverse("events:programme", args=[slug]) + "?day=all",
        "programme search": reverse("events:programme", args=[slug]) + "?q=session&room=room-1",
        "session": reverse("events:session", args=[slug, s.workshop.code]),
        "frab xml": reverse("events:schedule_xml", args=[slug]),
        "json": reverse("events:schedule_json", args=[slug]),
        "programme ical": reverse("events:programme_ical", args=[slug]),
        "agenda ical": reverse("events:agenda_ical", args=[slug, feed_token]),
        "agenda": reverse("events:agenda", args=[slug]),
        "api sessions": f"/api/v1/events/{slug}/sessions",
        "event list": reverse("events:list"),
    }


def measure(client, s, token) -> dict[str, tuple[int, int]]:
    return {
        name: (count(client, url, cold=True), count(client, url, cold=False))
        for name, url in pages(s, token).items()
    }


def star_everything(client, s) -> None:
    for proposal in s.event.proposals.scheduled():
        client.post(reverse("events:star", args=[s.event.slug, proposal.code]), {"starred": "1"})


def test_query_counts_do_not_grow_with_the_programme(login, outsider_olga, programme_event):
    s = programme_event
    client = login(outsider_olga)
    star_everything(client, s)
    token = (
        client.get(reverse("events:agenda", args=[s.event.slug]))
        .context["feed_url"]
        .rsplit("/", 1)[1][:-4]
    )

    small = measure(client, s, token)
    grow_programme(s.event, 12)
    star_everything(client, s)
    large = measure(client, s, token)

    assert client.get(pages(s, token)["programme"]).context["count"] == 14
    assert large == small
    # And they are few: cold (from the database) / warm (from the cache), signed in.
    # (cold cache, warm cache), signed in: 3 of them are the session, the user and the
    # two-factor check of the middleware; a cold programme adds 6 (version, rooms, tracks,
    # slots, placements with sessions, presenters).
    assert small == {
        "programme": (12, 6),
        "programme search": (12, 6),
        "session": (15, 9),
        "frab xml": (11, 5),
        "json": (11, 5),
        "programme ical": (11, 5),
        "agenda ical": (12, 6),
        "agenda": (15, 9),
        "api sessions": (10, 4),
        "event list": (5, 5),
    }


def test_anonymous_programme_and_exports_need_two_queries_when_warm(client, programme_event):
    s = programme_event
    slug = s.event.slug
    urls = [
        reverse("events:programme", args=[slug]),
        reverse("events:session", args=[slug, s.talk.code]),
        reverse("events:schedule_xml", args=[slug]),
        reverse("events:schedule_json", args=[slug]),
        reverse("events:programme_ical", args=[slug]),
    ]
    for url in urls:
        client.get(url)

    warm = [count(client, url, cold=False) for url in urls]

    assert warm == [2, 2, 2, 2, 2]  # the event, the programme's stamp
