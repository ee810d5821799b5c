"""Give the demo a science day: 2025 (fully reported), 2026 (the day just passed) and 2027
(registration open).

    uv run constellation load_demo            # first: networks, institutions, logins
    uv run constellation load_demo_globalday

Every demo network is a partner. 2026 gets about 240 activities from demo institutions
around the world (seeded, so every run gives the same ones): most approved, some waiting
for moderation, a few rejected or withdrawn, and most approved ones already reported since
the day has passed. 2025 has fewer activities, all reported. 2027 is open for registration
with a handful waiting for moderation. Running it again adds only what is missing.
"""

from __future__ import annotations

import datetime
import random
import time
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from constellation.accounts.models import User
from constellation.globalday import places
from constellation.globalday.models import (
    Activity,
    ActivityFormat,
    ActivityStatus,
    Audience,
    Campaign,
)
from constellation.networks.models import Network, Organisation, Topic

CAMPAIGNS = {
    2025: ("Shaping a Sustainable Future Together", 120, False),
    2026: ("Science, a Human Right", 240, False),
    2027: ("Science for Peace and Trust", 8, True),
}

LANGUAGE_BY_COUNTRY = {
    "FR": "fr", "BE": "fr", "ES": "es", "MX": "es", "AR": "es", "CO": "es", "CL": "es", "PE": "es", "UY": "es",
    "EC": "es", "CR": "es", "BR": "pt", "PT": "pt", "DE": "de", "AT": "de", "IT": "it", "NL": "nl", "JP": "ja",
    "CN": "zh", "KR": "ko", "SE": "sv", "NO": "nb", "DK": "da", "FI": "fi", "PL": "pl", "EG": "ar", "AE": "ar",
    "SA": "ar", "QA": "ar", "JO": "ar", "MA": "ar", "OM": "ar", "TR": "tr", "GR": "el", "IL": "he", "RU": "ru",
}

TITLES = [
    "{goal}: a hands-on lab", "Ask a scientist about {goal_lower}", "Family day: {goal_lower}",
    "School workshop on {goal_lower}", "Science café: {goal_lower}", "Night at the museum: {goal_lower}",
    "Citizen science for {goal_lower}", "Live online show: {goal_lower}", "Pop-up science in the park",
    "Open doors and guided tours", "Planetarium special: our fragile planet", "Maker day: build for the goals",
]


def _approved_demo_moderator() -> User | None:
    return User.objects.filter(email__in=["staff.ecsite@example.org", "superuser@example.org"]).order_by("email").first()


