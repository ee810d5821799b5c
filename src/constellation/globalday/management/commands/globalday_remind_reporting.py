"""Remind organisations to report how many people came, once the day is over.

    uv run constellation globalday_remind_reporting            # every campaign taking reports
    uv run constellation globalday_remind_reporting --year 2026

Mails the person who registered each approved activity that has ended and has no actual
participation yet, once per activity, with the link to report it. Only while the campaign's
reporting deadline has not passed. Safe to run every day (from cron, or enqueue
`globalday.tasks.remind_reporting_task`).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from constellation.globalday import notifications
from constellation.globalday.models import Campaign


class Command(BaseCommand):
    help = "Remind submitters of ended science-day activities to report participation (once per activity)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, help="Only this campaign (default: every campaign taking reports)."
        )

    def handle(self, *args, year=None, **options):
        if year is not None and not Campaign.objects.filter(year=year).exists():
            raise CommandError(f"There is no science-day campaign for {year}.")
        sent, skipped = notifications.send_reporting_reminders(year=year)
        self.stdout.write(
            f"Sent {sent} reminder(s); {skipped} activity(ies) had nobody left to remind."
        )
