from __future__ import annotations

import pytest
from django.urls import reverse

from constellation.networks.models import CoordinatesSource, Organisation
from tests import factories

pytestmark = pytest.mark.django_db


def edit_payload(**overrides) -> dict:
    data = {
        "name": "Atomium Science Centre",
        "native_name": "",
        "address": "Square de l'Atomium",
        "city": "Brussels",
        "region": "",
        "country": "BE",
        "latitude": "",
        "longitude": "",
        "website": "https://atomium.example.org",
        "descriptions_0": "Science for all.",
        "descriptions_1": "La science pour tous.",
        "year_founded": "1958",
        "visitors_band": "250k-1m",
        "languages": "fr, nl, en",
    }
    data.update(overrides)
    return data


def test_org_admin_edits_their_organisation(login, admin_alice, atomium):
    client = login(admin_alice)

    response = client.post(reverse("networks:organisation-edit", args=[atomium.slug]), edit_payload())

    assert response.status_code == 302
    atomium.refresh_from_db()
    assert atomium.descriptions == {"en": "Science for all.", "fr": "La science pour tous."}
    assert atomium.languages == ["fr", "nl", "en"]
    assert atomium.year_founded == 1958
    assert atomium.history.first().history_user == admin_alice


def test_org_admin_cannot_edit_another_organisation(login, admin_alice, atomium):
    other = factories.OrganisationFactory(name="Other Centre")
    client = login(admin_alice)

    response = client.post(reverse("networks:organisation-edit", args=[other.slug]), edit_payload(name="Hijacked"))

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "Other Centre"


def test_plain_member_cannot_edit_their_organisation(login, member_bob, atomium):
    client = login(member_bob)

    response = client.post(reverse("networks:organisation-edit", args=[atomium.slug]), edit_payload(name="Bob's"))

    assert response.status_code == 404
    assert Organisation.objects.get(pk=atomium.pk).name == "Atomium Science Centre"


def test_staff_of_the_network_can_edit_a_member(login, staff_a, atomium):
    client = login(staff_a)

    response = client.post(reverse("networks:organisation-edit", args=[atomium.slug]), edit_payload(city="Bruxelles"))

    assert response.status_code == 302
    assert Organisation.objects.get(pk=atomium.pk).city == "Bruxelles"


def test_staff_of_another_network_cannot_edit(login, staff_b, atomium):
    client = login(staff_b)

    response = client.post(reverse("networks:organisation-edit", args=[atomium.slug]), edit_payload(city="Elsewhere"))

    assert response.status_code == 404
    assert Organisation.objects.get(pk=atomium.pk).city == "Brussels"


def test_anonymous_is_sent_to_sign_in(client, atomium):
    response = client.post(reverse("networks:organisation-edit", args=[atomium.slug]), edit_payload(city="X"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert Organisation.objects.get(pk=atomium.pk).city == "Brussels"


def test_bad_input_shows_errors_and_changes_nothing(login, admin_alice, atomium):
    client = login(admin_alice)

    response = client.post(
        reverse("networks:organisation-edit", args=[atomium.slug]),
        edit_payload(year_founded="3020", languages="fr, klingon", latitude="12", website="not a url"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a year between 1000 and this year." in html
    assert "“klingon” is not a language code" in html
    assert "Give both latitude and longitude, or neither." in html
    assert 'aria-invalid="true"' in html
    # The error list is what the invalid field's aria-describedby points at.
    assert 'aria-describedby="id_year_founded_error"' in html
    assert '<ul class="errors" id="id_year_founded_error">' in html
    atomium.refresh_from_db()
    assert atomium.year_founded is None
    assert atomium.history.count() == 1


def test_manual_coordinates_are_kept_and_marked(login, admin_alice, atomium):
    client = login(admin_alice)

    client.post(
        reverse("networks:organisation-edit", args=[atomium.slug]), edit_payload(latitude="50.8949", longitude="4.3415")
    )

    atomium.refresh_from_db()
    assert (atomium.latitude, atomium.longitude) == (50.8949, 4.3415)
    assert atomium.coordinates_source == CoordinatesSource.MANUAL


def test_clearing_coordinates_fills_them_from_the_city(login, admin_alice, atomium):
    client = login(admin_alice)

    client.post(reverse("networks:organisation-edit", args=[atomium.slug]), edit_payload(city="Lyon", country="FR"))

    atomium.refresh_from_db()
    assert atomium.coordinates_source == CoordinatesSource.GEOCODED
    assert round(atomium.latitude) == 46 and round(atomium.longitude) == 5


def test_history_page_is_for_network_staff_only(login, staff_a, admin_alice, atomium):
    atomium.city = "Bruxelles"
    atomium._history_user = staff_a
    atomium.save()

    staff_page = login(staff_a).get(reverse("networks:organisation-history", args=[atomium.slug]))
    admin_page = login(admin_alice).get(reverse("networks:organisation-history", args=[atomium.slug]))

    assert staff_page.status_code == 200
    html = staff_page.content.decode()
    assert "Brussels → Bruxelles" in html
    assert "Stella Staff" in html
    assert admin_page.status_code == 404
