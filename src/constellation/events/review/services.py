"""Everything that changes the review of an event: the committee, the criteria, who reviews
what, the reviews themselves and the decisions.

Each function runs in one transaction; those that touch a proposal's review lock the
proposal row first, so a reviewer saving while staff decide sees one or the other, never
half of each. A rule broken raises DomainError with a message ready for the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from constellation.events.models import (
    CommitteeMember,
    DecisionNotice,
    DecisionTemplate,
    Event,
    Proposal,
    ProposalState,
    Review,
    ReviewAssignment,
    ReviewCriterion,
    ReviewScore,
)
from constellation.events.review import assignment as planner
from constellation.events.services import lock_event
from constellation.networks.services import DomainError

# A proposal is reviewed while submitted; staff may change their mind between the three
# decisions until the presenters confirm (then it is in the programme).
UNDER_REVIEW = ProposalState.SUBMITTED
DECISIONS = (ProposalState.ACCEPTED, ProposalState.REJECTED, ProposalState.WAITLISTED)
DECIDABLE = (ProposalState.SUBMITTED, *DECISIONS)


# --- Committee ----------------------------------------------------------------------------


def add_committee_member(
    *,
    event: Event,
    user,
    expertise=(),
    tracks=(),
    conflict_organisations=(),
    max_assignments: int | None = None,
    is_chair: bool = False,
) -> tuple[CommitteeMember, bool]:
    """Seat `user` on the committee, or update their seat if they have one (so the form
    sent twice writes one member). Returns (member, created)."""
    with transaction.atomic():
        lock_event(event)
        member, created = CommitteeMember.objects.get_or_create(event=event, user=user)
        member.max_assignments = max_assignments
        member.is_chair = is_chair
        member.save(update_fields=["max_assignments", "is_chair"])
        member.expertise.set(expertise)
        member.tracks.set([t for t in tracks if t.event_id == event.pk])
        member.conflict_organisations.set(conflict_organisations)
    return member, created


def remove_committee_member(*, member: CommitteeMember) -> None:
    """Take a member off the committee with their open assignments. Refused once they
    submitted a review: that would silently change the scores."""
    with transaction.atomic():
        lock_event(member.event)
        if Review.objects.filter(assignment__reviewer=member, submitted_at__isnull=False).exists():
            raise DomainError(
                _("%(name)s has submitted reviews; they stay on the committee.")
                % {"name": member.user}
            )
        member.delete()


# --- Criteria and scores ------------------------------------------------------------------


def weighted_score(values: dict[int, int], criteria: list[ReviewCriterion]) -> Decimal | None:
    """The weighted mean of the scored criteria, each as a share of its scale, on 0-100.

    Criteria without a score are left out (a criterion added after a review was written
    does not drag it to zero); no score at all gives None.
    """
    total = Decimal(0)
    weights = Decimal(0)
    for criterion in criteria:
        value = values.get(criterion.pk)
        if value is None:
            continue
        total += Decimal(criterion.weight) * Decimal(value) / Decimal(criterion.max_score)
        weights += Decimal(criterion.weight)
    if not weights:
        return None
    return (total / weights * 100).quantize(Decimal("0.001"))


def _recompute_scores(event: Event) -> None:
    criteria = list(ReviewCriterion.objects.filter(event=event))
    reviews = Review.objects.filter(assignment__proposal__event=event).prefetch_related("scores")
    changed = []
    for review in reviews:
        score = weighted_score({s.criterion_id: s.value for s in review.scores.all()}, criteria)
        if score != review.score:
            review.score = score
            changed.append(review)
    Review.objects.bulk_update(changed, ["score"])


def save_criterion(
    *,
    event: Event,
    name: str,
    description: str = "",
    weight: Decimal | int = 1,
    max_score: int = 5,
    criterion: ReviewCriterion | None = None,
) -> ReviewCriterion:
    """Add a criterion, or change one; every review's weighted score is recomputed.

    A scale cannot shrink below a score already given (that score would mean nothing).
    """
    with transaction.atomic():
        lock_event(event)
        if criterion is not None:
            highest = max(criterion.scores.values_list("value", flat=True), default=0)
            if max_score < highest:
                raise DomainError(
                    _(
                        "Reviews already gave %(value)s for “%(name)s”; the highest score cannot be lower."
                    )
                    % {"value": highest, "name": criterion.name}
                )
        else:
            criterion = ReviewCriterion(event=event, position=event.review_criteria.count())
        if ReviewCriterion.objects.filter(event=event, name=name).exclude(pk=criterion.pk).exists():
            raise DomainError(_("There is already a criterion with this name."))
        criterion.name = name
        criterion.description = description
        criterion.weight = weight
        criterion.max_score = max_score
        criterion.save()
        _recompute_scores(event)
    return criterion


def delete_criterion(*, criterion: ReviewCriterion) -> None:
    """Remove a criterion and the scores given for it; the weighted scores are recomputed."""
    with transaction.atomic():
        event = lock_event(criterion.event)
        criterion.delete()
        _recompute_scores(event)


# --- Assignments --------------------------------------------------------------------------


@dataclass
class AssignmentReport:
    created: int = 0
    removed: int = 0
    short: list[tuple[Proposal, int]] = field(default_factory=list)  # (proposal, missing)
    loads: dict[int, int] = field(default_factory=dict)


def _committee(event: Event) -> list[CommitteeMember]:
    return list(
        CommitteeMember.objects.filter(event=event)
        .select_related("user")
        .prefetch_related("expertise", "tracks", "conflict_organisations", "conflict_proposals")
    )


def assign_automatically(*, event: Event, per_proposal: int) -> AssignmentReport:
    """Give every proposal under review `per_proposal` reviewers, by the planner in
    assignment.py (coverage, then even load, then expertise; never a conflict, never above
    a member's limit).

    Assignments made by hand and those with a review begun are kept and count towards both
    the proposal's reviewers and the member's load; the other automatic ones are planned
    afresh (so new members, limits and conflicts are taken into account).
    """
    if per_proposal < 1:
        raise DomainError(_("Ask for at least one reviewer per proposal."))
    with transaction.atomic():
        lock_event(event)
        members = _committee(event)
        if not members:
            raise DomainError(_("Add committee members first."))
        proposals = list(
            Proposal.objects.filter(event=event, state=UNDER_REVIEW).prefetch_related("topic_links")
        )
        stale = ReviewAssignment.objects.filter(
            proposal__event=event, is_manual=False, review__isnull=True
        )
        removed = stale.count()
        stale.delete()
        kept = list(
            ReviewAssignment.objects.filter(proposal__event=event).values_list(
                "proposal_id", "reviewer_id"
            )
        )
        conflicts = planner.find_conflicts(members, proposals)
        load: dict[int, int] = {m.pk: 0 for m in members}
        keeps: dict[int, set[int]] = {p.pk: set() for p in proposals}
        for proposal_id, reviewer_id in kept:
            load[reviewer_id] = load.get(reviewer_id, 0) + 1
            if proposal_id in keeps:
                keeps[proposal_id].add(reviewer_id)
        reviewers = [
            planner.Reviewer(
                id=m.pk,
                load=load[m.pk],
                capacity=m.max_assignments,
                expertise=frozenset(t.pk for t in m.expertise.all()),
                tracks=frozenset(t.pk for t in m.tracks.all()),
            )
            for m in members
        ]
        papers = [
            planner.Paper(
                id=p.pk,
                target=per_proposal,
                have=len(keeps[p.pk]),
                topics=frozenset(link.topic_id for link in p.topic_links.all()),
                track=p.track_id,
                excluded=frozenset(
                    keeps[p.pk] | {m.pk for m in members if conflicts.reason(m.pk, p.pk)}
                ),
            )
            for p in proposals
        ]
        plan = planner.plan_assignments(papers, reviewers)
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(proposal_id=p, reviewer_id=r, is_manual=False) for p, r in plan.pairs
        )
    by_id = {p.pk: p for p in proposals}
    short = sorted(
        ((by_id[pid], missing) for pid, missing in plan.short.items()), key=lambda x: x[0].title
    )
    return AssignmentReport(created=len(plan.pairs), removed=removed, short=short, loads=plan.loads)


def add_assignment(*, proposal: Proposal, member: CommitteeMember) -> ReviewAssignment:
    """Staff give a proposal to a member by hand; kept when the automatic assignment runs
    again. Refused on a conflict of interest or a member's limit. Adding twice is harmless."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if member.event_id != proposal.event_id:
            raise DomainError(_("This member is on another event's committee."))
        member = (
            CommitteeMember.objects.prefetch_related("conflict_organisations", "conflict_proposals")
            .select_related("user")
            .get(pk=member.pk)
        )
        reason = planner.find_conflicts([member], [proposal]).reason(member.pk, proposal.pk)
        if reason:
            raise DomainError(
                _("%(name)s cannot review this proposal: %(reason)s.")
                % {"name": member.user, "reason": reason}
            )
        existing = ReviewAssignment.objects.filter(proposal=proposal, reviewer=member).first()
        if existing is not None:
            if not existing.is_manual:
                existing.is_manual = True
                existing.save(update_fields=["is_manual"])
            return existing
        if (
            member.max_assignments is not None
            and member.assignments.count() >= member.max_assignments
        ):
            raise DomainError(
                _("%(name)s already has %(count)s proposals, their limit.")
                % {"name": member.user, "count": member.max_assignments}
            )
        return ReviewAssignment.objects.create(proposal=proposal, reviewer=member, is_manual=True)


def remove_assignment(*, assignment: ReviewAssignment) -> None:
    """Take a proposal away from a reviewer. Refused once their review is submitted."""
    with transaction.atomic():
        Proposal.objects.select_for_update().get(pk=assignment.proposal_id)
        if Review.objects.filter(assignment=assignment, submitted_at__isnull=False).exists():
            raise DomainError(_("This review is submitted; it stays."))
        assignment.delete()


def declare_conflict(*, assignment: ReviewAssignment) -> None:
    """A reviewer declares a conflict with a proposal: it is recorded on their seat (so the
    automatic assignment never gives it back) and the assignment, with any draft, goes."""
    with transaction.atomic():
        Proposal.objects.select_for_update().get(pk=assignment.proposal_id)
        assignment.reviewer.conflict_proposals.add(assignment.proposal_id)
        ReviewAssignment.objects.filter(pk=assignment.pk).delete()


# --- Reviews ------------------------------------------------------------------------------


def save_review(
    *,
    assignment: ReviewAssignment,
    scores: dict[int, int | None],
    comment: str = "",
    comment_for_presenters: str = "",
    submit: bool = False,
) -> Review:
    """Write a reviewer's scores and comments; with `submit`, or once submitted, every
    criterion must have a score. Closed as soon as staff decide on the proposal.

    scores: criterion id -> value (None = not scored yet). The weighted score is stored.
    """
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=assignment.proposal_id)
        if proposal.state != UNDER_REVIEW:
            raise DomainError(_("A decision was made on this proposal; reviews are closed."))
        criteria = list(ReviewCriterion.objects.filter(event_id=proposal.event_id))
        if not criteria:
            raise DomainError(_("The review criteria are not set yet."))
        values: dict[int, int] = {}
        for criterion in criteria:
            value = scores.get(criterion.pk)
            if value is None:
                continue
            if not 0 <= value <= criterion.max_score:
                raise DomainError(
                    _("“%(name)s” is scored from 0 to %(max)s.")
                    % {"name": criterion.name, "max": criterion.max_score}
                )
            values[criterion.pk] = value
        review = Review.objects.filter(assignment=assignment).first() or Review(
            assignment=assignment
        )
        if (submit or review.submitted_at) and len(values) < len(criteria):
            missing = ", ".join(c.name for c in criteria if c.pk not in values)
            raise DomainError(
                _("Score every criterion to submit: %(missing)s.") % {"missing": missing}
            )
        review.comment = comment
        review.comment_for_presenters = comment_for_presenters
        review.score = weighted_score(values, criteria)
        if submit and review.submitted_at is None:
            review.submitted_at = timezone.now()
        review.save()
        review.scores.exclude(criterion_id__in=values).delete()
        for criterion_id, value in values.items():
            ReviewScore.objects.update_or_create(
                review=review, criterion_id=criterion_id, defaults={"value": value}
            )
    return review


