"""Reads every area of the conference shares."""

from __future__ import annotations

from django.http import Http404

from constellation.events.models import Event


def get_visible_event(user, slug: str, *related: str) -> Event:
    """The event, or 404 for anyone who may not see it (the existence of an unpublished event
    is private). `related`: more relations to load with it besides the network."""
    event = Event.objects.select_related("network", *related).filter(slug=slug).first()
    if event is None or not user.has_perm("events.view_event", event):
        raise Http404
    return event
