"""iCalendar (RFC 5545) files of the programme: the whole programme, one person's starred
sessions (their secret feed) and a single session.

Times are written in the event's time zone with its VTIMEZONE, so a phone abroad still shows
the session at the right hour. UIDs are stable (`<event>-<code>@<host>`): a calendar that
polls the feed updates a moved session instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as VEvent

from constellation.core.calendars import ical_response, uid_host, vtimezone
from constellation.events.models import Event
from constellation.events.programme.queries import ProgrammeData, SessionItem


def session_uid(event: Event, session: SessionItem) -> str:
    return f"event-{event.slug}-session-{session.code}@{uid_host()}"


def _session_event(event: Event, data: ProgrammeData, session: SessionItem) -> VEvent:
    tz = data.tz
    item = VEvent()
    item.add("uid", session_uid(event, session))
    # The stamp is the version's publication: the same version gives the same bytes.
    if data.published_at:
        item.add("dtstamp", data.published_at)
    item.add("dtstart", session.start.astimezone(tz))
    item.add("dtend", session.end.astimezone(tz))
    item.add("summary", session.title)
    presenters = ", ".join(p.name for p in session.presenters)
    description = "\n\n".join(part for part in (presenters, session.abstract) if part)
    if description:
        item.add("description", description)
    item.add("location", ", ".join(p for p in (session.room.name, event.venue_name) if p))
    if session.track:
        item.add("categories", [session.track.name])
    item.add("url", settings.SITE_URL + reverse("events:session", args=[event.slug, session.code]))
    item.add("last-modified", session.updated_at)
    return item


def session_blocks(event: Event, data: ProgrammeData) -> dict[str, bytes]:
    """Each session's VEVENT, serialised once per programme version (folding long lines is
    most of the work), so a personal feed is only put together from these."""
    return {s.code: _session_event(event, data, s).to_ical() for s in data.sessions}


def assemble(event: Event, blocks: Iterable[bytes], *, name: str) -> bytes:
    """A whole calendar: the header, the event's VTIMEZONE, the sessions' blocks."""
    calendar = Calendar()
    calendar.add("prodid", "-//Constellation//Conference programme//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", event.time_zone)
    end = b"END:VCALENDAR\r\n"
    head = calendar.to_ical().removesuffix(end)
    zone = vtimezone(event.time_zone, event.start_date.year).to_ical()
    return head + zone + b"".join(blocks) + end


def build_calendar(
    event: Event, data: ProgrammeData, sessions: Iterable[SessionItem], *, name: str
) -> bytes:
    return assemble(event, (_session_event(event, data, s).to_ical() for s in sessions), name=name)


__all__ = ["assemble", "build_calendar", "ical_response", "session_blocks", "session_uid"]
