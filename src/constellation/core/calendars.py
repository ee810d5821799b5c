"""What every iCalendar file of the site shares: the host in stable UIDs, VTIMEZONE
components made once per process, and the HTTP answer."""

from __future__ import annotations

import datetime
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from icalendar import Timezone


@lru_cache(maxsize=2048)
def vtimezone(zone: str, year: int) -> Timezone:
    """The VTIMEZONE of a zone around a year. icalendar finds the transitions by probing
    offsets (tens of milliseconds a zone), so each is made once per process; the component
    is only read afterwards. A year either side is enough: the default range (1970 to 2038)
    makes the file much longer for nothing."""
    return Timezone.from_tzid(zone, first_date=datetime.date(year - 1, 1, 1), last_date=datetime.date(year + 1, 12, 31))


def uid_host() -> str:
    """The host part of stable UIDs (`…@host`)."""
    return urlsplit(settings.SITE_URL).hostname or "constellation.localhost"


def ical_response(body: bytes, filename: str, *, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
