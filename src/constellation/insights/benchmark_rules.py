"""Who may benchmark which organisation, and who sees every member's raw figures.

The page, the API and the staff table all ask these functions, so they cannot disagree:

- People who work at an organisation now (admins and colleagues alike) compare it within
  the networks it is an active member of.
- A network's staff compare any organisation with a membership of that network, within
  that network only, and see the raw figures of every member of it.
- Superusers compare anyone anywhere.
- Everyone else gets a 404 for the organisation: whether it reports is itself private.
"""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet

from constellation.networks.models import (
    Affiliation,
    Membership,
    MembershipStatus,
    Network,
    Organisation,
)
from constellation.networks.rules import (
    is_staff_for_organisation,
    is_staff_of_network,
    is_superuser,
    staff_network_ids,
)


def comparable_organisations(user) -> QuerySet[Organisation]:
    """The organisations `user` may benchmark (one query when evaluated)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.filter(pk__in=Membership.objects.values("organisation_id"))
    affiliated = Affiliation.objects.current().filter(
        person__user=user, organisation__memberships__status=MembershipStatus.ACTIVE
    ).values("organisation_id")
    runs = Membership.objects.filter(network_id__in=staff_network_ids(user)).values("organisation_id")
    return Organisation.objects.filter(Q(pk__in=affiliated) | Q(pk__in=runs))


def comparable_networks(user, organisation: Organisation) -> list[Network]:
    """The networks within which `user` may benchmark `organisation` (two queries).

    Each network comes with its insight settings (`network.insight_settings`) joined in.
    """
    memberships = list(
        Membership.objects.filter(organisation=organisation)
        .select_related("network__insight_settings")
        .order_by("network__acronym")
    )
    if user.is_superuser:
        allowed = {m.network_id for m in memberships}
    else:
        staffed = staff_network_ids(user)
        allowed = {m.network_id for m in memberships if m.network_id in staffed}
        if works_at(user, organisation):
            allowed |= {m.network_id for m in memberships if m.status == MembershipStatus.ACTIVE}
    networks: dict[int, Network] = {}
    for membership in memberships:
        if membership.network_id in allowed:
            networks.setdefault(membership.network_id, membership.network)
    return list(networks.values())


def figure_network_ids(user, organisation: Organisation) -> set[int] | None:
    """Whose responses of `organisation` the user may read raw: None for all of them.

    Its own people read everything it reported (also to networks it has left); staff read
    what it reported to their networks.
    """
    if user.is_superuser or works_at(user, organisation):
        return None
    return staff_network_ids(user)


@rules.predicate
def works_at(user, organisation) -> bool:
    """A current affiliation, admin or not."""
    if not user.is_authenticated or organisation is None:
        return False
    return Affiliation.objects.current().filter(person__user=user, organisation=organisation).exists()


@rules.predicate
def may_compare(user, organisation) -> bool:
    return organisation is not None and comparable_organisations(user).filter(pk=organisation.pk).exists()


# Every member's raw figure of a network: its staff only. A member never holds this
# permission, not even for its own network; it sees its own figures and group statistics.
can_view_peer_figures = is_superuser | is_staff_of_network

rules.add_perm("insights.compare_organisation", may_compare)
rules.add_perm("insights.view_organisation_figures", is_superuser | is_staff_for_organisation | works_at)
rules.add_perm("insights.view_peer_figures", can_view_peer_figures)
