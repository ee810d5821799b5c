"""constellation passport eligible --member ID --lat LAT --lon LON [--venues venues.csv] [--radius-km R] [--json]

Prints the ids of the venues where a member of venue ID, living at LAT/LON, gets the
passport benefit, sorted (as text), one per line or as a JSON list with --json.

With --venues, the venues are read from a CSV file with at least the columns id, name,
lat, lon, and --radius-km is required. Without it they are the active venues of a
programme in the database (--network ACRONYM or slug; optional when only one programme
exists), an id is the organisation's id (as in /api/v1/organisations), and the radius is
the programme's unless --radius-km is given.
"""

from __future__ import annotations

import csv
import json
import math

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from constellation.passport.eligibility import eligible_ids
from constellation.passport.models import Programme
from constellation.passport.queries import venue_table

REQUIRED_COLUMNS = ("id", "name", "lat", "lon")


def _coordinate(text: str, name: str, limit: float, where: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise CommandError(f"{where}: {name} is not a number: {text!r}") from None
    if not math.isfinite(value) or abs(value) > limit:
        raise CommandError(f"{where}: {name} must lie between -{limit:g} and {limit:g}, got {text!r}")
    return value


def read_venues(path: str) -> tuple[list[str], list[float], list[float]]:
    """ids, lats and lons from a CSV; a CommandError naming the row for anything unusable."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CommandError(f"{path}: missing column(s) {', '.join(missing)}; needs {', '.join(REQUIRED_COLUMNS)}")
        ids, lats, lons, seen = [], [], [], set()
        for number, row in enumerate(reader, start=2):  # row 1 holds the column names
            where = f"{path}, row {number}"
            venue_id = (row.get("id") or "").strip()
            if not venue_id:
                raise CommandError(f"{where}: the id is empty")
            if venue_id in seen:
                raise CommandError(f"{where}: the id {venue_id} appears twice")
            seen.add(venue_id)
            lats.append(_coordinate(row.get("lat"), "lat", 90, where))
            lons.append(_coordinate(row.get("lon"), "lon", 180, where))
            ids.append(venue_id)
    if not ids:
        raise CommandError(f"{path}: no venues")
    return ids, lats, lons


def _programme(network: str) -> Programme:
    programmes = Programme.objects.select_related("network")
    if network:
        programme = programmes.filter(Q(network__acronym__iexact=network) | Q(network__slug=network)).first()
        if programme is None:
            raise CommandError(f"No passport programme for the network {network!r}")
        return programme
    found = list(programmes[:2])
    if len(found) != 1:
        raise CommandError("Name the programme with --network ACRONYM" if found else "No passport programme in the database")
    return found[0]


class Command(BaseCommand):
    help = "Passport programmes: `eligible` lists the venues where a membership gets the benefit."
    requires_system_checks = []

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        eligible = subcommands.add_parser("eligible", help="The venues where a member gets the benefit.")
        eligible.add_argument("--venues", default="", metavar="CSV", help="Venues from a CSV (id,name,lat,lon) instead of the database.")
        eligible.add_argument("--member", required=True, metavar="ID", help="The visitor's member venue.")
        eligible.add_argument("--lat", required=True, help="Latitude of the visitor's residence.")
        eligible.add_argument("--lon", required=True, help="Longitude of the visitor's residence.")
        eligible.add_argument("--radius-km", default=None, dest="radius_km", help="The exclusion radius in km.")
        eligible.add_argument("--network", default="", help="Whose programme (acronym or slug), without --venues.")
        eligible.add_argument("--json", action="store_true", dest="as_json", help="Print a JSON list.")

    def handle(self, *args, subcommand, venues, member, lat, lon, radius_km, network, as_json, **options):
        home_lat = _coordinate(lat, "--lat", 90, "Residence")
        home_lon = _coordinate(lon, "--lon", 180, "Residence")
        radius = None
        if radius_km is not None:
            try:
                radius = float(radius_km)
            except ValueError:
                raise CommandError(f"--radius-km is not a number: {radius_km!r}") from None
            if not math.isfinite(radius) or radius <= 0:
                raise CommandError("--radius-km must be greater than 0")
        if venues:
            if radius is None:
                raise CommandError("--radius-km is required with --venues")
            ids, lats, lons = read_venues(venues)
        else:
            programme = _programme(network)
            table = venue_table(programme)
            ids = [str(row.id) for row in table.rows]
            lats, lons = table.lats, table.lons
            radius = programme.radius_km if radius is None else radius
        try:
            found = eligible_ids(ids, lats, lons, member=member.strip(), home_lat=home_lat, home_lon=home_lon, radius_km=radius)
        except KeyError:
            raise CommandError(f"Unknown member venue {member!r}: not among the {len(ids)} venues") from None
        if as_json:
            self.stdout.write(json.dumps(found))
        else:
            for venue_id in found:
                self.stdout.write(venue_id)
