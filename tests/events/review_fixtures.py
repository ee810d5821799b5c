"""A conference under review, for the review tests (import the fixtures you use).

Network A runs it (staff_a is its staff). Three committee members: Rita (exhibitions,
climate track), Raj (health) and Rosa, who works at the Atomium. Four proposals are
submitted: one presented by Paul from the Atomium (Rosa's conflict), others from
elsewhere. Two criteria: relevance (weight 2, 0-5) and clarity (weight 1, 0-10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone

from constellation.events.models import (
    CommitteeMember,
    Event,
    Presenter,
    PresenterRole,
    Proposal,
    ProposalState,
    ProposalTopic,
    ReviewCriterion,
    SessionFormat,
    Track,
)
from constellation.networks.models import Topic
from tests import factories


@dataclass
class Review:
    event: Event
    climate: Track
    health: Track
    talk: SessionFormat
    workshop: SessionFormat
    relevance: ReviewCriterion
    clarity: ReviewCriterion
    rita: CommitteeMember
    raj: CommitteeMember
    rosa: CommitteeMember
    atomium_talk: Proposal
    proposals: list[Proposal]


def make_proposal(
    event,
    title,
    *,
    track=None,
    fmt=None,
    presenter="Pat Presenter",
    email="",
    organisation=None,
    person=None,
    topics=(),
    state=ProposalState.SUBMITTED,
):
    proposal = Proposal.objects.create(
        event=event,
        title=title,
        abstract="An abstract long enough to read.",
        format=fmt,
        track=track,
        state=state,
        submitted_at=timezone.now(),
    )
    Presenter.objects.create(
        proposal=proposal,
        name=presenter,
        email=email or f"{presenter.split()[0].lower()}-{proposal.code}@example.org",
        organisation=organisation,
        person=person,
        role=PresenterRole.PROPOSER,
    )
    for slug in topics:
        ProposalTopic.objects.create(proposal=proposal, topic=Topic.objects.get(slug=slug))
    return proposal


def seat(event, name, email, **kwargs) -> CommitteeMember:
    user = factories.UserFactory(email=email, display_name=name)
    return CommitteeMember.objects.create(event=event, user=user, **kwargs)


@pytest.fixture(name="review")
def review_fixture(network_a, atomium) -> Review:
    event = Event.objects.create(
        network=network_a,
        name="Annual Conference 2027",
        slug="ac2027",
        start_date=date(2027, 5, 26),
        end_date=date(2027, 5, 28),
        time_zone="Europe/Brussels",
    )
    climate = Track.objects.create(event=event, name="Climate", slug="climate")
    health = Track.objects.create(event=event, name="Health", slug="health")
    talk = SessionFormat.objects.create(event=event, name="Talk", duration_slots=1)
    workshop = SessionFormat.objects.create(event=event, name="Workshop", duration_slots=2)
    relevance = ReviewCriterion.objects.create(
        event=event, name="Relevance", weight=2, max_score=5, position=0
    )
    clarity = ReviewCriterion.objects.create(
        event=event, name="Clarity", weight=1, max_score=10, position=1
    )
    topics = list(Topic.objects.filter(is_sdg=False).order_by("pk")[:2])
    rita = seat(event, "Rita Reviewer", "rita@example.org")
    rita.expertise.set(topics[:1])
    rita.tracks.set([climate])
    raj = seat(event, "Raj Reviewer", "raj@example.org")
    raj.tracks.set([health])
    rosa = seat(event, "Rosa Reviewer", "rosa@example.org")
    rosa_person = factories.PersonFactory(
        user=rosa.user, name="Rosa Reviewer", email=rosa.user.email
    )
    factories.AffiliationFactory(person=rosa_person, organisation=atomium)
    atomium_talk = make_proposal(
        event,
        "Atoms for all",
        track=climate,
        fmt=talk,
        presenter="Paul Atomium",
        organisation=atomium,
        topics=[topics[0].slug],
    )
    proposals = [
        atomium_talk,
        make_proposal(event, "Climate stories", track=climate, fmt=talk, topics=[topics[0].slug]),
        make_proposal(
            event, "Healthy exhibits", track=health, fmt=workshop, topics=[topics[1].slug]
        ),
        make_proposal(event, "Tinkering at home", track=health, fmt=talk),
    ]
    return Review(
        event,
        climate,
        health,
        talk,
        workshop,
        relevance,
        clarity,
        rita,
        raj,
        rosa,
        atomium_talk,
        proposals,
    )
