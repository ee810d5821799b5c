"""Registration in a real browser: a member registers and sees the confirmation with the
payment instructions; at the door, staff on a phone open the badge's QR link and check them
in. axe checks every page on the way."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from constellation.events.models import Registration, RegistrationStatus
from constellation.events.registration.badges import checkin_url
from tests.browser.checks import assert_accessible, screenshot
from tests.browser.signin import sign_in_with_session
from tests.events.registration_fixtures import make_conference

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}




def test_member_registers_then_staff_check_them_in_on_a_phone(
    new_page, live_server, network_a, staff_a, member_bob, atomium
):
    conference = make_conference(network_a, capacity=10)
    bob = new_page()
    bob.set_default_timeout(20_000)  # two shared cores: the first page of a live server is slow
    sign_in_with_session(bob, member_bob, live_server.url)

    bob.goto("/events/conf/register/")
    expect(bob.get_by_role("heading", level=1)).to_have_text("Register for Annual Conference")
    assert_accessible(bob)
    bob.get_by_label("Member: 250.00 EUR").check()
    bob.get_by_label("Name on the badge").fill("Bob Member")
    bob.get_by_label("Organisation on the badge").fill("Atomium Science Centre")
    bob.get_by_label("Billing address").fill("Square 1, Brussels")
    bob.get_by_role("button", name="Register").click()

    expect(bob.get_by_role("heading", level=1)).to_have_text("My registration: Annual Conference")
    expect(bob.locator(".messages")).to_contain_text("You are registered.")
    expect(bob.get_by_text("Please transfer 302.50 EUR.")).to_be_visible()
    expect(bob.get_by_role("link", name="Download my badge (PDF)")).to_be_visible()
    screenshot(bob, "registration-confirmed")
    assert_accessible(bob)
    registration = Registration.objects.get(event=conference.event, user=member_bob)
    assert registration.status == RegistrationStatus.CONFIRMED

    desk = new_page()
    desk.set_default_timeout(20_000)
    desk.set_viewport_size(PHONE)
    sign_in_with_session(desk, staff_a, live_server.url)
    scanned = checkin_url(registration, conference.event).removeprefix(settings.SITE_URL)
    desk.goto(scanned)
    expect(desk.get_by_role("heading", name="Bob Member")).to_be_visible()
    assert_accessible(desk)
    button = desk.get_by_role("button", name="Check in Bob Member")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a thumb-sized target on a phone
    button.click()

    expect(desk.locator(".messages")).to_contain_text("Bob Member is checked in.")
    expect(desk.get_by_text("Already checked in at")).to_be_visible()
    screenshot(desk, "registration-checkin-phone")
    assert_accessible(desk)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None

    desk.goto("/events/conf/manage/registrations/")
    expect(desk.get_by_role("heading", level=1)).to_have_text("Registrations: Annual Conference")
    assert_accessible(desk)
