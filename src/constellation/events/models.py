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
        Network,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("organising network"),
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
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Most confirmed registrations; empty = no limit."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    timetable_published_at = models.DateTimeField(
        _("timetable published"),
        null=True,
        blank=True,
        editable=False,
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

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.registration_opens_at is None or now < self.registration_opens_at:
            return False
        return self.registration_closes_at is None or now < self.registration_closes_at


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
    kind = models.CharField(
        _("kind"), max_length=20, choices=FormatKind.choices, default=FormatKind.SESSION
    )
    duration_slots = models.PositiveSmallIntegerField(_("length in slots"), default=1)
    rules = models.TextField(
        _("rules"),
        blank=True,
        help_text=_("Shown to proposers: length, number of presenters, set-up."),
    )
    max_presenters = models.PositiveSmallIntegerField(_("most presenters"), null=True, blank=True)
    rooms = models.ManyToManyField(
        Room,
        verbose_name=_("rooms"),
        blank=True,
        related_name="formats",
        help_text=_("Leave empty to allow any room."),
    )
    accepts_proposals = models.BooleanField(_("open for proposals"), default=True)
    needs_booking = models.BooleanField(
        _("attendees book a seat"),
        default=False,
        help_text=_(
            "Workshops: places are limited and booked at registration, with a waiting list."
        ),
    )
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
    colour = models.CharField(
        _("colour"), max_length=7, default="#3d5a80", validators=[colour_validator]
    )
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
        _("external id"),
        max_length=100,
        blank=True,
        help_text=_("Identity in an imported schedule (guid, code or id)."),
    )
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract"), blank=True)
    description = models.TextField(_("description"), blank=True)
    format = models.ForeignKey(
        SessionFormat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("format"),
    )
    track = models.ForeignKey(
        Track,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("track"),
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed by the presenters"), null=True, blank=True)
    seats = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        help_text=_("For a workshop: most attendees who can book; empty = its room's capacity."),
    )
    duration_slots = models.PositiveSmallIntegerField(
        _("length in slots"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the format's length."),
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
                fields=["event", "external_id"],
                condition=~Q(external_id=""),
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
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="presentations",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="presenters",
        verbose_name=_("organisation"),
    )
    biography = models.TextField(_("biography"), blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    role = models.CharField(
        _("role"), max_length=12, choices=PresenterRole.choices, default=PresenterRole.CO_PRESENTER
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    invitation_token = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "position", "pk"]
        verbose_name = _("presenter")
        verbose_name_plural = _("presenters")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(role=PresenterRole.PROPOSER),
                name="one_proposer_per_proposal",
            ),
            models.UniqueConstraint(
                fields=["proposal", "person"],
                condition=Q(person__isnull=False),
                name="presenter_person_once_per_proposal",
            ),
            models.UniqueConstraint(
                fields=["proposal", "email"],
                condition=~Q(email=""),
                name="presenter_email_once_per_proposal",
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
        basis = (
            ("e:" + self.email.casefold())
            if self.email
            else ("n:" + " ".join(self.name.casefold().split()))
        )
        return "h" + hashlib.sha256(basis.encode()).hexdigest()[:12]


class PersonUnavailability(models.Model):
    """A slot in which a person cannot present, whichever session they are in."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="event_unavailability"
    )
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
                fields=["event"],
                condition=Q(published_at__isnull=True),
                name="one_draft_timetable_per_event",
            ),
        ]

    def __str__(self) -> str:
        if self.published_at is None:
            return f"{self.event} – {_('draft')}"
        return f"{self.event} – {self.label or f'{self.published_at:%Y-%m-%d %H:%M}'}"


class Placement(models.Model):
    """A session in the timetable: its first slot and its room (multi-slot sessions run on
    into the following slots; the services check those, the database the first slot)."""

    version = models.ForeignKey(
        TimetableVersion, on_delete=models.CASCADE, related_name="placements"
    )
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
            models.UniqueConstraint(
                fields=["version", "proposal"], name="placement_once_per_version"
            ),
            models.UniqueConstraint(
                fields=["version", "room", "slot"], name="placement_room_slot_free"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} @ {self.room}, {self.slot}"


class Interest(models.Model):
    """An attendee wants to attend a session: the optimiser keeps these apart, the personal
    agenda lists them and rooms are sized by them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_interests"
    )
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


# --- Call for proposals: the form each event configures -------------------------------------


class CfpField(models.TextChoices):
    """Optional questions of the proposal form; title, abstract and format are always asked."""

    DESCRIPTION = "description", _("Description")
    TRACK = "track", _("Track")
    TOPICS = "topics", _("Topics")
    LANGUAGE = "language", _("Language")
    AUDIENCE = "audience", _("Audience")
    ACCESSIBILITY = "accessibility_needs", _("Accessibility needs")


class FieldUse(models.TextChoices):
    REQUIRED = "required", _("Required")
    OPTIONAL = "optional", _("Optional")
    OFF = "off", _("Not asked")


def default_cfp_fields() -> dict[str, str]:
    return {
        CfpField.DESCRIPTION: FieldUse.OPTIONAL,
        CfpField.TRACK: FieldUse.REQUIRED,
        CfpField.TOPICS: FieldUse.OPTIONAL,
        CfpField.LANGUAGE: FieldUse.REQUIRED,
        CfpField.AUDIENCE: FieldUse.OPTIONAL,
        CfpField.ACCESSIBILITY: FieldUse.OPTIONAL,
    }


class CallForProposals(models.Model):
    """How an event asks for proposals: when, what the form asks, the abstract's limits."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="cfp")
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown above the form.")
    )
    abstract_min_chars = models.PositiveIntegerField(
        _("shortest abstract (characters)"), default=200
    )
    abstract_max_chars = models.PositiveIntegerField(
        _("longest abstract (characters)"), default=1500
    )
    title_max_chars = models.PositiveIntegerField(_("longest title (characters)"), default=120)
    fields = models.JSONField(
        _("questions"),
        default=default_cfp_fields,
        blank=True,
        help_text=_("For each optional question: required, optional or off."),
    )
    languages = models.JSONField(
        _("session languages"),
        default=list,
        blank=True,
        help_text=_(
            'Language codes proposers may choose, e.g. ["en", "fr"]; empty = the site\'s languages.'
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(abstract_max_chars__gte=F("abstract_min_chars")),
                name="cfp_abstract_limits_in_order",
            ),
        ]

    def __str__(self) -> str:
        return str(self.event)

    def use(self, field: str) -> str:
        return (self.fields or {}).get(field, default_cfp_fields().get(field, FieldUse.OFF))

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return False
        return self.event.cfp_is_open(now)


class ProposalTopic(models.Model):
    """Topics of a proposal (the directory's vocabulary, SDGs included): reviewers' expertise
    is matched against them."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey("networks.Topic", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "topic"], name="proposal_topic_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.topic_id}"


# --- Review ----------------------------------------------------------------------------------


class CommitteeMember(models.Model):
    """A programme committee member of an event: what they know, whom they may not judge."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="committee")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="committee_seats"
    )
    expertise = models.ManyToManyField(
        "networks.Topic",
        verbose_name=_("expertise"),
        blank=True,
        related_name="+",
    )
    tracks = models.ManyToManyField(
        Track, verbose_name=_("tracks"), blank=True, related_name="committee"
    )
    conflict_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("conflicts with organisations"),
        blank=True,
        related_name="+",
        help_text=_("Besides their own organisations, which always count."),
    )
    conflict_proposals = models.ManyToManyField(
        Proposal,
        verbose_name=_("declared conflicts"),
        blank=True,
        related_name="conflicted_reviewers",
    )
    max_assignments = models.PositiveSmallIntegerField(
        _("most proposals to review"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="committee_member_once")
        ]

    def __str__(self) -> str:
        return str(self.user)


class ReviewCriterion(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="review_criteria")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("guidance"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event", "position", "pk"]
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"], name="criterion_name_unique_in_event"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="criterion_scale_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class ReviewAssignment(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="review_assignments"
    )
    reviewer = models.ForeignKey(
        CommitteeMember, on_delete=models.CASCADE, related_name="assignments"
    )
    is_manual = models.BooleanField(_("assigned by hand"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["proposal", "pk"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.proposal}"


class Review(models.Model):
    assignment = models.OneToOneField(
        ReviewAssignment, on_delete=models.CASCADE, related_name="review"
    )
    comment = models.TextField(_("comment for the committee"), blank=True)
    comment_for_presenters = models.TextField(_("comment for the presenters"), blank=True)
    score = models.DecimalField(
        _("weighted score"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Weighted mean of the criteria, on a 0-100 scale."),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return str(self.assignment)


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class DecisionTemplate(models.Model):
    """The email sent with a decision; {title}, {event}, {name}, {code}, {link} are filled in."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="decision_templates")
    decision = models.CharField(
        _("decision"),
        max_length=12,
        choices=[
            (s, label)
            for s, label in ProposalState.choices
            if s in ("accepted", "rejected", "waitlisted")
        ],
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))

    class Meta:
        verbose_name = _("decision email")
        verbose_name_plural = _("decision emails")
        constraints = [
            models.UniqueConstraint(fields=["event", "decision"], name="decision_template_once")
        ]

    def __str__(self) -> str:
        return f"{self.event} – {self.get_decision_display()}"


