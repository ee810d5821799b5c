"""Reads of the review pages, each a fixed number of queries whatever the event's size."""

from __future__ import annotations

from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Min,
    Prefetch,
    Q,
    StdDev,
)

from constellation.events.models import (
    CommitteeMember,
    Event,
    Proposal,
    ProposalState,
    ReviewAssignment,
)

# Two reviews further apart than this (points on the 0-100 scale) flag a disagreement the
# committee should talk about before deciding.
DISAGREEMENT_SPREAD = 30

SORTS = {
    "score": F("mean_score").asc(nulls_last=True),
    "-score": F("mean_score").desc(nulls_last=True),
    "spread": F("spread").asc(nulls_last=True),
    "-spread": F("spread").desc(nulls_last=True),
    "reviews": F("review_count").asc(),
    "-reviews": F("review_count").desc(),
    "title": F("title").asc(),
    "-title": F("title").desc(),
}
DEFAULT_SORT = "-score"

_SUBMITTED = Q(review_assignments__review__submitted_at__isnull=False)
_SCORE = "review_assignments__review__score"


def with_review_figures(proposals):
    """Each proposal with its submitted reviews' count, weighted mean score (0-100), lowest,
    highest, spread (highest - lowest) and standard deviation (population), and the
    number of reviewers assigned. Proposals without a review have None for the scores."""
    return proposals.annotate(
        assigned_count=Count("review_assignments", distinct=True),
        review_count=Count("review_assignments__review", filter=_SUBMITTED),
        mean_score=Avg(_SCORE, filter=_SUBMITTED, output_field=FloatField()),
        low_score=Min(_SCORE, filter=_SUBMITTED),
        high_score=Max(_SCORE, filter=_SUBMITTED),
        stdev_score=StdDev(_SCORE, filter=_SUBMITTED, output_field=FloatField()),
    ).annotate(
        spread=ExpressionWrapper(F("high_score") - F("low_score"), output_field=FloatField())
    )


def decision_table(
    event: Event, *, track=None, format=None, state: str = "", sort: str = DEFAULT_SORT
):
    """The proposals staff decide on (everything submitted, none of the drafts or
    withdrawn ones), filtered and sorted, with their review figures."""
    qs = Proposal.objects.filter(event=event).exclude(
        state__in=(ProposalState.DRAFT, ProposalState.WITHDRAWN)
    )
    if track is not None:
        qs = qs.filter(track=track)
    if format is not None:
        qs = qs.filter(format=format)
    if state:
        qs = qs.filter(state=state)
    qs = with_review_figures(qs.select_related("track", "format"))
    return qs.order_by(SORTS.get(sort, SORTS[DEFAULT_SORT]), "title", "pk")


def committee(event: Event):
    """The committee with what each knows and their load (assigned, submitted)."""
    return (
        CommitteeMember.objects.filter(event=event)
        .select_related("user")
        .prefetch_related("expertise", "tracks", "conflict_organisations", "conflict_proposals")
        .annotate(
            load=Count("assignments", distinct=True),
            done=Count(
                "assignments__review",
                filter=Q(assignments__review__submitted_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("user__display_name", "user__email", "pk")
    )


def proposals_under_review(event: Event):
    """Proposals under review with their reviewers (and each review's state)."""
    assignments = ReviewAssignment.objects.select_related("reviewer__user", "review").order_by(
        "reviewer__user__display_name", "pk"
    )
    return (
        Proposal.objects.filter(event=event, state=ProposalState.SUBMITTED)
        .select_related("track", "format")
        .prefetch_related(
            Prefetch("review_assignments", queryset=assignments), "topic_links__topic"
        )
        .order_by("title", "pk")
    )


def my_assignments(member: CommitteeMember):
    return (
        ReviewAssignment.objects.filter(reviewer=member)
        .select_related("proposal__track", "proposal__format", "review")
        .order_by("proposal__title", "pk")
    )
