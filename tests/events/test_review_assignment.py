"""Automatic reviewer assignment: the planner on constructed cases, then on the database
(conflicts of interest read from affiliations, declared conflicts, manual ones kept)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from constellation.events.models import ReviewAssignment
from constellation.events.review import services
from constellation.events.review.assignment import Paper, Reviewer, find_conflicts, plan_assignments
from constellation.networks.services import DomainError
from tests import factories
from tests.events.review_fixtures import make_proposal, review_fixture, seat  # noqa: F401  (fixture)

# --- The planner alone -------------------------------------------------------------------------


def test_plan_never_assigns_a_conflict_and_gives_everyone_enough():
    rng = random.Random(7)
    reviewers = [Reviewer(id=r) for r in range(8)]
    papers = [Paper(id=p, target=3, excluded=frozenset(rng.sample(range(8), 3))) for p in range(30)]

    plan = plan_assignments(papers, reviewers)

    excluded = {p.id: p.excluded for p in papers}
    assert all(r not in excluded[p] for p, r in plan.pairs)
    assert Counter(p for p, _ in plan.pairs) == {p.id: 3 for p in papers}
    assert len(set(plan.pairs)) == len(plan.pairs)
    assert plan.short == {}


def test_plan_spreads_the_load_within_one():
    reviewers = [Reviewer(id=r) for r in range(7)]
    papers = [Paper(id=p, target=2) for p in range(20)]  # 40 reviews over 7 people

    plan = plan_assignments(papers, reviewers)

    loads = Counter(r for _, r in plan.pairs)
    assert sum(loads.values()) == 40
    assert max(loads.values()) - min(loads.values()) <= 1


def test_plan_counts_the_load_already_kept():
    reviewers = [Reviewer(id=0, load=4), Reviewer(id=1), Reviewer(id=2)]
    papers = [Paper(id=p, target=1) for p in range(8)]

    plan = plan_assignments(papers, reviewers)

    assert plan.loads == {0: 4, 1: 4, 2: 4}


def test_plan_prefers_expertise_and_track_when_the_load_is_even():
    reviewers = [
        Reviewer(id=1, expertise=frozenset({10}), tracks=frozenset({100})),
        Reviewer(id=2, expertise=frozenset({20}), tracks=frozenset({200})),
    ]
    papers = [
        Paper(id=1, target=1, topics=frozenset({10}), track=100),
        Paper(id=2, target=1, topics=frozenset({20}), track=200),
        Paper(id=3, target=1, topics=frozenset({10}), track=None),
        Paper(id=4, target=1, topics=frozenset({20}), track=None),
    ]

    plan = plan_assignments(papers, reviewers)

    assert sorted(plan.pairs) == [(1, 1), (2, 2), (3, 1), (4, 2)]


def test_plan_balances_before_matching_expertise():
    """Everyone's expert is the same person: they still do not get all the work."""
    reviewers = [Reviewer(id=1, expertise=frozenset({10})), Reviewer(id=2), Reviewer(id=3)]
    papers = [Paper(id=p, target=1, topics=frozenset({10})) for p in range(6)]

    plan = plan_assignments(papers, reviewers)

    assert Counter(r for _, r in plan.pairs) == {1: 2, 2: 2, 3: 2}


def test_plan_respects_capacity_and_reports_who_lacks_reviewers():
    reviewers = [Reviewer(id=1, capacity=2), Reviewer(id=2, capacity=1)]
    papers = [Paper(id=p, target=2) for p in range(3)]

    plan = plan_assignments(papers, reviewers)

    loads = Counter(r for _, r in plan.pairs)
    assert loads == {1: 2, 2: 1}
    # 3 reviews for 6 wanted: the shortfall is spread, nobody left with none.
    assert sorted(plan.short.values()) == [1, 1, 1]


def test_plan_lets_the_only_possible_reviewer_take_far_more_than_the_average():
    reviewers = [Reviewer(id=0), Reviewer(id=1), Reviewer(id=2)]
    papers = [Paper(id=p, target=1, excluded=frozenset({1, 2})) for p in range(10)]

    plan = plan_assignments(papers, reviewers)

    assert plan.short == {}
    assert plan.loads == {0: 10, 1: 0, 2: 0}


def test_plan_with_everyone_conflicted_reports_the_proposal():
    reviewers = [Reviewer(id=1), Reviewer(id=2)]
    papers = [Paper(id=1, target=2, excluded=frozenset({1, 2})), Paper(id=2, target=1)]

    plan = plan_assignments(papers, reviewers)

    assert plan.short == {1: 2}
    assert len(plan.pairs) == 1 and plan.pairs[0][0] == 2


# --- Conflicts read from the database -------------------------------------------------------------


def _members(review):
    from constellation.events.models import CommitteeMember

    return list(
        CommitteeMember.objects.filter(event=review.event)
        .select_related("user")
        .prefetch_related("conflict_organisations", "conflict_proposals")
    )


