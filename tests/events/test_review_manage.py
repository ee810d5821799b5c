"""Staff run the review from the web: the committee, the criteria and who reviews what."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from constellation.events.models import CommitteeMember, Review, ReviewAssignment, ReviewCriterion
from constellation.events.review import services
from tests import factories
from tests.events.review_fixtures import make_proposal, review_fixture, seat  # noqa: F401  (fixture)


def _manage(review, name="events:review_manage", *args):
    return reverse(name, args=[review.event.slug, *args])


@pytest.mark.parametrize("who", ["member_bob", "staff_b", "rita"])
def test_the_review_pages_are_404_for_anyone_but_event_staff(review, login, request, who):
    user = review.rita.user if who == "rita" else request.getfixturevalue(who)
    client = login(user)

    for url in (
        _manage(review),
        _manage(review, "events:review_decisions"),
        _manage(review, "events:review_scores", review.proposals[1].code),
    ):
        assert client.get(url).status_code == 404
    response = client.post(_manage(review, "events:review_assign_auto"), {"per_proposal": "2"})
    assert response.status_code == 404
    assert not ReviewAssignment.objects.exists()


def test_staff_see_the_committee_with_expertise_and_load(review, login, staff_a):
    ReviewAssignment.objects.create(proposal=review.proposals[1], reviewer=review.rita)

    response = login(staff_a).get(_manage(review))

    assert response.status_code == 200
    members = {m.user.email: m for m in response.context["members"]}
    assert members["rita@example.org"].load == 1
    assert members["raj@example.org"].load == 0
    page = response.content.decode()
    assert "Rita Reviewer" in page and "1 assigned, 0 submitted" in page


def test_staff_add_a_member_by_email(review, login, staff_a, outsider_olga):
    data = {
        "email": "OLGA@example.org",
        "tracks": [review.health.pk],
        "max_assignments": "4",
    }

    response = login(staff_a).post(_manage(review, "events:review_member_save"), data)
    login(staff_a).post(_manage(review, "events:review_member_save"), data)

    assert response.status_code == 302
    member = CommitteeMember.objects.get(event=review.event, user=outsider_olga)
    assert member.max_assignments == 4
    assert list(member.tracks.all()) == [review.health]
    assert CommitteeMember.objects.filter(user=outsider_olga).count() == 1


def test_adding_an_unknown_email_says_so_and_adds_nobody(review, login, staff_a):
    before = CommitteeMember.objects.count()

    response = login(staff_a).post(
        _manage(review, "events:review_member_save"), {"email": "nobody@example.org"}
    )

    assert response.status_code == 200
    assert response.context["member_form"].errors["email"] == [
        "Nobody has an account with this email yet."
    ]
    assert CommitteeMember.objects.count() == before


def test_a_member_with_submitted_reviews_is_not_removed(review, login, staff_a):
    assignment = ReviewAssignment.objects.create(proposal=review.proposals[1], reviewer=review.raj)
    services.save_review(
        assignment=assignment, scores={review.relevance.pk: 3, review.clarity.pk: 3}, submit=True
    )

    login(staff_a).post(_manage(review, "events:review_member_remove", review.raj.pk))
    login(staff_a).post(_manage(review, "events:review_member_remove", review.rita.pk))

    assert CommitteeMember.objects.filter(pk=review.raj.pk).exists()
    assert not CommitteeMember.objects.filter(pk=review.rita.pk).exists()


def test_staff_add_and_edit_criteria_and_scores_follow(review, login, staff_a):
    assignment = ReviewAssignment.objects.create(proposal=review.proposals[1], reviewer=review.raj)
    services.save_review(
        assignment=assignment, scores={review.relevance.pk: 5, review.clarity.pk: 0}, submit=True
    )
    client = login(staff_a)
    assert Review.objects.get().score == Decimal("66.667")

    client.post(
        _manage(review, "events:review_criterion_save", review.clarity.pk),
        {
            f"c{review.clarity.pk}-name": "Clarity",
            f"c{review.clarity.pk}-weight": "2",
            f"c{review.clarity.pk}-max_score": "10",
            "action": "save",
        },
    )
    assert Review.objects.get().score == Decimal("50.000")

    client.post(
        _manage(review, "events:review_criterion_add"),
        {
            "new-name": "Originality",
            "new-description": "New to the field?",
            "new-weight": "1",
            "new-max_score": "3",
        },
    )
    assert list(ReviewCriterion.objects.values_list("name", flat=True)) == [
        "Relevance",
        "Clarity",
        "Originality",
    ]

    client.post(
        _manage(review, "events:review_criterion_save", review.clarity.pk), {"action": "delete"}
    )
    assert Review.objects.get().score == Decimal("100.000")


def test_a_criterion_name_twice_or_a_bad_weight_is_refused(review, login, staff_a):
    client = login(staff_a)

    twice = client.post(
        _manage(review, "events:review_criterion_add"),
        {"new-name": "Clarity", "new-weight": "1", "new-max_score": "5"},
    )
    zero = client.post(
        _manage(review, "events:review_criterion_add"),
        {"new-name": "Zero", "new-weight": "0", "new-max_score": "5"},
    )

    assert twice.status_code == 200 and zero.status_code == 200
    assert "There is already a criterion with this name." in twice.content.decode()
    assert ReviewCriterion.objects.count() == 2


def test_a_scale_cannot_shrink_below_a_given_score(review, login, staff_a):
    assignment = ReviewAssignment.objects.create(proposal=review.proposals[1], reviewer=review.raj)
    services.save_review(assignment=assignment, scores={review.clarity.pk: 8})
    prefix = f"c{review.clarity.pk}"

    response = login(staff_a).post(
        _manage(review, "events:review_criterion_save", review.clarity.pk),
        {
            f"{prefix}-name": "Clarity",
            f"{prefix}-weight": "1",
            f"{prefix}-max_score": "5",
            "action": "save",
        },
    )

    assert response.status_code == 200
    review.clarity.refresh_from_db()
    assert review.clarity.max_score == 10


def test_staff_assign_automatically_from_the_page(review, login, staff_a):
    response = login(staff_a).post(
        _manage(review, "events:review_assign_auto"), {"per_proposal": "2"}, follow=True
    )

    assert ReviewAssignment.objects.count() == 8
    assert not ReviewAssignment.objects.filter(
        proposal=review.atomium_talk, reviewer=review.rosa
    ).exists()
    assert "8 assignments made" in response.content.decode()


def test_assigning_more_reviewers_than_possible_lists_the_proposals_short(review, login, staff_a):
    response = login(staff_a).post(
        _manage(review, "events:review_assign_auto"), {"per_proposal": "3"}, follow=True
    )

    page = response.content.decode()
    assert "1 proposals could not get enough reviewers" in page
    assert "“Atoms for all” lacks 1" in page


def test_staff_add_and_remove_a_reviewer_by_hand_with_htmx(review, login, staff_a):
    client = login(staff_a)
    add_url = _manage(review, "events:review_assignment_add", review.proposals[2].code)

    added = client.post(add_url, {"reviewer": review.raj.pk}, headers={"HX-Request": "true"})

    assignment = ReviewAssignment.objects.get()
    assert added.status_code == 200
    assert assignment.is_manual and assignment.reviewer == review.raj
    assert 'id="proposal-' + review.proposals[2].code + '"' in added.content.decode()
    assert "<html" not in added.content.decode()

    removed = client.post(
        _manage(review, "events:review_assignment_remove", assignment.pk),
        headers={"HX-Request": "true"},
    )

    assert removed.status_code == 200
    assert not ReviewAssignment.objects.exists()


def test_a_conflicted_reviewer_cannot_be_added_by_hand(review, login, staff_a):
    response = login(staff_a).post(
        _manage(review, "events:review_assignment_add", review.atomium_talk.code),
        {"reviewer": review.rosa.pk},
        follow=True,
    )

    assert (
        "cannot review this proposal: same organisation as a presenter" in response.content.decode()
    )
    assert not ReviewAssignment.objects.exists()


def test_a_submitted_review_is_not_taken_away(review, login, staff_a):
    assignment = ReviewAssignment.objects.create(proposal=review.proposals[1], reviewer=review.raj)
    services.save_review(
        assignment=assignment, scores={review.relevance.pk: 3, review.clarity.pk: 3}, submit=True
    )

    login(staff_a).post(_manage(review, "events:review_assignment_remove", assignment.pk))

    assert ReviewAssignment.objects.filter(pk=assignment.pk).exists()


def test_staff_read_every_review_of_a_proposal(review, login, staff_a):
    for member, (r, c) in ((review.rita, (5, 10)), (review.raj, (1, 2))):
        a = ReviewAssignment.objects.create(proposal=review.proposals[1], reviewer=member)
        services.save_review(
            assignment=a,
            scores={review.relevance.pk: r, review.clarity.pk: c},
            comment=f"note from {member.user.display_name}",
            submit=True,
        )

    response = login(staff_a).get(_manage(review, "events:review_scores", review.proposals[1].code))

    page = response.content.decode()
    assert "note from Rita Reviewer" in page and "note from Raj Reviewer" in page
    assert "Reviewers disagree" in page


def test_the_manage_page_runs_a_fixed_number_of_queries(
    review, login, staff_a, django_assert_num_queries
):
    client = login(staff_a)
    services.assign_automatically(event=review.event, per_proposal=2)
    client.get(_manage(review))
    with django_assert_num_queries(22) as small:
        client.get(_manage(review))
    for i in range(6):
        make_proposal(
            review.event, f"More {i}", track=review.climate, fmt=review.talk, topics=["physics"]
        )
        seat(review.event, f"Extra {i}", f"extra{i}@example.org").tracks.set([review.health])
    factories.OrganisationFactory()
    services.assign_automatically(event=review.event, per_proposal=3)

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(_manage(review))

    assert len(response.context["proposals"]) == 10
