"""Networks, organisations, people, affiliations and memberships: the foundation."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords


def normalise(text: str) -> str:
    """Lower-case, accent-free text: 'Cité' and 'cite' find the same organisation."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def pick_language(texts: dict[str, str] | None, language: str | None = None) -> str:
    """The language to show: the reader's, else English, else any language we have."""
    if not texts:
        return ""
    language = (language or get_language() or "en").split("-")[0]
    for code in (language, settings.LANGUAGE_CODE):
        if texts.get(code):
            return code
    return next((code for code, text in texts.items() if text), "")


def pick_translation(texts: dict[str, str] | None, language: str | None = None) -> str:
    """The text in the reader's language, else English, else any language we have."""
    code = pick_language(texts, language)
    return texts[code] if code else ""


class Network(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=20, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    descriptions = models.JSONField(_("description"), default=dict, blank=True)

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.acronym

    def get_absolute_url(self) -> str:
        return reverse("networks:network-detail", args=[self.slug])

    @property
    def description(self) -> str:
        return pick_translation(self.descriptions)


class MembershipCategory(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["network", "name"]
        verbose_name = _("membership category")
        verbose_name_plural = _("membership categories")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="unique_category_slug_per_network")
        ]

    def __str__(self) -> str:
        return f"{self.network.acronym}: {self.name}"


class VocabularyTerm(models.Model):
    """A term of a shared vocabulary, seeded by a migration and translated when shown."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return gettext(self.name)


class Kind(VocabularyTerm):
    """What an organisation is: science centre, aquarium, festival..."""

    name = models.CharField(_("name"), max_length=80)

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("kind of organisation")
        verbose_name_plural = _("kinds of organisation")


class Topic(VocabularyTerm):
    """A subject an organisation works on, including the 17 UN Sustainable Development Goals."""

    is_sdg = models.BooleanField(_("UN Sustainable Development Goal"), default=False)

    class Meta(VocabularyTerm.Meta):
        ordering = ["-is_sdg", "position", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        if self.is_sdg:
            return gettext("SDG %(number)s: %(name)s") % {"number": self.position, "name": gettext(self.name)}
        return gettext(self.name)


class AccessibilityFeature(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("accessibility feature")
        verbose_name_plural = _("accessibility features")


class VisitorsBand(models.TextChoices):
    UNDER_50K = "under-50k", _("Under 50,000 visitors a year")
    FROM_50K = "50k-250k", _("50,000 to 250,000 visitors a year")
    FROM_250K = "250k-1m", _("250,000 to 1 million visitors a year")
    OVER_1M = "over-1m", _("Over 1 million visitors a year")


class CoordinatesSource(models.TextChoices):
    NONE = "", _("None")
    GEOCODED = "geocoded", _("Filled from the city and country")
    SUPPLIED = "supplied", _("Supplied in an import")
    MANUAL = "manual", _("Set by staff")


class OrganisationQuerySet(models.QuerySet):
    def in_network(self, network: Network) -> OrganisationQuerySet:
        return self.filter(
            memberships__network=network, memberships__status=MembershipStatus.ACTIVE
        ).distinct()

    def search(self, query: str) -> OrganisationQuerySet:
        """Every word must appear in the name, native name, city or a description."""
        qs = self
        for term in normalise(query).split()[:10]:
            qs = qs.filter(search_text__contains=term)
        return qs

    def with_coordinates(self) -> OrganisationQuerySet:
        return self.exclude(latitude__isnull=True).exclude(longitude__isnull=True)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    native_name = models.CharField(
        _("name in its own language"), max_length=200, blank=True,
        help_text=_("Leave empty when it is the same as the name."),
    )
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kinds = models.ManyToManyField(Kind, verbose_name=_("kinds"), blank=True, related_name="organisations")
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    country = CountryField(_("country"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    coordinates_source = models.CharField(
        _("coordinates from"), max_length=10, choices=CoordinatesSource.choices, blank=True, default=""
    )
    website = models.URLField(_("website"), blank=True)
    descriptions = models.JSONField(_("description"), default=dict, blank=True)
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    visitors_band = models.CharField(
        _("annual visitors"), max_length=10, choices=VisitorsBand.choices, blank=True
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="organisations")
    languages = models.JSONField(_("languages"), default=list, blank=True)
    accessibility = models.ManyToManyField(
        AccessibilityFeature, verbose_name=_("accessibility features"), blank=True, related_name="organisations"
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["country", "name"]), models.Index(fields=["name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="organisation_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="organisation_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:organisation-detail", args=[self.slug])

    @property
    def description(self) -> str:
        return pick_translation(self.descriptions)

    @property
    def description_language(self) -> str:
        """For the lang attribute, so screen readers pronounce the text right."""
        return pick_language(self.descriptions)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def build_search_text(self) -> str:
        parts = [self.name, self.native_name, self.city, self.region, *self.descriptions.values()]
        return normalise(" ".join(p for p in parts if p))

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Signed-in members")
    PRIVATE = "private", _("Only me and network staff")


VISIBLE_FIELDS = ("email", "title", "bio", "expertise", "languages", "affiliations")


class PersonQuerySet(models.QuerySet):
    def listed_for_members(self) -> PersonQuerySet:
        return self.filter(is_erased=False).exclude(name_visibility=Visibility.PRIVATE)

    def listed_publicly(self) -> PersonQuerySet:
        return self.filter(is_erased=False, name_visibility=Visibility.PUBLIC)

    def search(self, query: str) -> PersonQuerySet:
        qs = self
        for term in normalise(query).split()[:10]:
            qs = qs.filter(search_text__contains=term)
        return qs


class Person(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    expertise = models.CharField(
        _("expertise"), max_length=300, blank=True, help_text=_("Comma-separated, e.g. exhibitions, evaluation")
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    name_visibility = models.CharField(
        _("who sees my name and listing"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    email_visibility = models.CharField(
        _("who sees my email"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    title_visibility = models.CharField(
        _("who sees my job title"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    bio_visibility = models.CharField(
        _("who sees my biography"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    expertise_visibility = models.CharField(
        _("who sees my expertise"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    languages_visibility = models.CharField(
        _("who sees my languages"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    affiliations_visibility = models.CharField(
        _("who sees where I work"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    is_erased = models.BooleanField(default=False, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:person-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.search_text = normalise(" ".join([self.name, self.title, self.expertise]))
        super().save(*args, **kwargs)

    def visible_value(self, field: str, audience: str):
        """The field's value if the audience ('public', 'members', 'private') may see it."""
        level = getattr(self, f"{field}_visibility")
        allowed = {
            "public": {Visibility.PUBLIC},
            "members": {Visibility.PUBLIC, Visibility.MEMBERS},
            "private": {Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE},
        }[audience]
        return getattr(self, field) if level in allowed else None


