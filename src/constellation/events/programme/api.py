"""The programme in JSON: events and their published sessions (mounted at /api/v1/events).

Reads the same querysets and cached programme data as the pages, so the API and the pages
agree on who sees which event and what is in its programme.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from ninja import Router

from constellation.events.models import Event
from constellation.events.programme import queries
from constellation.events.programme import rules as _rules  # noqa: F401  (registers the perms)
from constellation.events.programme.schemas import EventList, EventOut, SessionList, SessionOut
from constellation.events.queries import get_visible_event
from constellation.networks.schemas import errors

router = Router(tags=["events"])


def _event_out(event: Event) -> dict:
    return {
        "slug": event.slug,
        "name": event.name,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "time_zone": event.time_zone,
        "venue_name": event.venue_name,
        "city": event.city,
        "country": str(event.country or ""),
        "network": event.network.name,
        "is_published": event.is_published,
        "programme_published": event.timetable_published_at is not None,
        "url": settings.SITE_URL + reverse("events:home", args=[event.slug]),
    }


@router.get("/", response=EventList, summary="Events you may see")
def list_events(request):
    items = [_event_out(e) for e in queries.events_visible_to(request.user)]
    return {"items": items, "count": len(items)}


@router.get("/{slug}", response={200: EventOut, **errors(404)}, summary="One event")
def get_event(request, slug: str):
    return _event_out(get_visible_event(request.user, slug))


@router.get(
    "/{slug}/sessions",
    response={200: SessionList, **errors(404)},
    summary="The published programme's sessions",
)
def list_sessions(request, slug: str):
    event = get_visible_event(request.user, slug)
    data = queries.published_programme(event)
    items = [
        SessionOut(
            code=s.code,
            title=s.title,
            abstract=s.abstract,
            language=s.language,
            format=s.format_name,
            track={"slug": s.track.slug, "name": s.track.name, "colour": s.track.colour}
            if s.track
            else None,
            room=s.room.name,
            start=s.start,
            end=s.end,
            presenters=[
                {"name": p.name, "organisation": p.organisation_name} for p in s.presenters
            ],
            url=settings.SITE_URL + reverse("events:session", args=[event.slug, s.code]),
        )
        for s in data.sessions
    ]
    return {"items": items, "count": len(items)}
