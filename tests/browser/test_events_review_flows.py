"""The review in a real browser: staff assign reviewers, a reviewer scores a proposal and
submits, staff read the scores and accept it. axe checks every page on the way."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from constellation.events.models import ProposalState, Review
from tests import factories
from tests.browser.checks import assert_accessible, screenshot
from tests.browser.signin import sign_in
from tests.events.review_fixtures import review_fixture  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser




@pytest.fixture
def organiser(network_a):
    """Staff of network A with a TOTP secret the test knows, to type the code like a person."""
    user = factories.UserFactory(email="organiser@example.org", display_name="Orla Organiser")
    factories.NetworkStaffFactory(network=network_a, user=user)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def test_staff_assign_a_reviewer_scores_and_staff_accept(new_page, review, organiser):
    slug = review.event.slug
    stories = review.proposals[1]
    staff_user, secret = organiser
    staff = new_page()
    sign_in(staff, staff_user.email, secret)

    staff.goto(f"/events/{slug}/manage/review/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Review")
    assert_accessible(staff)
    staff.get_by_label("Reviewers per proposal").fill("2")
    staff.get_by_role("button", name="Assign automatically").click()
    expect(staff.locator(".messages")).to_contain_text("8 assignments made")
    row = staff.locator(f"#proposal-{stories.code}")
    expect(row.locator(".reviewer-list li")).to_have_count(2)
    screenshot(staff, "review-manage")
    assert_accessible(staff)

    reviewer_name = (
        stories.review_assignments.select_related("reviewer__user").first().reviewer.user
    )
    reviewer = new_page()
    sign_in(reviewer, reviewer_name.email)
    reviewer.goto(f"/events/{slug}/review/")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("My reviews")
    assert_accessible(reviewer)
    reviewer.get_by_role("link", name="Climate stories").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Climate stories")
    assert_accessible(reviewer)
    reviewer.get_by_label("Relevance").fill("9")
    reviewer.get_by_label("Clarity").fill("7")
    reviewer.get_by_label("Comment for the presenters").fill("Bring the stories to life.")
    reviewer.get_by_role("button", name="Submit review").click()
    expect(reviewer.locator(".errors").first).to_be_visible()  # 9 is above the scale of 5
    assert_accessible(reviewer)
    reviewer.get_by_label("Relevance").fill("5")
    reviewer.get_by_role("button", name="Submit review").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("My reviews")
    expect(reviewer.get_by_role("row", name=re.compile("Climate stories"))).to_contain_text(
        "Submitted"
    )
    screenshot(reviewer, "review-my-reviews")
    review_row = Review.objects.get(assignment__proposal=stories)
    assert float(review_row.score) == pytest.approx((2 * 1 + 0.7) / 3 * 100, abs=0.01)

    staff.goto(f"/events/{slug}/manage/decisions/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Scores and decisions")
    assert_accessible(staff)
    table_row = staff.locator(f"#row-{stories.code}")
    expect(table_row).to_contain_text("1 of 2")
    expect(table_row).to_contain_text("90.0")
    table_row.get_by_role("button", name=re.compile("^Accept")).click()
    expect(staff.locator(f"#row-{stories.code} .status-badge")).to_have_text("Accepted")
    expect(staff.locator(f"#row-{stories.code}")).to_be_focused()
    stories.refresh_from_db()
    assert stories.state == ProposalState.ACCEPTED
    staff.get_by_label("Track").select_option(label="Health")
    expect(staff.locator("#decisions-title")).to_have_text("2 proposals")
    expect(staff).to_have_url(re.compile(r"[?&]track="))
    screenshot(staff, "review-decisions")
    assert_accessible(staff)
