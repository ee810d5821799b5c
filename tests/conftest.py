"""Personas for the whole suite, as in a small real network.

- staff_a runs network A (with TOTP set up, as staff must); staff_b runs network B.
- admin_alice administers the Atomium Science Centre, a member of network A.
- member_bob works at the Atomium (not an admin).
- outsider_olga has an account but works nowhere: signed in, not a member.
"""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from tests import factories


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_by_default():
    """Every test starts in English: a request in another language must not leak into the next."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _seeded_vocabularies(request, django_db_blocker):
    """Kinds, topics and accessibility features exist, as the data migration left them.

    A transactional test (live server, real workers, races) ends with a flush that empties
    them; this puts them back for whichever database test comes next.
    """
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if uses_db:
        from constellation.networks.models import AccessibilityFeature, Kind, Topic
        from constellation.networks.vocabularies import seed_vocabularies

        with django_db_blocker.unblock():
            if not Kind.objects.exists():
                seed_vocabularies(Kind, Topic, AccessibilityFeature)
    yield


@pytest.fixture
def network_a(db):
    return factories.NetworkFactory(name="Network A", acronym="NETA", slug="neta")


@pytest.fixture
def network_b(db):
    return factories.NetworkFactory(name="Network B", acronym="NETB", slug="netb")


def give_totp(user) -> None:
    """Staff must have TOTP; tests record an authenticator as if they had set it up."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())


@pytest.fixture
def staff_a(network_a):
    user = factories.UserFactory(email="staff.a@example.org", display_name="Stella Staff")
    factories.NetworkStaffFactory(network=network_a, user=user)
    give_totp(user)
    return user


@pytest.fixture
def staff_b(network_b):
    user = factories.UserFactory(email="staff.b@example.org", display_name="Stan Staff")
    factories.NetworkStaffFactory(network=network_b, user=user)
    give_totp(user)
    return user


@pytest.fixture
def atomium(network_a):
    organisation = factories.OrganisationFactory(name="Atomium Science Centre", slug="atomium", city="Brussels", country="BE")
    factories.MembershipFactory(organisation=organisation, network=network_a)
    return organisation


@pytest.fixture
def admin_alice(atomium):
    user = factories.UserFactory(email="alice@example.org", display_name="Alice Admin")
    person = factories.PersonFactory(user=user, name="Alice Admin", email=user.email)
    factories.AffiliationFactory(person=person, organisation=atomium, role="Director", is_admin=True)
    return user


@pytest.fixture
def member_bob(atomium):
    user = factories.UserFactory(email="bob@example.org", display_name="Bob Member")
    person = factories.PersonFactory(user=user, name="Bob Member", email=user.email)
    factories.AffiliationFactory(person=person, organisation=atomium, role="Educator")
    return user


@pytest.fixture
def outsider_olga(db):
    return factories.UserFactory(email="olga@example.org", display_name="Olga Outsider")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def login():
    """login(user) -> a test client signed in as that user."""
    return client_for


__all__ = ["Authenticator", "give_totp"]
