"""The science day in a real browser: an organisation registers an activity, staff moderate
it (signing in with their TOTP code), and it shows on the public map and list. axe checks
every page on the way."""

from __future__ import annotations

import datetime
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from playwright.sync_api import expect

from constellation.globalday.models import Activity, ActivityStatus, Campaign
from tests import factories
from tests.browser.checks import assert_accessible, screenshot
from tests.browser.signin import sign_in

pytestmark = pytest.mark.browser




@pytest.fixture
def campaign(network_a):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        year=2031, date=today + datetime.timedelta(days=30), title="Science Day 2031",
        theme="Science, a Human Right", registration_opens=today - datetime.timedelta(days=5),
        registration_closes=today + datetime.timedelta(days=20),
        reporting_deadline=today + datetime.timedelta(days=60), is_published=True,
    )
    campaign.partner_networks.set([network_a])
    return campaign


@pytest.fixture
def moderator(network_a):
    """Staff of network A with a TOTP secret the test knows, to type the code like a person."""
    user = factories.UserFactory(email="moderator@example.org", display_name="Mo Derator")
    factories.NetworkStaffFactory(network=network_a, user=user)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def test_organisation_registers_staff_approve_and_it_goes_public(new_page, campaign, admin_alice, moderator):
    alice = new_page()
    sign_in(alice, "alice@example.org")
    alice.goto(f"/science-day/{campaign.year}/")
    assert_accessible(alice)

    alice.get_by_role("link", name="Register an activity").first.click()

    expect(alice.get_by_role("heading", level=1)).to_have_text("Register an activity")
    assert_accessible(alice)
    alice.get_by_label("Title").fill("Water detectives")
    alice.get_by_label("Description").fill("Test the water of the river, with real lab kits.")
    alice.get_by_label("On site").check()
    alice.get_by_label("Families").check()
    alice.get_by_label("SDG 6: Clean water and sanitation").check()
    alice.get_by_label("Language of the activity").select_option("fr")
    alice.get_by_label("Starts at (local time)").fill("10:00")
    alice.get_by_label("Ends at (local time)").fill("09:00")
    alice.get_by_label("Expected participants").fill("120")
    alice.get_by_role("button", name="Register the activity").click()

    expect(alice.locator(".errors")).to_contain_text("The activity must end after it starts.")
    screenshot(alice, "globalday-register-error")
    assert_accessible(alice)
    alice.get_by_label("Ends at (local time)").fill("12:00")
    alice.get_by_role("button", name="Register the activity").click()

    expect(alice.get_by_role("heading", level=1)).to_have_text("My activities")
    expect(alice.get_by_role("row", name=re.compile("Water detectives"))).to_contain_text("Waiting for moderation")
    screenshot(alice, "globalday-my-activities")
    assert_accessible(alice)

    staff_user, secret = moderator
    staff = new_page()
    sign_in(staff, staff_user.email, secret)
    staff.goto(f"/science-day/{campaign.year}/moderation/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Moderation")
    assert_accessible(staff)
    item = staff.locator(".moderation-item", has_text="Water detectives")
    item.get_by_label("Note to the organisation").fill("Lovely idea.")
    item.get_by_role("button", name=re.compile("^Approve")).click()

    row = staff.locator(".moderation-item", has_text="Water detectives")
    expect(row.locator(".status-badge")).to_have_text("Approved")
    expect(row).to_be_focused()
    assert Activity.objects.get().status == ActivityStatus.APPROVED
    screenshot(staff, "globalday-moderation")
    assert_accessible(staff)

    visitor = new_page()
    visitor.goto(f"/science-day/{campaign.year}/")
    expect(visitor.locator("#results-title")).to_have_text("1 activity")
    expect(visitor.locator("#results .result h3")).to_have_text(["Water detectives"])
    expect(visitor.locator(".leaflet-marker-icon").first).to_be_visible()
    visitor.get_by_role("combobox", name=re.compile("^Sustainable Development Goal")).select_option(label="SDG 14: Life below water")
    expect(visitor.locator("#results-title")).to_have_text("0 activities")
    expect(visitor).to_have_url(re.compile(r"[?&]sdg=14"))
    visitor.get_by_role("combobox", name=re.compile("^Sustainable Development Goal")).select_option(label="SDG 6: Clean water and sanitation")
    expect(visitor.locator("#results-title")).to_have_text("1 activity")
    screenshot(visitor, "globalday-campaign")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Water detectives").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Water detectives")
    assert_accessible(visitor)
    visitor.goto(f"/science-day/{campaign.year}/statistics/")
    expect(visitor.get_by_role("row", name=re.compile("SDG 6"))).to_contain_text("120")
    screenshot(visitor, "globalday-statistics")
    assert_accessible(visitor)
    visitor.goto(f"/science-day/{campaign.year}/embed/how/")
    assert_accessible(visitor)
