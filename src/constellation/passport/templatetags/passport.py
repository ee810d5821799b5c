from django import template

from constellation.passport.services import format_distance

register = template.Library()


@register.filter
def in_unit(km: float, programme) -> str:
    """A distance in km, shown in the programme's unit: {{ match.distance_km|in_unit:programme }}."""
    return format_distance(programme, km)
