"""Reviewers through the web: they see only their own assignments, score them, submit, and
can declare a conflict; reviews close when staff decide."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from constellation.events.models import Review, ReviewAssignment, ReviewScore
from constellation.events.review import services
from tests.events.review_fixtures import review_fixture  # noqa: F401  (fixture)


def _assign(review, proposal, member):
    return ReviewAssignment.objects.create(proposal=proposal, reviewer=member)


def _url(review, proposal, name="events:review_proposal"):
    return reverse(name, args=[review.event.slug, proposal.code])


def test_my_reviews_lists_only_my_assignments(review, login):
    mine = _assign(review, review.proposals[1], review.rita)
    _assign(review, review.proposals[2], review.raj)

    response = login(review.rita.user).get(reverse("events:review", args=[review.event.slug]))

    assert response.status_code == 200
    assert [a.pk for a in response.context["assignments"]] == [mine.pk]
    assert b"Climate stories" in response.content
    assert b"Healthy exhibits" not in response.content


def test_my_reviews_is_404_for_people_off_the_committee(review, login, member_bob, staff_a):
    url = reverse("events:review", args=[review.event.slug])

    assert login(member_bob).get(url).status_code == 404
    assert login(staff_a).get(url).status_code == 404


def test_a_reviewer_cannot_open_another_members_assignment(review, login):
    _assign(review, review.proposals[2], review.raj)

    response = login(review.rita.user).get(_url(review, review.proposals[2]))

    assert response.status_code == 404


def test_strangers_and_anonymous_cannot_open_a_proposal_to_review(
    review, login, outsider_olga, client
):
    _assign(review, review.proposals[1], review.rita)

    assert login(outsider_olga).get(_url(review, review.proposals[1])).status_code == 404
    assert client.get(_url(review, review.proposals[1])).status_code == 302  # to sign in


def test_reviewer_saves_a_draft_then_submits(review, login):
    assignment = _assign(review, review.proposals[1], review.rita)
    client = login(review.rita.user)
    key_r, key_c = f"score_{review.relevance.pk}", f"score_{review.clarity.pk}"

    draft = client.post(
        _url(review, review.proposals[1]), {key_r: "4", "comment": "Promising", "action": "save"}
    )
    saved = Review.objects.get(assignment=assignment)
    assert draft.status_code == 302
    assert saved.submitted_at is None
    assert saved.score == Decimal("80.000")  # only relevance scored: 4/5

    done = client.post(
        _url(review, review.proposals[1]),
        {
            key_r: "4",
            key_c: "5",
            "comment": "Promising",
            "comment_for_presenters": "Lovely idea",
            "action": "submit",
        },
    )

    saved.refresh_from_db()
    assert done.status_code == 302 and done.url == reverse(
        "events:review", args=[review.event.slug]
    )
    assert saved.submitted_at is not None
    # (2 * 4/5 + 1 * 5/10) / 3 * 100 = 70
    assert saved.score == Decimal("70.000")
    assert dict(ReviewScore.objects.values_list("criterion__name", "value")) == {
        "Relevance": 4,
        "Clarity": 5,
    }
    assert saved.comment_for_presenters == "Lovely idea"


def test_submitting_with_a_criterion_missing_is_refused_and_writes_nothing(review, login):
    assignment = _assign(review, review.proposals[1], review.rita)

    response = login(review.rita.user).post(
        _url(review, review.proposals[1]), {f"score_{review.relevance.pk}": "4", "action": "submit"}
    )

    assert response.status_code == 200
    assert "Score every criterion to submit: Clarity." in response.content.decode()
    assert not Review.objects.filter(assignment=assignment).exists()


def test_a_score_above_the_scale_is_refused(review, login):
    assignment = _assign(review, review.proposals[1], review.rita)

    response = login(review.rita.user).post(
        _url(review, review.proposals[1]),
        {
            f"score_{review.relevance.pk}": "6",
            f"score_{review.clarity.pk}": "5",
            "action": "submit",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors[f"score_{review.relevance.pk}"]
    assert not Review.objects.filter(assignment=assignment).exists()


def test_a_submitted_review_stays_editable_until_staff_decide(review, login):
    assignment = _assign(review, review.proposals[1], review.rita)
    scores = {review.relevance.pk: 5, review.clarity.pk: 10}
    services.save_review(assignment=assignment, scores=scores, submit=True)
    client = login(review.rita.user)
    data = {
        f"score_{review.relevance.pk}": "1",
        f"score_{review.clarity.pk}": "0",
        "action": "submit",
    }

    client.post(_url(review, review.proposals[1]), data)
    assert Review.objects.get(assignment=assignment).score == Decimal("13.333")

    services.decide_proposals(
        event=review.event, proposals=[review.proposals[1]], decision="accepted"
    )
    closed = client.post(
        _url(review, review.proposals[1]), {**data, f"score_{review.relevance.pk}": "5"}
    )

    assert closed.status_code == 200
    assert "reviews are closed" in closed.content.decode()
    assert Review.objects.get(assignment=assignment).score == Decimal("13.333")


def test_declaring_a_conflict_removes_the_assignment_and_it_is_not_given_back(review, login):
    assignment = _assign(review, review.proposals[1], review.rita)
    services.save_review(assignment=assignment, scores={review.relevance.pk: 3})

    response = login(review.rita.user).post(
        _url(review, review.proposals[1], "events:review_conflict")
    )

    assert response.status_code == 302
    assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()
    assert not Review.objects.exists()
    assert list(review.rita.conflict_proposals.all()) == [review.proposals[1]]
    services.assign_automatically(event=review.event, per_proposal=3)
    assert not ReviewAssignment.objects.filter(
        proposal=review.proposals[1], reviewer=review.rita
    ).exists()


def test_nobody_else_can_declare_a_conflict_on_my_assignment(review, login):
    assignment = _assign(review, review.proposals[1], review.rita)

    response = login(review.raj.user).post(
        _url(review, review.proposals[1], "events:review_conflict")
    )

    assert response.status_code == 404
    assert ReviewAssignment.objects.filter(pk=assignment.pk).exists()


def test_my_reviews_page_runs_a_fixed_number_of_queries(review, login, django_assert_num_queries):
    from tests.events.review_fixtures import make_proposal

    client = login(review.rita.user)
    _assign(review, review.proposals[1], review.rita)
    url = reverse("events:review", args=[review.event.slug])
    client.get(url)
    with django_assert_num_queries(5) as small:
        client.get(url)
    for i in range(5):
        _assign(
            review,
            make_proposal(review.event, f"More {i}", track=review.climate, fmt=review.talk),
            review.rita,
        )

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)

    assert len(response.context["assignments"]) == 6


def test_after_the_decision_the_reviewer_reads_their_scores_without_a_form(review, login):
    assignment = _assign(review, review.proposals[1], review.rita)
    services.save_review(assignment=assignment, scores={review.relevance.pk: 3, review.clarity.pk: 7}, submit=True)
    services.decide_proposals(event=review.event, proposals=[review.proposals[1]], decision="rejected")

    response = login(review.rita.user).get(_url(review, review.proposals[1]))

    page = response.content.decode()
    assert "Staff decided on this proposal; the review is closed." in page
    assert "<dt>Relevance</dt><dd>3 / 5</dd>" in page
    assert "Submit review" not in page
