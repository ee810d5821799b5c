"""Give the demo two passport programmes with participating venues and varied benefits.

    uv run constellation load_demo            # first: networks, institutions, logins
    uv run constellation load_demo_passport

- ASTC: the "Travel Passport Program", 90 miles, every active ASTC member with coordinates.
- Ecsite: an invented "Science Passport Europe", 100 km, its active members with
  coordinates (admin@example.org and member@example.org work at one and can try the
  front-desk check there). A few venues of each wait for the network's approval.

Benefits vary by venue, the same on every run (chosen by the venue's name). Running it
again adds only what is missing and leaves edited benefits alone.
"""

from __future__ import annotations

import time
import zlib
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from constellation.networks.models import MembershipStatus, Network, Organisation
from constellation.passport.models import DistanceUnit, Programme, Venue, VenueStatus
from constellation.passport.queries import bump_venues_version

PROGRAMMES = {
    "astc": {
        "name": "ASTC Travel Passport Program",
        "radius": Decimal("90"),
        "unit": DistanceUnit.MILES,
        "description": "Members of participating science centers and museums get free general admission at the others.",
        "rules": (
            "Free general admission only: special exhibitions, planetarium and giant-screen shows are usually extra.\n"
            "Bring your current membership card and a photo ID showing your address.\n"
            "Venues within 90 miles of your home or of the venue where you hold your membership do not take part "
            "for you. Benefits differ from venue to venue: check before you travel."
        ),
        "contact_email": "passport@example.org",
    },
    "ecsite": {
        "name": "Science Passport Europe",
        "radius": Decimal("100"),
        "unit": DistanceUnit.KILOMETRES,
        "description": "An invented reciprocal programme among European science centres, for the demo.",
        "rules": "Show your membership card at the desk. Not valid within 100 km of your home or your own venue.",
        "contact_email": "passport@example.org",
    },
}
EXCLUSIONS = ["", "special exhibitions", "planetarium shows", "special exhibitions, planetarium shows",
              "giant-screen films, parking", "events and workshops"]
OTHER_BENEFITS = ["", "10% off in the shop", "a free planetarium show on weekdays", "half-price café drinks"]


def _benefit(organisation: Organisation) -> dict:
    seed = zlib.crc32(organisation.name.encode())
    free = seed % 11 != 0  # one in eleven gives a discount instead of free admission
    other = OTHER_BENEFITS[seed % len(OTHER_BENEFITS)] or ("" if free else "50% off general admission")
    return {
        "free_general_admission": free,
        "other_benefit": other if free or other else "50% off general admission",
        "adults_covered": (2, 2, 2, 4, 1)[seed % 5],
        "children_covered": (4, 4, 2, 6, 3)[seed % 5],
        "id_required": seed % 4 != 0,
        "exclusions": EXCLUSIONS[(seed // 7) % len(EXCLUSIONS)],
    }


class Command(BaseCommand):
    help = "Load the demo passport programmes (after load_demo)."

    def handle(self, *args, **options):
        started = time.monotonic()
        networks = {n.slug: n for n in Network.objects.filter(slug__in=PROGRAMMES)}
        if not networks:
            raise CommandError("No demo network found: run `constellation load_demo` first.")
        today = timezone.localdate()
        for slug, settings in PROGRAMMES.items():
            network = networks.get(slug)
            if network is None:
                self.stdout.write(f"No network {slug!r}: its programme is skipped.")
                continue
            with transaction.atomic():
                programme, created = Programme.objects.get_or_create(network=network, defaults=settings)
                existing = set(Venue.objects.filter(programme=programme).values_list("organisation_id", flat=True))
                members = (
                    Organisation.objects.with_coordinates()
                    .filter(memberships__network=network, memberships__status=MembershipStatus.ACTIVE)
                    .exclude(pk__in=existing).distinct().order_by("name")
                )
                new = []
                for number, organisation in enumerate(members):
                    pending = number % 13 == 5
                    new.append(Venue(
                        programme=programme, organisation=organisation,
                        status=VenueStatus.PENDING if pending else VenueStatus.ACTIVE,
                        joined_on=None if pending else today.replace(year=today.year - 1 - number % 4),
                        **_benefit(organisation),
                    ))
                Venue.objects.bulk_create(new)
                if new:  # bulk_create sends no signal: tell the servers' venue tables
                    bump_venues_version(pk=programme.pk)
            self.stdout.write(
                f"{programme.name}: {'created' if created else 'kept'}, {len(new)} venue(s) added, "
                f"{len(existing) + len(new)} in all."
            )
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")
