"""Two workers sending the same decision mails at once mail each presenter once
(the notice row is locked while its mail goes out). Real threads, real PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection, connections

from constellation.events.models import DecisionNotice
from constellation.events.review import services
from constellation.events.review.mails import send_pending_decision_mails
from tests.events.review_fixtures import review_fixture  # noqa: F401  (fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_workers_at_once_send_each_decision_mail_once(review):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    services.decide_proposals(event=review.event, proposals=review.proposals, decision="rejected")
    # The notices as queue_decision_mails leaves them, before any worker ran.
    for proposal in review.proposals:
        DecisionNotice.objects.create(proposal=proposal, decision="rejected")
    barrier = threading.Barrier(2)
    sent: list[int] = []

    def worker():
        try:
            barrier.wait()
            sent.append(send_pending_decision_mails(review.event.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(sent) == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        p.presenters.get().email for p in review.proposals
    )
    assert DecisionNotice.objects.filter(sent_at__isnull=True).count() == 0
