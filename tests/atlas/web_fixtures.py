"""Data for the atlas web tests: a tiny hand-made population whose answer is known by heart.

One venue in network A at 50.0 N, 4.0 E. Within 50 km of it: place A (the same spot, 100
people) and place B (0.5 degrees east, about 35.8 km, 200 people). Out of reach: C (300)
and D (50), 5.6 km apart near 51 N, 6 E, about 170 km away. Today 300 of 650 people are
within reach; one new site at C or D brings both, 350 more: 650 of 650.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories

TINY_CSV = (
    "id,lat,lon,weight,region\n"
    "A,50.0,4.0,100,BE-BRU\n"
    "B,50.0,4.5,200,BE-BRU\n"
    "C,51.0,6.0,300,DE-NW\n"
    "D,51.05,6.0,50,DE-NW\n"
)


def venue(network, *, name="Tiny Science Centre", latitude=50.0, longitude=4.0, kinds=None):
    organisation = factories.OrganisationFactory(
        name=name,
        latitude=latitude,
        longitude=longitude,
        country="BE",
        kinds=kinds or ["science-centre"],
    )
    factories.MembershipFactory(organisation=organisation, network=network)
    return organisation


def upload(text: str = TINY_CSV, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def form_data(**changes) -> dict:
    """What the analysis form sends for the tiny case: 50 km, every network, one new site."""
    data = {
        "title": "Tiny",
        "radius": "50",
        "unit": "km",
        "network": "",
        "kind": "",
        "source": "upload",
        "dataset": "cities15000",
        "country": "",
        "min_population": "0",
        "new_sites": "1",
        "method": "exact",
        "population_file": upload(),
    }
    data.update(changes)
    return data
