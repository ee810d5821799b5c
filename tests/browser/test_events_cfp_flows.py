"""Proposing a session in a real browser: a proposer writes a draft (with the live character
count), invites a co-presenter, submits; the co-presenter opens the link from the mail and
accepts. axe checks every page on the way."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from playwright.sync_api import expect

from constellation.events.cfp import services
from constellation.events.models import Proposal, ProposalState
from tests import factories
from tests.browser.checks import assert_accessible, screenshot
from tests.browser.signin import sign_in
from tests.browser.test_globalday_flows import sign_in as sign_in_with_code
from tests.events import cfp_fixtures
from tests.events.cfp_fixtures import GOOD_ABSTRACT, complete_form

conference = cfp_fixtures.conference
pytestmark = pytest.mark.browser


# The machine running the suite is shared (2 cores, several browser runs at once): allow a
# slow first page rather than fail on load, the check is what the pages show.
SLOW_MACHINE_MS = 30_000


def open_page(new_page):
    page = new_page()
    page.set_default_timeout(SLOW_MACHINE_MS)
    expect.set_options(timeout=SLOW_MACHINE_MS)
    return page




def test_propose_a_session_with_a_co_presenter_who_accepts(new_page, conference):
    factories.UserFactory(email="paula@example.org", display_name="Paula Proposer")
    factories.UserFactory(email="carl@example.org", display_name="Carl Co")
    mail.outbox.clear()
    paula = open_page(new_page)
    sign_in(paula, "paula@example.org")

    paula.goto("/events/ecsite-2027/cfp/")
    expect(paula.get_by_role("heading", name="The call is open")).to_be_visible()
    assert_accessible(paula)
    paula.get_by_role("link", name="Start a proposal").click()
    paula.get_by_label("Title").fill("Teen climate assembly")
    paula.get_by_label("Abstract").fill("Too short")
    expect(paula.locator(".cfp-count")).to_contain_text("9 characters (between 20 and 300)")
    paula.get_by_label("Abstract").fill(GOOD_ABSTRACT)
    paula.get_by_label("Format").select_option(label="Talk")
    paula.get_by_label("Track").select_option(label="Climate")
    paula.get_by_label("Language of the session").select_option("en")
    assert_accessible(paula)
    screenshot(paula, "cfp-form")
    paula.get_by_role("button", name="Save draft").click()
    expect(paula.get_by_text("Draft saved.")).to_be_visible()
    assert_accessible(paula)

    paula.get_by_label("Name").fill("Carl Co")
    paula.get_by_label("Email").fill("carl@example.org")
    paula.get_by_role("button", name="Send the invitation").click()
    expect(paula.get_by_text("Invited Carl Co")).to_be_visible()
    # htmx swapped the presenters region in place and put focus on it.
    expect(paula.locator("#presenters")).to_be_focused()
    expect(paula.get_by_role("row", name=re.compile("Carl Co"))).to_contain_text(
        "not yet confirmed"
    )
    assert_accessible(paula)
    paula.get_by_role("button", name="Submit the proposal").click()
    expect(paula.get_by_text("Submitted “Teen climate assembly”")).to_be_visible()
    assert_accessible(paula)

    invitation = next(
        m for m in mail.outbox if m.to == ["carl@example.org"] and "invited" in m.subject
    )
    link = re.search(r"https?://[^/\s]+(/events/\S+/invitation/\S+/)", invitation.body).group(1)
    carl = open_page(new_page)
    sign_in(carl, "carl@example.org")
    carl.goto(link)
    expect(carl.get_by_text("Paula Proposer invites you to present")).to_be_visible()
    assert_accessible(carl)
    carl.get_by_role("button", name="Accept: I will co-present").click()
    expect(carl.get_by_text("You are now a co-presenter")).to_be_visible()

    carl.goto("/events/ecsite-2027/cfp/")
    row = carl.get_by_role("row", name=re.compile("Teen climate assembly"))
    expect(row).to_contain_text("Submitted")
    expect(row).to_contain_text("Carl Co (confirmed)")
    assert_accessible(carl)
    screenshot(carl, "cfp-my-proposals")


def test_staff_set_the_deadline_and_accepted_presenters_confirm(new_page, conference, network_a):
    staff_user = factories.UserFactory(
        email="secretariat@example.org", display_name="Sam Secretariat"
    )
    factories.NetworkStaffFactory(network=network_a, user=staff_user)
    secret = generate_totp_secret()
    TOTP.activate(staff_user, secret)
    staff = open_page(new_page)
    sign_in_with_code(staff, staff_user.email, secret)
    staff.goto("/events/ecsite-2027/manage/cfp/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Call for proposals settings")
    assert_accessible(staff)
    staff.get_by_label("Deadline").fill("2030-03-01T23:59")
    staff.get_by_label("Audience").select_option("off")
    staff.get_by_role("button", name="Save").click()
    expect(staff.get_by_text("Saved the call for proposals.")).to_be_visible()
    expect(staff.get_by_label("Deadline")).to_have_value("2030-03-01T23:59")

    paula_user = factories.UserFactory(email="paula@example.org", display_name="Paula Proposer")
    data = complete_form(conference)
    data.update(format=conference.talk, track=conference.climate)
    proposal = services.create_draft(event=conference.event, user=paula_user, data=data)
    services.submit_proposal(proposal=proposal, user=paula_user)
    Proposal.objects.filter(pk=proposal.pk).update(state=ProposalState.ACCEPTED)
    paula = open_page(new_page)
    sign_in(paula, "paula@example.org")
    paula.goto("/events/ecsite-2027/cfp/")
    expect(paula.get_by_text("March 1, 2030, 11:59 p.m.")).to_be_visible()
    paula.get_by_role("link", name=re.compile("Confirm you will present")).click()
    assert_accessible(paula)
    paula.get_by_role("button", name="Confirm: we will present").click()
    expect(paula.get_by_text("is confirmed")).to_be_visible()
    paula.get_by_role("link", name=re.compile("withdraw")).click()
    expect(paula.get_by_role("heading", level=1)).to_contain_text("Withdraw")
    assert_accessible(paula)
