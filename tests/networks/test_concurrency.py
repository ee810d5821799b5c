"""Invariants that must hold when requests race each other (PostgreSQL only)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from constellation.networks import services
from constellation.networks.models import Invitation, Membership, MembershipStatus
from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and races need PostgreSQL"),
]


def race(target, count: int) -> list:
    """Run `target` in `count` threads released together; return their results or errors."""
    barrier = threading.Barrier(count)
    results: list = []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:  # noqa: BLE001 - the test inspects every outcome
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_parallel_applications_leave_one_open_membership():
    organisation = factories.OrganisationFactory()
    network = factories.NetworkFactory()

    results = race(
        lambda: services.set_membership(organisation=organisation, network=network, status=MembershipStatus.APPLIED),
        8,
    )

    assert Membership.objects.filter(organisation=organisation, network=network).count() == 1
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, services.DomainError) for e in errors), errors


def test_parallel_invitations_leave_one_pending_invitation():
    organisation = factories.OrganisationFactory()
    inviter = factories.UserFactory()

    results = race(
        lambda: services.invite_colleague(organisation=organisation, email="same@example.org", invited_by=inviter), 6
    )

    assert Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True).count() == 1
    assert not [r for r in results if isinstance(r, Exception)]
