"""The demo programmes load on top of `load_demo`, and again without duplicates."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from constellation.passport.models import Programme, Venue, VenueStatus
from tests import factories


def test_load_demo_passport_is_idempotent(db):
    astc = factories.NetworkFactory(name="ASTC", acronym="ASTC", slug="astc")
    for n in range(15):
        organisation = factories.OrganisationFactory(name=f"Centre {n}", latitude=40 + n / 10, longitude=-75)
        factories.MembershipFactory(organisation=organisation, network=astc)
    factories.OrganisationFactory(name="No coordinates", latitude=None, longitude=None)

    call_command("load_demo_passport", stdout=StringIO())
    call_command("load_demo_passport", stdout=StringIO())

    programme = Programme.objects.get()
    assert (programme.network, programme.radius, programme.unit) == (astc, 90, "mi")
    assert Venue.objects.count() == 15
    assert Venue.objects.filter(status=VenueStatus.PENDING).count() == 1
