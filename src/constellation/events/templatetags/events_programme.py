"""Template helpers of the programme area."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def url_if_exists(name: str, *args) -> str:
    """The URL of `name`, or "" when no such page exists (yet): pages of other areas are
    linked by name and the link hides itself until the area is there.

    Use: {% url_if_exists "events:cfp" event.slug as cfp_url %}{% if cfp_url %}...{% endif %}
    """
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def minutes(session) -> str:
    """A session's length for people: 90 → "1 h 30"."""
    hours, rest = divmod(session.duration_minutes, 60)
    if not hours:
        return gettext("%(m)d min") % {"m": rest}
    if not rest:
        return gettext("%(h)d h") % {"h": hours}
    return gettext("%(h)d h %(m)02d") % {"h": hours, "m": rest}
