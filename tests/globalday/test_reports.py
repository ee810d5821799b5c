"""After the day: organisations report participation; staff export the report."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from constellation.globalday.models import ActivityStatus
from constellation.globalday.services import report_participation
from constellation.networks.services import DomainError
from tests.globalday.conftest import make_activity

pytestmark = pytest.mark.django_db


def report_url(activity):
    return f"/science-day/{activity.campaign.year}/activities/{activity.pk}/report/"


def test_report_after_the_day_is_recorded(login, admin_alice, atomium, past_campaign):
    activity = make_activity(past_campaign, atomium, expected_participants=100)

    response = login(admin_alice).post(report_url(activity), {"actual_participants": "87", "comment": "Rainy"})

    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.actual_participants, activity.report_comment) == (87, "Rainy")
    assert activity.reported_at is not None


def test_report_before_the_activity_ends_is_refused(login, admin_alice, atomium, open_campaign):
    activity = make_activity(open_campaign, atomium)

    response = login(admin_alice).post(report_url(activity), {"actual_participants": "87"})

    assert "Report participation after the activity, once it has ended." in response.content.decode()
    activity.refresh_from_db()
    assert activity.actual_participants is None


def test_report_after_the_deadline_is_refused(atomium, past_campaign):
    activity = make_activity(past_campaign, atomium)
    late = timezone.now() + datetime.timedelta(days=60)

    with pytest.raises(DomainError, match="Reports were due by"):
        report_participation(activity=activity, actual_participants=10, now=late)

    activity.refresh_from_db()
    assert activity.actual_participants is None


def test_report_for_a_rejected_activity_is_refused(atomium, past_campaign):
    activity = make_activity(past_campaign, atomium, status=ActivityStatus.REJECTED)

    with pytest.raises(DomainError, match="Only approved activities report participation."):
        report_participation(activity=activity, actual_participants=10)


def test_report_negative_number_is_refused(login, admin_alice, atomium, past_campaign):
    activity = make_activity(past_campaign, atomium)

    response = login(admin_alice).post(report_url(activity), {"actual_participants": "-3"})

    assert "Ensure this value is greater than or equal to 0." in response.content.decode()
    activity.refresh_from_db()
    assert activity.actual_participants is None


def test_report_by_a_stranger_is_404(login, outsider_olga, atomium, past_campaign):
    activity = make_activity(past_campaign, atomium)

    response = login(outsider_olga).post(report_url(activity), {"actual_participants": "5"})

    assert response.status_code == 404
    activity.refresh_from_db()
    assert activity.actual_participants is None


def test_staff_export_csv_has_every_approved_activity_and_totals(login, staff_a, atomium, tokyo, past_campaign):
    make_activity(past_campaign, atomium, title="=cmd|evil", expected_participants=100, actual_participants=90, sdgs=[4, 13])
    make_activity(past_campaign, tokyo, title="Tide pools", expected_participants=50, time_zone="Asia/Tokyo", hour=9)
    make_activity(past_campaign, atomium, title="Rejected", status=ActivityStatus.REJECTED, hour=15)

    response = login(staff_a).get(f"/science-day/{past_campaign.year}/report.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Activity"
    body = {row[0]: row for row in rows[1:]}
    assert sorted(body) == ["'=cmd|evil", "Tide pools", "Total"]
    assert body["'=cmd|evil"][6] == "4 13"
    assert body["Tide pools"][7:9] == [f"{past_campaign.date.isoformat()} 09:00", "Asia/Tokyo"]
    assert body["Total"][9:11] == ["150", "90"]


def test_staff_export_pdf(login, staff_a, atomium, past_campaign):
    make_activity(past_campaign, atomium, expected_participants=100, actual_participants=90)

    response = login(staff_a).get(f"/science-day/{past_campaign.year}/report.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("persona", ["staff_b", "admin_alice"])
def test_exports_are_404_for_others(request, login, persona, past_campaign):
    client = login(request.getfixturevalue(persona))

    assert client.get(f"/science-day/{past_campaign.year}/report.csv").status_code == 404
    assert client.get(f"/science-day/{past_campaign.year}/report.pdf").status_code == 404
