"""Who may do what in the access atlas.

Reading: an analysis over GeoNames is public (the directory and GeoNames are public, and
the Toronto Declaration's access goal is public policy); one over an uploaded population
is seen by its owner and superusers only (AnalysisQuerySet.visible_to, used by pages and
API alike). Running an analysis: any signed-in person, one at a time (services.start_analysis).
"""

from __future__ import annotations

import rules


@rules.predicate
def is_signed_in(user) -> bool:
    return user.is_authenticated


rules.add_perm("atlas.run_analysis", is_signed_in)
