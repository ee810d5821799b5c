from playwright.sync_api import expect
from tests.browser.test_key_flows import make_directory

def test_debug(page, network_a, network_b):
    make_directory(network_a, network_b)
    page.goto("/organisations/map/")
    expect(page.locator(".leaflet-overlay-pane svg path").first).to_be_attached()
    page.wait_for_timeout(500)
    w = page.locator(".leaflet-overlay-pane svg path").evaluate_all("(paths) => paths.map((p) => p.getBBox().width)")
    print(len(w), sorted(w)[-5:], page.locator(".leaflet-container").bounding_box())
    page.locator(".leaflet-container").screenshot(path="/tmp/shots/map-only.png")
