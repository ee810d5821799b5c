"""Starring sessions, the personal agenda with its clashes, and the secret calendar feed."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest
from django.urls import reverse

from constellation.events.models import AgendaFeed, Interest
from tests.events import programme_fixtures

pytestmark = pytest.mark.django_db

small_event = programme_fixtures.small_event
programme_event = programme_fixtures.programme_event


def star_url(s, proposal) -> str:
    return reverse("events:star", args=[s.event.slug, proposal.code])


def test_star_adds_interest_and_redirects_back_without_javascript(
    login, outsider_olga, programme_event
):
    s = programme_event
    client = login(outsider_olga)
    back = reverse("events:programme", args=[s.event.slug]) + "?room=hall"

    response = client.post(star_url(s, s.talk), {"starred": "1", "next": back})

    assert response.status_code == 302
    assert response["Location"] == back
    assert list(
        Interest.objects.filter(user=outsider_olga).values_list("proposal__code", flat=True)
    ) == ["AAA111"]


def test_star_sent_twice_keeps_one_interest_and_unstar_removes_it(
    login, outsider_olga, programme_event
):
    s = programme_event
    client = login(outsider_olga)

    client.post(star_url(s, s.talk), {"starred": "1"})
    client.post(star_url(s, s.talk), {"starred": "1"})
    assert Interest.objects.filter(user=outsider_olga).count() == 1

    client.post(star_url(s, s.talk), {"starred": "0"})
    assert Interest.objects.filter(user=outsider_olga).count() == 0


def test_star_with_htmx_answers_the_pressed_button(login, outsider_olga, programme_event):
    s = programme_event

    response = login(outsider_olga).post(
        star_url(s, s.talk), {"starred": "1"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.text
    assert 'name="starred" value="0"' in response.text
    assert "Added to your agenda." in response.text


def test_star_refuses_offsite_next_and_anonymous_visitors(
    client, login, outsider_olga, programme_event
):
    s = programme_event

    offsite = login(outsider_olga).post(
        star_url(s, s.talk), {"starred": "1", "next": "https://evil.example/"}
    )
    anonymous = client.post(star_url(s, s.workshop), {"starred": "1"})

    assert offsite["Location"] == reverse("events:session", args=[s.event.slug, s.talk.code])
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert (
        Interest.objects.filter(proposal=s.workshop, user__isnull=False).count() == 2
    )  # the fixture's only


def test_star_of_a_session_outside_the_programme_is_404(login, outsider_olga, programme_event):
    s = programme_event

    response = login(outsider_olga).post(
        reverse("events:star", args=[s.event.slug, "CCC333"]), {"starred": "1"}
    )

    assert response.status_code == 404
    assert not Interest.objects.filter(user=outsider_olga).exists()


def test_agenda_lists_starred_sessions_in_order_with_clash_in_words(
    login, outsider_olga, programme_event
):
    s = programme_event
    client = login(outsider_olga)
    client.post(star_url(s, s.workshop), {"starred": "1"})
    client.post(star_url(s, s.talk), {"starred": "1"})

    response = client.get(reverse("events:agenda", args=[s.event.slug]))

    rows = [r for day in response.context["days"] for r in day["rows"]]
    # Same start: the one that ends first comes first.
    assert [r["session"].title for r in rows] == [
        "Museums in a warming world",
        "Build a tinkering station",
    ]
    assert [[c.title for c in r["clashes"]] for r in rows] == [
        ["Build a tinkering station"],
        ["Museums in a warming world"],
    ]
    assert "Clash:" in response.text
    assert "2 sessions clash with others" in response.text


def test_agenda_without_clash_shows_none(login, outsider_olga, programme_event):
    s = programme_event
    client = login(outsider_olga)
    client.post(star_url(s, s.talk), {"starred": "1"})

    response = client.get(reverse("events:agenda", args=[s.event.slug]))

    assert "Clash:" not in response.text
    assert "1 starred session" in response.text


def test_agenda_needs_sign_in(client, programme_event):
    response = client.get(reverse("events:agenda", args=[programme_event.event.slug]))

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def feed_url_of(client, s) -> str:
    return client.get(reverse("events:agenda", args=[s.event.slug])).context["feed_url"]


def test_agenda_feed_is_an_icalendar_with_local_times_and_timezone(
    login, outsider_olga, programme_event
):
    s = programme_event
    client = login(outsider_olga)
    client.post(star_url(s, s.workshop), {"starred": "1"})
    url = feed_url_of(client, s)

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Build a tinkering station"]
    start, end = events[0].decoded("dtstart"), events[0].decoded("dtend")
    assert str(start.tzinfo) == "Europe/Brussels"
    assert start.astimezone(UTC) == datetime(2027, 5, 26, 7, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2027, 5, 26, 10, 30, tzinfo=UTC)
    assert b"TZID=Europe/Brussels" in response.content
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert str(events[0]["uid"]).startswith(f"event-{s.event.slug}-session-{s.workshop.code}@")


def test_agenda_feed_works_without_a_session_cookie(client, login, outsider_olga, programme_event):
    s = programme_event
    url = feed_url_of(login(outsider_olga), s)

    response = client.get(url)

    assert response.status_code == 200


def test_agenda_feed_with_a_wrong_token_is_404(client, login, outsider_olga, programme_event):
    s = programme_event
    feed_url_of(login(outsider_olga), s)

    wrong = client.get(reverse("events:agenda_ical", args=[s.event.slug, "not-the-token"]))
    other_event = client.get(
        reverse(
            "events:agenda_ical", args=["other", AgendaFeed.objects.get(user=outsider_olga).token]
        )
    )

    assert wrong.status_code == 404
    assert other_event.status_code == 404


def test_resetting_the_feed_changes_the_address_and_kills_the_old_one(
    client, login, outsider_olga, programme_event
):
    s = programme_event
    member = login(outsider_olga)
    old = feed_url_of(member, s)

    response = member.post(reverse("events:agenda_feed_reset", args=[s.event.slug]))

    new = feed_url_of(member, s)
    assert response.status_code == 302
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_feed_stops_when_the_event_is_unpublished(client, login, outsider_olga, programme_event):
    s = programme_event
    url = feed_url_of(login(outsider_olga), s)
    s.event.is_published = False
    s.event.save()

    assert client.get(url).status_code == 404


def test_single_session_calendar(client, programme_event):
    s = programme_event

    response = client.get(reverse("events:session_ical", args=[s.event.slug, s.talk.code]))

    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Museums in a warming world"]
