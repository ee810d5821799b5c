"""Who may use the programme pages: anyone who may see the event reads its programme;
signed-in people who may see it star sessions and keep an agenda."""

from __future__ import annotations

import rules

from constellation.events.rules import event_is_visible


@rules.predicate
def is_signed_in(user) -> bool:
    return user.is_authenticated


rules.add_perm("events.programme_view", event_is_visible)
rules.add_perm("events.programme_star", is_signed_in & event_is_visible)
