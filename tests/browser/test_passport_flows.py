"""Passport flows in a real browser: where is my membership valid, and the front-desk check."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from constellation.passport import services
from tests.browser.checks import assert_accessible, screenshot
from tests.browser.test_key_flows import sign_in
from tests.passport.conftest import VENUES, make_member

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def _town_index():
    """Build the town index before the live server needs it (a few seconds, once per process)."""
    from constellation.passport import places

    places.warm_up()


def make_programme(network_a, atomium):
    atomium.latitude, atomium.longitude = 50.8950, 4.3415
    atomium.save()
    programme = services.create_programme(network=network_a, name="NETA Passport", radius="90", unit="mi")
    for organisation in [atomium, *(make_member(network_a, *venue) for venue in VENUES.values())]:
        services.join_programme(programme=programme, organisation=organisation, approve=True, exclusions="planetarium shows")
    return programme


def test_visitor_finds_where_a_membership_is_valid_on_a_list_and_a_map(page, network_a, atomium):
    make_programme(network_a, atomium)
    page.goto("/passport/neta/")
    assert_accessible(page)

    page.get_by_label("I am a member of").select_option(label="Museum of Science (Boston)")
    page.get_by_label("I live in").fill("06103")
    page.get_by_role("button", name="Find venues").click()

    expect(page.locator("#results-title")).to_have_text(
        "2 venues welcome members of Museum of Science living in 06103 Hartford, CT"
    )
    expect(page.locator(".passport-results h3")).to_have_text(["Montshire Museum of Science", "Atomium Science Centre"])
    expect(page.locator(".excluded-list")).to_contain_text("Seacoast Science Center (Rye, New Hampshire): within 90 mi of your member venue.")
    expect(page.locator(".passport-map .leaflet-marker-icon")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/passport/neta/\?member=\d+&place=06103"))
    screenshot(page, "passport-finder")
    assert_accessible(page)


def test_front_desk_answers_no_with_the_reason(page, network_a, atomium, member_bob):
    make_programme(network_a, atomium)
    sign_in(page, "bob@example.org")
    page.goto("/passport/neta/check/")
    assert_accessible(page)

    page.get_by_label("The visitor is a member of").select_option(label="Museum of Science (Boston)")
    page.get_by_label("The visitor lives in").fill("Brussels")
    page.get_by_role("button", name="Check").click()

    expect(page.locator("#verdict-title")).to_have_text("NO: the benefit does not apply")
    expect(page.locator(".verdict li")).to_contain_text("from the visitor's home (Brussels, Belgium): within the 90 mi radius.")
    screenshot(page, "passport-front-desk")
    assert_accessible(page)


def test_admin_opts_their_venue_in_and_the_public_list_shows_it_once_approved(page, network_a, atomium, admin_alice):
    programme = services.create_programme(network=network_a, name="NETA Passport", radius="100", unit="km")
    sign_in(page, "alice@example.org")
    page.goto("/passport/neta/my-venues/")
    assert_accessible(page)

    page.get_by_role("link", name="Join with Atomium Science Centre").click()
    assert_accessible(page)
    page.get_by_label("Children covered").fill("3")
    page.get_by_label("Not included").fill("planetarium shows")
    page.get_by_role("button", name="Join the programme").click()

    expect(page.locator(".messages")).to_contain_text("the network will confirm Atomium Science Centre's participation")
    expect(page.locator(".status-badge")).to_have_text("Waiting for the network")
    services.approve_venue(venue=programme.venues.get())
    page.goto("/passport/neta/venues/")
    expect(page.locator(".result")).to_contain_text("for up to 2 adults and 3 children.")
    assert_accessible(page)
