"""The passport API: programmes, venues, eligibility."""

from __future__ import annotations

from constellation.passport import services


def test_api_lists_open_programmes_with_their_radius(client, venues, programme, network_b):
    services.create_programme(network=network_b, name="Closed", radius=10, unit="km", is_active=False)

    body = client.get("/api/v1/passport/programmes").json()

    assert body["count"] == 1
    item = body["items"][0]
    assert (item["name"], item["radius"], item["unit"], item["venue_count"]) == ("NETA Passport", 90.0, "mi", 5)
    assert round(item["radius_km"], 5) == 144.84096


def test_api_lists_venues_with_their_benefit(client, venues, programme):
    body = client.get(f"/api/v1/passport/programmes/{programme.pk}/venues").json()

    assert body["count"] == 5
    assert {v["name"] for v in body["items"]} >= {"Museum of Science", "Atomium Science Centre"}
    assert body["items"][0]["free_general_admission"] is True


def test_api_eligible_from_a_zip_code(client, venues, programme):
    body = client.get(
        f"/api/v1/passport/programmes/{programme.pk}/eligible", {"member": venues["mos"].pk, "place": "06103"}
    ).json()

    assert [v["name"] for v in body["items"]] == ["Montshire Museum of Science", "Atomium Science Centre"]
    assert (body["count"], body["residence"]) == (2, "06103 Hartford, CT")


def test_api_eligible_from_coordinates(client, venues, programme):
    body = client.get(
        f"/api/v1/passport/programmes/{programme.pk}/eligible",
        {"member": venues["mos"].pk, "lat": 41.7672, "lon": -72.676},
    ).json()

    assert body["count"] == 2


def test_api_eligible_rejects_an_unknown_member_with_422(client, venues, programme):
    response = client.get(f"/api/v1/passport/programmes/{programme.pk}/eligible", {"member": 999999, "place": "06103"})

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "member", "message": "Not a venue taking part in this programme."}]


def test_api_eligible_rejects_an_ambiguous_place_with_the_choices(client, venues, programme):
    response = client.get(
        f"/api/v1/passport/programmes/{programme.pk}/eligible", {"member": venues["mos"].pk, "place": "Springfield"}
    )

    error = response.json()["errors"][0]
    assert response.status_code == 422
    assert error["field"] == "place" and "Springfield, MA, United States" in error["message"]


def test_api_eligible_rejects_a_latitude_out_of_range(client, venues, programme):
    response = client.get(
        f"/api/v1/passport/programmes/{programme.pk}/eligible", {"member": venues["mos"].pk, "lat": 91, "lon": 0}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lat"


def test_api_hides_a_closed_programme(client, programme):
    services.update_programme(programme=programme, is_active=False)

    assert client.get(f"/api/v1/passport/programmes/{programme.pk}/venues").status_code == 404


def test_api_eligible_points_carry_what_the_map_needs(client, venues, programme):
    body = client.get(
        f"/api/v1/passport/programmes/{programme.pk}/eligible/points", {"member": venues["mos"].pk, "place": "06103"}
    ).json()

    assert body["items"][0] == {
        "name": "Montshire Museum of Science", "url": f"/organisations/{venues['montshire'].slug}/", "city": "Norwich",
        "country_name": "United States of America", "latitude": 43.699885, "longitude": -72.305733,
    }
    assert body["count"] == 2
