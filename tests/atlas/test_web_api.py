"""The atlas API: read public analyses without a token, start one with a token."""

from __future__ import annotations

import pytest

from constellation.accounts.services import create_api_token
from constellation.atlas import services
from constellation.atlas.models import Analysis, AnalysisStatus
from tests.atlas.web_fixtures import venue

API = "/api/v1/atlas/analyses"
LUXEMBOURG = {"radius": 10, "unit": "km", "dataset": "cities15000", "country": "LU", "new_sites": 1}


def bearer(user) -> dict[str, str]:
    _token, raw = create_api_token(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture(autouse=True)
def _tasks_run_after_commit(monkeypatch):
    monkeypatch.setattr(services.transaction, "on_commit", lambda callback, *a, **k: callback())


@pytest.fixture
def capital_venue(network_a):
    return venue(network_a, name="Luxembourg Science Centre", latitude=49.61, longitude=6.13)


def test_token_holder_starts_an_analysis_and_reads_its_answer(client, outsider_olga, capital_venue):
    response = client.post(
        API, LUXEMBOURG, content_type="application/json", headers=bearer(outsider_olga)
    )

    body = response.json()
    answer = client.get(f"{API}/{body['id']}").json()  # public: no token needed to read
    assert response.status_code == 202
    assert answer["status"] == "done"
    assert answer["answer"]["total_weight"] == 131322
    assert answer["answer"]["covered_weight_before"] == 76684
    assert answer["answer"]["covered_weight_after"] == 131322  # a site at Esch reaches both others
    assert answer["answer"]["optimal"] is True
    assert len(answer["chosen"]) == 1
    assert {r["code"]: r["population"] for r in answer["regions"]} == {
        "LU-LU": 76684,
        "LU-ES": 54638,
    }


def test_starting_an_analysis_needs_a_token(client, capital_venue):
    response = client.post(API, LUXEMBOURG, content_type="application/json")

    assert response.status_code == 401
    assert Analysis.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"radius": -1}, "radius"),
        ({"radius": 5000}, "radius"),
        ({"network": "nope"}, "network"),
        ({"country": "XX"}, "country"),
        ({"new_sites": 500}, "new_sites"),
        ({"dataset": "cities1"}, "dataset"),
        ({"dataset": "cities500", "country": None}, "country"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client, outsider_olga, change, field):
    response = client.post(
        API,
        {**LUXEMBOURG, **change},
        content_type="application/json",
        headers=bearer(outsider_olga),
    )

    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert Analysis.objects.count() == 0


def test_a_second_analysis_while_one_runs_is_a_409(settings, client, outsider_olga, capital_venue):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    headers = bearer(outsider_olga)
    client.post(API, LUXEMBOURG, content_type="application/json", headers=headers)

    response = client.post(API, LUXEMBOURG, content_type="application/json", headers=headers)

    assert response.status_code == 409
    assert Analysis.objects.get().status == AnalysisStatus.QUEUED


def test_list_shows_public_analyses_and_your_own_private_ones(
    client, outsider_olga, member_bob, capital_venue
):
    public = Analysis.objects.create(title="Public one", radius=10, radius_km=10)
    private = Analysis.objects.create(
        title="Olga's file",
        radius=10,
        radius_km=10,
        is_public=False,
        source="upload",
        created_by=outsider_olga,
    )

    anonymous = client.get(API).json()
    own = client.get(API, headers=bearer(outsider_olga)).json()
    other = client.get(f"{API}/{private.pk}", headers=bearer(member_bob))

    assert [item["title"] for item in anonymous["items"]] == ["Public one"]
    assert anonymous["count"] == 1
    assert {item["id"] for item in own["items"]} == {public.pk, private.pk}
    assert other.status_code == 404


def test_a_wrong_token_is_refused_rather_than_ignored(client, db):
    response = client.get(API, headers={"Authorization": "Bearer cst_wrong"})

    assert response.status_code == 401
