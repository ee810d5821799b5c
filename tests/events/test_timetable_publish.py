"""Publishing the timetable: a summary of what changes, one version per real change, and the
presenters of moved, added or removed sessions are mailed once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from constellation.events.models import Placement, TimetableChange, TimetableVersion
from constellation.events.timetable.notifications import notify_timetable_changes
from constellation.events.timetable.queries import load_draft
from tests.events.fixtures import small_event  # noqa: F401  (fixture)
from tests.events.timetable_fixtures import conference_fixture, place  # noqa: F401

pytestmark = pytest.mark.django_db


def publish_url(event) -> str:
    return reverse("events:timetable_publish", args=[event.slug])


def publish(client, event, label=""):
    return client.post(publish_url(event), {"label": label, "state": load_draft(event).state})


def published(event):
    return list(TimetableVersion.objects.filter(event=event, published_at__isnull=False))


def test_first_publication_records_no_changes_and_mails_nobody(
    conference, login, staff_a, mailoutbox, django_capture_on_commit_callbacks
):
    event = conference.event
    place(event, conference.talk, conference.slots[0], conference.hall)
    client = login(staff_a)
    summary = client.get(publish_url(event)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = publish(client, event, "First")

    assert "First publication" in summary
    assert response.status_code == 302
    [version] = published(event)
    assert (version.label, version.placements.count()) == ("First", 1)
    event.refresh_from_db()
    assert event.timetable_published_at == version.published_at
    assert TimetableChange.objects.count() == 0
    assert mailoutbox == []


def test_later_publication_records_changes_and_mails_the_presenters_once(
    conference, login, staff_a, mailoutbox, django_capture_on_commit_callbacks
):
    event = conference.event
    place(event, conference.talk, conference.slots[0], conference.hall)
    client = login(staff_a)
    publish(client, event)
    Placement.objects.filter(proposal=conference.talk, version__published_at__isnull=True).update(
        slot=conference.slots[3]
    )
    place(event, conference.workshop, conference.slots[2], conference.lab)
    summary = re.sub(r">\s+<", "><", client.get(publish_url(event)).content.decode())

    with django_capture_on_commit_callbacks(execute=True):
        response = publish(client, event)

    assert (
        "<td>moved</td><td>2027-05-26 09:00–10:30 · Hall</td><td>2027-05-27 11:00–12:30 · Hall</td>"
        in summary
    )
    assert "<td>added</td><td>–</td><td>2027-05-27 09:00–10:30 · Lab</td>" in summary
    assert response.status_code == 302
    changes = TimetableChange.objects.order_by("proposal__code")
    assert [(c.proposal.code, c.before, c.after) for c in changes] == [
        ("AAA111", "2027-05-26 09:00–10:30 · Hall", "2027-05-27 11:00–12:30 · Hall"),
        ("BBB222", "", "2027-05-27 09:00–10:30 · Lab"),
    ]
    assert all(c.notified_at for c in changes)
    # Ana presents both sessions (two mails); Ben co-presents the workshop.
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        (
            "Ben@example.org",
            "Annual Conference 2027: the time or room of “Build a tinkering station” changed",
        ),
        (
            conference.ana.email,
            "Annual Conference 2027: the time or room of “Build a tinkering station” changed",
        ),
        (
            conference.ana.email,
            "Annual Conference 2027: the time or room of “Museums in a warming world” changed",
        ),
    ]
    talk_mail = next(m for m in mailoutbox if "Museums" in m.subject)
    assert "Before: 2027-05-26 09:00–10:30 · Hall" in talk_mail.body
    assert "Now: 2027-05-27 11:00–12:30 · Hall" in talk_mail.body

    sent_again = notify_timetable_changes(published(event)[0].pk)

    assert sent_again == 0
    assert len(mailoutbox) == 3


def test_a_removed_session_is_recorded_as_removed(
    conference, login, staff_a, mailoutbox, django_capture_on_commit_callbacks
):
    event = conference.event
    place(event, conference.talk, conference.slots[0], conference.hall)
    place(event, conference.workshop, conference.slots[2], conference.lab)
    client = login(staff_a)
    publish(client, event)
    Placement.objects.filter(
        proposal=conference.workshop, version__published_at__isnull=True
    ).delete()

    with django_capture_on_commit_callbacks(execute=True):
        publish(client, event)

    [change] = TimetableChange.objects.all()
    assert (change.proposal, change.before, change.after) == (
        conference.workshop,
        "2027-05-27 09:00–10:30 · Lab",
        "",
    )
    assert "Now: not in the timetable any more." in mailoutbox[0].body


def test_publishing_an_unchanged_draft_publishes_nothing(conference, login, staff_a):
    event = conference.event
    place(event, conference.talk, conference.slots[0], conference.hall)
    client = login(staff_a)
    publish(client, event)

    response = publish(client, event)

    assert response.status_code == 200
    assert (
        "Nothing changed since the last publication; nothing was published."
        in response.content.decode()
    )
    assert len(published(event)) == 1


def test_an_empty_draft_is_not_published(conference, login, staff_a):
    response = publish(login(staff_a), conference.event)

    assert "The draft timetable is empty" in response.content.decode()
    assert published(conference.event) == []


def test_a_stale_publish_form_publishes_nothing(conference, login, staff_a):
    event = conference.event
    place(event, conference.talk, conference.slots[0], conference.hall)
    client = login(staff_a)
    state = load_draft(event).state
    place(event, conference.workshop, conference.slots[2], conference.lab)

    response = client.post(publish_url(event), {"state": state})

    assert "The timetable changed since you opened this page" in response.content.decode()
    assert published(event) == []
