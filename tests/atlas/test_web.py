"""The access atlas through the browser's eyes (test client): ask, wait, read, download.

The tiny hand-made case (web_fixtures) has a known answer: 300 of 650 people within 50 km
today, 350 more with one new site at C or D.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from constellation.atlas import services
from constellation.atlas.models import Analysis, AnalysisStatus
from tests.atlas.web_fixtures import form_data, upload, venue

INDEX = reverse("atlas:index")
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def tiny_venue(network_a):
    return venue(network_a)


@pytest.fixture(autouse=True)
def _tasks_run_after_commit(monkeypatch):
    """The test's transaction never commits: run what was scheduled for after commit at once,
    as a worker would right after the real commit (only the atlas's own scheduling)."""
    monkeypatch.setattr(services.transaction, "on_commit", lambda callback, *a, **k: callback())


def run_tiny(client, **changes) -> Analysis:
    response = client.post(INDEX, form_data(**changes))
    analysis = Analysis.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == analysis.get_absolute_url()
    return analysis


def test_uploaded_population_gives_the_known_coverage_and_proposal(
    login, outsider_olga, tiny_venue
):
    client = login(outsider_olga)

    analysis = run_tiny(client)

    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.DONE
    assert (analysis.summary["total"], analysis.summary["before"], analysis.summary["after"]) == (
        650,
        300,
        650,
    )
    assert analysis.summary["optimal"] is True
    assert [(site["id"], site["added"]) for site in analysis.chosen] in ([("C", 350)], [("D", 350)])
    assert analysis.is_public is False
    page = client.get(analysis.get_absolute_url()).content.decode()
    assert "You already have" not in page
    assert "46.2 %" in page  # 300 of 650 today
    assert "100.0 %" in page  # all of them with the new site
    assert "proven to be the best choice" in page
    # The map's data is not in the page: the script asks for it by URL (see below).
    assert f'data-data-url="/atlas/analyses/{analysis.pk}/map.json?v=' in page
    assert "Tiny Science Centre" not in page  # the venue's name is only in the map data


def test_region_table_lists_most_people_out_of_reach_first(login, outsider_olga, tiny_venue):
    client = login(outsider_olga)
    analysis = run_tiny(client, new_sites="0")

    response = client.get(reverse("atlas:analysis-regions-csv", args=[analysis.pk]))

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert [
        (r["region"], r["population"], r["covered_before"], r["covered_after"]) for r in rows
    ] == [
        ("DE-NW", "350", "0", "0"),
        ("BE-BRU", "300", "300", "300"),
    ]
    assert rows[0]["country"] == "DE"


def test_places_csv_flags_every_place(login, outsider_olga, tiny_venue):
    client = login(outsider_olga)
    analysis = run_tiny(client)

    response = client.get(reverse("atlas:analysis-places-csv", args=[analysis.pk]))

    rows = {
        r["id"]: (r["covered_before"], r["covered_after"])
        for r in csv.DictReader(io.StringIO(response.content.decode()))
    }
    assert rows == {"A": ("1", "1"), "B": ("1", "1"), "C": ("0", "1"), "D": ("0", "1")}


def test_geojson_has_places_venues_and_proposed_site(login, outsider_olga, tiny_venue):
    client = login(outsider_olga)
    analysis = run_tiny(client)

    response = client.get(reverse("atlas:analysis-geojson", args=[analysis.pk]))

    collection = json.loads(response.content)
    kinds = [feature["properties"]["kind"] for feature in collection["features"]]
    assert response["Content-Type"] == "application/geo+json"
    assert collection["type"] == "FeatureCollection"
    assert sorted(kinds) == ["place", "place", "place", "place", "proposed", "venue"]
    venue_feature = next(f for f in collection["features"] if f["properties"]["kind"] == "venue")
    assert venue_feature["geometry"] == {"type": "Point", "coordinates": [4.0, 50.0]}
    assert venue_feature["properties"]["name"] == "Tiny Science Centre"
    assert collection["properties"]["after"] == 650


def test_geonames_analysis_is_public_and_names_the_regions(client, login, outsider_olga, network_a):
    # Luxembourg has three places of 15,000 people or more; a venue in the capital reaches
    # only the capital (76,684 people) within 10 km.
    venue(network_a, name="Luxembourg Science Centre", latitude=49.61, longitude=6.13)
    data = form_data(
        source="geonames", country="LU", radius="10", new_sites="0", population_file=""
    )

    analysis = run_tiny(login(outsider_olga), **data)

    analysis.refresh_from_db()
    assert (analysis.summary["places"], analysis.summary["before"]) == (3, 76684)
    page = client.get(analysis.get_absolute_url()).content.decode()  # anonymous visitor
    assert "Luxembourg" in page
    assert "76,684" in page


def test_us_regions_are_shown_by_state_name(client, login, outsider_olga, network_a):
    venue(network_a, name="Exploratorium", latitude=37.8017, longitude=-122.3973)
    data = form_data(
        source="geonames",
        country="US",
        min_population="1000000",
        radius="50",
        new_sites="0",
        population_file="",
    )

    analysis = run_tiny(login(outsider_olga), **data)

    page = client.get(analysis.get_absolute_url()).content.decode()
    assert "California" in page
    assert "New York" in page


def test_network_and_kind_filters_choose_the_venues(login, outsider_olga, network_a, network_b):
    venue(network_b, name="Aquarium of B", kinds=["aquarium"])
    client = login(outsider_olga)

    only_a = run_tiny(client, network="neta", new_sites="0")
    only_b = run_tiny(client, network="netb", new_sites="0")
    aquariums = run_tiny(client, kind="aquarium", new_sites="0")

    only_a.refresh_from_db(), only_b.refresh_from_db(), aquariums.refresh_from_db()
    assert (only_a.summary["venues"], only_a.summary["before"]) == (0, 0)
    assert (only_b.summary["venues"], only_b.summary["before"]) == (1, 300)
    assert (aquariums.summary["venues"], aquariums.summary["before"]) == (1, 300)


def test_miles_are_turned_into_kilometres(login, outsider_olga, tiny_venue):
    # 20 miles = 32.2 km: place B at 35.8 km is then out of reach.
    analysis = run_tiny(login(outsider_olga), radius="20", unit="mi", new_sites="0")

    analysis.refresh_from_db()
    assert analysis.radius_km == pytest.approx(32.18688)
    assert analysis.summary["before"] == 100


def test_visitors_must_sign_in_to_run_an_analysis(client, tiny_venue):
    page = client.get(INDEX).content.decode()

    response = client.post(INDEX, form_data())

    assert "Sign in</a> to run an analysis" in page
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Analysis.objects.count() == 0


def test_uploaded_analysis_is_seen_by_its_owner_only(
    client, login, outsider_olga, member_bob, tiny_venue
):
    analysis = run_tiny(login(outsider_olga))
    urls = [analysis.get_absolute_url()] + [
        reverse(name, args=[analysis.pk])
        for name in (
            "atlas:analysis-regions-csv",
            "atlas:analysis-places-csv",
            "atlas:analysis-geojson",
            "atlas:analysis-map",
        )
    ]

    assert [login(outsider_olga).get(url).status_code for url in urls] == [200] * 5
    for visitor in (client, login(member_bob)):
        assert [visitor.get(url).status_code for url in urls] == [404] * 5
        assert "Tiny" not in visitor.get(INDEX).content.decode()
    assert "Tiny" in login(outsider_olga).get(INDEX).content.decode()


def test_bad_rows_are_listed_by_line_and_nothing_is_made(login, outsider_olga, tiny_venue):
    text = "lat,lon,weight\n50,4,100\nfifty,4,10\n95,4,10\n50,4,-3\n"

    response = login(outsider_olga).post(INDEX, form_data(population_file=upload(text)))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 3: lat, lon and weight must be numbers." in page
    assert "Line 4: the coordinates 95.0, 4.0 are not on the map." in page
    assert "Line 5: the weight cannot be negative." in page
    assert Analysis.objects.count() == 0


def test_a_file_without_the_columns_says_which_it_found(login, outsider_olga):
    response = login(outsider_olga).post(INDEX, form_data(population_file=upload("x,y\n1,2\n")))

    assert (
        "The first line must name the columns lat, lon and weight (found: x, y)."
        in response.content.decode()
    )
    assert Analysis.objects.count() == 0


def test_semicolons_byte_order_mark_and_decimal_commas_are_understood(
    login, outsider_olga, tiny_venue
):
    text = "\ufeffLatitude;Longitude;Population\n50,0;4,5;200\n51,0;6,0;300\n"

    analysis = run_tiny(login(outsider_olga), population_file=upload(text), new_sites="0")

    analysis.refresh_from_db()
    assert (analysis.summary["total"], analysis.summary["before"]) == (500, 200)


def test_too_large_a_file_is_refused(settings, login, outsider_olga):
    settings.IMPORT_MAX_UPLOAD_MB = 0.0001  # about 100 bytes; the tiny file has more

    response = login(outsider_olga).post(INDEX, form_data())

    assert "The file is larger than 0.0001 MB." in response.content.decode()
    assert Analysis.objects.count() == 0


def test_upload_source_needs_a_file(login, outsider_olga):
    response = login(outsider_olga).post(INDEX, form_data(population_file=""))

    assert "Choose the file with where people live." in response.content.decode()
    assert Analysis.objects.count() == 0


def test_sending_the_form_twice_makes_one_analysis(settings, login, outsider_olga, tiny_venue):
    settings.TASKS = DUMMY_TASKS  # no worker yet: the first analysis is still queued
    client = login(outsider_olga)

    first = client.post(INDEX, form_data(), follow=True)
    second = client.post(INDEX, form_data(), follow=True)

    assert Analysis.objects.count() == 1
    assert "The analysis is being made." in first.content.decode()
    assert "You already have an analysis being made" in second.content.decode()


def test_progress_page_polls_until_done_then_redirects(settings, login, outsider_olga, tiny_venue):
    settings.TASKS = DUMMY_TASKS
    client = login(outsider_olga)
    analysis = run_tiny(client)

    waiting = client.get(analysis.get_absolute_url()).content.decode()
    poll = client.get(analysis.get_absolute_url(), headers={"HX-Request": "true"})
    services.run_analysis(analysis.pk)
    last_poll = client.get(analysis.get_absolute_url(), headers={"HX-Request": "true"})

    assert '<meta http-equiv="refresh" content="5">' in waiting
    assert 'hx-trigger="every 2s"' in waiting
    assert poll.content.decode().strip().startswith('<div id="analysis-progress"')
    assert "Queued" in poll.content.decode()
    assert last_poll["HX-Redirect"] == analysis.get_absolute_url()


def test_running_the_task_twice_solves_once(login, outsider_olga, tiny_venue):
    analysis = run_tiny(login(outsider_olga))
    analysis.refresh_from_db()

    again = services.run_analysis(analysis.pk)

    assert again.status == AnalysisStatus.DONE
    assert again.finished_at == analysis.finished_at


def test_no_matching_place_fails_with_a_message(login, outsider_olga, tiny_venue):
    data = form_data(source="geonames", country="LU", min_population="10000000", population_file="")

    analysis = run_tiny(login(outsider_olga), **data)

    analysis.refresh_from_db()
    page = login(outsider_olga).get(analysis.get_absolute_url()).content.decode()
    assert analysis.status == AnalysisStatus.FAILED
    assert "No populated place matches this choice" in page


def _many_places(count: int) -> str:
    lines = ["id,lat,lon,weight,region"]
    lines += [
        f"p{i},{40 + i * 0.3:.2f},{i * 0.7:.2f},{1000 + i},R{i % 7}-X{i}" for i in range(count)
    ]
    return "\n".join(lines) + "\n"


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["atlas:analysis-detail", "atlas:analysis-map"])
def test_result_page_and_map_need_the_same_queries_for_few_or_many_places(
    login, outsider_olga, network_a, name
):
    venue(network_a)
    venue(network_a, name="Second", latitude=45.0, longitude=3.0)
    client = login(outsider_olga)
    small = run_tiny(client)
    large = run_tiny(client, population_file=upload(_many_places(60)), new_sites="3")
    urls = [reverse(name, args=[analysis.pk]) for analysis in (small, large)]

    # Prepared by the task: the tables and the map data are read from the cache.
    warm = [_queries(client, url) for url in urls]
    # A first visit with nothing cached reads the answer's columns in one more query.
    cache.clear()
    cold = [_queries(client, url) for url in urls]
    again = [_queries(client, url) for url in urls]

    assert warm[0] == warm[1] == again[0] == again[1]
    assert cold[0] == cold[1] == warm[0] + 1
    assert warm[0] <= 5


