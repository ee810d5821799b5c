"""The optimiser from the web: start a run, watch its progress, read its figures; a run that
cannot succeed says why and leaves the draft alone. Tasks run on the immediate backend (the
tests' default), after the request's commit as a worker would."""

from __future__ import annotations

import pytest
from django.urls import reverse

from constellation.events.models import RunStatus, ScheduleRun
from constellation.events.timetable.services import run_schedule
from tests.events.fixtures import small_event  # noqa: F401  (fixture)
from tests.events.timetable_fixtures import conference_fixture, draft_places, place  # noqa: F401

pytestmark = pytest.mark.django_db
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def optimise(client, event, **data):
    return client.post(reverse("events:optimise", args=[event.slug]), {"seconds": 2, **data})


def run_url(run) -> str:
    return reverse("events:schedule_run", args=[run.event.slug, run.pk])


def test_optimiser_run_places_every_session_and_shows_the_figures(
    conference, login, staff_a, django_capture_on_commit_callbacks
):
    event = conference.event
    client = login(staff_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = optimise(client, event)

    run = ScheduleRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run_url(run)
    assert (run.status, run.progress, run.created_by) == (RunStatus.DONE, 1.0, staff_a)
    # The only times that keep every rule (see timetable_fixtures); the talk fits either room.
    places = draft_places(event)
    assert (places["AAA111"][0], places["BBB222"]) == (0, (2, "lab"))
    assert run.figures["before"] is None
    assert run.figures["after"] == {"A": 3, "U": 3, "O": 0, "Q": 1.0, "A_over_U": 1.0}
    assert run.figures["bound"] == 3
    page = client.get(run_url(run)).content.decode()
    assert "Status: <strong>Done</strong>" in page
    assert 'value="100"' in page
    assert "hx-trigger" not in page  # finished: no more polling
    assert "<td>1.000</td>" in page  # Q after
    assert "No timetable can do better than A − O = 3 (Q at most 1.000)" in page


def test_a_second_run_compares_with_the_draft_before(
    conference, login, staff_a, django_capture_on_commit_callbacks
):
    event = conference.event
    place(
        event, conference.talk, conference.slots[3], conference.hall
    )  # a clash-free but poor start
    client = login(staff_a)

    with django_capture_on_commit_callbacks(execute=True):
        optimise(client, event)

    run = ScheduleRun.objects.get()
    assert run.figures["before"]["A"] == 1  # only the talk was placed
    assert run.figures["after"]["A"] == 3


def test_keeping_current_placements_only_places_the_others(
    conference, login, staff_a, django_capture_on_commit_callbacks
):
    event = conference.event
    place(event, conference.talk, conference.slots[0], conference.lab)

    with django_capture_on_commit_callbacks(execute=True):
        optimise(login(staff_a), event, keep_current="on")

    assert ScheduleRun.objects.get().status == RunStatus.DONE
    assert draft_places(event) == {"AAA111": (0, "lab"), "BBB222": (2, "lab")}


def test_a_run_that_finds_no_timetable_fails_clearly_and_keeps_the_draft(
    conference, login, staff_a, django_capture_on_commit_callbacks
):
    event = conference.event
    # Without day 2 the workshop has nowhere to go: Ana is away at 11:00 on day 1.
    place(event, conference.talk, conference.slots[0], conference.hall)
    event.slots.filter(pk__in=[conference.slots[2].pk, conference.slots[3].pk]).delete()
    client = login(staff_a)

    with django_capture_on_commit_callbacks(execute=True):
        optimise(client, event)

    run = ScheduleRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert run.message.startswith(
        "No timetable keeps every rule: 1 sessions found no place (Build a tinkering station)."
    )
    assert draft_places(event) == {"AAA111": (0, "hall")}
    page = client.get(run_url(run)).content.decode()
    assert 'role="alert">No timetable keeps every rule' in page
    assert "The draft timetable was not changed." in page


def test_a_draft_changed_during_the_run_is_kept(conference, login, staff_a, settings):
    settings.TASKS = DUMMY_TASKS
    event = conference.event
    optimise(login(staff_a), event)
    run = ScheduleRun.objects.get()
    # Someone edits the draft while the run works: simulate by editing between reading and writing.
    from constellation.events.timetable import services

    original = services.queries.load_draft
    calls = []

    def load_then_edit(event_):
        draft = original(event_)
        calls.append(1)
        if len(calls) == 1:
            place(event, conference.talk, conference.slots[3], conference.hall)
        return draft

    services.queries.load_draft = load_then_edit
    try:
        run_schedule(run.pk)
    finally:
        services.queries.load_draft = original

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "changed while the optimiser ran" in run.message
    assert draft_places(event) == {"AAA111": (3, "hall")}


def test_progress_page_polls_while_queued_then_redirects_when_done(
    conference, login, staff_a, settings
):
    settings.TASKS = DUMMY_TASKS  # queued, no worker yet
    client = login(staff_a)
    optimise(client, conference.event)
    run = ScheduleRun.objects.get()

    queued = client.get(run_url(run)).content.decode()
    polled = client.get(run_url(run), HTTP_HX_REQUEST="true")
    run_schedule(run.pk)  # the worker picks it up
    finished = client.get(run_url(run), HTTP_HX_REQUEST="true")

    assert "Status: <strong>Queued</strong>" in queued
    assert f'hx-get="{run_url(run)}" hx-trigger="every 1s"' in queued
    assert 'aria-label="Optimiser progress"' in queued
    assert polled.content.decode().lstrip().startswith('<div id="run-progress"')
    assert (finished.status_code, finished["HX-Redirect"]) == (204, run_url(run))


def test_a_second_start_while_one_is_queued_starts_nothing(conference, login, staff_a, settings):
    settings.TASKS = DUMMY_TASKS
    client = login(staff_a)

    optimise(client, conference.event)
    response = optimise(client, conference.event)

    run = ScheduleRun.objects.get()
    assert response["Location"] == run_url(run)
    assert "already running" in client.get(run_url(run)).content.decode()


def test_running_the_task_twice_runs_once(conference, login, staff_a, settings):
    settings.TASKS = DUMMY_TASKS
    optimise(login(staff_a), conference.event)
    run = ScheduleRun.objects.get()
    run_schedule(run.pk)
    done = ScheduleRun.objects.get()

    again = run_schedule(run.pk)

    assert again.finished_at == done.finished_at
    assert again.status == RunStatus.DONE


def test_a_bad_time_limit_is_refused(conference, login, staff_a):
    response = optimise(login(staff_a), conference.event, seconds=0)

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 2." in response.content.decode()
    assert ScheduleRun.objects.count() == 0


def test_a_run_of_another_event_is_not_found(conference, login, staff_a, network_b):
    from constellation.events.models import Event

    other = Event.objects.create(
        network=network_b,
        name="Other",
        slug="other",
        start_date="2027-01-01",
        end_date="2027-01-02",
    )
    run = ScheduleRun.objects.create(event=other)

    response = login(staff_a).get(
        reverse("events:schedule_run", args=[conference.event.slug, run.pk])
    )

    assert response.status_code == 404
