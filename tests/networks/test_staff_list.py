from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from constellation.networks.models import Affiliation, Invitation
from tests import factories

pytestmark = pytest.mark.django_db


def test_admin_invites_a_colleague_by_email(login, admin_alice, atomium, django_capture_on_commit_callbacks):
    client = login(admin_alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("networks:organisation-staff", args=[atomium.slug]),
            {"invite-email": "New.Colleague@Example.org", "invite-role": "Curator", "invite-is_admin": "on"},
        )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.colleague@example.org"
    assert invitation.is_admin
    assert len(mail.outbox) == 1
    assert f"/invitations/{invitation.token}/" in mail.outbox[0].body
    assert "Atomium Science Centre" in mail.outbox[0].subject


def test_inviting_twice_renews_instead_of_duplicating(login, admin_alice, atomium):
    client = login(admin_alice)
    url = reverse("networks:organisation-staff", args=[atomium.slug])

    client.post(url, {"invite-email": "c@example.org"})
    client.post(url, {"invite-email": "c@example.org"})

    assert Invitation.objects.count() == 1


def test_invitation_is_accepted_by_the_invited_address(login, atomium, admin_alice):
    invitation_user = factories.UserFactory(email="c@example.org")
    login(admin_alice).post(
        reverse("networks:organisation-staff", args=[atomium.slug]), {"invite-email": "c@example.org", "invite-role": "Curator"}
    )
    invitation = Invitation.objects.get()

    response = login(invitation_user).post(reverse("networks:invitation-accept", args=[invitation.token]))

    assert response.status_code == 302
    affiliation = Affiliation.objects.get(person__user=invitation_user)
    assert affiliation.organisation == atomium and affiliation.role == "Curator"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_invitation_refuses_another_address(login, atomium, admin_alice, outsider_olga):
    login(admin_alice).post(reverse("networks:organisation-staff", args=[atomium.slug]), {"invite-email": "c@example.org"})
    invitation = Invitation.objects.get()

    response = login(outsider_olga).post(reverse("networks:invitation-accept", args=[invitation.token]), follow=True)

    assert "sent to another email address" in response.content.decode()
    assert not Affiliation.objects.filter(person__user=outsider_olga).exists()


def test_expired_invitation_is_refused(login, atomium, admin_alice):
    user = factories.UserFactory(email="late@example.org")
    login(admin_alice).post(reverse("networks:organisation-staff", args=[atomium.slug]), {"invite-email": "late@example.org"})
    Invitation.objects.update(expires_at=timezone.now() - timedelta(days=1))
    invitation = Invitation.objects.get()

    login(user).post(reverse("networks:invitation-accept", args=[invitation.token]))

    assert not Affiliation.objects.filter(person__user=user).exists()


def test_member_cannot_invite(login, member_bob, atomium):
    response = login(member_bob).post(
        reverse("networks:organisation-staff", args=[atomium.slug]), {"invite-email": "x@example.org"}
    )

    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_last_admin_cannot_step_down(login, admin_alice, atomium):
    affiliation = Affiliation.objects.get(person__user=admin_alice)

    response = login(admin_alice).post(
        reverse("networks:affiliation-update", args=[atomium.slug, affiliation.pk]), {"role": "Director"}, follow=True
    )

    assert "at least one admin" in response.content.decode()
    affiliation.refresh_from_db()
    assert affiliation.is_admin


def test_admin_removes_a_colleague(login, admin_alice, member_bob, atomium):
    affiliation = Affiliation.objects.get(person__user=member_bob)

    login(admin_alice).post(
        reverse("networks:affiliation-update", args=[atomium.slug, affiliation.pk]), {"action": "end"}
    )

    affiliation.refresh_from_db()
    assert affiliation.end_date == timezone.localdate()
    assert not Affiliation.objects.current().filter(pk=affiliation.pk).exists()


def test_admin_cannot_touch_another_organisations_staff(login, admin_alice):
    other = factories.OrganisationFactory()
    affiliation = factories.AffiliationFactory(organisation=other, role="Keeper")

    response = login(admin_alice).post(
        reverse("networks:affiliation-update", args=[other.slug, affiliation.pk]), {"role": "Fired", "action": "end"}
    )

    assert response.status_code == 404
    affiliation.refresh_from_db()
    assert affiliation.role == "Keeper" and affiliation.end_date is None
