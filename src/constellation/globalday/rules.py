"""Who may do what on the science day; pages and the API check the same predicates.

- Anyone reads approved activities, the statistics, the calendar and the widget.
- People currently affiliated with an organisation (admins or not) register, edit, withdraw
  and report its activities: the person running the day at a museum is rarely its admin.
- Staff of a campaign's partner networks (and superusers) moderate the campaign's activities
  and export its report.
"""

from __future__ import annotations

import rules
from django.db.models import QuerySet

from constellation.networks.models import Affiliation, Organisation
from constellation.networks.rules import is_superuser, staff_network_ids

__all__ = ["organisations_for", "staff_network_ids"]


def organisations_for(user) -> QuerySet[Organisation]:
    """The organisations the user may register activities for (current affiliations)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Affiliation.objects.current().filter(person__user=user).values("organisation_id")
    )


@rules.predicate
def acts_for_organisation(user, organisation) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return Affiliation.objects.current().filter(organisation=organisation, person__user=user).exists()


@rules.predicate
def acts_for_activity_organisation(user, activity) -> bool:
    return activity is not None and acts_for_organisation(user, activity.organisation)


@rules.predicate
def is_partner_network_staff(user, campaign) -> bool:
    if campaign is None:
        return False
    network_ids = staff_network_ids(user)
    return bool(network_ids) and campaign.partner_networks.filter(pk__in=network_ids).exists()


@rules.predicate
def moderates_activity_campaign(user, activity) -> bool:
    return activity is not None and is_partner_network_staff(user, activity.campaign)


rules.add_perm("globalday.register_activity", is_superuser | acts_for_organisation)
rules.add_perm("globalday.change_activity", is_superuser | acts_for_activity_organisation)
rules.add_perm("globalday.moderate_campaign", is_superuser | is_partner_network_staff)
rules.add_perm("globalday.moderate_activity", is_superuser | moderates_activity_campaign)
rules.add_perm(
    "globalday.view_activity", is_superuser | acts_for_activity_organisation | moderates_activity_campaign
)
