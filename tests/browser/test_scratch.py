import re, json
from playwright.sync_api import expect
from tests.browser.test_key_flows import make_directory, sign_in
from tests.browser.checks import AXE_PATH, AXE_TAGS

def all_violations(page):
    page.add_script_tag(path=str(AXE_PATH))
    v = page.evaluate("""async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations.map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(' ')).slice(0,5)])""", AXE_TAGS)
    print(page.url, json.dumps(v, ensure_ascii=False))
    bp = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: 'tag', values: ['best-practice']}})).violations.map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(' ')).slice(0,5)])""")
    print("  best-practice:", json.dumps(bp, ensure_ascii=False))

def test_debug(new_page, network_a, network_b, member_bob):
    make_directory(network_a, network_b)
    page = new_page()
    page.goto("/organisations/map/")
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    page.wait_for_timeout(500)
    page.locator(".leaflet-container").screenshot(path="/tmp/shots/map-only.png")
    all_violations(page)
    page.goto("/organisations/tokyo-ocean/")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    page.wait_for_timeout(500)
    page.screenshot(path="/tmp/shots/detail.png", full_page=True)
    all_violations(page)
    page.goto("/")
    all_violations(page)
    sign_in(page, member_bob.email)
    page.screenshot(path="/tmp/shots/profile.png", full_page=True)
    all_violations(page)
    page.goto("/people/")
    page.screenshot(path="/tmp/shots/people.png", full_page=True)
    all_violations(page)
    page.goto("/organisations/map/")
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path="/tmp/shots/map-ar.png", full_page=True)
    all_violations(page)
    page.goto("/accounts/logout/")
    page.screenshot(path="/tmp/shots/logout.png", full_page=True)
    all_violations(page)
