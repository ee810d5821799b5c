"""Insights in a real browser: an organisation admin fills in the annual survey and compares
her figures with a peer group; network staff make the annual report. axe on every page.

Data is created in the test and really committed (the live server runs in another thread).
A transactional test ends with a flush that empties the indicator catalogue the data
migration loaded, so each test loads it again first (`default_catalogue`).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from constellation.insights.models import Report, ReportStatus, ResponseStatus, SurveyResponse
from constellation.networks.models import Kind
from tests import factories
from tests.browser.checks import AXE_PATH, assert_accessible, screenshot
from tests.browser.signin import sign_in_with_session
from tests.browser.test_key_flows import sign_in
from tests.insights.factories import SurveyFactory, default_catalogue, submitted_response

pytestmark = pytest.mark.browser

DISTINCTIVE = 987654


def last_year() -> int:
    return timezone.localdate().year - 1


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def make_reporting_members(network, atomium, year: int) -> None:
    """Atomium and four other science centres report their figures, and an aquarium with a
    figure no member may ever see (DISTINCTIVE) does too: six organisations in all."""
    default_catalogue()
    survey = SurveyFactory(network=network, year=year, deadline=days_from_today(-1))
    atomium.kinds.set(Kind.objects.filter(slug="science-centre"))
    submitted_response(
        survey, atomium, onsite_visitors=85000, floor_area=4000, staff_fte=40,
        operating_budget=3_000_000, income_admissions=900_000, income_public=1_500_000,
    )
    for town, visitors in (("Lille", 70000), ("Nantes", 80000), ("Rennes", 90000), ("Lyon", 100000)):
        organisation = factories.OrganisationFactory(
            name=f"Cité des Sciences {town}", country="FR", kinds=["science-centre"]
        )
        factories.MembershipFactory(organisation=organisation, network=network)
        submitted_response(
            survey, organisation, onsite_visitors=visitors, floor_area=visitors // 20,
            staff_fte=visitors // 2000, operating_budget=visitors * 35,
            income_admissions=visitors * 10, income_public=visitors * 20,
        )
    aquarium = factories.OrganisationFactory(name="Grand Aquarium", country="FR", kinds=["aquarium"])
    factories.MembershipFactory(organisation=aquarium, network=network)
    submitted_response(
        survey, aquarium, onsite_visitors=DISTINCTIVE, floor_area=12000, staff_fte=150,
        operating_budget=20_000_000, income_admissions=12_000_000, income_public=2_000_000,
    )


def assert_no_distinctive_figure(page) -> None:
    text = page.locator("body").inner_text()
    written = [str(DISTINCTIVE), f"{DISTINCTIVE:,}", f"{DISTINCTIVE:,}".replace(",", "\u202f")]
    assert [form for form in written if form in text] == []


def test_admin_fills_in_survey_explains_anomaly_then_submits(page, network_a, admin_alice, atomium):
    catalogue = default_catalogue()
    year = timezone.localdate().year
    keys = ("onsite_visitors", "school_visitors", "staff_fte", "operating_budget")
    asked = [catalogue[key] for key in keys]  # the first, third and fourth are required
    last = SurveyFactory(
        network=network_a, year=year - 1, indicators=asked,
        opens_on=days_from_today(-200), deadline=days_from_today(-90),
    )
    submitted_response(last, atomium, onsite_visitors=10000)
    survey = SurveyFactory(network=network_a, year=year, indicators=asked)
    sign_in(page, admin_alice.email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Surveys").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Annual surveys")
    row = page.get_by_role("row", name=re.compile(rf"^NETA {year} "))
    expect(row.get_by_role("cell").nth(1)).to_have_text("Not started")
    screenshot(page, "survey-list")
    assert_accessible(page)

    row.get_by_role("link", name=re.compile(r"^Fill in")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"NETA {year}: Atomium Science Centre"
    )
    expect(page.get_by_text(f"In {year - 1}: 10,000")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("textbox", name="On-site visitors", exact=True).fill("25000")
    page.get_by_role("textbox", name="Staff (full-time equivalent)").fill("12.5")
    page.get_by_role("textbox", name="Operating budget").fill("1 250 000")
    page.get_by_role("button", name="Submit", exact=True).click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Nothing was saved: some answers need your attention.")
    explain = "+150% compared with last year. Explain the change in the comment before submitting."
    expect(summary).to_contain_text(explain)
    comment = page.get_by_label("Why did this change so much since last year?")
    expect(comment).to_have_attribute("aria-invalid", "true")
    expect(comment).to_have_accessible_description(re.compile(re.escape(explain) + "$"))
    expect(page.get_by_role("textbox", name="On-site visitors", exact=True)).to_have_value("25000")
    assert SurveyResponse.objects.filter(survey=survey).exists() is False
    screenshot(page, "survey-form-anomaly")
    assert_accessible(page)

    summary.get_by_role("link", name="Why did this change so much since last year?").click()
    expect(comment).to_be_focused()
    comment.fill("We opened a new wing in March.")
    page.get_by_role("button", name="Submit", exact=True).click()

    expect(page.get_by_role("status")).to_have_text(
        "Thank you: the answers of Atomium Science Centre are submitted."
    )
    # The browser keeps the #fragment of the error link it followed across the redirect.
    expect(page).to_have_url(re.compile(r"/insights/surveys/(#.*)?$"))
    row = page.get_by_role("row", name=re.compile(rf"^NETA {year} "))
    expect(row.get_by_role("cell").nth(1)).to_have_text("Submitted")
    response = SurveyResponse.objects.get(survey=survey, organisation=atomium)
    answers = {a.indicator.key: (a.value, a.comment) for a in response.answers.all()}
    assert (response.status, response.submitted_by) == (ResponseStatus.SUBMITTED, admin_alice)
    assert answers["onsite_visitors"] == (25000, "We opened a new wing in March.")
    assert answers["operating_budget"] == (1250000, "")
    assert_accessible(page)


def test_admin_compares_with_a_peer_group_and_too_small_a_group_is_hidden(
    page, network_a, admin_alice, atomium
):
    make_reporting_members(network_a, atomium, last_year())
    sign_in(page, admin_alice.email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Benchmarks").click()

    results_title = page.locator("#results-title")
    expect(results_title).to_have_text(
        f"Atomium Science Centre among its peers in NETA, {last_year()}"
    )
    results = page.locator("#results")
    expect(results).to_contain_text("6 organisations in this group reported figures")
    assert_no_distinctive_figure(page)

    page.get_by_role("checkbox", name="Science centre").check()

    expect(results).to_contain_text("Peer group: Science centre.")
    expect(results).to_contain_text("5 organisations in this group reported figures")
    expect(page).to_have_url(re.compile(r"[?&]kind=science-centre"))
    as_reported = results.get_by_role("table", name="Figures as reported")
    visitors = as_reported.get_by_role("row", name=re.compile("^On-site visitors"))
    # Own value, lower quartile, median, upper quartile, percentile rank, organisations reporting.
    expect(visitors.get_by_role("cell")).to_have_text(
        ["85,000", "80,000", "85,000", "90,000", "50", "5"]
    )
    ranks = results.get_by_role("table", name=re.compile("^Your percentile rank in the group"))
    expect(ranks.get_by_role("row", name=re.compile("^Staff per 10,000 visitors"))).to_have_text(
        re.compile(r"10$")
    )
    expect(results.locator("figure svg").first).to_be_visible()
    assert_no_distinctive_figure(page)
    screenshot(page, "benchmarks")
    assert_accessible(page)

    page.get_by_label("Country").select_option("FR")

    expect(results).to_contain_text("4 organisations in this group reported figures")
    expect(results.get_by_role("status")).to_have_text(
        "This group is too small to show: fewer than 5 organisations are in it. "
        "Choose fewer filters for a larger group."
    )
    expect(visitors.get_by_role("cell")).to_have_text(
        ["85,000", "Fewer than 5 organisations in this group report it."]
    )
    assert_no_distinctive_figure(page)
    screenshot(page, "benchmarks-suppressed")
    assert_accessible(page)




def load_axe(page) -> None:
    """The report document forbids scripts (Content-Security-Policy), so axe's <script> tag
    would be blocked; evaluating its source through the browser's debugging API is not."""
    page.evaluate(AXE_PATH.read_text())


