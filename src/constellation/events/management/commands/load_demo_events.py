"""Give the demo a conference in progress: Ecsite's annual conference 2027.

    uv run constellation load_demo            # first: networks, institutions, logins
    uv run constellation load_demo_events     # then this (about 10 s)
    uv run constellation load_demo_events --force   # delete both demo conferences and make them again

The call for proposals has closed; ~160 proposals in every state, three reviews each,
decisions, 400 invented attendees (attendee001@example.org ...) with the sessions they
starred, an optimised and published timetable, ticket types, ~300 registrations with
payments; and the 2026 edition, imported from a pretalx schedule. Running it again changes
nothing. See `constellation.events.demo`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from constellation.events import demo


class Command(BaseCommand):
    help = (
        "Load the demo conference (after load_demo): proposals, reviews, timetable, registrations."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Delete the demo conferences and make them again."
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with CONSTELLATION_PRODUCTION=true (the demo logins share a public password).",
        )

    def handle(self, *args, force: bool = False, allow_production: bool = False, **options):
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "The demo creates logins with a public password; refusing in production."
            )
        try:
            summary = demo.load(force=force)
        except LookupError as error:
            raise CommandError(str(error)) from error
        counts = summary.counts
        if not summary.created:
            self.stdout.write(
                f"The demo conference {demo.SLUG} is already there (use --force to make it again)."
            )
            return
        proposals = ", ".join(f"{count} {state}" for state, count in counts["proposals"].items())
        registrations = ", ".join(
            f"{count} {status}" for status, count in sorted(counts["registrations"].items())
        )
        figures = summary.figures
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo conference loaded in {summary.seconds:.1f} s: /events/{demo.SLUG}/ and /events/{demo.PAST_SLUG}/"
            )
        )
        self.stdout.write(f"  Proposals: {proposals}; {counts['reviews']} reviews.")
        self.stdout.write(
            f"  Timetable published: A={figures['A']} U={figures['U']} O={figures['O']} Q={figures['Q']}; "
            f"{counts['interests']} starred sessions."
        )
        self.stdout.write(
            f"  Registrations: {registrations}; {counts['payments']} payments; {summary.invoices}."
        )
        if options.get("verbosity", 1) > 1:
            self.stdout.write(
                "  Seconds: "
                + ", ".join(f"{name} {seconds}" for name, seconds in summary.steps.items())
            )
        self.stdout.write(
            f"  Event staff: {demo.STAFF_EMAIL} · reviewer: {demo.REVIEWER_EMAIL} · presenter: "
            f"{demo.PRESENTER_EMAIL} · attendee with starred sessions: {demo.ATTENDEE_EMAIL}"
        )
