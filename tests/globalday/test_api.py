"""The science-day JSON API: campaigns and approved activities (public), registration (token)."""

from __future__ import annotations

import pytest

from constellation.globalday.models import Activity, ActivityStatus
from tests.api.conftest import bearer
from tests.globalday.conftest import make_activity

pytestmark = pytest.mark.django_db
API = "/api/v1/science-day"


def payload(campaign, **overrides) -> dict:
    data = {
        "organisation": "atomium", "title": "Water detectives", "description": "Test the river water.",
        "format": "on_site", "audiences": ["families"], "sdgs": [6, 14], "language": "fr", "country": "BE",
        "city": "Brussels", "date": campaign.date.isoformat(), "start_time": "10:00", "end_time": "12:00",
        "expected_participants": 120,
    }
    data.update(overrides)
    return data


def test_campaigns_list(client, open_campaign):
    body = client.get(f"{API}/campaigns").json()

    assert body["count"] == 1
    assert body["items"][0]["year"] == open_campaign.year
    assert body["items"][0]["partner_networks"] == ["neta"]


def test_activities_list_has_only_approved_ones_and_filters(client, atomium, tokyo, open_campaign):
    make_activity(open_campaign, atomium, title="Climate lab", sdgs=[13])
    make_activity(open_campaign, tokyo, title="Tide pools", sdgs=[14], time_zone="Asia/Tokyo")
    make_activity(open_campaign, atomium, title="Waiting", status=ActivityStatus.SUBMITTED, hour=12)

    everything = client.get(f"{API}/campaigns/{open_campaign.year}/activities").json()
    filtered = client.get(f"{API}/campaigns/{open_campaign.year}/activities?sdg=14&country=jp").json()

    assert everything["count"] == 2
    assert filtered["count"] == 1
    item = filtered["items"][0]
    assert (item["title"], item["sdgs"], item["time_zone"]) == ("Tide pools", [14], "Asia/Tokyo")
    assert item["starts_at"].endswith("T10:00:00+09:00")


def test_activities_list_bad_filter_is_422(client, open_campaign):
    response = client.get(f"{API}/campaigns/{open_campaign.year}/activities?sdg=18")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "sdg"


def test_post_activity_with_a_token(client, admin_alice, atomium, open_campaign):
    response = client.post(
        f"{API}/campaigns/{open_campaign.year}/activities", payload(open_campaign),
        content_type="application/json", headers=bearer(admin_alice),
    )

    assert response.status_code == 201
    assert response.json()["status"] == "submitted"
    assert Activity.objects.get().submitted_by == admin_alice


def test_post_activity_for_a_stranger_organisation_is_404(client, outsider_olga, atomium, open_campaign):
    response = client.post(
        f"{API}/campaigns/{open_campaign.year}/activities", payload(open_campaign),
        content_type="application/json", headers=bearer(outsider_olga),
    )

    assert response.status_code == 404
    assert Activity.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"sdgs": [0]}, "sdgs.0"), ({"end_time": "09:00"}, None), ({"date": "2001-01-01"}, "date"), ({"country": "XX"}, "country")],
)
def test_post_activity_bad_input_is_refused(client, admin_alice, atomium, open_campaign, overrides, field):
    response = client.post(
        f"{API}/campaigns/{open_campaign.year}/activities", payload(open_campaign, **overrides),
        content_type="application/json", headers=bearer(admin_alice),
    )

    if field:
        assert response.status_code == 422
        assert field in [e["field"] for e in response.json()["errors"]]
    else:
        assert response.status_code == 409
        assert response.json()["detail"] == "The activity must end after it starts."
    assert Activity.objects.count() == 0


def test_post_activity_without_a_token_is_401(client, open_campaign):
    response = client.post(
        f"{API}/campaigns/{open_campaign.year}/activities", payload(open_campaign), content_type="application/json"
    )

    assert response.status_code == 401
