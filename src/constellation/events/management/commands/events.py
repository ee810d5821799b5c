"""constellation events import-schedule FILE [--event SLUG] [--network SLUG]

`import-schedule` reads a published schedule (pretalx's schedule.json or frab's
schedule.xml) into an event: rooms, tracks, formats, slots, confirmed sessions with their
presenters, and a published timetable. Run again, it updates rather than duplicates. An
unusable file is refused with a message naming the place, and nothing is written.

The timetable goes to and from the optimiser with `constellation schedule export|import`.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from constellation.core.jsonfiles import UNUSABLE
from constellation.events.interchange.importer import import_schedule
from constellation.networks.models import Network
from constellation.networks.services import DomainError


def _network(name: str) -> Network | None:
    if name:
        network = Network.objects.filter(Q(slug=name) | Q(acronym__iexact=name)).first()
        if network is None:
            raise CommandError(f"No network {name!r}", returncode=UNUSABLE)
        return network
    found = list(Network.objects.all()[:2])
    return found[0] if len(found) == 1 else None


class Command(BaseCommand):
    help = "Conference events: import a published pretalx or frab schedule."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        schedule = commands.add_parser("import-schedule", help="Import a pretalx JSON or frab XML schedule.")
        schedule.add_argument("file")
        schedule.add_argument("--event", default="", help="The event's slug (default: from the acronym).")
        schedule.add_argument("--network", default="", help="Organising network (slug or acronym) for a new event.")

    def handle(self, *args, subcommand, **options):
        try:
            self._import_schedule(options["file"], options["event"], options["network"])
        except DomainError as error:
            raise CommandError(error.message, returncode=UNUSABLE) from error

    def _import_schedule(self, path: str, event_slug: str, network_name: str) -> None:
        try:
            raw = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}", returncode=UNUSABLE) from None
        result = import_schedule(raw=raw, event_slug=event_slug, network=_network(network_name))
        verb = "Created" if result.created else "Updated"
        self.stdout.write(
            f"{verb} {result.event.slug}: {result.sessions} sessions, {result.rooms} rooms, "
            f"{result.slots} slots; timetable published."
        )
