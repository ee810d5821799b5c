"""Keep cached directory figures honest: any change to what the directory counts starts a
new cache generation (see queries.directory_facets)."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from constellation.networks.models import Kind, Membership, Network, Organisation, Topic
from constellation.networks.queries import bump_directory_version


@receiver(post_save, sender=Organisation)
@receiver(post_delete, sender=Organisation)
@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
@receiver(post_save, sender=Network)
@receiver(post_delete, sender=Network)
@receiver(post_save, sender=Kind)
@receiver(post_save, sender=Topic)
@receiver(m2m_changed, sender=Organisation.kinds.through)
@receiver(m2m_changed, sender=Organisation.topics.through)
def directory_changed(sender, **kwargs) -> None:
    bump_directory_version()