class DecisionNotice(models.Model):
    """A decision mail sent (or queued) for a proposal: the bulk send is idempotent by it."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="decision_notices"
    )
    decision = models.CharField(max_length=12)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "decision"], name="decision_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.decision}"


# --- Timetable optimisation from the web -----------------------------------------------------


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ScheduleRun(models.Model):
    """One run of the optimiser on an event's draft timetable, polled by the progress bar."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedule_runs")
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    seconds = models.PositiveSmallIntegerField(_("time limit (seconds)"), default=30)
    keep_current = models.BooleanField(
        _("keep placed sessions fixed"),
        default=False,
        help_text=_("Only place the sessions not yet in the draft."),
    )
    progress = models.FloatField(default=0)
    message = models.CharField(max_length=300, blank=True)
    figures = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("optimiser run")
        verbose_name_plural = _("optimiser runs")

    def __str__(self) -> str:
        return f"{self.event} – {self.created_at:%Y-%m-%d %H:%M}"


class TimetableChange(models.Model):
    """A session moved, added or dropped between two published versions; presenters are told."""

    version = models.ForeignKey(TimetableVersion, on_delete=models.CASCADE, related_name="changes")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="timetable_changes"
    )
    before = models.CharField(max_length=200, blank=True)
    after = models.CharField(max_length=200, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "proposal"], name="change_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.before} → {self.after}"


