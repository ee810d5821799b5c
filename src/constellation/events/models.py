"""The annual conference: an event, its venue, rooms, slots, formats, tracks, the proposals
that become sessions, who presents them, and the timetable that places them.

The model is drawn for the whole conference cycle (call for proposals, review, confirmation,
timetable, registration, personal agenda) so that later work adds fields and models beside
these rather than rewriting them. A Proposal is both the submission and, once accepted, the
session: one row keeps one identity (its code) from draft to published programme, as the
review history, interests and placements all point at it.
"""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from constellation.networks.models import Network, Organisation, Person

# Codes are shown in URLs and read aloud on the phone: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code(length: int = 6) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour like #1a7f5a."))


class EventQuerySet(models.QuerySet):
    def published(self) -> EventQuerySet:
        return self.filter(is_published=True)


class Event(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="events", verbose_name=_("organising network")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    cfp_deadline = models.DateTimeField(_("proposal deadline"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    timetable_published_at = models.DateTimeField(
        _("timetable published"), null=True, blank=True, editable=False,
        help_text=_("When the current timetable version was published."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="event_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def cfp_is_open(self, now=None) -> bool:
        return self.cfp_deadline is not None and (now or timezone.now()) < self.cfp_deadline


class Room(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60)
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("Seats."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    equipment = models.JSONField(
        _("equipment"), default=list, blank=True, help_text=_("Tags such as projector, step-free.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "position", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="room_name_unique_in_event"),
            models.UniqueConstraint(fields=["event", "slug"], name="room_slug_unique_in_event"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="room_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Slot(models.Model):
    """A period of the programme grid. Formats last a whole number of consecutive slots."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["event", "start"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [
            models.UniqueConstraint(fields=["event", "start"], name="slot_start_unique_in_event"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        tz = self.event.tz
        return f"{self.start.astimezone(tz):%Y-%m-%d %H:%M}–{self.end.astimezone(tz):%H:%M}"

    def key(self, tz: zoneinfo.ZoneInfo) -> str:
        """The slot id in schedule files: its local start, e.g. 20270526-0900."""
        return f"{self.start.astimezone(tz):%Y%m%d-%H%M}"


class FormatKind(models.TextChoices):
    SESSION = "session", _("Session")
    WORKSHOP = "workshop", _("Workshop")
    SHORT_TALKS = "short_talks", _("Short talks")
    POSTER = "poster", _("Poster")
    SPEED = "speed", pgettext_lazy("session format", "Speed format")
    OTHER = "other", _("Other")


class SessionFormat(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="formats")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=FormatKind.choices, default=FormatKind.SESSION)
    duration_slots = models.PositiveSmallIntegerField(_("length in slots"), default=1)
    rules = models.TextField(_("rules"), blank=True, help_text=_("Shown to proposers: length, number of presenters, set-up."))
    max_presenters = models.PositiveSmallIntegerField(_("most presenters"), null=True, blank=True)
    rooms = models.ManyToManyField(
        Room, verbose_name=_("rooms"), blank=True, related_name="formats",
        help_text=_("Leave empty to allow any room."),
    )
    accepts_proposals = models.BooleanField(_("open for proposals"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event", "position", "name"]
        verbose_name = _("session format")
        verbose_name_plural = _("session formats")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="format_name_unique_in_event"),
            models.CheckConstraint(condition=Q(duration_slots__gte=1), name="format_lasts_a_slot"),
        ]

    def __str__(self) -> str:
        return self.name


class Track(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60)
    colour = models.CharField(_("colour"), max_length=7, default="#3d5a80", validators=[colour_validator])
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event", "position", "name"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="track_slug_unique_in_event"),
            models.UniqueConstraint(fields=["event", "name"], name="track_name_unique_in_event"),
        ]

    def __str__(self) -> str:
        return self.name


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WAITLISTED = "waitlisted", _("Waiting list")
    CONFIRMED = "confirmed", _("Confirmed")


# Sessions that belong in the timetable: accepted ones wait for their presenters to confirm.
SCHEDULED_STATES = (ProposalState.ACCEPTED, ProposalState.CONFIRMED)


class ProposalQuerySet(models.QuerySet):
    def scheduled(self) -> ProposalQuerySet:
        return self.filter(state__in=SCHEDULED_STATES)


class Proposal(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="proposals")
    code = models.CharField(_("code"), max_length=16, unique=True, default=new_code, editable=False)
    external_id = models.CharField(
        _("external id"), max_length=100, blank=True,
        help_text=_("Identity in an imported schedule (guid, code or id)."),
    )
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract"), blank=True)
    description = models.TextField(_("description"), blank=True)
    format = models.ForeignKey(
        SessionFormat, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals",
        verbose_name=_("format"),
    )
    track = models.ForeignKey(
        Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals",
        verbose_name=_("track"),
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=ProposalState.choices, default=ProposalState.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    duration_slots = models.PositiveSmallIntegerField(
        _("length in slots"), null=True, blank=True, help_text=_("Leave empty to use the format's length."),
    )
    unavailable_slots = models.ManyToManyField(
        Slot, verbose_name=_("unavailable slots"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["event", "title"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ProposalState.values), name="proposal_state_known"
            ),
            models.CheckConstraint(
                condition=Q(state=ProposalState.DRAFT) | Q(submitted_at__isnull=False),
                name="proposal_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(duration_slots__isnull=True) | Q(duration_slots__gte=1),
                name="proposal_lasts_a_slot",
            ),
            models.UniqueConstraint(
                fields=["event", "external_id"], condition=~Q(external_id=""),
                name="proposal_external_id_unique_in_event",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def duration(self) -> int:
        """Length in slots: the proposal's own, else its format's, else one."""
        if self.duration_slots:
            return self.duration_slots
        return self.format.duration_slots if self.format_id else 1


class PresenterRole(models.TextChoices):
    PROPOSER = "proposer", _("Proposer")
    CO_PRESENTER = "co_presenter", _("Co-presenter")


class Presenter(models.Model):
    """Someone on a proposal. Co-presenters are invited by email and confirm; until they have
    an account (and so a Person) they are a name and an email."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="presenters")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="presentations",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="presenters",
        verbose_name=_("organisation"),
    )
    biography = models.TextField(_("biography"), blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=PresenterRole.choices, default=PresenterRole.CO_PRESENTER)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    invitation_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "position", "pk"]
        verbose_name = _("presenter")
        verbose_name_plural = _("presenters")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"], condition=Q(role=PresenterRole.PROPOSER), name="one_proposer_per_proposal"
            ),
            models.UniqueConstraint(
                fields=["proposal", "person"], condition=Q(person__isnull=False),
                name="presenter_person_once_per_proposal",
            ),
            models.UniqueConstraint(
                fields=["proposal", "email"], condition=~Q(email=""), name="presenter_email_once_per_proposal"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def speaker_key(self) -> str:
        """The person id in schedule files: the same human in two sessions has the same key.

        A linked Person is the surest; an imported speaker code next; then the email; a bare
        name is the last resort (two different people with one name would collide, which
        only over-constrains the timetable).
        """
        if self.person_id:
            return f"p{self.person_id}"
        if self.external_id:
            return f"x{self.external_id}"
        basis = ("e:" + self.email.casefold()) if self.email else ("n:" + " ".join(self.name.casefold().split()))
        return "h" + hashlib.sha256(basis.encode()).hexdigest()[:12]


class PersonUnavailability(models.Model):
    """A slot in which a person cannot present, whichever session they are in."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="event_unavailability")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="unavailable_people")
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")
        constraints = [
            models.UniqueConstraint(fields=["person", "slot"], name="unavailability_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.slot}"


class TimetableVersion(models.Model):
    """One version of the timetable. Each event has at most one draft (published_at empty),
    which organisers and the optimiser edit; publishing freezes a copy, so the public
    programme never shows work in progress and earlier versions stay for the change log."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="timetable_versions")
    label = models.CharField(_("label"), max_length=120, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["event", "-published_at"]
        verbose_name = _("timetable version")
        verbose_name_plural = _("timetable versions")
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=Q(published_at__isnull=True), name="one_draft_timetable_per_event"
            ),
        ]

    def __str__(self) -> str:
        if self.published_at is None:
            return f"{self.event} – {_('draft')}"
        return f"{self.event} – {self.label or f'{self.published_at:%Y-%m-%d %H:%M}'}"


class Placement(models.Model):
    """A session in the timetable: its first slot and its room (multi-slot sessions run on
    into the following slots; the services check those, the database the first slot)."""

    version = models.ForeignKey(TimetableVersion, on_delete=models.CASCADE, related_name="placements")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="placements")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="placements")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="placements")
    is_fixed = models.BooleanField(
        _("fixed"), default=False, help_text=_("The optimiser must keep this session here.")
    )

    class Meta:
        ordering = ["version", "slot__start", "room__position"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(fields=["version", "proposal"], name="placement_once_per_version"),
            models.UniqueConstraint(fields=["version", "room", "slot"], name="placement_room_slot_free"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} @ {self.room}, {self.slot}"


class Interest(models.Model):
    """An attendee wants to attend a session: the optimiser keeps these apart, the personal
    agenda lists them and rooms are sized by them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_interests")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="interests")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        constraints = [
            models.UniqueConstraint(fields=["user", "proposal"], name="interest_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.proposal}"
