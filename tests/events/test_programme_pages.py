"""The conference for attendees: event list and home, the public programme with its
filters and search, session pages, and who may see what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from constellation.events.models import Event
from constellation.networks.models import Visibility
from tests import factories
from tests.events import programme_fixtures

pytestmark = pytest.mark.django_db

small_event = programme_fixtures.small_event
programme_event = programme_fixtures.programme_event


def titles(response) -> list[str]:
    """Session titles on a programme page, in order."""
    return [s.title for group in response.context["by_start"] for s in group["sessions"]]


def test_event_list_shows_published_events_only_to_strangers(client, programme_event, network_a):
    Event.objects.create(
        network=network_a,
        name="Secret summit",
        slug="secret",
        start_date="2027-01-01",
        end_date="2027-01-02",
    )

    response = client.get(reverse("events:list"))

    assert response.status_code == 200
    assert "Annual Conference 2027" in response.text
    assert "Secret summit" not in response.text


def test_event_list_shows_staff_their_unpublished_event(login, staff_a, network_a, programme_event):
    Event.objects.create(
        network=network_a,
        name="Secret summit",
        slug="secret",
        start_date="2027-01-01",
        end_date="2027-01-02",
    )

    response = login(staff_a).get(reverse("events:list"))

    assert "Secret summit" in response.text
    assert "Not published" in response.text


def test_unpublished_event_is_404_for_strangers_on_every_page(
    client, login, outsider_olga, programme_event
):
    event = programme_event.event
    event.is_published = False
    event.save()
    code = programme_event.talk.code
    paths = [
        reverse("events:home", args=[event.slug]),
        reverse("events:programme", args=[event.slug]),
        reverse("events:session", args=[event.slug, code]),
        reverse("events:programme_ical", args=[event.slug]),
        reverse("events:schedule_xml", args=[event.slug]),
        reverse("events:schedule_json", args=[event.slug]),
        reverse("events:programme_pdf", args=[event.slug]),
        f"/api/v1/events/{event.slug}",
        f"/api/v1/events/{event.slug}/sessions",
    ]

    for visitor in (client, login(outsider_olga)):
        assert [visitor.get(path).status_code for path in paths] == [404] * len(paths)


def test_unpublished_event_is_visible_to_its_staff(login, staff_a, network_a, programme_event):
    event = programme_event.event
    event.network = network_a
    event.is_published = False
    event.save()

    response = login(staff_a).get(reverse("events:programme", args=[event.slug]))

    assert response.status_code == 200
    assert titles(response) == ["Museums in a warming world", "Build a tinkering station"]


def test_event_home_shows_dates_venue_network_and_programme_link(client, programme_event):
    event = programme_event.event

    response = client.get(reverse("events:home", args=[event.slug]))

    assert response.status_code == 200
    assert "Square Meeting Centre" in response.text
    assert event.network.name in response.text
    assert reverse("events:programme", args=[event.slug]) in response.text


def test_event_home_links_each_person_to_their_pages(client, login, programme_event):
    """Strangers see the programme; a presenter their proposals after the call closed; a
    reviewer their reviews; someone registered their registration; staff the hub."""
    from datetime import timedelta

    from django.utils import timezone

    from constellation.events.models import CommitteeMember, Registration, TicketType
    from tests.conftest import give_totp

    event = programme_event.event
    event.cfp_deadline = timezone.now() - timedelta(days=1)
    event.registration_opens_at = timezone.now() - timedelta(days=1)
    event.save()
    url = reverse("events:home", args=[event.slug])
    links = {
        name: reverse(f"events:{name}", args=[event.slug])
        for name in (
            "cfp",
            "review",
            "my_registration",
            "register",
            "manage",
            "agenda",
            "draft_programme",
        )
    }

    page = client.get(url).text
    assert links["register"] in page
    assert not any(
        links[name] in page for name in ("cfp", "review", "my_registration", "manage", "agenda")
    )

    reviewer = factories.UserFactory()
    CommitteeMember.objects.create(event=event, user=reviewer)
    page = login(reviewer).get(url).text
    assert links["review"] in page and links["cfp"] in page and links["agenda"] in page
    assert links["draft_programme"] in page
    assert links["manage"] not in page

    attendee = factories.UserFactory()
    ticket = TicketType.objects.create(event=event, name="Member", kind="member", price=100)
    Registration.objects.create(
        event=event,
        user=attendee,
        ticket_type=ticket,
        status="confirmed",
        price=100,
        vat_rate=0,
        name="A",
    )
    page = login(attendee).get(url).text
    assert links["my_registration"] in page and links["register"] not in page

    staff = factories.UserFactory()
    factories.NetworkStaffFactory(network=event.network, user=staff)
    give_totp(staff)
    assert links["manage"] in login(staff).get(url).text


def test_programme_shows_the_first_day_by_default_grouped_by_start(client, programme_event):
    event = programme_event.event

    response = client.get(reverse("events:programme", args=[event.slug]))

    assert titles(response) == ["Museums in a warming world", "Build a tinkering station"]
    assert "09:00" in response.text
    assert "12:30" in response.text  # the workshop runs on into the second slot
    assert 'class="track-chip track-' in response.text


def test_programme_day_without_sessions_says_so(client, programme_event):
    event = programme_event.event

    response = client.get(reverse("events:programme", args=[event.slug]), {"day": "2027-05-27"})

    assert titles(response) == []
    assert "No session matches" in response.text


def test_programme_filters_by_room_and_track(client, programme_event):
    url = reverse("events:programme", args=[programme_event.event.slug])

    by_room = client.get(url, {"room": "lab"})
    by_track = client.get(url, {"track": "climate", "day": "all"})
    by_unknown_track = client.get(url, {"track": "nope"})

    assert titles(by_room) == ["Build a tinkering station"]
    assert titles(by_track) == ["Museums in a warming world", "Build a tinkering station"]
    assert titles(by_unknown_track) == ["Museums in a warming world", "Build a tinkering station"]


def test_programme_search_ignores_accents_and_case_over_title_abstract_presenters(
    client, programme_event
):
    url = reverse("events:programme", args=[programme_event.event.slug])

    in_title = client.get(url, {"q": "MUSÉUMS warming"})
    in_abstract = client.get(url, {"q": "curiosité"})  # abstract says "curiosity"
    in_presenter = client.get(url, {"q": "okafor"})
    nowhere = client.get(url, {"q": "volcano"})

    assert titles(in_title) == ["Museums in a warming world"]
    assert titles(in_abstract) == []
    assert titles(client.get(url, {"q": "curiosity"})) == ["Build a tinkering station"]
    assert titles(in_presenter) == ["Build a tinkering station"]
    assert titles(nowhere) == []


def test_programme_search_finds_accented_words_typed_without_accents(client, programme_event):
    talk = programme_event.talk
    talk.title = "Musées et société"
    talk.save()
    url = reverse("events:programme", args=[programme_event.event.slug])

    response = client.get(url, {"q": "musees societe"})

    assert titles(response) == ["Musées et société"]


def test_programme_htmx_request_renders_only_the_results(client, programme_event):
    url = reverse("events:programme", args=[programme_event.event.slug])

    response = client.get(url, {"room": "hall"}, HTTP_HX_REQUEST="true")

    assert response.text.lstrip().startswith('<section id="programme-results"')
    assert "<html" not in response.text
    assert "Museums in a warming world" in response.text
    assert "09:00" in response.text  # still the event's time zone, not UTC (07:00)


def test_programme_counts_matching_sessions_per_day(client, programme_event):
    url = reverse("events:programme", args=[programme_event.event.slug])

    response = client.get(url, {"q": "tinkering"})

    assert [(d["value"], d["count"]) for d in response.context["days"]] == [
        ("2027-05-26", 1),
        ("2027-05-27", 0),
    ]


def test_programme_not_yet_published_says_so(client, small_event):
    event = small_event.event
    event.is_published = True
    event.save()

    response = client.get(reverse("events:programme", args=[event.slug]))

    assert response.status_code == 200
    assert "not published yet" in response.text


def test_session_page_shows_time_room_track_format_presenters(client, programme_event):
    event = programme_event.event

    response = client.get(
        reverse("events:session", args=[event.slug, programme_event.workshop.code])
    )

    assert response.status_code == 200
    assert "Build a tinkering station" in response.text
    assert "09:00" in response.text and "12:30" in response.text
    assert "Lab" in response.text and "Climate" in response.text and "Workshop" in response.text
    assert "Ana Silva" in response.text and "Ben Okafor" in response.text


def test_session_not_in_published_programme_is_404(client, programme_event):
    event = programme_event.event

    pending = client.get(reverse("events:session", args=[event.slug, "CCC333"]))
    elsewhere = client.get(
        reverse("events:session", args=["other-event", programme_event.talk.code])
    )

    assert pending.status_code == 404
    assert elsewhere.status_code == 404


def test_session_page_links_presenter_for_members_and_organisation_for_all(
    client, login, member_bob, programme_event
):
    event = programme_event.event
    url = reverse("events:session", args=[event.slug, programme_event.talk.code])
    person_url = reverse("networks:person-detail", args=[programme_event.ana.pk])
    organisation_url = reverse("networks:organisation-detail", args=["cite-des-sciences"])

    as_member = login(member_bob).get(url)
    as_visitor = client.get(url)

    assert person_url in as_member.text
    assert person_url not in as_visitor.text
    assert organisation_url in as_member.text and organisation_url in as_visitor.text


def test_session_page_does_not_link_a_private_person(login, member_bob, programme_event):
    ana = programme_event.ana
    ana.name_visibility = Visibility.PRIVATE
    ana.save()
    event = programme_event.event

    response = login(member_bob).get(
        reverse("events:session", args=[event.slug, programme_event.talk.code])
    )

    assert "Ana Silva" in response.text
    assert reverse("networks:person-detail", args=[ana.pk]) not in response.text


def test_tracks_stylesheet_gives_readable_text_on_each_colour(client, programme_event):
    event = programme_event.event
    track = event.tracks.get()
    track.colour = "#ffe066"  # light yellow: black text reads better
    track.save()
    event.tracks.create(name="Night", slug="night", colour="#1a1a40")
    from django.core.cache import cache

    cache.clear()

    response = client.get(reverse("events:tracks_css", args=[event.slug]))

    assert response["Content-Type"].startswith("text/css")
    assert f".track-{track.pk}{{background-color:#ffe066;color:#000000;}}" in response.text
    assert "background-color:#1a1a40;color:#ffffff;" in response.text


def test_api_lists_events_and_published_sessions(client, programme_event):
    event = programme_event.event

    events = client.get("/api/v1/events/").json()
    detail = client.get(f"/api/v1/events/{event.slug}").json()
    sessions = client.get(f"/api/v1/events/{event.slug}/sessions").json()

    assert events["count"] == 1 and events["items"][0]["slug"] == event.slug
    assert detail["programme_published"] is True
    assert sessions["count"] == 2
    workshop = sessions["items"][1]
    assert workshop["title"] == "Build a tinkering station"
    assert workshop["room"] == "Lab"
    assert workshop["start"].startswith("2027-05-26T07:00:00")  # 09:00 in Brussels
    assert workshop["end"].startswith("2027-05-26T10:30:00")
    assert [p["name"] for p in workshop["presenters"]] == ["Ana Silva", "Ben Okafor"]


def test_api_hides_unpublished_events(client, programme_event):
    factories.NetworkFactory()
    event = programme_event.event
    event.is_published = False
    event.save()

    response = client.get("/api/v1/events/")

    assert response.json() == {"items": [], "count": 0}
