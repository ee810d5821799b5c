"""Keep the cached venue tables honest: a change to a venue or to a participating
organisation (its name, city, coordinates) bumps its programmes' `venues_version`."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from constellation.networks.models import Organisation
from constellation.passport.models import Venue
from constellation.passport.queries import bump_venues_version


@receiver(post_save, sender=Venue)
@receiver(post_delete, sender=Venue)
def venue_changed(sender, instance: Venue, **kwargs) -> None:
    bump_venues_version(pk=instance.programme_id)


@receiver(post_save, sender=Organisation)
def organisation_changed(sender, instance: Organisation, created: bool = False, **kwargs) -> None:
    if not created:  # a new organisation takes part in nothing yet
        bump_venues_version(venues__organisation_id=instance.pk)
