"""Who may do what with passport programmes; views and the API check the same predicates.

- Network staff (and superusers) run their network's programme: radius, rules, approving
  and withdrawing venues.
- An organisation's admins (and the staff of its networks: networks.rules) opt their
  venue in or out and edit its benefit.
- Anyone working at a participating venue may use the front-desk check there.
"""

from __future__ import annotations

import rules

from constellation.networks.rules import can_manage_organisation, is_staff_of_network, is_superuser


@rules.predicate
def _programme_network_staff(user, programme) -> bool:
    return programme is not None and is_staff_of_network(user, programme.network)


@rules.predicate
def _venue_organisation_manager(user, venue) -> bool:
    return venue is not None and can_manage_organisation(user, venue.organisation)


can_manage_programme = is_superuser | _programme_network_staff

rules.add_perm("passport.manage_programme", can_manage_programme)
rules.add_perm("passport.change_organisation_venue", can_manage_organisation)
rules.add_perm("passport.change_venue", _venue_organisation_manager)