def test_map_data_is_compact_and_says_where_everyone_is(login, outsider_olga, tiny_venue):
    client = login(outsider_olga)
    analysis = run_tiny(client)

    response = client.get(reverse("atlas:analysis-map", args=[analysis.pk]))

    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert sorted(data) == ["countries", "places", "proposed", "venues"]
    # [lat, lon, people, name, state]: 0 out of reach, 1 within reach today, 2 brought in.
    assert sorted(data["places"]) == [
        [50.0, 4.0, 100, "A", 1],
        [50.0, 4.5, 200, "B", 1],
        [51.0, 6.0, 300, "C", 2],
        [51.05, 6.0, 50, "D", 2],
    ]
    assert data["venues"] == [["Tiny Science Centre", 50.0, 4.0]]
    [(name, lat, lon, added)] = data["proposed"]
    assert (name, added) in (("C", 350), ("D", 350))
    # [ISO numeric id as in the world map, name, share within reach with the proposals]
    assert sorted(data["countries"]) == [["056", "Belgium", 1.0], ["276", "Germany", 1.0]]


def test_map_coordinates_are_rounded(login, outsider_olga, network_a):
    venue(network_a, name="Precise", latitude=50.000012345, longitude=4.000067891)
    text = "id,lat,lon,weight\nA,50.123456789,4.987654321,100\n"
    analysis = run_tiny(login(outsider_olga), population_file=upload(text), new_sites="0")

    data = login(outsider_olga).get(reverse("atlas:analysis-map", args=[analysis.pk])).json()

    assert data["places"] == [[50.1235, 4.9877, 100, "A", 0]]
    assert data["venues"] == [["Precise", 50.0, 4.0001]]


