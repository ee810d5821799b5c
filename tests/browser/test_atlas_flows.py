"""The access atlas in a real browser: a signed-in person measures coverage in Belgium (and
watches the progress bar hand over to the result), then asks where one new site would
reach the most people of an uploaded population. axe on every page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from constellation.atlas import services
from constellation.atlas.models import Analysis
from tests import factories
from tests.atlas.web_fixtures import TINY_CSV, venue
from tests.browser.checks import assert_accessible, screenshot
from tests.browser.test_key_flows import sign_in

pytestmark = pytest.mark.browser


def expect_map_drawn(page) -> None:
    """The map keeps its name, fetches its data from map.json and draws the places on a canvas."""
    atlas_map = page.get_by_role("region", name="Map of places within and out of reach")
    expect(atlas_map).to_be_visible()
    expect(atlas_map).to_have_class(re.compile(r"leaflet-container"))
    expect(atlas_map).not_to_have_attribute("aria-busy", "true", timeout=10_000)
    expect(atlas_map.locator("canvas")).to_have_count(1)
    expect(page.locator(".atlas-map-failed")).to_have_count(0)


def test_coverage_analysis_shows_progress_then_the_result(settings, page, network_a, outsider_olga):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }  # a worker we drive
    factories.OrganisationFactory(
        name="Atomium Science Centre", latitude=50.8949, longitude=4.3415, country="BE"
    )
    sign_in(page, outsider_olga.email)
    page.goto("/atlas/")
    assert_accessible(page)

    page.get_by_label("Distance").fill("30")
    page.get_by_label("Only in the country").select_option("BE")
    page.get_by_role("button", name="Run the analysis").click()

    expect(page.get_by_role("heading", name="Progress")).to_be_visible()
    expect(page.get_by_text("Queued")).to_be_visible()
    assert_accessible(page)
    services.run_analysis(
        Analysis.objects.get().pk
    )  # the worker picks it up; the poll sees the end
    expect(page.get_by_role("heading", name="In short")).to_be_visible(timeout=10_000)
    expect_map_drawn(page)
    expect(page.get_by_role("heading", name="By country")).to_be_visible()
    expect(page.locator("#countries-heading + .table-scroll tbody th")).to_have_text(["Belgium"])
    screenshot(page, "atlas-coverage")
    assert_accessible(page)


def test_proposal_over_an_uploaded_population(page, network_a, outsider_olga, tmp_path):
    venue(network_a)
    population = tmp_path / "people.csv"
    population.write_text(TINY_CSV, encoding="utf-8")
    sign_in(page, outsider_olga.email)
    page.goto("/atlas/")

    page.get_by_label("Title").fill("Where next")
    page.get_by_label("An uploaded population file").check()
    page.get_by_label("Population file (CSV)").set_input_files(str(population))
    page.get_by_label("New sites to propose").fill("1")
    with page.expect_response(re.compile(r"/atlas/analyses/\d+/map\.json\?v=")) as map_data:
        page.get_by_role("button", name="Run the analysis").click()

    expect(page.get_by_role("heading", name="Where next")).to_be_visible()
    assert map_data.value.ok
    assert "immutable" in map_data.value.headers["cache-control"]
    expect_map_drawn(page)
    expect(page.locator(".atlas-headline")).to_contain_text("650")
    expect(page.locator(".atlas-headline")).to_contain_text("350")
    proposed = page.locator("#proposed-heading + table tbody th")
    expect(proposed).to_have_text([re.compile(r"^[CD]$")])
    expect(page.get_by_text("proven to be the best choice")).to_be_visible()
    screenshot(page, "atlas-proposal")
    assert_accessible(page)
