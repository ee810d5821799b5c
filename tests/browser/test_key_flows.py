"""The key flows in a real browser, as a visitor and a member do them, with axe on every page.

Data is created in the test (the live server needs committed rows, so these tests run in
transactions that are really committed; see tests/browser/conftest.py).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.checks import assert_accessible, screenshot
from tests.browser.signin import sign_in

pytestmark = pytest.mark.browser


def make_directory(network_a, network_b):
    """Four organisations around the world; two of them mention the ocean."""
    lyon = factories.OrganisationFactory(
        name="Cap Sciences Lyon",
        slug="cap-sciences",
        city="Lyon",
        country="FR",
        latitude=45.76,
        longitude=4.84,
        descriptions={"en": "Interactive exhibits about the climate."},
    )
    factories.MembershipFactory(organisation=lyon, network=network_a)
    brest = factories.OrganisationFactory(
        name="Océanopolis",
        slug="oceanopolis",
        city="Brest",
        country="FR",
        latitude=48.39,
        longitude=-4.43,
        descriptions={"en": "The ocean and its polar regions."},
    )
    factories.MembershipFactory(organisation=brest, network=network_a)
    tokyo = factories.OrganisationFactory(
        name="Tokyo Ocean Aquarium",
        slug="tokyo-ocean",
        city="Tokyo",
        country="JP",
        latitude=35.68,
        longitude=139.69,
        descriptions={"en": "Life below water."},
    )
    factories.MembershipFactory(organisation=tokyo, network=network_b)
    factories.OrganisationFactory(
        name="Museo de Ciencia Lima",
        slug="museo-lima",
        city="Lima",
        country="PE",
        latitude=-12.05,
        longitude=-77.04,
        descriptions={"es": "Museo de ciencia interactivo."},
    )




def test_directory_search_and_facet_narrow_results_then_open_organisation(
    page, network_a, network_b
):
    make_directory(network_a, network_b)
    page.goto("/organisations/")
    results_heading = page.locator("#results-title")
    expect(results_heading).to_have_text("4 organisations")
    screenshot(page, "directory")
    assert_accessible(page)

    page.get_by_label("Search by name, city or description").press_sequentially("ocean")

    expect(results_heading).to_have_text("2 organisations")
    expect(page).to_have_url(re.compile(r"[?&]q=ocean"))
    results = page.locator("#results .result h3")
    expect(results).to_have_text(["Océanopolis", "Tokyo Ocean Aquarium"])

    page.get_by_role("checkbox", name=re.compile(r"^Japan")).check()

    expect(results_heading).to_have_text("1 organisation")
    expect(page).to_have_url(re.compile(r"[?&]country=JP"))
    expect(results).to_have_text(["Tokyo Ocean Aquarium"])
    expect(page.get_by_role("checkbox", name=re.compile(r"^Japan"))).to_be_focused()
    assert_accessible(page)

    page.get_by_role("link", name="Tokyo Ocean Aquarium").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tokyo Ocean Aquarium")
    networks = page.get_by_role("region", name="Networks")
    expect(networks.get_by_role("listitem")).to_have_text([re.compile(r"^Network B \(NETB\)")])
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    assert_accessible(page)


def test_map_shows_organisations_with_a_text_list_and_lets_keyboard_through(
    page, network_a, network_b
):
    make_directory(network_a, network_b)

    page.goto("/organisations/map/")

    map_region = page.get_by_role("region", name="Map of the organisations found")
    expect(map_region).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    expect(page.locator(".leaflet-overlay-pane svg path").first).to_be_attached()
    # Only Antarctica circles the globe; a country drawn as wide as the map is a shape
    # that crosses the antimeridian (Fiji, eastern Russia) streaking across the world.
    widths = page.locator(".leaflet-overlay-pane svg path").evaluate_all(
        "(paths) => paths.map((p) => p.getBBox().width)"
    )
    map_width = map_region.bounding_box()["width"]
    assert len([width for width in widths if width >= 0.95 * map_width]) <= 1
    expect(page.locator("#results .result h3")).to_have_text(
        ["Cap Sciences Lyon", "Museo de Ciencia Lima", "Océanopolis", "Tokyo Ocean Aquarium"]
    )
    screenshot(page, "map")
    assert_accessible(page)

    in_map = "() => !!document.activeElement.closest('.leaflet-container')"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(in_map):
            break
    assert page.evaluate(in_map), "Tab never reached the map"
    for _ in range(40):
        page.keyboard.press("Tab")
        if not page.evaluate(in_map):
            break
    assert not page.evaluate(in_map), "Tab cannot leave the map"


def test_member_edits_profile_and_another_member_sees_the_change(new_page, member_bob, admin_alice):
    bob = new_page()
    sign_in(bob, member_bob.email, check_form=True)
    expect(bob).to_have_url(re.compile(r"/me/$"))
    assert_accessible(bob)

    bob.get_by_role("textbox", name="Job title").fill("Head of learning")
    bob.get_by_label("Who sees my email").select_option("members")
    bob.get_by_role("button", name="Save my profile").click()

    expect(bob.get_by_role("status")).to_have_text("Your profile was saved.")
    expect(bob.get_by_role("textbox", name="Job title")).to_have_value("Head of learning")
    expect(bob.get_by_label("Who sees my email")).to_have_value("members")
    assert_accessible(bob)

    alice = new_page()
    sign_in(alice, admin_alice.email)
    alice.goto("/people/")
    bob_entry = alice.locator(".result", has=alice.get_by_role("link", name="Bob Member"))
    expect(bob_entry.locator(".meta").first).to_have_text("Head of learning")
    assert_accessible(alice)
    bob_entry.get_by_role("link", name="Bob Member").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text("Bob Member")
    expect(alice.get_by_role("definition").first).to_have_text("Head of learning")
    expect(alice.get_by_role("link", name="bob@example.org")).to_be_visible()
    assert_accessible(alice)


def test_language_switcher_turns_the_directory_arabic_and_right_to_left(page, network_a, network_b):
    make_directory(network_a, network_b)
    page.goto("/organisations/")

    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()

    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page).to_have_url(re.compile(r"/organisations/$"))
    expect(page.locator("#results .result h3")).to_have_count(4)
    screenshot(page, "directory-ar")
    assert_accessible(page)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    page.goto("/organisations/")

    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")

    expect(page.locator("main")).to_be_focused()