# --- Decisions ----------------------------------------------------------------------------


def decide_proposals(*, event: Event, proposals, decision: str) -> int:
    """Accept, reject or waitlist proposals, all or none: if one of them cannot take the
    decision (withdrawn, a draft, confirmed, another event) nothing changes. Proposals
    already in that state are left as they are. Returns how many changed.

    Reviews close on a decided proposal. Mails go out only when staff send them
    (queue_decision_mails), so a decision can still be reconsidered quietly.
    """
    if decision not in DECISIONS:
        raise DomainError(_("Choose accept, reject or waiting list."))
    ids = [p.pk for p in proposals]
    if not ids:
        raise DomainError(_("Choose at least one proposal."))
    with transaction.atomic():
        locked = list(Proposal.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        wrong = [p for p in locked if p.event_id != event.pk or p.state not in DECIDABLE]
        if wrong or len(locked) != len(set(ids)):
            names = ", ".join(f"“{p.title}” ({p.get_state_display()})" for p in wrong[:5])
            raise DomainError(
                _("Nothing was changed: these proposals cannot take a decision: %(names)s.")
                % {"names": names or "?"}
            )
        now = timezone.now()
        changing = [p for p in locked if p.state != decision]
        for proposal in changing:
            # One save each (not a bulk update) so the proposal's history records the decision.
            proposal.state = decision
            proposal.decided_at = now
            proposal.save(update_fields=["state", "decided_at", "updated_at"])
    return len(changing)


def save_decision_template(
    *, event: Event, decision: str, subject: str, body: str
) -> DecisionTemplate:
    """The event's own wording for a decision mail (replacing the default)."""
    with transaction.atomic():
        template, _created = DecisionTemplate.objects.update_or_create(
            event=event, decision=decision, defaults={"subject": subject, "body": body}
        )
    return template


def queue_decision_mails(*, event: Event, actor=None) -> int:
    """Queue the decision mail of every decided proposal whose presenters were not yet told
    of its current decision; a worker sends them after commit (mails.py). Returns how many
    wait to be sent. Running it twice queues nothing new: a DecisionNotice per
    (proposal, decision) is the record, and the sender marks it sent under a lock.
    """
    from constellation.events.review.tasks import send_decision_mails_task

    with transaction.atomic():
        lock_event(event)
        told = DecisionNotice.objects.filter(proposal_id__in=Proposal.objects.filter(event=event))
        decided = (
            Proposal.objects.filter(event=event, state__in=DECISIONS)
            .annotate(
                told=Count(
                    "decision_notices",
                    filter=Q(decision_notices__decision=F("state")),
                )
            )
            .filter(told=0)
        )
        DecisionNotice.objects.bulk_create(
            [DecisionNotice(proposal=p, decision=p.state, created_by=actor) for p in decided],
            ignore_conflicts=True,
        )
        pending = told.filter(sent_at__isnull=True).count()
        if pending:
            event_id = event.pk
            transaction.on_commit(lambda: send_decision_mails_task.enqueue(event_id))
    return pending
