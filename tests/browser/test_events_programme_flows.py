"""An attendee browses the programme, stars two sessions that clash, sees the clash on their
agenda and downloads their calendar feed; axe checks every page on the way."""

from __future__ import annotations

import re
import urllib.request

import icalendar
import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.checks import assert_accessible, screenshot
from tests.browser.test_key_flows import sign_in
from tests.events import programme_fixtures

pytestmark = pytest.mark.browser

small_event = programme_fixtures.small_event
programme_event = programme_fixtures.programme_event


def star_name(title: str) -> re.Pattern:
    """The star button's name: "Star", then the session's title for screen readers."""
    return re.compile(rf"^Star\W+{re.escape(title)}$")


def warm_up(base_url: str, *paths: str) -> None:
    """The live server's first requests import URL modules and compile templates, which on a
    busy machine takes longer than Playwright's 5 s navigation limit: do them beforehand."""
    for path in paths:
        urllib.request.urlopen(base_url + path, timeout=60).read()


def test_attendee_stars_two_clashing_sessions_and_downloads_the_feed(
    page, live_server, programme_event
):
    s = programme_event
    warm_up(
        live_server.url,
        "/accounts/login/",
        f"/events/{s.event.slug}/programme/",
        f"/events/{s.event.slug}/sessions/{s.workshop.code}/",
    )
    factories.UserFactory(email="attendee@example.org", display_name="Ada Attendee")
    sign_in(page, "attendee@example.org")

    page.goto(f"/events/{s.event.slug}/programme/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme")
    expect(page.locator("#programme-results-title")).to_contain_text("2 sessions")
    screenshot(page, "events-programme")
    assert_accessible(page)

    page.get_by_label("Search titles, abstracts and presenters").press_sequentially("tinkering")
    expect(page.locator("#programme-results-title")).to_contain_text("1 session")
    expect(page).to_have_url(re.compile(r"[?&]q=tinkering"))
    page.get_by_label("Search titles, abstracts and presenters").fill("")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#programme-results-title")).to_contain_text("2 sessions")

    for title in ("Museums in a warming world", "Build a tinkering station"):
        button = page.get_by_role("button", name=star_name(title))
        expect(button).to_have_attribute("aria-pressed", "false")
        button.click()
        expect(page.get_by_role("button", name=star_name(title))).to_have_attribute(
            "aria-pressed", "true"
        )
    assert_accessible(page)

    page.get_by_role("link", name="Build a tinkering station").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Build a tinkering station")
    expect(
        page.get_by_role("button", name=star_name("Build a tinkering station"))
    ).to_have_attribute("aria-pressed", "true")
    assert_accessible(page)

    page.goto(f"/events/{s.event.slug}/agenda/")
    expect(page.locator(".clash-note")).to_have_count(2)
    expect(page.locator(".clash-note").first).to_contain_text(
        "Clash: at the same time as Build a tinkering station"
    )
    screenshot(page, "events-agenda")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my agenda (iCal)").click()
    calendar = icalendar.Calendar.from_ical(open(download_info.value.path(), "rb").read())
    assert sorted(str(e["summary"]) for e in calendar.walk("VEVENT")) == [
        "Build a tinkering station",
        "Museums in a warming world",
    ]
