"""The call page (what is asked, until when, my proposals) and its staff settings."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from constellation.events.cfp import services
from constellation.events.models import CallForProposals, Event, Presenter
from tests import factories
from tests.events import cfp_fixtures
from tests.events.cfp_fixtures import complete_form

conference = cfp_fixtures.conference
pytestmark = pytest.mark.django_db


def call_url(conference):
    return reverse("events:cfp", args=[conference.event.slug])


def settings_url(conference):
    return reverse("events:cfp_settings", args=[conference.event.slug])


def make_proposals(conference, user, n: int) -> None:
    start = conference.event.proposals.count()
    for i in range(start, start + n):
        data = complete_form(conference, title=f"Proposal {i}")
        data.update(format=conference.talk, track=conference.climate)
        proposal = services.create_draft(event=conference.event, user=user, data=data)
        Presenter.objects.create(
            proposal=proposal, name=f"Co {i}", email=f"co-{proposal.code}@example.org", position=1
        )


def test_call_shows_introduction_deadline_in_local_time_formats_and_tracks(client, conference):
    deadline = datetime(2027, 3, 1, 23, 59, tzinfo=ZoneInfo("Europe/Lisbon"))
    Event.objects.filter(pk=conference.event.pk).update(cfp_deadline=deadline)
    conference.call.opens_at = None
    conference.call.save()

    with timezone_now(datetime(2027, 1, 10, tzinfo=ZoneInfo("UTC"))):
        response = client.get(call_url(conference))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Share what your museum learned this year." in page
    assert "March 1, 2027, 11:59 p.m." in page
    assert "Europe/Lisbon" in page
    assert "Twenty minutes, then questions." in page
    assert "Workshop" in page and "Poster" not in page
    assert "Climate" in page and "Health" in page
    assert "Sign in to propose a session" in page


def test_call_after_the_deadline_says_it_is_closed(client, conference):
    Event.objects.filter(pk=conference.event.pk).update(
        cfp_deadline=timezone.now() - timedelta(hours=1)
    )

    page = client.get(call_url(conference)).content.decode()

    assert "The call for proposals is closed: the deadline has passed." in page
    assert "Sign in to propose" not in page


def test_call_before_it_opens_says_when(client, conference):
    conference.call.opens_at = timezone.now() + timedelta(days=2)
    conference.call.save()

    page = client.get(call_url(conference)).content.decode()

    assert "The call for proposals is not open yet." in page
    assert "It opens on" in page


def test_event_without_a_call_says_so(client, conference):
    Event.objects.filter(pk=conference.event.pk).update(cfp_deadline=None)
    CallForProposals.objects.all().delete()

    page = client.get(call_url(conference)).content.decode()

    assert "This event has no call for proposals." in page


def test_unpublished_event_s_call_is_hidden_from_strangers(
    login, client, conference, staff_a, outsider_olga
):
    Event.objects.filter(pk=conference.event.pk).update(is_published=False)

    assert client.get(call_url(conference)).status_code == 404
    assert login(outsider_olga).get(call_url(conference)).status_code == 404
    assert login(staff_a).get(call_url(conference)).status_code == 200


def test_my_proposals_lists_only_mine_with_co_presenters(login, conference, outsider_olga):
    paula = factories.UserFactory(email="paula@example.org")
    make_proposals(conference, paula, 1)
    make_proposals(conference, outsider_olga, 1)

    page = login(paula).get(call_url(conference)).content.decode()

    assert page.count("Proposal 0") == 1
    assert "Proposal 1" not in page
    assert "Co 0" in page
    assert "invited, not yet confirmed" in page
    assert "Draft" in page


def test_call_page_queries_do_not_grow_with_proposals(login, conference):
    paula = factories.UserFactory(email="paula@example.org")
    client = login(paula)
    make_proposals(conference, paula, 1)
    client.get(call_url(conference))

    with CaptureQueriesContext(connection) as one:
        client.get(call_url(conference))
    make_proposals(conference, paula, 3)
    with CaptureQueriesContext(connection) as four:
        response = client.get(call_url(conference))

    assert len(response.context["proposals"]) == 4
    assert len(four) == len(one)


def test_proposal_page_queries_do_not_grow_with_presenters(login, conference):
    paula = factories.UserFactory(email="paula@example.org")
    client = login(paula)
    conference.talk.max_presenters = None
    conference.talk.save()
    make_proposals(conference, paula, 1)
    proposal = conference.event.proposals.get()
    url = reverse("events:proposal_edit", args=[conference.event.slug, proposal.code])
    client.get(url)

    with CaptureQueriesContext(connection) as two:
        client.get(url)
    Presenter.objects.create(
        proposal=proposal, name="Co more", email="more@example.org", position=2
    )
    with CaptureQueriesContext(connection) as three:
        client.get(url)

    assert len(three) == len(two)


def test_staff_edit_the_call_in_the_event_s_time_zone(login, conference, staff_a):
    client = login(staff_a)
    data = {
        "opens_at": "2027-01-05T09:00",
        "cfp_deadline": "2027-03-01T23:59",
        "introduction": "New words.",
        "abstract_min_chars": "50",
        "abstract_max_chars": "900",
        "title_max_chars": "100",
        "languages": "en, fr",
        **{f"use_{name}": "optional" for name in CallForProposals().fields},
        "use_audience": "off",
    }

    response = client.post(settings_url(conference), data)

    assert response.status_code == 302
    conference.call.refresh_from_db()
    conference.event.refresh_from_db()
    lisbon = ZoneInfo("Europe/Lisbon")
    assert conference.event.cfp_deadline == datetime(2027, 3, 1, 23, 59, tzinfo=lisbon)
    assert conference.call.opens_at == datetime(2027, 1, 5, 9, 0, tzinfo=lisbon)
    assert conference.call.languages == ["en", "fr"]
    assert conference.call.use("audience") == "off"
    assert conference.call.abstract_max_chars == 900
    assert 'value="2027-03-01T23:59"' in client.get(settings_url(conference)).content.decode()


def test_call_settings_refuse_inconsistent_limits_and_change_nothing(login, conference, staff_a):
    data = {
        "abstract_min_chars": "500",
        "abstract_max_chars": "100",
        "title_max_chars": "100",
        "languages": "en, xx",
        **{f"use_{name}": "optional" for name in CallForProposals().fields},
    }

    response = login(staff_a).post(settings_url(conference), data)

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"abstract_max_chars", "languages"}
    conference.call.refresh_from_db()
    assert conference.call.abstract_max_chars == 300


def test_call_settings_are_for_event_staff_only(login, conference, staff_b, outsider_olga):
    for user in (staff_b, outsider_olga):
        assert login(user).get(settings_url(conference)).status_code == 404
        assert (
            login(user).post(settings_url(conference), {"abstract_min_chars": "1"}).status_code
            == 404
        )


class timezone_now:
    """Freeze timezone.now() for the call's open/closed decision."""

    def __init__(self, moment):
        self.moment = moment

    def __enter__(self):
        from unittest import mock

        self.patch = mock.patch("django.utils.timezone.now", return_value=self.moment)
        self.patch.start()

    def __exit__(self, *exc):
        self.patch.stop()


def test_invitations_waiting_for_me_are_listed_on_the_call(login, conference):
    paula = factories.UserFactory(email="paula@example.org")
    carl = factories.UserFactory(email="carl@example.org")
    data = complete_form(conference)
    data.update(format=conference.talk, track=conference.climate)
    proposal = services.create_draft(event=conference.event, user=paula, data=data)
    presenter, _created = services.invite_copresenter(
        proposal=proposal, user=paula, name="Carl", email="carl@example.org"
    )

    page = login(carl).get(call_url(conference)).content.decode()

    assert "Invitations to co-present" in page
    assert (
        reverse(
            "events:copresenter_invitation",
            args=[conference.event.slug, presenter.invitation_token],
        )
        in page
    )