def test_conflicts_cover_own_organisation_own_proposal_and_declared(review, atomium):
    colleague = factories.PersonFactory(name="Cleo Colleague")
    factories.AffiliationFactory(person=colleague, organisation=atomium)
    via_person = make_proposal(
        review.event, "Person at the Atomium", person=colleague, presenter="Cleo Colleague"
    )
    own = make_proposal(
        review.event, "Raj's own", presenter="Raj Reviewer", email="RAJ@example.org"
    )
    review.rita.conflict_proposals.add(review.proposals[1])
    elsewhere = factories.OrganisationFactory(name="Elsewhere Museum")
    review.raj.conflict_organisations.add(elsewhere)
    named = make_proposal(review.event, "From elsewhere", organisation=elsewhere)
    proposals = [*review.proposals, via_person, own, named]

    conflicts = find_conflicts(_members(review), proposals)

    assert conflicts.reasons == {
        (review.rosa.pk, review.atomium_talk.pk): "same organisation as a presenter",
        (review.rosa.pk, via_person.pk): "same organisation as a presenter",
        (review.raj.pk, own.pk): "presents this proposal",
        (review.rita.pk, review.proposals[1].pk): "declared a conflict",
        (review.raj.pk, named.pk): "same organisation as a presenter",
    }


def test_a_past_affiliation_is_no_conflict(review, atomium):
    from datetime import date

    from constellation.networks.models import Affiliation

    Affiliation.objects.filter(person__user=review.rosa.user).update(
        start_date=date(2010, 1, 1), end_date=date(2015, 1, 1)
    )

    conflicts = find_conflicts(_members(review), review.proposals)

    assert conflicts.reasons == {}


# --- The service ------------------------------------------------------------------------------


def test_assign_automatically_gives_each_proposal_two_reviewers_without_conflicts(review):
    report = services.assign_automatically(event=review.event, per_proposal=2)

    pairs = set(ReviewAssignment.objects.values_list("proposal_id", "reviewer_id"))
    assert report.created == 8 and report.short == []
    assert (review.atomium_talk.pk, review.rosa.pk) not in pairs
    assert Counter(p for p, _ in pairs) == {p.pk: 2 for p in review.proposals}
    loads = Counter(r for _, r in pairs)
    assert max(loads.values()) - min(loads.values()) <= 1
    # The expert on climate with the climate track reviews the climate proposals.
    assert (review.proposals[1].pk, review.rita.pk) in pairs


def test_assign_automatically_keeps_manual_ones_and_replans_the_rest(review):
    services.add_assignment(proposal=review.proposals[3], member=review.rita)
    services.assign_automatically(event=review.event, per_proposal=1)
    first_auto = set(ReviewAssignment.objects.filter(is_manual=False).values_list("pk", flat=True))

    report = services.assign_automatically(event=review.event, per_proposal=1)

    manual = ReviewAssignment.objects.get(is_manual=True)
    assert (manual.proposal, manual.reviewer) == (review.proposals[3], review.rita)
    assert ReviewAssignment.objects.filter(proposal=review.proposals[3]).count() == 1
    assert report.removed == len(first_auto) == 3
    assert ReviewAssignment.objects.count() == 4


def test_assign_automatically_reports_proposals_short_of_reviewers(review):
    review.rita.max_assignments = 1
    review.rita.save()
    review.raj.max_assignments = 1
    review.raj.save()
    review.rosa.max_assignments = 1
    review.rosa.save()

    report = services.assign_automatically(event=review.event, per_proposal=1)

    assert report.created == 3
    assert len(report.short) == 1 and report.short[0][1] == 1
    assert ReviewAssignment.objects.count() == 3


def test_assign_automatically_leaves_decided_proposals_alone(review):
    review.proposals[2].state = "accepted"
    review.proposals[2].save()

    services.assign_automatically(event=review.event, per_proposal=1)

    assert not ReviewAssignment.objects.filter(proposal=review.proposals[2]).exists()


def test_add_assignment_refuses_a_conflict(review):
    with pytest.raises(DomainError):
        services.add_assignment(proposal=review.atomium_talk, member=review.rosa)

    assert not ReviewAssignment.objects.exists()


def test_add_assignment_twice_writes_once(review):
    services.add_assignment(proposal=review.proposals[1], member=review.raj)
    services.add_assignment(proposal=review.proposals[1], member=review.raj)

    assert ReviewAssignment.objects.count() == 1


def test_add_assignment_respects_the_limit(review):
    review.raj.max_assignments = 1
    review.raj.save()
    services.add_assignment(proposal=review.proposals[1], member=review.raj)

    with pytest.raises(DomainError):
        services.add_assignment(proposal=review.proposals[2], member=review.raj)

    assert ReviewAssignment.objects.count() == 1


def test_a_member_from_another_event_cannot_be_assigned(review, network_a):
    from datetime import date

    from constellation.events.models import Event

    other = Event.objects.create(
        network=network_a,
        name="Other",
        slug="other",
        start_date=date(2027, 1, 1),
        end_date=date(2027, 1, 2),
    )
    stranger = seat(other, "Sam Elsewhere", "sam@example.org")

    with pytest.raises(DomainError):
        services.add_assignment(proposal=review.proposals[1], member=stranger)

    assert not ReviewAssignment.objects.exists()
