"""Who may do what with proposals; pages and the API check the same predicates.

- Anyone who may see the event reads its call for proposals; signed-in people propose.
- The proposer (the person who started the proposal) submits it, withdraws it, invites and
  removes co-presenters.
- Every presenter linked to the proposal (the proposer, and co-presenters once they accepted
  their invitation) reads and edits it, and confirms participation once it is accepted.
- Event staff edit the call (its dates, questions and limits).
- Everybody else: the proposal does not exist for them (404).
"""

from __future__ import annotations

import rules

from constellation.events.models import Presenter, PresenterRole
from constellation.events.rules import event_is_visible, is_event_staff
from constellation.networks.rules import is_superuser


def _linked_roles(user, proposal) -> set[str]:
    """The roles the user holds on the proposal, cached on the proposal for one request."""
    if proposal is None or not user.is_authenticated:
        return set()
    cache = getattr(proposal, "_cfp_roles", None)
    if cache is None or cache[0] != user.pk:
        roles = set(
            Presenter.objects.filter(proposal=proposal, person__user=user).values_list(
                "role", flat=True
            )
        )
        cache = (user.pk, roles)
        proposal._cfp_roles = cache
    return cache[1]


@rules.predicate
def is_presenter(user, proposal) -> bool:
    return bool(_linked_roles(user, proposal))


@rules.predicate
def is_proposer(user, proposal) -> bool:
    return PresenterRole.PROPOSER in _linked_roles(user, proposal)


@rules.predicate
def is_signed_in(user, event) -> bool:
    return user.is_authenticated


rules.add_perm("events.cfp_propose", is_signed_in & event_is_visible)
rules.add_perm("events.cfp_view_proposal", is_presenter)
rules.add_perm("events.cfp_change_proposal", is_presenter)
rules.add_perm("events.cfp_confirm_proposal", is_presenter)
rules.add_perm("events.cfp_submit_proposal", is_proposer)
rules.add_perm("events.cfp_withdraw_proposal", is_proposer)
rules.add_perm("events.cfp_manage_presenters", is_proposer)
rules.add_perm("events.cfp_manage_call", is_event_staff | is_superuser)
