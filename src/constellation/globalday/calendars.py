"""iCalendar (RFC 5545) export of activities, with their own time zones.

Each event keeps the activity's local time and time zone (a VTIMEZONE is added for each
zone used), so a calendar in Tokyo shows a Lyon activity at the right hour. UIDs are stable
(`science-day-<campaign>-activity-<pk>@<host>`): importing the file again updates the
events instead of duplicating them. The icalendar library escapes commas, semicolons and
new lines in text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from constellation.core.calendars import ical_response as core_ical_response
from constellation.core.calendars import uid_host, vtimezone
from constellation.globalday.models import Activity, Campaign


def activity_uid(activity: Activity, campaign: Campaign) -> str:
    return f"science-day-{campaign.year}-activity-{activity.pk}@{uid_host()}"


def build_calendar(activities: Iterable[Activity], campaign: Campaign) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Constellation//Science Day//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", campaign.title)
    stamp = timezone.now()
    for activity in activities:
        event = Event()
        event.add("uid", activity_uid(activity, campaign))
        event.add("dtstamp", stamp)
        event.add("dtstart", activity.local_start)
        event.add("dtend", activity.local_end)
        event.add("summary", activity.title)
        event.add("description", activity.description)
        place = ", ".join(p for p in (activity.place_name, activity.city, str(activity.country.name)) if p)
        event.add("location", f"{activity.organisation.name}: {place}" if place else activity.organisation.name)
        if activity.has_coordinates:
            event.add("geo", (activity.latitude, activity.longitude))
        event.add("url", settings.SITE_URL + activity.get_absolute_url())
        event.add("last-modified", activity.updated_at)
        calendar.add_component(event)
    for position, zone in enumerate(sorted(calendar.get_missing_tzids())):
        calendar.subcomponents.insert(position, vtimezone(zone, campaign.year))
    return calendar.to_ical()


def cached_ical_response(activities: QuerySet[Activity], campaign: Campaign, filters, *, filename: str) -> HttpResponse:
    """The calendar of a filtered list, kept for ten minutes. Serialising thousands of events
    takes seconds, and calendar apps poll; the key moves whenever an activity joins, leaves or
    changes (count and latest change of the matching rows: one small query)."""
    stamp = activities.order_by().aggregate(n=Count("pk"), latest=Max("updated_at"))
    key = "globalday:ics:" + hashlib.sha256(f"{campaign.pk}|{filters!r}|{stamp['n']}|{stamp['latest']}".encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body = build_calendar(activities, campaign)
        cache.set(key, body, 600)
    return core_ical_response(body, filename)


def ical_response(activities: Iterable[Activity], campaign: Campaign, *, filename: str) -> HttpResponse:
    return core_ical_response(build_calendar(activities, campaign), filename)