def test_staff_make_the_annual_report_and_read_it(page, live_server, network_a, staff_a, atomium):
    make_reporting_members(network_a, atomium, last_year())
    sign_in_with_session(page, staff_a, live_server.url)

    page.goto(reverse("insights:report-list"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Annual reports")
    assert_accessible(page)
    page.get_by_label("Network").select_option(label="NETA")
    page.get_by_label("Year the figures describe").select_option(str(last_year()))
    page.get_by_role("button", name="Make the report").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Annual report of Network A, {last_year()}"
    )
    # The immediate task backend builds the report during the request; with a real queue
    # the page polls until the task is done. Either way the links come.
    read = page.get_by_role("link", name="Read the report (web page)")
    expect(read).to_be_visible(timeout=20_000)
    progress = page.get_by_role("progressbar", name="Report progress")
    expect(progress).to_have_attribute("value", "100")
    expect(page.locator("#report-progress")).to_contain_text("Status: Done")
    report = Report.objects.get(network=network_a, year=last_year())
    assert (report.status, report.progress, report.total) == (ReportStatus.DONE, 8, 8)
    pdf_link = page.get_by_role("link", name="Download the report (PDF)")
    pdf = page.request.get(pdf_link.get_attribute("href"))
    assert (pdf.status, pdf.headers["content-type"], pdf.body()[:5]) == (
        200, "application/pdf", b"%PDF-"
    )
    screenshot(page, "report-detail")
    assert_accessible(page)

    read.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Annual report of Network A, {last_year()}"
    )
    contents = page.get_by_role("navigation", name="Contents").get_by_role("link")
    expect(contents).to_have_text(
        ["The year in figures", "Trend over the years", "By country and by kind", "Income",
         "Strategic targets"]
    )
    expect(page.get_by_role("img", name="People reached per year")).to_be_visible()
    assert_no_distinctive_figure(page)
    screenshot(page, "report-document")
    load_axe(page)
    assert_accessible(page)