class Command(BaseCommand):
    help = "Load science-day campaigns and activities for the demo (after load_demo)."

    def handle(self, *args, **options):
        started = time.monotonic()
        organisations = list(
            Organisation.objects.with_coordinates().order_by("pk").only("pk", "name", "city", "country", "latitude", "longitude", "languages")
        )
        if not organisations:
            raise CommandError("No organisation with coordinates: run `constellation load_demo` first.")
        sdgs = {t.position: t for t in Topic.objects.filter(is_sdg=True)}
        networks = list(Network.objects.all())
        moderator = _approved_demo_moderator()
        created = 0
        for year, (theme, count, registration_open) in CAMPAIGNS.items():
            with transaction.atomic():
                campaign = self._campaign(year, theme, registration_open, networks)
                if campaign.activities.exists():
                    continue
                created += self._activities(campaign, organisations, sdgs, count, moderator)
        self.stdout.write(
            self.style.SUCCESS(f"Science day: {created} activities added in {time.monotonic() - started:.1f} s.")
        )

    def _campaign(self, year: int, theme: str, registration_open: bool, networks) -> Campaign:
        day = datetime.date(year, 11, 10)
        campaign, created = Campaign.objects.get_or_create(
            year=year,
            defaults={
                "date": day,
                "title": f"International Science Center and Science Museum Day {year}",
                "theme": theme,
                "description": (
                    "Every 10 November, with UNESCO, science centres and museums around the world open "
                    "their doors around the UN Sustainable Development Goals."
                ),
                "registration_opens": datetime.date(year - 1, 11, 15) if registration_open else datetime.date(year, 6, 1),
                "registration_closes": datetime.date(year, 11, 5),
                "reporting_deadline": datetime.date(year, 12, 15),
                "is_published": True,
            },
        )
        if created:
            campaign.partner_networks.set(networks)
        return campaign

    def _activities(self, campaign: Campaign, organisations, sdgs, count: int, moderator) -> int:
        rng = random.Random(f"science-day-{campaign.year}")
        now = timezone.now()
        chosen = [organisations[i % len(organisations)] for i in rng.sample(range(max(count, len(organisations))), count)]
        activities, links = [], []
        seen = set()
        for n, organisation in enumerate(chosen):
            goals = rng.sample(range(1, 18), rng.choice([1, 1, 2, 2, 3]))
            goal = sdgs[goals[0]]
            title = rng.choice(TITLES).format(goal=goal.name, goal_lower=goal.name.lower())
            start_hour = rng.choice([9, 10, 10, 11, 14, 15, 18])
            zone = places.time_zone_for(organisation.city, str(organisation.country))
            starts_at = datetime.datetime.combine(campaign.date, datetime.time(start_hour), tzinfo=ZoneInfo(zone))
            if (organisation.pk, title, starts_at) in seen:
                continue
            seen.add((organisation.pk, title, starts_at))
            activity_format = rng.choices(ActivityFormat.values, weights=[6, 2, 2])[0]
            expected = {"on_site": rng.randint(40, 2500), "online": rng.randint(100, 6000), "outreach": rng.randint(25, 600)}[activity_format]
            status = self._status(campaign, rng)
            day_over = campaign.date < timezone.localdate()
            reported = status == ActivityStatus.APPROVED and day_over and (campaign.year < 2026 or rng.random() < 0.7)
            language = (organisation.languages or [LANGUAGE_BY_COUNTRY.get(str(organisation.country), "en")])[0]
            activities.append(
                Activity(
                    campaign=campaign, organisation=organisation, title=title,
                    description=(
                        f"{organisation.name} invites everyone to explore {goal.name.lower()} with "
                        "experiments, conversations with researchers and activities for all ages."
                    ),
                    format=activity_format,
                    audiences=rng.sample(Audience.values, rng.randint(1, 3)),
                    language=language, place_name="", city=organisation.city, country=organisation.country,
                    latitude=organisation.latitude, longitude=organisation.longitude, time_zone=zone,
                    starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=rng.choice([1, 2, 3, 6])),
                    link=f"https://example.org/science-day/{campaign.year}/{n + 1}",
                    expected_participants=expected, status=status,
                    moderation_note="Please add a programme and a link." if status == ActivityStatus.REJECTED else "",
                    moderated_by=moderator if status in (ActivityStatus.APPROVED, ActivityStatus.REJECTED) else None,
                    moderated_at=now if status in (ActivityStatus.APPROVED, ActivityStatus.REJECTED) else None,
                    actual_participants=round(expected * rng.uniform(0.55, 1.35)) if reported else None,
                    report_comment="A full house, and many first-time visitors." if reported and rng.random() < 0.2 else "",
                    reported_at=now if reported else None,
                )
            )
            links.append([sdgs[g] for g in goals])
        Activity.objects.bulk_create(activities)
        through = Activity.sdgs.through
        through.objects.bulk_create(
            [through(activity_id=a.pk, topic_id=t.pk) for a, goals in zip(activities, links, strict=True) for t in goals]
        )
        return len(activities)

    @staticmethod
    def _status(campaign: Campaign, rng: random.Random) -> str:
        if campaign.registration_is_open():
            return ActivityStatus.SUBMITTED
        if campaign.year < 2026:
            return ActivityStatus.APPROVED
        return rng.choices(ActivityStatus.values, weights=[6, 88, 3, 3])[0]
