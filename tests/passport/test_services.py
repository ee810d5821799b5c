"""The rule and the services that change a programme."""

from __future__ import annotations

import pytest

from constellation.core.geo import distance_km
from constellation.networks.services import DomainError
from constellation.passport import places, services
from constellation.passport.eligibility import evaluate
from constellation.passport.models import Venue, VenueStatus
from constellation.passport.queries import venue_table
from tests.passport.conftest import make_member

HARTFORD_HOME = places.Place("Hartford", 41.7672, -72.676)


def test_evaluate_excludes_a_venue_exactly_at_the_radius():
    lats, lons = [0.0, 0.0, 0.0], [0.0, 1.0, 2.0]
    radius = distance_km(0, 0, 0, 1.0)

    result = evaluate(lats, lons, member_index=0, home_lat=0.0, home_lon=0.0, radius_km=radius)

    assert result.eligible.tolist() == [False, False, True]


def test_evaluate_never_admits_at_the_members_own_venue_even_with_a_tiny_radius():
    result = evaluate([10.0, 20.0], [10.0, 20.0], member_index=0, home_lat=-40.0, home_lon=0.0, radius_km=1e-9)

    assert result.eligible.tolist() == [False, True]


def test_find_venues_lists_eligible_nearest_to_home_with_reasons_for_the_rest(venues, programme):
    table = venue_table(programme)

    finding = services.find_venues(
        table=table, member=table.get(venues["mos"].pk), home=HARTFORD_HOME, radius_km=programme.radius_km
    )

    assert [m.venue.name for m in finding.eligible] == ["Montshire Museum of Science", "Atomium Science Centre"]
    reasons = {m.venue.name: (m.near_member, m.near_home) for m in finding.excluded}
    assert reasons == {"Connecticut Science Center": (False, True), "Seacoast Science Center": (True, False)}


def test_find_venues_sorts_by_where_the_visitor_is_going(venues, programme):
    table = venue_table(programme)
    brussels = places.Place("Brussels", 50.85, 4.35)

    finding = services.find_venues(
        table=table, member=table.get(venues["mos"].pk), home=HARTFORD_HOME, radius_km=programme.radius_km,
        going_to=brussels,
    )

    assert [m.venue.name for m in finding.eligible] == ["Atomium Science Centre", "Montshire Museum of Science"]


def test_check_admission_says_no_near_the_members_venue_with_the_distance(venues, programme):
    table = venue_table(programme)

    verdict = services.check_admission(
        programme=programme, table=table, venue=table.get(venues["seacoast"].pk), member=table.get(venues["mos"].pk),
        home=HARTFORD_HOME,
    )

    assert verdict.admitted is False
    assert verdict.reasons == [
        "Seacoast Science Center is 50.1 mi from Museum of Science, the visitor's venue: within the 90 mi radius."
    ]


def test_check_admission_says_yes_far_from_both(venues, programme):
    table = venue_table(programme)

    verdict = services.check_admission(
        programme=programme, table=table, venue=table.get(venues["montshire"].pk), member=table.get(venues["mos"].pk),
        home=HARTFORD_HOME,
    )

    assert verdict.admitted is True
    assert verdict.reasons == [
        "More than 90 mi from both the visitor's venue (111.1 mi) and their home (134.9 mi)."
    ]


def test_join_programme_waits_for_the_network_and_keeps_the_benefit(programme, network_a):
    organisation = make_member(network_a, "Discovery Museum")

    venue = services.join_programme(
        programme=programme, organisation=organisation, free_general_admission=True, exclusions="planetarium shows"
    )

    assert (venue.status, venue.exclusions, venue.joined_on) == (VenueStatus.PENDING, "planetarium shows", None)
    assert len(venue_table(programme)) == 0


def test_join_programme_twice_writes_once(programme, network_a):
    organisation = make_member(network_a, "Discovery Museum")
    services.join_programme(programme=programme, organisation=organisation)

    with pytest.raises(DomainError, match="already takes part"):
        services.join_programme(programme=programme, organisation=organisation)

    assert Venue.objects.count() == 1


def test_join_programme_refuses_an_organisation_without_coordinates(programme, network_a):
    organisation = make_member(network_a, "Nowhere Museum", lat=None, lon=None)

    with pytest.raises(DomainError, match="has no map coordinates"):
        services.join_programme(programme=programme, organisation=organisation)

    assert Venue.objects.count() == 0


def test_join_programme_refuses_a_non_member(programme, network_b):
    organisation = make_member(network_b, "Other Network Museum")

    with pytest.raises(DomainError, match="Only active members of NETA"):
        services.join_programme(programme=programme, organisation=organisation)

    assert Venue.objects.count() == 0


def test_join_programme_needs_some_benefit(programme, network_a):
    organisation = make_member(network_a, "Stingy Museum")

    with pytest.raises(DomainError, match="Say what the benefit is"):
        services.join_programme(programme=programme, organisation=organisation, free_general_admission=False)

    assert Venue.objects.count() == 0


def test_withdrawn_venue_can_join_again(programme, network_a):
    organisation = make_member(network_a, "Discovery Museum")
    venue = services.join_programme(programme=programme, organisation=organisation, approve=True)
    services.withdraw_venue(venue=venue)

    again = services.join_programme(programme=programme, organisation=organisation)

    assert (again.pk, again.status) == (venue.pk, VenueStatus.PENDING)


def test_approve_venue_twice_is_polite(programme, network_a):
    venue = services.join_programme(programme=programme, organisation=make_member(network_a, "Discovery Museum"))

    assert services.approve_venue(venue=venue) is True
    assert services.approve_venue(venue=venue) is False
    venue.refresh_from_db()
    assert venue.status == VenueStatus.ACTIVE and venue.joined_on is not None


def test_create_programme_once_per_network(programme, network_a):
    with pytest.raises(DomainError, match="already runs a passport programme"):
        services.create_programme(network=network_a, name="Second", radius=10, unit="km")


def test_programme_radius_keeps_its_unit(programme):
    assert (programme.radius_km, programme.in_unit(programme.radius_km)) == (pytest.approx(144.84096), pytest.approx(90))


def test_history_records_who_changed_a_benefit(venues, programme, admin_alice):
    venue = Venue.objects.get(organisation=venues["atomium"])

    services.update_benefit(venue=venue, actor=admin_alice, exclusions="planetarium")

    assert venue.history.first().history_user == admin_alice


def test_venue_of_an_other_programme_is_not_in_the_table(venues, programme, network_b):
    other = services.create_programme(network=network_b, name="B", radius=100, unit="km")
    services.join_programme(programme=other, organisation=make_member(network_b, "B Museum"), approve=True)

    assert sorted(r.name for r in venue_table(programme).rows) == sorted(o.name for o in venues.values())
