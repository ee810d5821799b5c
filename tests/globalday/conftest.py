"""Science-day fixtures: an open campaign (registration running, the day ahead) and a past
one (the day is over, participation reports are due), both with network A as partner, so
staff_a moderates them and staff_b does not."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from constellation.globalday.models import Activity, ActivityStatus, Campaign
from constellation.networks.models import Topic
from tests import factories


def make_campaign(year: int, day: datetime.date, *, opens, closes, partners=(), **fields) -> Campaign:
    campaign = Campaign.objects.create(
        year=year, date=day, title=f"Science Day {year}", theme="Science, a Human Right",
        registration_opens=opens, registration_closes=closes,
        reporting_deadline=fields.pop("reporting_deadline", day + datetime.timedelta(days=30)),
        is_published=fields.pop("is_published", True), **fields,
    )
    campaign.partner_networks.set(partners)
    return campaign


@pytest.fixture
def open_campaign(network_a):
    today = timezone.localdate()
    return make_campaign(
        2031, today + datetime.timedelta(days=30), opens=today - datetime.timedelta(days=10),
        closes=today + datetime.timedelta(days=20), partners=[network_a],
    )


@pytest.fixture
def past_campaign(network_a):
    today = timezone.localdate()
    return make_campaign(
        2030, today - datetime.timedelta(days=5), opens=today - datetime.timedelta(days=90),
        closes=today - datetime.timedelta(days=10), partners=[network_a],
    )


def sdg(number: int) -> Topic:
    return Topic.objects.get(is_sdg=True, position=number)


def make_activity(campaign, organisation, *, sdgs=(13,), status=ActivityStatus.APPROVED, hour=10, **fields) -> Activity:
    zone = fields.pop("time_zone", "Europe/Brussels")
    starts_at = datetime.datetime.combine(campaign.date, datetime.time(hour), tzinfo=ZoneInfo(zone))
    defaults = {
        "title": f"Activity at {hour}h", "description": "Experiments for everyone.", "format": "on_site",
        "audiences": ["families"], "language": "fr", "city": organisation.city, "country": organisation.country,
        "latitude": organisation.latitude, "longitude": organisation.longitude, "time_zone": zone,
        "starts_at": starts_at, "ends_at": starts_at + datetime.timedelta(hours=2), "expected_participants": 100,
        "status": status,
    }
    defaults.update(fields)
    activity = Activity.objects.create(campaign=campaign, organisation=organisation, **defaults)
    activity.sdgs.set([sdg(n) for n in sdgs])
    return activity


def form_data(campaign, **overrides) -> dict:
    data = {
        "title": "Water detectives",
        "description": "Test the water of the river; bring a bottle.",
        "format": "on_site",
        "audiences": ["families", "schools"],
        "sdgs": [str(sdg(6).pk), str(sdg(14).pk)],
        "language": "fr",
        "place_name": "",
        "city": "Brussels",
        "country": "BE",
        "date": campaign.date.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "time_zone": "",
        "link": "https://example.org/water",
        "expected_participants": "120",
    }
    data.update(overrides)
    return data


@pytest.fixture
def tokyo(network_b):
    organisation = factories.OrganisationFactory(
        name="Tokyo Ocean Aquarium", slug="tokyo-ocean", city="Tokyo", country="JP", latitude=35.68, longitude=139.69
    )
    factories.MembershipFactory(organisation=organisation, network=network_b)
    return organisation
