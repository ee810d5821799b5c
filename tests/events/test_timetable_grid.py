"""The staff grid editor: who sees it, moves and swaps, what is refused, and the warnings."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from constellation.events.models import Placement, Room
from constellation.events.services import draft_timetable
from constellation.events.timetable.queries import load_draft
from tests.events.fixtures import small_event  # noqa: F401  (fixture)
from tests.events.timetable_fixtures import conference_fixture, draft_places, grow, place  # noqa: F401

pytestmark = pytest.mark.django_db


def grid_url(event) -> str:
    return reverse("events:timetable", args=[event.slug])


def move(client, event, code, slot, room, *, htmx=False, state=None):
    data = {
        "action": "move",
        "move-state": state or load_draft(event).state,
        "move-session": code,
        "move-slot": slot.pk,
        "move-room": room.pk,
    }
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(grid_url(event), data, **headers)


def test_timetable_pages_are_hidden_from_everyone_but_event_staff(
    conference, login, outsider_olga, staff_b
):
    event = conference.event
    run = event.schedule_runs.create()
    urls = [
        grid_url(event),
        reverse("events:optimise", args=[event.slug]),
        reverse("events:schedule_run", args=[event.slug, run.pk]),
        reverse("events:timetable_publish", args=[event.slug]),
    ]

    answers = [
        login(user).get(url).status_code for user in (outsider_olga, staff_b) for url in urls
    ]
    posted = login(staff_b).post(urls[0], {"action": "move"}).status_code

    assert answers == [404] * 8
    assert posted == 404


def test_grid_shows_placed_sessions_by_room_and_lists_the_unplaced(conference, login, staff_a):
    event = conference.event
    place(event, conference.talk, conference.slots[0], conference.hall)

    page = login(staff_a).get(grid_url(event)).content.decode()

    assert "Timetable of Annual Conference 2027" in page
    assert 'id="cell-AAA111"' in page
    assert "1 session not placed" in page
    unplaced = page.split('id="unplaced-heading"')[1].split("</section>")[0]
    assert "Build a tinkering station" in unplaced
    assert "Museums in a warming world" not in unplaced
    assert "Still under review" not in page  # not accepted


def test_a_two_slot_session_spans_two_rows(conference, login, staff_a):
    event = conference.event
    place(event, conference.workshop, conference.slots[2], conference.lab)

    page = login(staff_a).get(grid_url(event)).content.decode()

    assert 'rowspan="2" id="cell-BBB222"' in page


def test_moving_an_unplaced_session_places_it_and_reports_the_figures(conference, login, staff_a):
    event = conference.event
    client = login(staff_a)

    response = move(client, event, "BBB222", conference.slots[2], conference.lab)

    assert response.status_code == 302
    assert draft_places(event) == {"BBB222": (2, "lab")}
    page = client.get(response["Location"]).content.decode()
    assert "“Build a tinkering station” is now in Lab" in page
    assert "Attendees can attend 2 more wanted sessions (A 0 → 2)." in page


def test_moving_a_placed_session_changes_its_slot_and_room(conference, login, staff_a):
    event = conference.event
    place(event, conference.talk, conference.slots[0], conference.hall)

    move(login(staff_a), event, "AAA111", conference.slots[3], conference.lab)

    assert draft_places(event) == {"AAA111": (3, "lab")}
    assert Placement.objects.count() == 1


def test_a_move_into_a_taken_room_is_refused_and_changes_nothing(conference, login, staff_a):
    event = conference.event
    place(event, conference.workshop, conference.slots[2], conference.lab)
    place(event, conference.talk, conference.slots[0], conference.hall)

    # The workshop holds the lab at 9:00 and 11:00 on day 2: 11:00 is taken too.
    response = move(login(staff_a), event, "AAA111", conference.slots[3], conference.lab)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was changed. Lab is taken then by “Build a tinkering station”." in page
    assert draft_places(event) == {"BBB222": (2, "lab"), "AAA111": (0, "hall")}


def test_a_long_session_that_would_run_past_the_day_is_refused(conference, login, staff_a):
    event = conference.event

    response = move(login(staff_a), event, "BBB222", conference.slots[1], conference.lab)

    assert "lasts 2 slots and does not fit there before the day ends" in response.content.decode()
    assert draft_places(event) == {}


def test_a_form_from_before_another_change_is_refused(conference, login, staff_a):
    event = conference.event
    client = login(staff_a)
    old_state = load_draft(event).state
    move(client, event, "AAA111", conference.slots[0], conference.hall)

    # The same form sent again (a double click, or a second tab) does not move anything.
    response = move(client, event, "AAA111", conference.slots[3], conference.hall, state=old_state)

    assert "The timetable changed since you opened this page" in response.content.decode()
    assert draft_places(event) == {"AAA111": (0, "hall")}


def test_swapping_two_sessions_exchanges_their_places(conference, login, staff_a):
    event = conference.event
    place(event, conference.workshop, conference.slots[2], conference.lab)
    place(event, conference.talk, conference.slots[0], conference.hall, fixed=True)
    data = {
        "action": "swap",
        "swap-state": load_draft(event).state,
        "swap-first": "AAA111",
        "swap-second": "BBB222",
    }

    response = login(staff_a).post(grid_url(event), data)

    assert response.status_code == 302
    assert draft_places(event) == {"AAA111": (2, "lab"), "BBB222": (0, "hall")}
    assert Placement.objects.get(proposal=conference.talk).is_fixed is True  # the pin goes along


def test_taking_a_session_out_lists_it_as_unplaced(conference, login, staff_a):
    event = conference.event
    place(event, conference.talk, conference.slots[0], conference.hall)
    data = {
        "action": "unplace",
        "unplace-state": load_draft(event).state,
        "unplace-session": "AAA111",
    }

    login(staff_a).post(grid_url(event), data)

    assert draft_places(event) == {}


def test_htmx_move_answers_the_editor_with_the_outcome(conference, login, staff_a):
    event = conference.event

    response = move(
        login(staff_a), event, "AAA111", conference.slots[0], conference.hall, htmx=True
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="editor">')
    assert "<html" not in page
    assert "“Museums in a warming world” is now in Hall" in page
    assert draft_places(event) == {"AAA111": (0, "hall")}


def warnings_of(client, event) -> str:
    page = client.get(grid_url(event)).content.decode()
    return page.split('id="warnings-heading"')[1].split("</section>")[0]


def test_a_presenter_in_two_sessions_at_once_is_warned_and_costs_interests(
    conference, login, staff_a
):
    event = conference.event
    client = login(staff_a)
    place(event, conference.workshop, conference.slots[2], conference.lab)
    place(event, conference.talk, conference.slots[0], conference.hall)

    response = move(client, event, "AAA111", conference.slots[3], conference.hall)

    assert draft_places(event)["AAA111"] == (3, "hall")  # allowed, with a warning
    messages = client.get(response["Location"]).content.decode()
    assert "Attendees can attend 1 wanted session fewer (A 3 → 2)." in messages
    assert (
        "Presenter clash:</span> Ana Silva presents “Museums in a warming world” and “Build a tinkering station” at the same time"
        in warnings_of(client, event)
    )


def test_unavailable_session_and_presenter_are_warned(conference, login, staff_a):
    event = conference.event
    client = login(staff_a)
    place(event, conference.talk, conference.slots[2], conference.hall)  # the talk cannot be then
    place(event, conference.workshop, conference.slots[0], conference.lab)  # Ana is away at 11:00

    warnings = warnings_of(client, event)

    assert "“Museums in a warming world” cannot take place on" in warnings
    assert "Ana Silva is not available on" in warnings
    assert "but presents “Build a tinkering station”" in warnings


def test_a_session_outside_its_formats_rooms_is_warned(conference, login, staff_a):
    event = conference.event
    place(event, conference.workshop, conference.slots[2], conference.hall)

    warnings = warnings_of(login(staff_a), event)

    assert "“Build a tinkering station” is in Hall; its format only uses Lab." in warnings


def test_a_room_smaller_than_the_interest_is_warned(conference, login, staff_a):
    event = conference.event
    Room.objects.filter(pk=conference.lab.pk).update(capacity=1)
    place(event, conference.workshop, conference.slots[2], conference.lab)

    warnings = warnings_of(login(staff_a), event)

    assert "2 attendees want “Build a tinkering station” but Lab seats 1." in warnings


def test_a_good_timetable_has_no_warning(conference, login, staff_a):
    event = conference.event
    place(event, conference.workshop, conference.slots[2], conference.lab)
    place(event, conference.talk, conference.slots[0], conference.hall)

    page = login(staff_a).get(grid_url(event)).content.decode()

    assert "0 warnings" in page
    assert "<dd>3</dd>" in page  # A: every wanted session attendable


def queries_for_grid(client, event) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(grid_url(event))
    assert response.status_code == 200
    return len(captured)


def test_grid_page_runs_the_same_queries_whatever_the_size(conference, login, staff_a):
    event = conference.event
    client = login(staff_a)
    grow(event, sessions=3, attendees=3)
    client.get(grid_url(event))  # sessions, permissions cached as for any later page
    small = queries_for_grid(client, event)

    grow(event, sessions=25, rooms=4, attendees=12)
    large = queries_for_grid(client, event)

    assert draft_timetable(event).placements.count() == 28
    assert small == large


def test_htmx_refusal_answers_the_editor_with_the_reason(conference, login, staff_a):
    event = conference.event
    place(event, conference.workshop, conference.slots[2], conference.lab)

    response = move(login(staff_a), event, "AAA111", conference.slots[2], conference.lab, htmx=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<div id="outcome" class="errors-summary" role="alert" tabindex="-1">' in page
    assert "Lab is taken then by “Build a tinkering station”." in page
    assert draft_places(event) == {"BBB222": (2, "lab")}
