"""The public side: list and map with filters, an activity, the calendar, the widget and
the statistics. Only approved activities of published campaigns show."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from constellation.globalday.models import ActivityStatus
from tests import factories
from tests.globalday.conftest import make_activity

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [a.title for a in response.context["page"].object_list]


@pytest.fixture
def world(atomium, tokyo, open_campaign):
    """Three approved activities in two countries and networks, and two that must not show."""
    make_activity(open_campaign, atomium, title="Climate lab", sdgs=[13], format="on_site", language="fr", hour=9)
    make_activity(open_campaign, atomium, title="Ocean online", sdgs=[14, 13], format="online", language="en", hour=11)
    make_activity(
        open_campaign, tokyo, title="Tokyo tide pools", sdgs=[14], format="outreach", language="ja",
        time_zone="Asia/Tokyo", hour=10,
    )
    make_activity(open_campaign, atomium, title="Waiting one", status=ActivityStatus.SUBMITTED, hour=13)
    make_activity(open_campaign, atomium, title="Rejected one", status=ActivityStatus.REJECTED, hour=14)
    return open_campaign


def test_current_campaign_redirects_to_its_year(client, open_campaign):
    response = client.get("/science-day/")

    assert response.status_code == 302
    assert response["Location"] == f"/science-day/{open_campaign.year}/"


def test_no_campaign_yet_is_a_friendly_404(client, db):
    response = client.get("/science-day/")

    assert response.status_code == 404
    assert "No campaign is published yet." in response.content.decode()


def test_list_shows_only_approved_activities(client, world):
    response = client.get(f"/science-day/{world.year}/")

    assert titles(response) == ["Tokyo tide pools", "Climate lab", "Ocean online"]
    assert "3 activities" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sdg=14", ["Tokyo tide pools", "Ocean online"]),
        ("country=JP", ["Tokyo tide pools"]),
        ("network=netb", ["Tokyo tide pools"]),
        ("network=neta", ["Climate lab", "Ocean online"]),
        ("format=online", ["Ocean online"]),
        ("language=fr", ["Climate lab"]),
        ("q=ocean", ["Tokyo tide pools", "Ocean online"]),  # the organisation's name counts too
        ("q=online+ocean", ["Ocean online"]),
        ("sdg=13&country=BE&format=on_site", ["Climate lab"]),
        ("sdg=14&country=BE", ["Ocean online"]),
        ("sdg=14&language=fr", []),
        ("sdg=99&country=ZZ", ["Tokyo tide pools", "Climate lab", "Ocean online"]),
    ],
)
def test_filters_narrow_the_list(client, world, query, expected):
    response = client.get(f"/science-day/{world.year}/?{query}")

    assert response.status_code == 200
    assert titles(response) == expected


def test_htmx_filtering_answers_only_the_results(client, world):
    response = client.get(f"/science-day/{world.year}/?country=JP", HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert body.lstrip().startswith('<section id="results"')
    assert "Tokyo tide pools" in body
    assert "Climate lab" not in body


def test_list_shows_local_time_of_each_place(client, world):
    page = client.get(f"/science-day/{world.year}/?country=JP").content.decode()

    assert "10:00 a.m." in page or "10 a.m." in page
    assert "(Asia/Tokyo)" in page


def test_map_points_follow_the_filters(client, world):
    response = client.get(f"/api/v1/science-day/campaigns/{world.year}/points?sdg=14")

    names = sorted(item["name"] for item in response.json()["items"])
    assert names == ["Ocean online", "Tokyo tide pools"]


def test_list_queries_do_not_grow_with_the_number_of_activities(client, atomium, tokyo, open_campaign):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/science-day/{open_campaign.year}/?sdg=13").status_code == 200
        return len(captured)

    for hour in range(5):
        make_activity(open_campaign, atomium, title=f"Small {hour}", hour=hour, sdgs=[13, 14])
    small = count_queries()
    for n in range(45):
        make_activity(open_campaign, tokyo if n % 2 else atomium, title=f"Large {n}", hour=n % 24, sdgs=[13, 3])
    large = count_queries()

    assert small == large == 9


def test_statistics_page_counts_for_a_small_case(client, world):
    from constellation.globalday.queries import campaign_statistics

    stats = campaign_statistics(world)

    assert (stats.total.activities, stats.total.expected) == (3, 300)
    by_sdg = {row.key: (row.activities, row.expected) for row in stats.by_sdg}
    assert by_sdg == {"13": (2, 200), "14": (2, 200)}
    assert {row.key: row.activities for row in stats.by_country} == {"BE": 2, "JP": 1}
    assert {row.label: row.activities for row in stats.by_network} == {"NETA": 2, "NETB": 1}
    page = client.get(f"/science-day/{world.year}/statistics/").content.decode()
    assert "<svg" in page
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "SDG 14: Life below water" in page


def test_statistics_show_actual_participation_after_the_day(client, atomium, past_campaign):
    make_activity(past_campaign, atomium, expected_participants=100, actual_participants=80)
    make_activity(past_campaign, atomium, expected_participants=50, hour=12)

    page = client.get(f"/science-day/{past_campaign.year}/statistics/").content.decode()

    assert "Actual participants (reported)" in page
    assert "80 people took part in the 1 activities that reported so far." in page


def test_activity_detail_shows_its_local_time_and_zone(client, world):
    activity = world.activities.get(title="Tokyo tide pools")

    page = client.get(activity.get_absolute_url()).content.decode()

    assert "local time, Asia/Tokyo" in page
    assert "SDG 14: Life below water" in page


def test_ical_for_the_list_is_valid_with_local_time_zones(client, world):
    response = client.get(f"/science-day/{world.year}/calendar.ics?sdg=14")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == ["Ocean online", "Tokyo tide pools"]
    tokyo = events["Tokyo tide pools"]
    start = tokyo.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Tokyo"
    assert (start.date(), start.hour) == (world.date, 10)
    assert tokyo.decoded("dtend") - start == datetime.timedelta(hours=2)
    assert {str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")} == {"Asia/Tokyo", "Europe/Brussels"}


def test_ical_uids_are_stable_and_text_is_escaped(client, atomium, open_campaign):
    activity = make_activity(open_campaign, atomium, title="Salt, sugar; and\nstars")
    url = f"/science-day/{open_campaign.year}/activities/{activity.pk}/calendar.ics"

    first, second = client.get(url), client.get(url)

    assert b"SUMMARY:Salt\\, sugar\\; and\\nstars" in first.content
    events = [Calendar.from_ical(r.content).walk("VEVENT")[0] for r in (first, second)]
    assert str(events[0]["uid"]) == str(events[1]["uid"]) == f"science-day-{open_campaign.year}-activity-{activity.pk}@127.0.0.1"
    assert str(events[0]["summary"]) == "Salt, sugar; and\nstars"


def test_widget_may_be_framed_and_other_pages_may_not(client, world):
    widget = client.get(f"/science-day/{world.year}/embed/?country=JP")
    page = client.get(f"/science-day/{world.year}/")

    assert "X-Frame-Options" not in widget
    assert page["X-Frame-Options"] == "DENY"
    body = widget.content.decode()
    assert "Tokyo tide pools" in body
    assert "Climate lab" not in body
    assert "site-header" not in body


def test_widget_for_an_organisation(client, world):
    body = client.get(f"/science-day/{world.year}/embed/?organisation=atomium").content.decode()

    assert "Climate lab" in body
    assert "Tokyo tide pools" not in body


def test_embed_help_makes_the_snippet_from_the_options(client, world):
    page = client.get(f"/science-day/{world.year}/embed/how/?country=JP&height=450").content.decode()

    assert f"&lt;iframe src=&quot;http://testserver/science-day/{world.year}/embed/?country=JP&quot;" in page or (
        f'&lt;iframe src="http://testserver/science-day/{world.year}/embed/?country=JP"' in page
    )
    assert 'height="450"' in page


def test_unpublished_campaign_is_404_for_the_public(client, open_campaign):
    open_campaign.is_published = False
    open_campaign.save()

    assert client.get(f"/science-day/{open_campaign.year}/").status_code == 404
    assert client.get(f"/science-day/{open_campaign.year}/embed/").status_code == 404
    assert client.get("/science-day/").status_code == 404


def test_another_campaigns_activity_is_404_under_this_year(client, atomium, open_campaign, past_campaign):
    activity = make_activity(past_campaign, atomium)

    assert client.get(f"/science-day/{open_campaign.year}/activities/{activity.pk}/").status_code == 404


def test_network_filter_ignores_ended_memberships(client, open_campaign, tokyo, network_b):
    make_activity(open_campaign, tokyo, title="From a member")
    organisation = factories.OrganisationFactory(name="Former member", slug="former")
    factories.MembershipFactory(organisation=organisation, network=network_b, status="ended")
    make_activity(open_campaign, organisation, title="From a former member")

    response = client.get(f"/science-day/{open_campaign.year}/?network=netb")

    assert titles(response) == ["From a member"]


def test_cached_calendar_follows_moderation(client, staff_a, atomium, open_campaign):
    from constellation.globalday.services import moderate_activity

    make_activity(open_campaign, atomium, title="First", hour=9)
    waiting = make_activity(open_campaign, atomium, title="Second", status=ActivityStatus.SUBMITTED, hour=11)
    url = f"/science-day/{open_campaign.year}/calendar.ics"
    before = Calendar.from_ical(client.get(url).content)

    moderate_activity(activity=waiting, decision="approved", actor=staff_a)

    after = Calendar.from_ical(client.get(url).content)
    assert [str(e["summary"]) for e in before.walk("VEVENT")] == ["First"]
    assert [str(e["summary"]) for e in after.walk("VEVENT")] == ["First", "Second"]


def test_pages_work_in_arabic_right_to_left(client, world):
    client.cookies["django_language"] = "ar"

    page = client.get(f"/science-day/{world.year}/").content.decode()
    widget = client.get(f"/science-day/{world.year}/embed/").content.decode()

    assert 'dir="rtl"' in page
    assert 'dir="rtl"' in widget


def test_statistics_charts_count_in_whole_activities(client, atomium, open_campaign):
    make_activity(open_campaign, atomium)

    page = client.get(f"/science-day/{open_campaign.year}/statistics/").content.decode()

    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert svgs
    labels = {text for svg in svgs for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)}
    assert {"0", "1"} <= labels
    assert not [label for label in labels if re.fullmatch(r"\d+[.,]\d+", label)]
