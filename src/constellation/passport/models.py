"""A network's passport programme and the venues taking part in it.

A member of one participating venue gets in free at the others, except those within the
programme's exclusion radius of their own venue or of their home (services.eligibility).
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from constellation.core.geo import KM_PER_MILE, to_km
from constellation.networks.models import Network, Organisation


def new_version() -> int:
    return secrets.randbits(62)


class DistanceUnit(models.TextChoices):
    MILES = "mi", pgettext_lazy("unit", "miles")
    KILOMETRES = "km", pgettext_lazy("unit", "kilometres")


class Programme(models.Model):
    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="passport_programme")
    name = models.CharField(_("name"), max_length=200)
    radius = models.DecimalField(
        _("exclusion radius"), max_digits=7, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("20000"))],
        help_text=_("Venues this close to a visitor's own venue or home do not grant the benefit."),
    )
    unit = models.CharField(_("unit"), max_length=2, choices=DistanceUnit.choices, default=DistanceUnit.MILES)
    is_active = models.BooleanField(_("open to the public"), default=True)
    description = models.TextField(_("description"), blank=True)
    rules = models.TextField(
        _("rules"), blank=True, help_text=_("Printed on top of the participant list, e.g. what to bring at the desk.")
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    # A new random value (signals.py) whenever one of its venues or their organisations
    # changes, so every server process knows when its cached table of venues
    # (queries.venue_table) is stale. Random rather than counted: a database restored from
    # a backup (or a test rolled back) never meets a process that cached the same number.
    venues_version = models.BigIntegerField(default=new_version, editable=False)
    history = HistoricalRecords(excluded_fields=["venues_version"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("passport programme")
        verbose_name_plural = _("passport programmes")
        constraints = [models.CheckConstraint(condition=Q(radius__gt=0), name="programme_radius_positive")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("passport:finder", args=[self.network.slug])

    @property
    def radius_km(self) -> float:
        return to_km(float(self.radius), self.unit)

    def in_unit(self, km: float) -> float:
        """A distance in km, expressed in the programme's unit."""
        return km / KM_PER_MILE if self.unit == DistanceUnit.MILES else km


class VenueStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("passport venue status", "Waiting for the network")
    ACTIVE = "active", pgettext_lazy("passport venue status", "Taking part")
    WITHDRAWN = "withdrawn", pgettext_lazy("passport venue status", "Withdrawn")


class VenueQuerySet(models.QuerySet):
    def active(self) -> VenueQuerySet:
        return self.filter(
            status=VenueStatus.ACTIVE, organisation__latitude__isnull=False, organisation__longitude__isnull=False
        )


class Venue(models.Model):
    """An organisation taking part in a programme, with the benefit it offers."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="venues")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="passport_venues")
    status = models.CharField(_("status"), max_length=10, choices=VenueStatus.choices, default=VenueStatus.PENDING)
    free_general_admission = models.BooleanField(_("free general admission"), default=True)
    other_benefit = models.CharField(
        _("other benefit"), max_length=300, blank=True, help_text=_("e.g. 50% off admission, a free guided tour.")
    )
    adults_covered = models.PositiveSmallIntegerField(
        _("adults covered"), default=2, validators=[MaxValueValidator(20)],
        help_text=_("How many adults named on the membership get the benefit."),
    )
    children_covered = models.PositiveSmallIntegerField(
        _("children covered"), default=4, validators=[MaxValueValidator(20)],
        help_text=_("How many children of the member's household get the benefit."),
    )
    id_required = models.BooleanField(
        _("photo ID with proof of residence asked"), default=True,
        help_text=_("Visitors show their membership card and an ID with their home address."),
    )
    exclusions = models.CharField(
        _("not included"), max_length=300, blank=True, help_text=_("e.g. special exhibitions, planetarium shows, parking.")
    )
    notes = models.TextField(_("notes for visitors"), blank=True)
    joined_on = models.DateField(_("taking part since"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = VenueQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("passport venue")
        verbose_name_plural = _("passport venues")
        indexes = [models.Index(fields=["programme", "status"], name="passport_venue_status")]
        constraints = [
            models.UniqueConstraint(fields=["programme", "organisation"], name="one_venue_per_programme"),
            models.CheckConstraint(
                condition=Q(free_general_admission=True) | ~Q(other_benefit=""), name="venue_offers_a_benefit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.programme})"

    @property
    def is_active(self) -> bool:
        return self.status == VenueStatus.ACTIVE