class AffiliationQuerySet(models.QuerySet):
    def current(self) -> AffiliationQuerySet:
        today = timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gt=today))


class Affiliation(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="affiliations")
    role = models.CharField(_("role"), max_length=200, blank=True)
    is_admin = models.BooleanField(
        _("organisation admin"), default=False, help_text=_("Can edit the organisation and its staff list.")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    history = HistoricalRecords()

    objects = AffiliationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "person__name"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="unique_person_organisation"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="affiliation_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organisation}"


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("membership status", "Applied")
    ACTIVE = "active", pgettext_lazy("membership status", "Active")
    LAPSED = "lapsed", pgettext_lazy("membership status", "Lapsed")
    SUSPENDED = "suspended", pgettext_lazy("membership status", "Suspended")
    ENDED = "ended", pgettext_lazy("membership status", "Ended")


# A membership in one of these states is "open": an organisation has at most one open
# membership per network; lapsed and ended ones are history and may pile up.
OPEN_STATUSES = (MembershipStatus.APPLIED, MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED)


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(status=MembershipStatus.ACTIVE)


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="memberships")
    category = models.ForeignKey(
        MembershipCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships",
        verbose_name=_("category"),
    )
    status = models.CharField(_("status"), max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.APPLIED)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["network__acronym", "organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["network", "status", "organisation"], name="membership_network_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "network"],
                condition=Q(status__in=["applied", "active", "suspended"]),
                name="one_open_membership_per_network",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.network} ({self.get_status_display()})"


class NetworkStaff(models.Model):
    """A user who runs a network: manages its members, reads the audit history."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_staff")

    class Meta:
        verbose_name = _("network staff")
        verbose_name_plural = _("network staff")
        constraints = [models.UniqueConstraint(fields=["network", "user"], name="unique_network_staff")]

    def __str__(self) -> str:
        return f"{self.user} ({self.network})"


class Invitation(models.Model):
    """An organisation admin invites a colleague by email to join the staff list."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=200, blank=True)
    is_admin = models.BooleanField(_("make them an organisation admin"), default=False)
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"], condition=Q(accepted_at__isnull=True),
                name="one_pending_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()
