"""The draft programme: signed-in people see the accepted sessions by track, search them and
mark the ones they want (with or without JavaScript)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from constellation.events.models import Event, Interest
from tests.events.fixtures import small_event  # noqa: F401  (fixture)
from tests.events.timetable_fixtures import conference_fixture, grow  # noqa: F401

pytestmark = pytest.mark.django_db


def url(event) -> str:
    return reverse("events:draft_programme", args=[event.slug])


def mark(client, event, code, wanted=True, **headers):
    return client.post(url(event), {"session": code, "wanted": "1" if wanted else "0"}, **headers)


def test_attendees_see_accepted_sessions_grouped_by_track(conference, login, outsider_olga):
    page = login(outsider_olga).get(url(conference.event)).content.decode()

    assert "2 sessions" in page
    climate = page.split(">Climate</h3>")[1]
    assert climate.index("Build a tinkering station") < climate.index("Museums in a warming world")
    assert "Still under review" not in page
    assert "Not this year" not in page
    assert "Ana Silva, Ben Okafor" in page


def test_search_narrows_the_sessions(conference, login, outsider_olga):
    page = login(outsider_olga).get(url(conference.event), {"q": "museum"}).content.decode()

    assert "1 session" in page
    assert "Museums in a warming world" in page
    assert "Build a tinkering station" not in page


def test_unpublished_event_draft_programme_is_for_staff_only(
    conference, login, outsider_olga, staff_a
):
    Event.objects.filter(pk=conference.event.pk).update(is_published=False)

    stranger = login(outsider_olga).get(url(conference.event))
    staff = login(staff_a).get(url(conference.event))

    assert (stranger.status_code, staff.status_code) == (404, 200)


def test_visitors_must_sign_in(conference, client):
    response = client.get(url(conference.event))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_marking_a_session_without_javascript(conference, login, outsider_olga):
    client = login(outsider_olga)

    response = mark(client, conference.event, "AAA111")

    assert response.status_code == 302
    assert response["Location"] == url(conference.event) + "#s-AAA111"
    assert list(
        Interest.objects.filter(user=outsider_olga).values_list("proposal__code", flat=True)
    ) == ["AAA111"]
    page = client.get(response["Location"]).content.decode()
    assert "“Museums in a warming world” is marked." in page
    item = page.split('id="s-AAA111"')[1].split("</li>")[0]
    assert 'aria-pressed="true"' in item


def test_marking_twice_keeps_one_interest_and_unmarking_removes_it(
    conference, login, outsider_olga
):
    client = login(outsider_olga)

    mark(client, conference.event, "AAA111")
    mark(client, conference.event, "AAA111")
    assert Interest.objects.filter(user=outsider_olga).count() == 1
    mark(client, conference.event, "AAA111", wanted=False)

    assert Interest.objects.filter(user=outsider_olga).count() == 0


def test_htmx_marking_answers_the_button_pressed(conference, login, outsider_olga):
    response = mark(login(outsider_olga), conference.event, "BBB222", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith('<form class="tt-interest"')
    assert 'id="want-BBB222" aria-pressed="true" aria-label="I want to attend: Build a tinkering station"' in html
    assert 'name="wanted" value="0"' in html


def test_sessions_not_in_the_programme_cannot_be_marked(conference, login, outsider_olga):
    response = mark(login(outsider_olga), conference.event, "CCC333")  # still under review

    assert response.status_code == 302
    assert Interest.objects.filter(user=outsider_olga).count() == 0


def count_queries(client, event) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(event)).status_code == 200
    return len(captured)


def test_draft_programme_runs_the_same_queries_whatever_the_size(conference, login, outsider_olga):
    event = conference.event
    client = login(outsider_olga)
    grow(event, sessions=2, attendees=2)
    mark(client, event, "AAA111")
    small = count_queries(client, event)

    grow(event, sessions=30, attendees=5)
    large = count_queries(client, event)

    assert small == large


def test_draft_programme_closes_after_the_event(conference, login, outsider_olga, staff_a):
    Event.objects.filter(pk=conference.event.pk).update(
        start_date="2020-05-01", end_date="2020-05-02"
    )

    stranger = login(outsider_olga).get(url(conference.event))
    late_mark = mark(login(outsider_olga), conference.event, "AAA111")
    staff = login(staff_a).get(url(conference.event))

    assert (stranger.status_code, late_mark.status_code, staff.status_code) == (404, 404, 200)
    assert Interest.objects.filter(user=outsider_olga).count() == 0
