"""Who may do what in the review: event staff run it, committee members review what they
were given. Checked by every view of the area (imported by views.py)."""

from __future__ import annotations

import rules

from constellation.events.rules import is_committee_member, is_event_staff


@rules.predicate
def is_assigned_reviewer(user, assignment) -> bool:
    """The committee member this assignment belongs to (nobody else sees it, not even
    other members of the committee)."""
    if assignment is None or not user.is_authenticated:
        return False
    return assignment.reviewer.user_id == user.pk


rules.add_perm("events.review_manage", is_event_staff)
rules.add_perm("events.review_review", is_committee_member)
rules.add_perm("events.review_assignment", is_assigned_reviewer)
