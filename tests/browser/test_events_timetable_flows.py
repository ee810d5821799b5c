"""The timetable in a real browser: staff run the optimiser and watch its progress, read the
figures, move a session in the grid (htmx, focus on the outcome), and publish; an attendee
marks the sessions they want in the draft programme. axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from constellation.events.models import Interest, ScheduleRun, TimetableVersion
from constellation.events.timetable.services import run_schedule
from tests.browser.checks import assert_accessible, screenshot
from tests.browser.test_insights_flows import sign_in_with_session
from tests.browser.test_key_flows import sign_in
from tests.events.fixtures import small_event  # noqa: F401  (fixture)
from tests.events.timetable_fixtures import conference_fixture, draft_places  # noqa: F401

pytestmark = pytest.mark.browser


def warm_up(page) -> None:
    """The live server's first page compiles templates and imports views: on a busy 2-core
    machine that can take longer than the 5 s the other steps are allowed."""
    page.goto("/accounts/login/", timeout=60_000)


def test_staff_optimise_move_a_session_and_publish(
    settings, page, live_server, conference, staff_a
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }  # a worker we drive
    event = conference.event
    warm_up(page)
    sign_in_with_session(page, staff_a, live_server.url)
    page.goto(f"/events/{event.slug}/manage/timetable/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Timetable of Annual Conference 2027")
    expect(page.get_by_role("heading", name="2 sessions not placed")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Optimise the timetable").click()
    assert_accessible(page)
    page.get_by_label("Time limit (seconds)").fill("2")
    page.get_by_role("button", name="Start the optimiser").click()

    expect(page.get_by_role("heading", name="Progress")).to_be_visible()
    expect(page.locator("#run-progress")).to_contain_text("Status: Queued")
    expect(page.get_by_role("progressbar", name="Optimiser progress")).to_be_visible()
    assert_accessible(page)
    run_schedule(ScheduleRun.objects.get().pk)  # the worker takes it; the poll sees the end
    expect(page.get_by_role("heading", name="Result")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("progressbar", name="Optimiser progress")).to_have_attribute(
        "value", "100"
    )
    expect(page.get_by_text("No timetable can do better than A − O = 3")).to_be_visible()
    expect(page.locator("table.tt-figures tr", has_text="Q = (A − O) / U")).to_contain_text("1.000")
    screenshot(page, "timetable-run")
    assert_accessible(page)

    page.get_by_role("link", name="Review and edit the timetable").click()
    expect(page.get_by_role("heading", name="0 warnings")).to_be_visible()
    # "Move" fills in the move form (keyboard users get the same link); then a slot and room.
    page.get_by_role("link", name="Move Museums in a warming world").click()
    expect(page.locator("#id_move-session")).to_have_value("AAA111")
    expect(page.locator("#id_move-slot")).to_be_focused()
    page.locator("#id_move-slot").select_option(index=3)  # day 2, 11:00
    page.locator("#id_move-room").select_option(label="Hall (200 seats)")
    page.get_by_role("button", name="Move", exact=True).click()

    outcome = page.locator("#outcome")
    expect(outcome).to_contain_text("“Museums in a warming world” is now in Hall")
    expect(outcome).to_contain_text("Attendees can attend 1 wanted session fewer (A 3 → 2).")
    expect(outcome).to_be_focused()
    expect(page.get_by_role("heading", name="1 warning")).to_be_visible()
    expect(page.locator(".tt-warnings")).to_contain_text("Ana Silva presents")
    assert draft_places(event)["AAA111"] == (3, "hall")
    screenshot(page, "timetable-grid")
    assert_accessible(page)

    # With a mouse: drag the talk back to the free 9:00 cell of the hall on day 1.
    free = page.locator(
        f'td.tt-free[data-slot="{conference.slots[0].pk}"][data-room="{conference.hall.pk}"]'
    )
    page.locator("#cell-AAA111").drag_to(free)

    expect(outcome).to_contain_text("Attendees can attend 1 more wanted session (A 2 → 3).")
    expect(page.get_by_role("heading", name="0 warnings")).to_be_visible()
    assert draft_places(event)["AAA111"] == (0, "hall")

    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_role("heading", name="First publication")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Label of this version").fill("First draft")
    page.get_by_role("button", name="Publish the timetable").click()

    expect(page.get_by_text("The timetable is published.")).to_be_visible()
    assert TimetableVersion.objects.filter(event=event, published_at__isnull=False).count() == 1


def test_attendee_marks_sessions_in_the_draft_programme(page, conference, outsider_olga):
    warm_up(page)
    sign_in(page, outsider_olga.email)
    page.goto(f"/events/{conference.event.slug}/draft-programme/")
    expect(page.get_by_role("heading", name="2 sessions")).to_be_visible()
    assert_accessible(page)

    want = page.get_by_role("button", name="I want to attend: Build a tinkering station")
    expect(want).to_have_attribute("aria-pressed", "false")
    want.click()

    expect(want).to_have_attribute("aria-pressed", "true")
    expect(want).to_be_focused()
    assert list(
        Interest.objects.filter(user=outsider_olga).values_list("proposal__code", flat=True)
    ) == ["BBB222"]

    page.get_by_label("Search sessions, presenters or tracks").fill("museum")
    expect(page.get_by_role("heading", name="1 session", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]q=museum"))
    screenshot(page, "draft-programme")
    assert_accessible(page)
