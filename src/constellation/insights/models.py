"""Insights: the annual statistics survey, exchange rates, strategic targets and reports.

Figures are stored as reported (money in the currency the member reported it in) and
converted for comparison through the yearly exchange-rate table staff maintain.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from constellation.networks.models import Network, Organisation, pick_translation


class Unit(models.TextChoices):
    COUNT = "count", _("Count")
    MONEY = "money", _("Money")
    AREA = "area", _("Area (square metres)")
    PERCENTAGE = "percentage", _("Percentage")
    CHOICE = "choice", _("Choice")


class Indicator(models.Model):
    """Something a survey asks, e.g. on-site visitors or income from admissions."""

    key = models.SlugField(_("key"), max_length=60, unique=True, help_text=_("Used in formulas, e.g. onsite_visitors"))
    labels = models.JSONField(_("label"), default=dict, help_text=_("The label in each language: {\"en\": …, \"fr\": …}"))
    help_texts = models.JSONField(_("help text"), default=dict, blank=True)
    category = models.CharField(_("category"), max_length=40, blank=True)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices, default=Unit.COUNT)
    choices = models.JSONField(_("choices"), default=list, blank=True, help_text=_("For the choice unit: the allowed values"))
    min_value = models.DecimalField(_("lowest allowed value"), max_digits=20, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("highest allowed value"), max_digits=20, decimal_places=2, null=True, blank=True)
    allows_decimals = models.BooleanField(
        _("decimals allowed"), default=False,
        help_text=_("For counts: accept fractions, e.g. 12.5 full-time equivalents. Money and areas always take two decimals."),
    )
    required = models.BooleanField(_("required"), default=False, help_text=_("Needed before a response can be submitted"))
    is_income_source = models.BooleanField(
        _("income source"), default=False, help_text=_("Counted in income diversification (HHI)")
    )
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick_translation(self.labels) or self.key

    @property
    def help_text(self) -> str:
        return pick_translation(self.help_texts)

    @property
    def is_numeric(self) -> bool:
        return self.unit != Unit.CHOICE

    def choice_options(self) -> list[tuple[str, str]]:
        """(value, label in the reader's language) for a choice indicator.

        Each entry of `choices` is a plain value ("public") or {"value": "public",
        "labels": {"en": "Public", "fr": "Public"}}.
        """
        options = []
        for item in self.choices or []:
            if isinstance(item, dict):
                value = str(item.get("value", ""))
                options.append((value, pick_translation(item.get("labels")) or value))
            else:
                options.append((str(item), str(item)))
        return [(value, label) for value, label in options if value]

    def choice_label(self, value: str) -> str:
        return dict(self.choice_options()).get(value, value)


class InsightSettings(models.Model):
    """A network's choices for its insights: the smallest peer group and its currency."""

    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="insight_settings")
    peer_group_minimum = models.PositiveSmallIntegerField(
        _("smallest peer group shown"), default=5, validators=[MinValueValidator(3)],
        help_text=_("A peer figure appears only when at least this many organisations are in the group."),
    )
    currency = models.CharField(_("reporting currency"), max_length=3, default="EUR")

    class Meta:
        verbose_name = _("insight settings")
        verbose_name_plural = _("insight settings")

    def __str__(self) -> str:
        return f"{self.network}: {self.peer_group_minimum}, {self.currency}"


class ExchangeRate(models.Model):
    """How many units of `currency` one unit of the base currency (settings) bought that year."""

    year = models.PositiveSmallIntegerField(_("year"))
    currency = models.CharField(_("currency"), max_length=3)
    units_per_base = models.DecimalField(
        _("units per base currency"), max_digits=18, decimal_places=6, validators=[MinValueValidator(Decimal("0.000001"))]
    )

    class Meta:
        ordering = ["-year", "currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [models.UniqueConstraint(fields=["year", "currency"], name="one_rate_per_currency_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.currency} {self.units_per_base}"


