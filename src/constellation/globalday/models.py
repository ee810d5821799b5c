"""The International Science Center and Science Museum Day: yearly campaigns and the
activities organisations register for them.

Each year (every 10 November, with UNESCO, around the UN Sustainable Development Goals) is a
Campaign; organisations register Activities, network staff moderate them, the approved ones
are public, and after the day the organisation reports how many people actually came.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from constellation.networks.models import OPEN_STATUSES, Membership, Network, Organisation, Topic


def default_day(year: int) -> datetime.date:
    """The day is held every 10 November."""
    return datetime.date(year, 11, 10)


class CampaignQuerySet(models.QuerySet):
    def published(self) -> CampaignQuerySet:
        return self.filter(is_published=True)


class Campaign(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    date = models.DateField(_("date of the day"), help_text=_("Usually 10 November."))
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    partner_networks = models.ManyToManyField(
        Network, verbose_name=_("partner networks"), blank=True, related_name="science_day_campaigns",
        help_text=_("Staff of these networks moderate the activities."),
    )
    partner_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("partner organisations"), blank=True, related_name="science_day_partnerships",
        help_text=_("UNESCO and other organisations that support the day."),
    )
    registration_opens = models.DateField(_("registration opens"))
    registration_closes = models.DateField(_("registration closes"))
    reporting_deadline = models.DateField(_("participation reports due"))
    is_published = models.BooleanField(_("published"), default=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("science-day campaign")
        verbose_name_plural = _("science-day campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes__gte=models.F("registration_opens")),
                name="campaign_registration_in_order",
            ),
            models.CheckConstraint(
                condition=Q(reporting_deadline__gte=models.F("date")), name="campaign_reporting_after_day"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("globalday:campaign", args=[self.year])

    def registration_is_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.registration_opens <= today <= self.registration_closes

    def day_has_begun(self, now: datetime.datetime | None = None) -> bool:
        """The first time zone to see 10 November (UTC+14) starts it 14 hours before UTC does."""
        now = now or timezone.now()
        start = datetime.datetime.combine(self.date, datetime.time(0), tzinfo=ZoneInfo("Etc/GMT-14"))
        return now >= start


class ActivityFormat(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    OUTREACH = "outreach", _("Outreach")


class Audience(models.TextChoices):
    GENERAL = "general", _("General public")
    FAMILIES = "families", _("Families")
    SCHOOLS = "schools", _("Schools")
    TEENS = "teens", _("Teenagers")
    ADULTS = "adults", _("Adults")
    PROFESSIONALS = "professionals", _("Professionals")
    POLICY = "policy", _("Policy makers")


class ActivityStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("activity status", "Waiting for moderation")
    APPROVED = "approved", pgettext_lazy("activity status", "Approved")
    REJECTED = "rejected", pgettext_lazy("activity status", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("activity status", "Withdrawn")


def language_choices() -> list[tuple[str, str]]:
    """Languages an activity may be held in: Django's list, base codes only (en, not en-gb)."""
    from django.conf import global_settings

    return sorted(
        ((code, name) for code, name in global_settings.LANGUAGES if "-" not in code),
        key=lambda choice: str(choice[1]),
    )


class ActivityQuerySet(models.QuerySet):
    def approved(self) -> ActivityQuerySet:
        return self.filter(status=ActivityStatus.APPROVED)

    def in_network(self, slug: str) -> ActivityQuerySet:
        """Activities of organisations with an open membership in the network."""
        return self.filter(
            Exists(
                Membership.objects.filter(
                    organisation=OuterRef("organisation"), network__slug=slug, status__in=OPEN_STATUSES
                )
            )
        )


class Activity(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="activities")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="science_day_activities")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    format = models.CharField(_("format"), max_length=10, choices=ActivityFormat.choices)
    audiences = models.JSONField(_("audiences"), default=list, blank=True)
    sdgs = models.ManyToManyField(Topic, verbose_name=_("Sustainable Development Goals"), related_name="+")
    language = models.CharField(_("language"), max_length=10)
    place_name = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=60)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    link = models.URLField(_("link"), blank=True)
    expected_participants = models.PositiveIntegerField(_("expected participants"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.SUBMITTED
    )
    moderation_note = models.TextField(_("moderation note"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    actual_participants = models.PositiveIntegerField(_("actual participants"), null=True, blank=True)
    report_comment = models.TextField(_("comment on the day"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    # When the mails about the current state went out (see notifications.py): a task run twice
    # finds them set and sends nothing. Cleared when the state changes again.
    moderators_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Who approved, edited or reported what: the moderation trail staff can read in the admin.
    history = HistoricalRecords(
        excluded_fields=["updated_at", "moderators_notified_at", "decision_notified_at", "reminder_sent_at"]
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "title", "pk"]
        verbose_name = _("science-day activity")
        verbose_name_plural = _("science-day activities")
        indexes = [
            models.Index(fields=["campaign", "status", "starts_at"], name="activity_campaign_status"),
            models.Index(fields=["campaign", "country"], name="activity_campaign_country"),
        ]
        constraints = [
            # A form sent twice registers one activity: same organisation, title and start.
            models.UniqueConstraint(
                fields=["campaign", "organisation", "title", "starts_at"], name="unique_activity_per_start"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(condition=Q(expected_participants__gte=0), name="activity_expected_not_negative"),
            models.CheckConstraint(
                condition=Q(actual_participants__isnull=True) | Q(actual_participants__gte=0),
                name="activity_actual_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="activity_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="activity_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("globalday:activity-detail", args=[self.campaign.year, self.pk])

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.ends_at, self.zone)

    @property
    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels[a]) for a in self.audiences if a in labels]

    @property
    def language_name(self) -> str:
        return str(dict(language_choices()).get(self.language, self.language))

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_over(self) -> bool:
        return self.ends_at <= timezone.now()
