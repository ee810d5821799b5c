"""Template helpers of the programme area."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def minutes(session) -> str:
    """A session's length for people: 90 → "1 h 30"."""
    hours, rest = divmod(session.duration_minutes, 60)
    if not hours:
        return gettext("%(m)d min") % {"m": rest}
    if not rest:
        return gettext("%(h)d h") % {"h": hours}
    return gettext("%(h)d h %(m)02d") % {"h": hours, "m": rest}