def test_map_data_is_kept_by_the_browser_and_revalidated(login, outsider_olga, tiny_venue):
    client = login(outsider_olga)
    analysis = run_tiny(client)
    page = client.get(analysis.get_absolute_url()).content.decode()
    versioned = re.search(r'data-data-url="([^"]+)"', page).group(1)
    plain = reverse("atlas:analysis-map", args=[analysis.pk])

    first = client.get(versioned)
    unversioned = client.get(plain)
    again = client.get(plain, headers={"If-None-Match": first["ETag"]})
    zipped = client.get(versioned, headers={"Accept-Encoding": "gzip, deflate"})

    # The versioned URL names this answer in this language: it never changes.
    assert first["Cache-Control"] == "private, max-age=31536000, immutable"
    assert unversioned["Cache-Control"] == "private, no-cache"
    assert "Last-Modified" in first
    assert "Accept-Language" in first["Vary"]
    assert again.status_code == 304
    assert again.content == b""
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == first.content
    assert "Accept-Encoding" in zipped["Vary"]


def test_map_data_follows_the_language(login, outsider_olga, tiny_venue):
    client = login(outsider_olga)
    analysis = run_tiny(client, new_sites="0")
    url = reverse("atlas:analysis-map", args=[analysis.pk])

    english = client.get(url, headers={"Accept-Language": "en"})
    french = client.get(url, headers={"Accept-Language": "fr"})

    names = {row[0]: row[1] for row in french.json()["countries"]}
    assert names["276"] == "Allemagne"
    assert english["ETag"] != french["ETag"]


