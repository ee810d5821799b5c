"""A small New England passport programme run by network A (90 miles), plus the Atomium.

Distances that decide the tests (great circle, km): Museum of Science (Boston) to the
Connecticut Science Center (Hartford) 148.0, to Seacoast (Rye, NH) 80.6, to Montshire
(Norwich, VT) 178.8; ZIP 06103 (Hartford) to the Connecticut Science Center 0.6, to
Montshire 217.0. The radius is 90 mi = 144.84 km.
"""

from __future__ import annotations

import pytest

from constellation.passport import services
from constellation.passport.models import DistanceUnit
from tests import factories

VENUES = {
    "mos": ("Museum of Science", "Boston", "Massachusetts", "US", 42.368318, -71.071733),
    "hartford": ("Connecticut Science Center", "Hartford", "Connecticut", "US", 41.764584, -72.669663),
    "montshire": ("Montshire Museum of Science", "Norwich", "Vermont", "US", 43.699885, -72.305733),
    "seacoast": ("Seacoast Science Center", "Rye", "New Hampshire", "US", 43.044209, -70.716827),
}


def make_member(network, name, city="Boston", region="Massachusetts", country="US", lat=42.36, lon=-71.07):
    """An active member of the network at these coordinates."""
    organisation = factories.OrganisationFactory(
        name=name, city=city, region=region, country=country, latitude=lat, longitude=lon
    )
    factories.MembershipFactory(organisation=organisation, network=network)
    return organisation


@pytest.fixture
def programme(network_a):
    return services.create_programme(
        network=network_a, name="NETA Passport", radius="90", unit=DistanceUnit.MILES,
        rules="Bring your membership card.", contact_email="passport@neta.example",
    )


@pytest.fixture
def venues(programme, network_a, atomium):
    """The four New England venues and the Atomium (Brussels), all taking part."""
    atomium.latitude, atomium.longitude = 50.8950, 4.3415
    atomium.save()
    found = {"atomium": atomium}
    for key, (name, city, region, country, lat, lon) in VENUES.items():
        found[key] = make_member(network_a, name, city, region, country, lat, lon)
    for organisation in found.values():
        services.join_programme(programme=programme, organisation=organisation, approve=True)
    return found
