"""What the programme pages change: a person's starred sessions and their secret feed."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from constellation.events.models import AgendaFeed, Event, Interest, Proposal, new_secret


def set_interest(*, user, proposal: Proposal, starred: bool) -> bool:
    """Star (or unstar) a session for `user`; returns whether it is starred now.

    Idempotent: starring twice keeps one Interest (the database's unique rule settles two
    requests racing), unstarring what is not starred does nothing.
    """
    with transaction.atomic():
        if not starred:
            Interest.objects.filter(user=user, proposal=proposal).delete()
            return False
        try:
            with transaction.atomic():
                Interest.objects.get_or_create(user=user, proposal=proposal)
        except IntegrityError:
            pass  # the other request starred it first
        return True


def agenda_feed_for(*, user, event: Event) -> AgendaFeed:
    """The person's feed for the event, made on first use."""
    with transaction.atomic():
        feed, _created = AgendaFeed.objects.get_or_create(user=user, event=event)
    return feed


def reset_agenda_feed(*, user, event: Event) -> AgendaFeed:
    """A new secret address: the old one answers 404 from now on (a leaked link is dead)."""
    with transaction.atomic():
        feed, created = AgendaFeed.objects.select_for_update().get_or_create(user=user, event=event)
        if not created:
            feed.token = new_secret()
            feed.save(update_fields=["token"])
    return feed
