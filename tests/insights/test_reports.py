"""The annual report: requested by network staff, built by the task, private to the network."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from constellation.insights.models import (
    Answer,
    Indicator,
    InsightSettings,
    Report,
    ReportStatus,
    ResponseStatus,
    Survey,
    SurveyResponse,
    Target,
    Unit,
)
from tests import factories

YEAR = 2024


def indicator(key: str, unit: str = Unit.COUNT, *, income: bool = False) -> Indicator:
    return Indicator.objects.get_or_create(
        key=key, defaults={"labels": {"en": key.replace("_", " ").capitalize()}, "unit": unit, "is_income_source": income}
    )[0]


def submit(survey: Survey, organisation, values: dict[str, int], *, currency: str = "EUR") -> SurveyResponse:
    response = SurveyResponse.objects.create(
        survey=survey, organisation=organisation, status=ResponseStatus.SUBMITTED, currency=currency
    )
    Answer.objects.bulk_create(
        Answer(response=response, indicator=Indicator.objects.get(key=key), value=Decimal(value))
        for key, value in values.items()
    )
    return response


@pytest.fixture
def surveyed(network_a):
    """Network A: 15 reporting members, 6 in France, 5 in Germany, 4 in Belgium, each with 1,000
    visitors a year; every other one has three sources of income."""
    indicator("onsite_visitors")
    indicator("income_admissions", Unit.MONEY, income=True)
    indicator("income_public", Unit.MONEY, income=True)
    indicator("income_grants", Unit.MONEY, income=True)
    InsightSettings.objects.create(network=network_a, peer_group_minimum=5)
    organisations = []
    for year in (YEAR - 1, YEAR):
        survey = Survey.objects.get_or_create(network=network_a, year=year, defaults={"deadline": date(year + 1, 3, 31)})[0]
        for number in range(15):
            if year == YEAR - 1:
                organisation = factories.OrganisationFactory(country="FR" if number < 6 else "DE" if number < 11 else "BE")
                factories.MembershipFactory(organisation=organisation, network=network_a)
                organisations.append(organisation)
            submit(survey, organisations[number], {
                "onsite_visitors": 1000, "income_admissions": 500, "income_public": 300,
                "income_grants": 200 if number % 2 else 0,
            })
    Target.objects.create(
        network=network_a, name="Three or more income sources", formula="income_sources",
        aggregation="share_at_least", threshold=3, target_value=60, target_year=YEAR + 1,
    )
    return network_a


def make_report(network, **extra) -> Report:
    return Report.objects.create(network=network, year=YEAR, **extra)


def test_report_task_builds_html_and_pdf(surveyed, staff_a, login, django_capture_on_commit_callbacks):
    client = login(staff_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("insights:report-list"), {"network": surveyed.pk, "year": YEAR})

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    assert report.status == ReportStatus.DONE
    assert report.progress == report.total == 8
    assert report.requested_by == staff_a
    html = report.html.read().decode()
    assert "15,000" in html  # on-site visitors of the 15 reporting members
    assert html.count("<svg") >= 5
    for chunk in html.split("<svg")[1:]:
        assert chunk.index("</svg>") < chunk.index("<table")
    assert '<html lang="en" dir="ltr">' in html
    assert report.pdf.read().startswith(b"%PDF")


def test_report_suppresses_groups_below_the_minimum(surveyed):
    from constellation.insights.reports import run_report

    report = make_report(surveyed)

    run_report(report.pk)

    html = Report.objects.get().html.read().decode()
    country_table = html.split("People reached by country</figcaption>")[1].split("</table>")[0]
    france = country_table.split("France</th>")[1].split("</tr>")[0]
    belgium = country_table.split("Belgium</th>")[1].split("</tr>")[0]
    assert france == "<td>6</td><td>6,000</td>"
    assert "4" not in belgium
    assert belgium.count("not shown: Fewer than 5 organisations reported.") == 2


def test_report_shows_target_progress(surveyed):
    from constellation.insights.reports import run_report

    report = make_report(surveyed)

    run_report(report.pk)

    html = Report.objects.get().html.read().decode()
    row = html.split("Three or more income sources (2025)</th>")[1].split("</tr>")[0]
    assert "46.7 %" in row  # 7 of 15 members have three sources
    assert "60.0 %" in row
    assert "77.8 %" in row  # of the target


def test_report_run_twice_builds_once(surveyed):
    from constellation.insights.reports import run_report

    report = make_report(surveyed, status=ReportStatus.DONE, progress=3, total=8)

    run_report(report.pk)

    report.refresh_from_db()
    assert (report.status, report.progress, bool(report.html)) == (ReportStatus.DONE, 3, False)


def test_report_request_while_one_is_queued_queues_no_other(surveyed, staff_a, login):
    queued = make_report(surveyed, status=ReportStatus.RUNNING)

    response = login(staff_a).post(reverse("insights:report-list"), {"network": surveyed.pk, "year": YEAR}, follow=True)

    assert list(Report.objects.all()) == [queued]
    assert "already being made" in response.content.decode()


def test_report_request_for_another_network_is_refused(surveyed, network_b, staff_b, login):
    response = login(staff_b).post(reverse("insights:report-list"), {"network": surveyed.pk, "year": YEAR})

    assert response.status_code == 200
    assert "network" in response.context["form"].errors
    assert not Report.objects.exists()


@pytest.mark.parametrize("name", ["insights:report-detail", "insights:report-html", "insights:report-pdf"])
def test_report_of_another_network_is_not_found(surveyed, staff_b, member_bob, outsider_olga, login, name):
    from constellation.insights.reports import run_report

    report = make_report(surveyed)
    run_report(report.pk)
    url = reverse(name, args=[report.pk])

    for user in (staff_b, member_bob, outsider_olga):
        assert login(user).get(url).status_code == 404


def test_report_list_is_not_found_for_members(member_bob, login):
    assert login(member_bob).get(reverse("insights:report-list")).status_code == 404


def test_report_files_are_served_to_staff(surveyed, staff_a, login):
    from constellation.insights.reports import run_report

    report = make_report(surveyed)
    run_report(report.pk)
    client = login(staff_a)

    html = client.get(reverse("insights:report-html", args=[report.pk]))
    pdf = client.get(reverse("insights:report-pdf", args=[report.pk]))

    assert html["Content-Type"] == "text/html; charset=utf-8"
    assert b"".join(html.streaming_content).count(b"<table") >= 5
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_report_detail_polls_until_done(surveyed, staff_a, login):
    report = make_report(surveyed, status=ReportStatus.RUNNING, progress=2, total=8)
    client = login(staff_a)

    running = client.get(reverse("insights:report-detail", args=[report.pk]), headers={"HX-Request": "true"})
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.DONE, progress=8)
    done = client.get(reverse("insights:report-detail", args=[report.pk]), headers={"HX-Request": "true"})

    assert 'hx-trigger="every 2s"' in running.content.decode()
    assert 'value="25"' in running.content.decode()
    assert "<h1>" not in running.content.decode()
    assert done["HX-Redirect"] == report.get_absolute_url()


@pytest.mark.parametrize("count", [1, 3])
def test_report_list_queries(surveyed, staff_a, login, django_assert_num_queries, count):
    for _ in range(count):
        make_report(surveyed, requested_by=staff_a)
    client = login(staff_a)

    with django_assert_num_queries(8):
        response = client.get(reverse("insights:report-list"))

    assert response.content.decode().count("NETA 2024</a>") == count
