"""Small template helpers every app may use."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language_info, gettext

register = template.Library()


@register.filter
def language_names(codes) -> str:
    """['fr', 'ar'] -> 'French, Arabic' in the reader's language (the code if Django does not know it)."""
    names = []
    for code in codes or []:
        try:
            names.append(get_language_info(code)["name_translated"])
        except KeyError:
            names.append(code)
    # Translators: the separator between items of a list, e.g. "French, Arabic".
    return gettext(", ").join(names)
