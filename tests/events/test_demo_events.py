"""The demo conference: a conference in progress on top of the demo network, safe to load twice."""

from __future__ import annotations

import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction

from constellation.accounts.models import User
from constellation.events import demo, schedule_io
from constellation.events.models import (
    CommitteeMember,
    Event,
    Interest,
    Invoice,
    Payment,
    PaymentStatus,
    Placement,
    Presenter,
    Proposal,
    ProposalState,
    Registration,
    RegistrationStatus,
    Review,
    ReviewAssignment,
    ReviewScore,
    TicketKind,
    TimetableVersion,
    WorkshopBooking,
)
from constellation.events.rules import is_committee_member, is_event_staff
from constellation.events.scheduling.evaluate import evaluate
from constellation.events.scheduling.problem import problem_from_json
from constellation.networks.models import Affiliation


def run(command: str, **options) -> str:
    stdout = io.StringIO()
    call_command(command, stdout=stdout, stderr=io.StringIO(), **options)
    return stdout.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo network (its first 80 institutions) and the demo conference, loaded once
    for this module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        run("load_demo", limit=80)
        output = run("load_demo_events")
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def event(loaded, db) -> Event:
    return Event.objects.get(slug=demo.SLUG)


MODELS = [
    Event,
    Proposal,
    Presenter,
    ReviewAssignment,
    Review,
    ReviewScore,
    CommitteeMember,
    Interest,
    Registration,
    WorkshopBooking,
    Payment,
    Invoice,
    TimetableVersion,
    Placement,
    User,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_command_reports_what_it_made(loaded):
    assert "Demo conference loaded" in loaded
    assert "Q=" in loaded
    assert demo.STAFF_EMAIL in loaded


def test_the_conference_is_published_with_a_feasible_timetable(event):
    published = event.timetable_versions.filter(published_at__isnull=False).get()
    tz = event.tz
    placements = published.placements.select_related("proposal", "slot", "room")
    answer = {p.proposal.code: (p.slot.key(tz), p.room.slug) for p in placements}

    figures = evaluate(problem_from_json(schedule_io.build_problem(event)), answer)

    assert event.is_published and event.timetable_published_at is not None
    assert figures.feasible, figures.violations
    assert set(answer) == set(
        Proposal.objects.filter(event=event).scheduled().values_list("code", flat=True)
    )
    assert figures.Q > 0.6
    assert event.rooms.count() == 12 and event.slots.count() == 12 and event.tracks.count() == 8


def test_the_draft_has_one_change_waiting_to_be_published(event):
    draft = event.timetable_versions.get(published_at__isnull=True)
    published = event.timetable_versions.get(published_at__isnull=False)

    def rows(version):
        return set(version.placements.values_list("proposal_id", "slot_id", "room_id"))

    assert len(rows(draft) - rows(published)) == 2
    assert draft.placements.count() == published.placements.count()


def test_keynotes_are_pinned_in_the_plenary_hall_at_nine(event):
    keynotes = Placement.objects.filter(
        version__event=event, version__published_at__isnull=True, is_fixed=True
    )

    assert keynotes.count() == 3
    assert {p.room.capacity for p in keynotes} == {1000}
    assert {p.slot.start.astimezone(event.tz).hour for p in keynotes} == {9}


def test_proposals_are_in_every_state(event):
    states = Counter(event.proposals.values_list("state", flat=True))

    assert set(states) == set(ProposalState.values)
    assert 150 <= sum(states.values()) <= 180
    assert (
        not event.proposals.exclude(state=ProposalState.DRAFT)
        .filter(submitted_at__isnull=True)
        .exists()
    )


def test_proposals_have_presenters_from_several_institutions_and_open_invitations(event):
    presenters = Presenter.objects.filter(proposal__event=event)

    assert presenters.filter(role="proposer").count() == event.proposals.count()
    assert presenters.filter(
        person__isnull=True, confirmed_at__isnull=True, invitation_token__isnull=False
    ).exists()
    assert presenters.filter(role="co_presenter", person__isnull=False).count() > 50
    assert Proposal.objects.filter(event=event, topic_links__isnull=False).distinct().count() >= 150


def test_reviews_score_decided_proposals_and_respect_conflicts(event):
    decided = event.proposals.filter(
        state__in=[
            ProposalState.ACCEPTED,
            ProposalState.CONFIRMED,
            ProposalState.REJECTED,
            ProposalState.WAITLISTED,
        ]
    ).exclude(format__accepts_proposals=False)
    reviews = Review.objects.filter(assignment__proposal__event=event)

    assert event.committee.count() >= 9
    assert all(p.review_assignments.filter(review__isnull=False).count() >= 2 for p in decided)
    assert reviews.filter(score__isnull=True).count() == 0
    assert ReviewScore.objects.filter(review__in=reviews).count() == 4 * reviews.count()
    assert not ReviewAssignment.objects.filter(
        proposal__event=event, proposal__state__in=[ProposalState.DRAFT, ProposalState.WITHDRAWN]
    ).exists()
    works_at, presenting = defaultdict(set), defaultdict(set)
    for user_id, organisation_id in Affiliation.objects.values_list(
        "person__user_id", "organisation_id"
    ):
        works_at[user_id].add(organisation_id)
    for proposal_id, organisation_id in Presenter.objects.values_list(
        "proposal_id", "organisation_id"
    ):
        presenting[proposal_id].add(organisation_id)
    pairs = ReviewAssignment.objects.filter(proposal__event=event).values_list(
        "reviewer__user_id", "proposal_id"
    )
    assert [pair for pair in pairs if works_at[pair[0]] & presenting[pair[1]]] == []


def test_some_reviews_disagree(event):
    spread = []
    for proposal in event.proposals.filter(state=ProposalState.REJECTED):
        scores = [float(r.score) for r in Review.objects.filter(assignment__proposal=proposal)]
        spread.append(max(scores) - min(scores))

    assert max(spread) >= 40


def test_the_demo_logins_have_their_parts(event):
    staff = User.objects.get(email=demo.STAFF_EMAIL)
    reviewer = User.objects.get(email=demo.REVIEWER_EMAIL)
    presenter = User.objects.get(email=demo.PRESENTER_EMAIL)
    attendee = User.objects.get(email=demo.ATTENDEE_EMAIL)

    assert is_event_staff(staff, event)
    assert is_committee_member(reviewer, event)
    assert ReviewAssignment.objects.filter(reviewer__user=reviewer, review__isnull=True).exists()
    assert ReviewAssignment.objects.filter(reviewer__user=reviewer, review__isnull=False).exists()
    mine = set(
        Proposal.objects.filter(event=event, presenters__person__user=presenter).values_list(
            "state", flat=True
        )
    )
    assert {ProposalState.CONFIRMED, ProposalState.ACCEPTED, ProposalState.DRAFT} <= mine
    assert Interest.objects.filter(user=attendee, proposal__event=event).count() >= 9
    assert (
        Registration.objects.get(event=event, user=attendee).status == RegistrationStatus.CONFIRMED
    )
    assert WorkshopBooking.objects.filter(
        registration__user=attendee, status=RegistrationStatus.WAITING
    ).exists()


def test_attendees_starred_sessions_of_the_timetable(event):
    interests = Interest.objects.filter(proposal__event=event)

    assert interests.count() > 2000
    assert not interests.exclude(
        proposal__state__in=[ProposalState.ACCEPTED, ProposalState.CONFIRMED]
    ).exists()
    assert (
        User.objects.filter(email__startswith="attendee", email__endswith="@example.org").count()
        == demo.ATTENDEES
    )


def test_registrations_stay_within_the_capacities(event):
    registrations = event.registrations.all()
    confirmed = registrations.filter(status=RegistrationStatus.CONFIRMED)
    student = event.ticket_types.get(kind=TicketKind.STUDENT)

    assert 250 <= registrations.count() <= 320
    assert confirmed.count() <= event.capacity
    assert confirmed.filter(ticket_type=student).count() == student.capacity
    assert registrations.filter(ticket_type=student, status=RegistrationStatus.WAITING).exists()
    assert registrations.filter(status=RegistrationStatus.CANCELLED).exists()
    for workshop in event.proposals.filter(format__needs_booking=True).scheduled():
        seats = workshop.seats or 25
        assert workshop.bookings.filter(status=RegistrationStatus.CONFIRMED).count() <= seats
    assert (
        WorkshopBooking.objects.filter(
            proposal__event=event, status=RegistrationStatus.WAITING
        ).count()
        == 6
    )


def test_paid_registrations_have_their_payment(event):
    paid = event.registrations.filter(payment_status=PaymentStatus.PAID)

    assert paid.count() > 100
    assert not paid.filter(payments__isnull=True).exists()
    assert event.registrations.filter(
        payment_status=PaymentStatus.UNPAID, status=RegistrationStatus.CONFIRMED
    ).exists()
    assert event.network.billing.vat_number
    assert not paid.filter(payments__invoice__isnull=True).exists()
    invoiced = Invoice.objects.filter(registration__event=event, credits__isnull=True)
    assert (
        invoiced.count() == event.registrations.exclude(status=RegistrationStatus.WAITING).count()
    )
    assert Invoice.objects.filter(registration__event=event, credits__isnull=False).count() == (
        event.registrations.filter(status=RegistrationStatus.CANCELLED).count()
    )
    assert invoiced.order_by("number").first().number == "ECS-2026-0001"
    assert set(event.ticket_types.values_list("vat_rate", flat=True)) == {demo.VAT}


def test_the_past_edition_comes_from_a_pretalx_schedule(loaded, db):
    past = Event.objects.get(slug=demo.PAST_SLUG)

    assert past.is_published and past.timetable_published_at is not None
    assert past.proposals.filter(state=ProposalState.CONFIRMED).count() == len(demo.PAST_SESSIONS)


def test_running_it_again_changes_nothing(loaded, db):
    before = counts()

    output = run("load_demo_events")

    assert "already there" in output
    assert counts() == before


def test_force_makes_it_again_the_same(loaded, db):
    before = counts()
    states = Counter(Proposal.objects.filter(event__slug=demo.SLUG).values_list("state", flat=True))

    run("load_demo_events", force=True)

    assert counts() == before
    assert (
        Counter(Proposal.objects.filter(event__slug=demo.SLUG).values_list("state", flat=True))
        == states
    )


@pytest.mark.parametrize(
    ("email", "path"),
    [
        ("", "/events/ecsite-2027/programme/"),
        ("", "/events/ecsite-2026/programme/"),
        (demo.ATTENDEE_EMAIL, "/events/ecsite-2027/agenda/"),
        (demo.ATTENDEE_EMAIL, "/events/ecsite-2027/registration/"),
        (demo.REVIEWER_EMAIL, "/events/ecsite-2027/review/"),
        (demo.PRESENTER_EMAIL, "/events/ecsite-2027/cfp/"),
        (demo.STAFF_EMAIL, "/events/ecsite-2027/manage/timetable/"),
        (demo.STAFF_EMAIL, "/events/ecsite-2027/manage/review/"),
        (demo.STAFF_EMAIL, "/events/ecsite-2027/manage/registrations/"),
    ],
)
def test_the_demo_logins_open_their_pages(loaded, db, client, email, path):
    if email:
        client.force_login(User.objects.get(email=email))

    response = client.get(path)

    assert response.status_code == 200
