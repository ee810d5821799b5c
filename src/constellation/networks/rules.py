"""Who may do what with networks, organisations and people.

Each predicate is checked by web views and the API alike, so they cannot disagree.
"""

from __future__ import annotations

import rules

from constellation.accounts.services import is_network_staff


def staff_network_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_staff_network_ids", None)
    if cached is None:
        cached = set(user.network_staff.values_list("network_id", flat=True))
        user._staff_network_ids = cached
    return cached


@rules.predicate
def is_superuser(user) -> bool:
    return user.is_authenticated and user.is_superuser


@rules.predicate
def is_staff_of_network(user, network) -> bool:
    return network is not None and network.pk in staff_network_ids(user)


@rules.predicate
def is_staff_for_organisation(user, organisation) -> bool:
    """Staff of a network the organisation has (or applied for) a membership in."""
    network_ids = staff_network_ids(user)
    if not network_ids or organisation is None:
        return False
    return organisation.memberships.filter(network_id__in=network_ids).exists()


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    from constellation.networks.models import Affiliation

    return Affiliation.objects.current().filter(
        organisation=organisation, person__user=user, is_admin=True
    ).exists()


@rules.predicate
def is_member(user) -> bool:
    """Signed in and working at a member organisation (or running a network)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_member", None)
    if cached is None:
        from constellation.networks.models import Affiliation, MembershipStatus

        cached = is_network_staff(user) or Affiliation.objects.current().filter(
            person__user=user, organisation__memberships__status=MembershipStatus.ACTIVE
        ).exists()
        user._is_member = cached
    return cached


@rules.predicate
def is_any_network_staff(user) -> bool:
    return is_network_staff(user)


can_manage_organisation = is_superuser | is_staff_for_organisation | is_organisation_admin

rules.add_perm("networks.change_organisation", can_manage_organisation)
rules.add_perm("networks.manage_affiliations", can_manage_organisation)
rules.add_perm("networks.view_organisation_history", is_superuser | is_staff_for_organisation)
rules.add_perm("networks.manage_network", is_superuser | is_staff_of_network)
rules.add_perm("networks.view_people", is_superuser | is_member)
rules.add_perm("networks.import_data", is_superuser | is_any_network_staff)
rules.add_perm("networks.add_organisation", is_superuser | is_any_network_staff)