class SurveyQuerySet(models.QuerySet):
    def run_by(self, user) -> SurveyQuerySet:
        """Surveys of the networks the user runs (every survey for a superuser)."""
        from constellation.networks.rules import staff_network_ids

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(network_id__in=staff_network_ids(user))

    def with_response_counts(self) -> SurveyQuerySet:
        """`submitted_count`, `draft_count` and `member_count` (active members of the network)."""
        from constellation.networks.models import Membership, MembershipStatus

        members = Membership.objects.filter(network_id=OuterRef("network_id"), status=MembershipStatus.ACTIVE)
        responses = SurveyResponse.objects.filter(survey_id=OuterRef("pk"))
        return self.annotate(
            submitted_count=Coalesce(
                Subquery(
                    responses.filter(status=ResponseStatus.SUBMITTED).order_by().values("survey_id")
                    .annotate(n=Count("pk")).values("n")[:1]
                ),
                0,
            ),
            draft_count=Coalesce(
                Subquery(
                    responses.filter(status=ResponseStatus.DRAFT).order_by().values("survey_id")
                    .annotate(n=Count("pk")).values("n")[:1]
                ),
                0,
            ),
            member_count=Coalesce(
                Subquery(members.order_by().values("network_id").annotate(n=Count("pk")).values("n")[:1]), 0
            ),
        )


class Survey(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="surveys")
    year = models.PositiveSmallIntegerField(_("year the figures describe"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    indicators = models.ManyToManyField(Indicator, related_name="surveys", verbose_name=_("indicators"))
    opens_on = models.DateField(_("opens on"), default=timezone.localdate)
    deadline = models.DateField(_("deadline"))

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "network__acronym"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [models.UniqueConstraint(fields=["network", "year"], name="one_survey_per_network_year")]

    def __str__(self) -> str:
        return self.title or f"{self.network.acronym} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("insights:survey-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.opens_on <= timezone.localdate() <= self.deadline

    @property
    def is_past_deadline(self) -> bool:
        return timezone.localdate() > self.deadline


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("survey response", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("survey response", "Submitted")


class SurveyResponse(models.Model):
    """One organisation's answers to one survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="survey_responses")
    status = models.CharField(_("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    currency = models.CharField(_("currency of the money figures"), max_length=3, default="EUR")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["survey", "organisation__name"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        # The benchmarks' cache fingerprint reads (survey, status, last change) on every view.
        indexes = [models.Index(fields=["survey", "status", "updated_at"], name="response_survey_status")]
        constraints = [
            models.UniqueConstraint(fields=["survey", "organisation"], name="one_response_per_survey_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.survey}"


class Answer(models.Model):
    """One figure. Money is in the response's currency; choices are stored as text."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="answers")
    value = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    choice = models.CharField(max_length=100, blank=True)
    comment = models.TextField(
        _("comment"), blank=True, help_text=_("Explains a change of more than half compared with last year")
    )
    # Staff may correct figures after the deadline: the history says who changed what.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "indicator"], name="one_answer_per_indicator"),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(choice=""), name="answer_value_or_choice"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.key}={self.value if self.value is not None else self.choice}"

    @property
    def answer(self) -> Decimal | str | None:
        """The value as the survey asked it: a number, a choice, or None when left empty."""
        if self.value is not None:
            return self.value
        return self.choice or None


class Aggregation(models.TextChoices):
    SUM = "sum", _("Total over members")
    MEAN = "mean", _("Average")
    MEDIAN = "median", _("Median")
    SHARE_AT_LEAST = "share_at_least", _("Share of members at or above a threshold (%)")


class Target(models.Model):
    """A strategic target, e.g. 60% of members with three or more income sources by 2025.

    The metric is an indicator key or a formula over indicator keys (+ - * / and brackets),
    computed per organisation, then aggregated over the network's reporting members.
    The special name `income_sources` counts an organisation's income sources above zero.
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("name"), max_length=200)
    formula = models.CharField(
        _("metric"), max_length=300, help_text=_("An indicator key or a formula, e.g. income_admissions / operating_budget")
    )
    aggregation = models.CharField(_("aggregation"), max_length=20, choices=Aggregation.choices)
    threshold = models.DecimalField(
        _("threshold"), max_digits=20, decimal_places=4, null=True, blank=True,
        help_text=_("For a share of members: the value a member must reach"),
    )
    target_value = models.DecimalField(_("target value"), max_digits=20, decimal_places=4)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)

    class Meta:
        ordering = ["network", "target_year", "name"]
        verbose_name = _("strategic target")
        verbose_name_plural = _("strategic targets")

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Report(models.Model):
    """The annual statistics report of a network, made by a background task."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    html = models.FileField(upload_to="reports/", blank=True)
    pdf = models.FileField(upload_to="reports/", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.network.acronym} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("insights:report-detail", args=[self.pk])
