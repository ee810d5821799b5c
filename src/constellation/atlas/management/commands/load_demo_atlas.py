"""Give the demo an access atlas view: one finished analysis over the demo directory.

    uv run constellation load_demo            # first: networks and institutions
    uv run constellation load_demo_atlas

Every venue of the directory with coordinates, GeoNames places of 15,000 people or more
worldwide, within 50 km, and 10 proposed new sites. Solved here, without a task worker,
in a few seconds (the exact solver proves its choice in about 2 s on 2 cores; it
would stop after 10 s with its best choice and a bound). Running it again does nothing
when the demo analysis is done (a failed or unfinished one is made again); --force makes
it again anyway.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from constellation.atlas import services
from constellation.atlas.models import Analysis, AnalysisStatus, Dataset

DEMO = {
    "title": "Within 50 km of a science-engagement venue (demo)",
    "radius": 50.0,
    "unit": "km",
    "radius_km": 50.0,
    "source": "geonames",
    "dataset": Dataset.CITIES15000,
    "new_sites": 10,
}

# The exact solver stops here with its best choice and a bound on how far from best it is;
# the demo shows that case, and stays quick.
DEMO_TIME_LIMIT = 10.0


class Command(BaseCommand):
    help = "Add a finished access-atlas analysis over the demo directory (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Make the demo analysis again.")

    def handle(self, *args, force: bool = False, **options):
        existing = Analysis.objects.filter(is_demo=True)
        if not force and existing.filter(status=AnalysisStatus.DONE).exists():
            self.stdout.write("The demo analysis is there already.")
            return
        existing.delete()
        analysis = Analysis.objects.create(is_demo=True, is_public=True, **DEMO)
        analysis = services.run_analysis(analysis.pk, time_limit=DEMO_TIME_LIMIT)
        if analysis.status != AnalysisStatus.DONE:
            raise CommandError(f"The demo analysis failed: {analysis.message}")
        summary = analysis.summary
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo analysis {analysis.pk}: {summary['before']:,} of {summary['total']:,} people within 50 km today, "
                f"{summary['after'] - summary['before']:,} more with 10 new sites ({summary['seconds']} s)."
            )
        )