# --- Personal agenda ---------------------------------------------------------------------------


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class AgendaFeed(models.Model):
    """The secret address of someone's personal iCal feed for an event (can be reset)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_feeds")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="agenda_feed_once")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.event_id}"


# --- Registration --------------------------------------------------------------------------


class BillingDetails(models.Model):
    """What a network's invoices say about the seller, and how numbers run."""

    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="billing")
    legal_name = models.CharField(_("legal name"), max_length=200)
    address = models.TextField(_("address"))
    country = CountryField(_("country"))
    vat_number = models.CharField(_("VAT number"), max_length=40, blank=True)
    registration_number = models.CharField(
        _("company registration number"), max_length=60, blank=True
    )
    iban = models.CharField(_("IBAN"), max_length=40, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    invoice_prefix = models.CharField(_("invoice number prefix"), max_length=20, default="INV")
    payment_terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"), default=30)
    footer = models.TextField(_("invoice footer"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("billing details")
        verbose_name_plural = _("billing details")

    def __str__(self) -> str:
        return self.legal_name


class InvoiceSequence(models.Model):
    """The last invoice number used by a network in a year: locked while numbering, so
    numbers run without gaps or repeats."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "year"], name="invoice_sequence_once")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class TicketKind(models.TextChoices):
    MEMBER = "member", _("Member rate")
    NON_MEMBER = "non_member", _("Non-member rate")
    STUDENT = "student", _("Student")
    DAY_PASS = "day_pass", _("Day pass")
    SPEAKER = "speaker", _("Presenter")


class TicketType(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ticket_types")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=TicketKind.choices)
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(_("price (before VAT)"), max_digits=9, decimal_places=2)
    early_bird_price = models.DecimalField(
        _("early-bird price (before VAT)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    early_bird_until = models.DateTimeField(_("early-bird deadline"), null=True, blank=True)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=0)
    capacity = models.PositiveIntegerField(
        _("tickets of this type"),
        null=True,
        blank=True,
        help_text=_("Leave empty: only the event's capacity counts."),
    )
    on_sale = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event", "position", "pk"]
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"], name="ticket_type_name_unique_in_event"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="ticket_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", _("Awaiting payment")
    PAID = "paid", _("Paid")
    FREE = "free", _("Nothing to pay")
    REFUNDED = "refunded", _("Refunded")


class Registration(models.Model):
    """A person's place at the event. Confirmed places count against the capacities; the
    waiting list is promoted in the order people joined it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    # Empty once the person deleted their account: the row stays, anonymous, because its
    # invoices must be kept for the accounts.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    ticket_type = models.ForeignKey(
        TicketType, on_delete=models.PROTECT, related_name="registrations"
    )
    day = models.DateField(_("day"), null=True, blank=True, help_text=_("For a day pass."))
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices)
    payment_status = models.CharField(
        _("payment"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    price = models.DecimalField(_("price (before VAT)"), max_digits=9, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    name = models.CharField(_("name on the badge"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(_("organisation on the badge"), max_length=200, blank=True)
    billing_name = models.CharField(_("invoice to"), max_length=200, blank=True)
    billing_address = models.TextField(_("billing address"), blank=True)
    billing_vat_number = models.CharField(_("your VAT number"), max_length=40, blank=True)
    accessibility_needs = models.TextField(_("access needs"), blank=True)
    badge_token = models.CharField(max_length=64, unique=True, default=new_secret, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~Q(status=RegistrationStatus.CANCELLED),
                name="one_live_registration_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values), name="registration_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"


class WorkshopBooking(models.Model):
    """A seat in a workshop (sessions of a format with limited places) for a registration."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="workshop_bookings"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="bookings")
    status = models.CharField(max_length=10, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["proposal", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "proposal"],
                condition=~Q(status=RegistrationStatus.CANCELLED),
                name="one_live_booking_per_workshop",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} → {self.proposal_id}"


class Invoice(models.Model):
    """A numbered invoice (or credit note) with the seller's and buyer's details frozen at
    issue; its PDF is drawn from these, so it never changes afterwards."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="+")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.CharField(_("number"), max_length=40)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    due_on = models.DateField(_("due"))
    seller = models.JSONField(default=dict)
    buyer = models.JSONField(default=dict)
    lines = models.JSONField(default=list)
    net = models.DecimalField(_("net"), max_digits=10, decimal_places=2)
    vat = models.DecimalField(_("VAT"), max_digits=10, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    credits = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_note",
        help_text=_("The invoice this credit note cancels."),
    )

    class Meta:
        ordering = ["network", "issued_at", "pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="invoice_number_unique")
        ]

    def __str__(self) -> str:
        return self.number


class Payment(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="payments"
    )
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    provider = models.CharField(_("provider"), max_length=40, default="bank_transfer")
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    status = models.CharField(max_length=10, default="succeeded")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["registration", "recorded_at"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