def test_unfinished_analysis_has_no_map_data(settings, login, outsider_olga, tiny_venue):
    settings.TASKS = DUMMY_TASKS  # queued, no worker
    client = login(outsider_olga)
    analysis = run_tiny(client)

    assert client.get(reverse("atlas:analysis-map", args=[analysis.pk])).status_code == 404
    assert client.get(reverse("atlas:analysis-map", args=[analysis.pk + 100])).status_code == 404


def test_result_page_stays_small_with_many_regions(login, outsider_olga, tiny_venue):
    client = login(outsider_olga)
    lines = ["id,lat,lon,weight,region"]
    lines += [
        f"p{i},{40 + i % 30 * 0.3:.1f},{i // 30 * 0.7:.1f},{1000 + i},R{i}" for i in range(300)
    ]
    analysis = run_tiny(client, population_file=upload("\n".join(lines)), new_sites="0")

    page = client.get(analysis.get_absolute_url()).content.decode()

    assert "300 regions; the page shows the first 100" in page
    # 100 regions and one country row ("R0" names no country)
    assert page.count('<th scope="row">') == 100 + 1


def test_index_needs_the_same_queries_for_one_or_three_analyses(
    client, login, outsider_olga, tiny_venue, django_assert_num_queries
):
    geonames = form_data(source="geonames", country="LU", new_sites="0", population_file="")
    run_tiny(login(outsider_olga), **geonames)

    with django_assert_num_queries(1):
        one = client.get(INDEX)
    run_tiny(login(outsider_olga), **geonames)
    run_tiny(login(outsider_olga), **geonames)
    with django_assert_num_queries(1):
        three = client.get(INDEX)

    assert one.content.decode().count("<tr>") == 2
    assert three.content.decode().count("<tr>") == 4


