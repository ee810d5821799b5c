"""The cfp API: my proposals of an event, and starting a draft with a personal token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from constellation.accounts.services import create_api_token
from constellation.events.cfp import services
from constellation.events.models import Event, PresenterRole, Proposal
from tests import factories
from tests.events import cfp_fixtures
from tests.events.cfp_fixtures import GOOD_ABSTRACT, complete_form

conference = cfp_fixtures.conference
pytestmark = pytest.mark.django_db

BASE = "/api/v1/events/ecsite-2027"


@pytest.fixture
def paula(db):
    return factories.UserFactory(email="paula@example.org", display_name="Paula Proposer")


def auth(user) -> dict:
    _token, raw = create_api_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_my_proposals_needs_a_token(client, conference):
    assert client.get(f"{BASE}/proposals/mine").status_code == 401


def test_my_proposals_lists_the_token_user_s_proposals(client, conference, paula, outsider_olga):
    data = complete_form(conference)
    data.update(format=conference.talk, track=conference.climate)
    mine = services.create_draft(event=conference.event, user=paula, data=data)
    services.create_draft(
        event=conference.event, user=outsider_olga, data={**data, "title": "Olga's"}
    )

    response = client.get(f"{BASE}/proposals/mine", **auth(paula))

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    item = body["items"][0]
    assert item["code"] == mine.code
    assert item["state"] == "draft"
    assert item["format"] == "Talk"
    assert item["track"] == "climate"
    assert item["presenters"] == [{"name": "Paula Proposer", "role": "proposer", "confirmed": True}]


def test_create_a_draft(client, conference, paula):
    payload = {
        "title": "Teen climate assembly",
        "abstract": GOOD_ABSTRACT,
        "format": conference.talk.pk,
        "track": "climate",
        "language": "pt",
    }

    response = client.post(
        f"{BASE}/proposals", payload, content_type="application/json", **auth(paula)
    )

    assert response.status_code == 201, response.content
    proposal = Proposal.objects.get()
    assert response.json()["code"] == proposal.code
    assert proposal.track == conference.climate
    assert proposal.language == "pt"
    assert proposal.presenters.get().role == PresenterRole.PROPOSER


def test_create_with_topics(client, conference, paula):
    from constellation.networks.models import Topic

    topic = Topic.objects.order_by("pk").first()

    response = client.post(
        f"{BASE}/proposals",
        {"title": "With topics", "topics": [topic.slug]},
        content_type="application/json",
        **auth(paula),
    )

    assert response.status_code == 201, response.content
    assert response.json()["topics"] == [topic.slug]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 81}, "title"),
        ({"title": "Fine", "abstract": "y" * 301}, "abstract"),
        ({"title": "Fine", "format": 999999}, "format"),
        ({"title": "Fine", "track": "nowhere"}, "track"),
        ({"title": "Fine", "topics": ["no-such-topic"]}, "topics"),
        ({"title": "Fine", "language": "de"}, "language"),
    ],
)
def test_bad_input_answers_422_and_writes_nothing(client, conference, paula, payload, field):
    response = client.post(
        f"{BASE}/proposals", payload, content_type="application/json", **auth(paula)
    )

    assert response.status_code == 422, response.content
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Proposal.objects.exists()


def test_closed_format_is_refused(client, conference, paula):
    response = client.post(
        f"{BASE}/proposals",
        {"title": "Poster", "format": conference.poster.pk},
        content_type="application/json",
        **auth(paula),
    )

    assert response.status_code == 422
    assert not Proposal.objects.exists()


def test_closed_call_answers_409(client, conference, paula):
    Event.objects.filter(pk=conference.event.pk).update(
        cfp_deadline=timezone.now() - timedelta(days=1)
    )

    response = client.post(
        f"{BASE}/proposals", {"title": "Late"}, content_type="application/json", **auth(paula)
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "The call for proposals is closed: the deadline has passed."
    assert not Proposal.objects.exists()


def test_unpublished_or_unknown_event_is_404(client, conference, paula):
    Event.objects.filter(pk=conference.event.pk).update(is_published=False)
    headers = auth(paula)

    assert client.get(f"{BASE}/proposals/mine", **headers).status_code == 404
    assert (
        client.post(
            f"{BASE}/proposals", {"title": "X"}, content_type="application/json", **headers
        ).status_code
        == 404
    )
    assert client.get("/api/v1/events/nope/proposals/mine", **headers).status_code == 404
