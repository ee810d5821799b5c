"""Forms sent several times at once (double clicks, two tabs) write once: real concurrent
requests on PostgreSQL, where the row locks of cfp/services.py are real."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from constellation.events.cfp import services
from constellation.events.models import Proposal, ProposalState
from tests import factories
from tests.events import cfp_fixtures
from tests.events.cfp_fixtures import complete_form

conference = cfp_fixtures.conference
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and races need PostgreSQL"
    ),
]


def race(user, method: str, url: str, data: dict, count: int = 4) -> list[int]:
    """POST the same form from `count` signed-in clients released together; their status codes."""
    barrier = threading.Barrier(count)
    statuses: list = []

    def run():
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            statuses.append(getattr(client, method)(url, data).status_code)
        except Exception as error:  # noqa: BLE001 - the test inspects every outcome
            statuses.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_new_proposal_sent_four_times_at_once_makes_one_draft(conference):
    paula = factories.UserFactory(email="paula@example.org")
    url = reverse("events:proposal_new", args=[conference.event.slug])

    statuses = race(paula, "post", url, {"title": "Teen climate assembly"})

    assert statuses == [302] * 4
    assert Proposal.objects.filter(event=conference.event).count() == 1


def test_submit_sent_four_times_at_once_submits_and_mails_once(conference):
    paula = factories.UserFactory(email="paula@example.org")
    data = complete_form(conference)
    data.update(format=conference.talk, track=conference.climate)
    proposal = services.create_draft(event=conference.event, user=paula, data=data)
    mail.outbox.clear()
    url = reverse("events:proposal_submit", args=[conference.event.slug, proposal.code])

    statuses = race(paula, "post", url, {})

    assert statuses == [302] * 4
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    assert [m.to for m in mail.outbox] == [["paula@example.org"]]