def test_demo_command_makes_one_finished_public_analysis(network_a, tiny_venue):
    from django.core.management import call_command

    call_command("load_demo_atlas", stdout=io.StringIO())
    call_command("load_demo_atlas", stdout=io.StringIO())

    demo = Analysis.objects.get()
    assert (demo.is_demo, demo.is_public, demo.status, demo.new_sites) == (
        True,
        True,
        AnalysisStatus.DONE,
        10,
    )
    assert len(demo.chosen) == 10
    assert demo.summary["after"] > demo.summary["before"] > 0


def test_staff_admin_lists_analyses(client, tiny_venue, django_user_model):
    from tests.conftest import give_totp

    Analysis.objects.create(title="Seen by staff", radius=10, radius_km=10)
    superuser = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    give_totp(superuser)
    client.force_login(superuser)

    response = client.get(reverse("admin:atlas_analysis_changelist"))

    assert response.status_code == 200
    assert "Seen by staff" in response.content.decode()


def test_the_smallest_places_need_a_country(login, outsider_olga):
    data = form_data(source="geonames", dataset="cities500", country="", population_file="")

    response = login(outsider_olga).post(INDEX, data)

    assert "Places this small can be counted one country at a time" in response.content.decode()
    assert Analysis.objects.count() == 0


def main(page: str) -> str:
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def test_tables_can_be_ordered_by_name(login, outsider_olga, tiny_venue):
    client = login(outsider_olga)
    analysis = run_tiny(client, new_sites="0")

    default = client.get(analysis.get_absolute_url()).content.decode()
    by_name = client.get(analysis.get_absolute_url() + "?sort=name").content.decode()
    unknown = client.get(analysis.get_absolute_url() + "?sort=drop table").content.decode()

    assert default.index(">Germany<") < default.index(">Belgium<")  # 350 out of reach, then 0
    assert by_name.index(">Belgium<") < by_name.index(">Germany<")
    assert main(unknown) == main(default)


def test_an_analysis_stuck_for_hours_does_not_block_the_next(
    settings, login, outsider_olga, tiny_venue
):
    settings.TASKS = DUMMY_TASKS
    client = login(outsider_olga)
    stuck = run_tiny(client)
    Analysis.objects.filter(pk=stuck.pk).update(
        status=AnalysisStatus.RUNNING, created_at=timezone.now() - timedelta(hours=3)
    )

    fresh = run_tiny(client)

    assert fresh.pk != stuck.pk
    assert Analysis.objects.count() == 2


def test_region_csv_never_hands_a_formula_to_a_spreadsheet(login, outsider_olga, tiny_venue):
    client = login(outsider_olga)
    text = "id,lat,lon,weight,region\n=HYPERLINK(1),50.0,4.0,100,=cmd|' /C calc'!A0\n"
    analysis = run_tiny(client, new_sites="0", population_file=upload(text))

    regions = client.get(reverse("atlas:analysis-regions-csv", args=[analysis.pk])).content.decode()
    places = client.get(reverse("atlas:analysis-places-csv", args=[analysis.pk])).content.decode()

    assert next(csv.DictReader(io.StringIO(regions)))["region"] == "'=cmd|' /C calc'!A0"
    assert next(csv.DictReader(io.StringIO(places)))["id"] == "'=HYPERLINK(1)"
