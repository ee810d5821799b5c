"""The passport pages, through the test client."""

from __future__ import annotations

import csv
import io
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from constellation.passport import services
from constellation.passport.models import Programme, Venue, VenueStatus
from tests import factories
from tests.passport.conftest import make_member

FINDER = "/passport/neta/"


def test_finder_lists_where_the_membership_is_valid_from_a_zip_code(client, venues):
    response = client.get(FINDER, {"member": venues["mos"].pk, "place": "06103"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "2 venues welcome members of Museum of Science living in 06103 Hartford, CT" in html
    assert html.index("Montshire Museum of Science</a>") < html.index("Atomium Science Centre</a>")
    assert "Connecticut Science Center</strong> (Hartford, Connecticut):\n        within 90 mi of your home." in html
    assert "Seacoast Science Center</strong> (Rye, New Hampshire):\n        within 90 mi of your member venue." in html


def test_finder_finds_a_town_and_shows_the_benefit(client, venues):
    venue = Venue.objects.get(organisation=venues["montshire"])
    services.update_benefit(venue=venue, exclusions="planetarium shows", adults_covered=2, children_covered=4)

    response = client.get(FINDER, {"member": venues["mos"].pk, "place": "Hartford, CT"})

    html = response.content.decode()
    assert "living in Hartford, CT, United States" in html
    assert "for up to 2 adults and 4 children." in html
    assert "Not included: planetarium shows." in html


def test_finder_offers_choices_for_an_ambiguous_town(client, venues):
    response = client.get(FINDER, {"member": venues["mos"].pk, "place": "Springfield"})

    html = response.content.decode()
    assert "Several places are called “Springfield”: choose one." in html
    assert f'href="?member={venues["mos"].pk}&amp;place=Springfield%2C%20MA%2C%20United%20States"' in html


def test_finder_says_when_it_does_not_know_the_town(client, venues):
    response = client.get(FINDER, {"member": venues["mos"].pk, "place": "Qwertyville"})

    assert "We found no town called “Qwertyville”." in response.content.decode()


def test_finder_takes_a_point_instead_of_a_town(client, venues):
    response = client.get(FINDER, {"member": venues["mos"].pk, "latitude": "41.7672", "longitude": "-72.676"})

    assert "2 venues welcome members of Museum of Science living in the point you chose (41.7672, -72.6760)" in (
        response.content.decode()
    )


def test_finder_rejects_a_venue_outside_the_programme(client, venues, network_a):
    outsider = make_member(network_a, "Not In The Programme")

    response = client.get(FINDER, {"member": outsider.pk, "place": "06103"})

    assert "Choose one of the venues taking part." in response.content.decode()


def test_finder_sorts_by_destination(client, venues):
    response = client.get(FINDER, {"member": venues["mos"].pk, "place": "06103", "going_to": "Brussels"})

    html = response.content.decode()
    assert "Nearest to Brussels, Belgium first." in html
    assert html.index("Atomium Science Centre</a>") < html.index("Montshire Museum of Science</a>")


def test_finder_answers_htmx_with_the_results_only(client, venues):
    response = client.get(FINDER, {"member": venues["mos"].pk, "place": "06103"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<form" not in html


def test_finder_of_a_closed_programme_is_404_for_the_public(client, programme):
    services.update_programme(programme=programme, is_active=False)

    assert client.get(FINDER).status_code == 404


def _finder_queries(client, member) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(FINDER, {"member": member.pk, "place": "06103"})
    assert response.status_code == 200
    return len(queries)


def test_finder_query_count_does_not_grow_with_venues(client, programme, network_a):
    first = make_member(network_a, "First", lat=40.0, lon=-75.0)
    services.join_programme(programme=programme, organisation=first, approve=True)
    for n in range(9):
        services.join_programme(programme=programme, organisation=make_member(network_a, f"V{n}", lat=30 + n, lon=-100), approve=True)
    small = _finder_queries(client, first)
    for n in range(90):
        services.join_programme(programme=programme, organisation=make_member(network_a, f"W{n}", lat=25 + n / 5, lon=-90), approve=True)

    large = _finder_queries(client, first)

    assert small == large == 2  # the programme, and its venues (read again: they changed)


def test_finder_reads_unchanged_venues_once(client, venues, django_assert_num_queries):
    client.get(FINDER, {"member": venues["mos"].pk, "place": "06103"})

    with django_assert_num_queries(1):
        client.get(FINDER, {"member": venues["mos"].pk, "place": "06103"})


def test_finder_sees_a_renamed_venue_at_once(client, venues):
    client.get(FINDER, {"member": venues["mos"].pk, "place": "06103"})
    montshire = venues["montshire"]
    montshire.name = "Montshire Museum"
    montshire.save()

    html = client.get(FINDER, {"member": venues["mos"].pk, "place": "06103"}).content.decode()

    assert "Montshire Museum</a>" in html


def test_finder_forgets_a_withdrawn_venue_at_once(client, venues):
    client.get(FINDER, {"member": venues["mos"].pk, "place": "06103"})
    services.withdraw_venue(venue=Venue.objects.get(organisation=venues["montshire"]))

    html = client.get(FINDER, {"member": venues["mos"].pk, "place": "06103"}).content.decode()

    assert "1 venue welcomes members of Museum of Science" in html
    assert "Montshire" not in html


def test_finder_needs_both_coordinates(client, venues):
    response = client.get(FINDER, {"member": venues["mos"].pk, "latitude": "41.7"})

    assert "Give both the latitude and the longitude." in response.content.decode()


def test_place_suggestions_offer_towns_as_one_types(client, db):
    html = client.get("/passport/places/", {"place": "Springf"}).content.decode()

    assert html.startswith('<datalist id="place-suggestions">')
    assert '<option value="Springfield, MA, United States"></option>' in html


def test_participant_list_groups_venues_by_country_and_state(client, venues):
    response = client.get("/passport/neta/venues/")

    html = response.content.decode()
    headings = ("Belgium</h2>", "United States of America: Connecticut</h2>", "United States of America: Vermont</h2>")
    assert all(heading in html for heading in headings)
    assert html.index("United States of America: Connecticut") < html.index("United States of America: Vermont")
    assert "Bring your membership card." in html


def test_participant_list_query_count_is_fixed(client, venues, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get("/passport/neta/venues/")


def test_participant_csv_has_a_row_per_active_venue(client, venues):
    services.withdraw_venue(venue=Venue.objects.get(organisation=venues["seacoast"]))

    response = client.get("/passport/neta/venues.csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert sorted(r["name"] for r in rows) == [
        "Atomium Science Centre", "Connecticut Science Center", "Montshire Museum of Science", "Museum of Science",
    ]
    assert rows[0]["free_general_admission"] == "yes"


def test_participant_pdf_is_a_pdf(client, venues):
    response = client.get("/passport/neta/venues.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# -- Front desk -----------------------------------------------------------------------------------


def test_front_desk_is_404_for_strangers(login, venues, outsider_olga):
    assert login(outsider_olga).get("/passport/neta/check/").status_code == 404


def test_front_desk_sends_anonymous_visitors_to_sign_in(client, venues):
    response = client.get("/passport/neta/check/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_front_desk_says_yes_with_the_reason(login, venues, network_a):
    user = factories.UserFactory(email="desk@example.org")
    person = factories.PersonFactory(user=user, name="Desk Person")
    factories.AffiliationFactory(person=person, organisation=venues["montshire"], role="Front desk")

    response = login(user).post(
        "/passport/neta/check/", {"venue": venues["montshire"].pk, "member": venues["mos"].pk, "place": "06103"}
    )

    html = response.content.decode()
    assert "YES: the benefit applies" in html
    assert "More than 90 mi from both the visitor&#x27;s venue (111.1 mi) and their home (134.9 mi)." in html


def test_front_desk_says_no_near_the_home(login, member_bob, venues):
    response = login(member_bob).post(
        "/passport/neta/check/", {"venue": venues["atomium"].pk, "member": venues["mos"].pk, "place": "Brussels"}
    )

    html = response.content.decode()
    assert "NO: the benefit does not apply" in html
    assert "from the visitor&#x27;s home (Brussels, Belgium): within the 90 mi radius." in html


def test_front_desk_refuses_a_venue_the_user_does_not_work_at(login, member_bob, venues):
    response = login(member_bob).post(
        "/passport/neta/check/", {"venue": venues["montshire"].pk, "member": venues["mos"].pk, "place": "06103"}
    )

    assert "Choose one of your venues." in response.content.decode()


def test_front_desk_preselects_the_users_only_venue(login, member_bob, venues):
    html = login(member_bob).get("/passport/neta/check/").content.decode()

    assert f'<option value="{venues["atomium"].pk}" selected>' in html


def test_network_staff_can_check_at_any_venue(login, staff_a, venues):
    response = login(staff_a).post(
        "/passport/neta/check/", {"venue": venues["seacoast"].pk, "member": venues["mos"].pk, "place": "06103"}
    )

    assert "NO: the benefit does not apply" in response.content.decode()


# -- Opting in and the benefit ---------------------------------------------------------------------


def test_organisation_admin_joins_with_a_benefit(login, admin_alice, programme, atomium):
    response = login(admin_alice).post(
        "/passport/neta/venues/atomium/",
        {"free_general_admission": "on", "adults_covered": "2", "children_covered": "3", "exclusions": "shows"},
    )

    venue = Venue.objects.get(organisation=atomium)
    assert response.status_code == 302
    assert (venue.status, venue.children_covered, venue.exclusions) == (VenueStatus.PENDING, 3, "shows")


def test_joining_without_any_benefit_writes_nothing(login, admin_alice, programme, atomium):
    response = login(admin_alice).post(
        "/passport/neta/venues/atomium/", {"adults_covered": "2", "children_covered": "3"}
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "Say what the benefit is when general admission is not free." in html
    assert "venue_offers_a_benefit" not in html
    assert not Venue.objects.exists()


def test_member_who_is_not_admin_cannot_opt_in(login, member_bob, programme, atomium):
    response = login(member_bob).post("/passport/neta/venues/atomium/", {"free_general_admission": "on"})

    assert response.status_code == 404
    assert not Venue.objects.exists()


def test_admin_withdraws_their_venue(login, admin_alice, venues):
    response = login(admin_alice).post("/passport/neta/venues/atomium/withdraw/")

    assert response.status_code == 302
    assert Venue.objects.get(organisation=venues["atomium"]).status == VenueStatus.WITHDRAWN


def test_admin_cannot_approve_their_own_venue(login, admin_alice, programme, atomium):
    services.join_programme(programme=programme, organisation=atomium)

    response = login(admin_alice).post("/passport/neta/venues/atomium/approve/")

    assert response.status_code == 404
    assert Venue.objects.get(organisation=atomium).status == VenueStatus.PENDING


def test_admin_cannot_withdraw_another_venue(login, admin_alice, venues):
    slug = venues["mos"].slug

    response = login(admin_alice).post(f"/passport/neta/venues/{slug}/withdraw/")

    assert response.status_code == 404
    assert Venue.objects.get(organisation=venues["mos"]).status == VenueStatus.ACTIVE


def test_staff_approve_a_waiting_venue(login, staff_a, programme, atomium):
    services.join_programme(programme=programme, organisation=atomium)

    response = login(staff_a).post("/passport/neta/venues/atomium/approve/", {"next": "manage"})

    assert response["Location"] == "/passport/neta/manage/"
    assert Venue.objects.get(organisation=atomium).status == VenueStatus.ACTIVE


def test_staff_of_another_network_cannot_manage(login, staff_b, programme):
    assert login(staff_b).get("/passport/neta/manage/").status_code == 404


def test_staff_change_the_radius(login, staff_a, programme):
    response = login(staff_a).post(
        "/passport/neta/manage/", {"name": "NETA Passport", "radius": "100", "unit": "km", "is_active": "on"}
    )

    programme.refresh_from_db()
    assert response.status_code == 302
    assert (programme.radius_km, programme.unit) == (100.0, "km")


def test_staff_cannot_set_a_zero_radius(login, staff_a, programme):
    response = login(staff_a).post("/passport/neta/manage/", {"name": "NETA Passport", "radius": "0", "unit": "km"})

    assert response.status_code == 422
    assert Programme.objects.get().radius == 90


def test_my_venues_lists_what_the_admin_can_opt_in(login, admin_alice, programme):
    html = login(admin_alice).get("/passport/neta/my-venues/").content.decode()

    assert "Join with Atomium Science Centre" in html


def test_programme_list_shows_open_programmes(client, programme, network_b):
    services.create_programme(network=network_b, name="Closed one", radius=10, unit="km", is_active=False)

    html = client.get("/passport/").content.decode()

    assert "NETA Passport" in html and "Closed one" not in html


def test_participant_pdf_is_rebuilt_when_the_rules_change(client, venues, programme, monkeypatch):
    built = []
    monkeypatch.setattr("constellation.passport.views.pdf_from_html", lambda html: built.append(html) or b"%PDF-1.7")
    client.get("/passport/neta/venues.pdf")
    client.get("/passport/neta/venues.pdf")
    services.update_programme(programme=programme, rules="Bring a photo ID.")

    client.get("/passport/neta/venues.pdf")

    assert len(built) == 2
    assert "Bring a photo ID." in built[1]


def test_participant_csv_never_hands_a_formula_to_a_spreadsheet(client, venues):
    venue = Venue.objects.get(organisation=venues["mos"])
    services.update_benefit(venue=venue, exclusions="=HYPERLINK(\"http://evil\")", adults_covered=2, children_covered=4)

    response = client.get("/passport/neta/venues.csv")

    row = next(r for r in csv.DictReader(io.StringIO(response.content.decode())) if r["name"] == "Museum of Science")
    assert row["exclusions"] == "'=HYPERLINK(\"http://evil\")"


def test_town_suggestions_never_replace_the_shareable_search_url(client, venues):
    page = client.get("/passport/neta/").content.decode()

    place_input = re.search(r'<input[^>]*name="place"[^>]*>', page).group(0)
    assert 'hx-get="/passport/places/"' in place_input
    assert 'hx-push-url="false"' in place_input
