"""Everything that changes science-day activities. Pages, the API and the demo call these.

Each function runs in one transaction and raises DomainError (a message ready to show)
when a rule of the day says no; nothing is written then. The activity's history
(django-simple-history) records who did what.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from constellation.globalday import notifications, places
from constellation.globalday.models import (
    Activity,
    ActivityFormat,
    ActivityStatus,
    Audience,
    Campaign,
    language_choices,
)
from constellation.networks.models import Organisation, Topic
from constellation.networks.services import DomainError

EDITABLE_FIELDS = (
    "title", "description", "format", "audiences", "language", "place_name", "city", "country",
    "time_zone", "starts_at", "ends_at", "link", "expected_participants",
)


def local_times(day: datetime.date, start: datetime.time, end: datetime.time, zone: str) -> tuple[datetime.datetime, datetime.datetime]:
    """Aware start and end of an activity held on `day`, in the place's time zone."""
    tz = ZoneInfo(zone)
    return datetime.datetime.combine(day, start, tzinfo=tz), datetime.datetime.combine(day, end, tzinfo=tz)


def _mark_actor(activity: Activity, actor) -> None:
    if actor is not None and getattr(actor, "is_authenticated", False):
        activity._history_user = actor


def _check(campaign: Campaign, data: dict[str, Any]) -> None:
    """The rules every registration and edit must meet, whichever door it came through."""
    if not (data.get("title") or "").strip() or not (data.get("description") or "").strip():
        raise DomainError(_("Give the activity a title and a description."))
    if len(data["description"]) > 4000:
        raise DomainError(_("Keep the description under 4,000 characters."))
    if data["ends_at"] <= data["starts_at"]:
        raise DomainError(_("The activity must end after it starts."))
    sdgs = list(data.get("sdgs") or [])
    if not sdgs:
        raise DomainError(_("Choose at least one Sustainable Development Goal."))
    if any(not (isinstance(topic, Topic) and topic.is_sdg and 1 <= topic.position <= 17) for topic in sdgs):
        raise DomainError(_("Choose Sustainable Development Goals between 1 and 17."))
    if data["format"] not in ActivityFormat.values:
        raise DomainError(_("Choose a format: on site, online or outreach."))
    if any(audience not in Audience.values for audience in data.get("audiences") or []):
        raise DomainError(_("Choose audiences from the list."))
    if data["language"] not in dict(language_choices()):
        raise DomainError(_("Choose a language from the list."))
    try:
        ZoneInfo(data["time_zone"])
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise DomainError(_("Choose a time zone from the list.")) from None
    if (data.get("expected_participants") or 0) < 0:
        raise DomainError(_("The number of participants cannot be negative."))
    # An activity belongs to its campaign's day; a day-long festival may start the evening before
    # somewhere and still be 10 November elsewhere, hence a day either side.
    local_day = timezone.localtime(data["starts_at"], ZoneInfo(data["time_zone"])).date()
    if abs((local_day - campaign.date).days) > 1:
        raise DomainError(
            _("The activity must take place on the day of the campaign (%(date)s).")
            % {"date": campaign.date.isoformat()}
        )


def _place(activity: Activity, organisation: Organisation) -> None:
    """Coordinates: the organisation's when the activity is held there, else looked up offline."""
    same_place = (activity.city or "").strip().casefold() in {"", (organisation.city or "").casefold()} and str(
        activity.country
    ) == str(organisation.country)
    if same_place:
        activity.latitude, activity.longitude = organisation.latitude, organisation.longitude
        activity.city = activity.city or organisation.city
        return
    point = places.locate(activity.city, str(activity.country))
    activity.latitude, activity.longitude = point if point else (None, None)


def _save(activity: Activity, sdgs, actor) -> Activity:
    _mark_actor(activity, actor)
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        raise DomainError(
            _("%(organisation)s has already registered “%(title)s” at that time.")
            % {"organisation": activity.organisation.name, "title": activity.title}
        ) from None
    activity.sdgs.set(sdgs)
    return activity


@transaction.atomic
def submit_activity(
    *, campaign: Campaign, organisation: Organisation, data: dict[str, Any], actor=None,
    today: datetime.date | None = None,
) -> Activity:
    """Register an activity for the day; it waits for moderation before it is public.

    Rules: the campaign is published and registration open; the activity ends after it
    starts, on the campaign's day, with 1 to 17 SDGs. The same title at the same start for
    the same organisation is refused (a form sent twice). Coordinates come from the
    organisation, or from the place given when it is elsewhere.
    Side effect: after commit, the campaign's moderators are mailed.
    """
    if not campaign.is_published or not campaign.registration_is_open(today):
        raise DomainError(
            _("Registration for %(title)s is closed (open from %(opens)s to %(closes)s).")
            % {"title": campaign.title, "opens": campaign.registration_opens, "closes": campaign.registration_closes}
        )
    _check(campaign, data)
    activity = Activity(campaign=campaign, organisation=organisation, status=ActivityStatus.SUBMITTED)
    if actor is not None and getattr(actor, "is_authenticated", False):
        activity.submitted_by = actor
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(activity, field, data[field])
    _place(activity, organisation)
    _save(activity, data["sdgs"], actor)
    notifications.schedule_moderators_mail(activity)
    return activity


@transaction.atomic
def update_activity(*, activity: Activity, data: dict[str, Any], actor=None, today: datetime.date | None = None) -> Activity:
    """Change an activity while registration is open. A changed approved or rejected
    activity goes back to the moderation queue: what is public was checked by staff, and the
    moderators are mailed after commit (not for changes while it is still waiting)."""
    activity = Activity.objects.select_for_update().select_related("campaign", "organisation").get(pk=activity.pk)
    if activity.status == ActivityStatus.WITHDRAWN:
        raise DomainError(_("This activity was withdrawn; register it again instead."))
    if not activity.campaign.registration_is_open(today):
        raise DomainError(_("Registration has closed; ask the network staff to change the activity."))
    _check(activity.campaign, data)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(activity, field, data[field])
    _place(activity, activity.organisation)
    back_to_moderation = activity.status != ActivityStatus.SUBMITTED
    if back_to_moderation:
        activity.status = ActivityStatus.SUBMITTED
        activity.moderated_at = None
        activity.moderators_notified_at = None
    _save(activity, data["sdgs"], actor)
    if back_to_moderation:
        notifications.schedule_moderators_mail(activity)
    return activity


@transaction.atomic
def withdraw_activity(*, activity: Activity, actor=None) -> bool:
    """Take an activity off the day. False if it was already withdrawn (a second click)."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status == ActivityStatus.WITHDRAWN:
        return False
    if activity.reported_at is not None:
        raise DomainError(_("Participation was already reported; the activity took place."))
    activity.status = ActivityStatus.WITHDRAWN
    _mark_actor(activity, actor)
    activity.save(update_fields=["status", "updated_at"])
    return True


def _moderate(activity: Activity, decision: str, note: str, actor, now) -> bool:
    if activity.status == ActivityStatus.WITHDRAWN:
        raise DomainError(_("“%(title)s” was withdrawn by its organisation.") % {"title": activity.title})
    if activity.status == decision and activity.moderation_note == note:
        return False
    activity.status = decision
    activity.moderation_note = note
    activity.moderated_at = now
    activity.decision_notified_at = None
    if actor is not None and getattr(actor, "is_authenticated", False):
        activity.moderated_by = actor
    _mark_actor(activity, actor)
    activity.save(
        update_fields=["status", "moderation_note", "moderated_at", "moderated_by", "decision_notified_at", "updated_at"]
    )
    notifications.schedule_decision_mail(activity)
    return True


def _decision(decision: str, note: str) -> str:
    if decision not in (ActivityStatus.APPROVED, ActivityStatus.REJECTED):
        raise DomainError(_("Approve or reject the activity."))
    if decision == ActivityStatus.REJECTED and not note.strip():
        raise DomainError(_("Say why in the note: the organisation reads it."))
    return decision


@transaction.atomic
def moderate_activity(*, activity: Activity, decision: str, note: str = "", actor=None) -> bool:
    """Approve or reject one activity with a note for the organisation (required to reject).
    After commit, the person who submitted it is mailed the decision and the note.

    Returns False when the activity already had that decision and note (a second click).
    """
    _decision(decision, note)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    return _moderate(activity, decision, note.strip(), actor, timezone.now())


@transaction.atomic
def moderate_activities(*, activities: Iterable[Activity], decision: str, note: str = "", actor=None) -> int:
    """The same decision for many activities at once; withdrawn ones are skipped. Returns how
    many changed; each changed activity's submitter gets one mail after commit."""
    _decision(decision, note)
    now = timezone.now()
    changed = 0
    locked = Activity.objects.select_for_update().filter(pk__in=[a.pk for a in activities]).exclude(
        status=ActivityStatus.WITHDRAWN
    )
    for activity in locked:
        changed += _moderate(activity, decision, note.strip(), actor, now)
    return changed


@transaction.atomic
def report_participation(
    *, activity: Activity, actual_participants: int, comment: str = "", actor=None,
    now: datetime.datetime | None = None,
) -> Activity:
    """Record how many people took part, once the approved activity is over and until the
    campaign's reporting deadline. Reporting again corrects the figure."""
    now = now or timezone.now()
    activity = Activity.objects.select_for_update().select_related("campaign").get(pk=activity.pk)
    if activity.status != ActivityStatus.APPROVED:
        raise DomainError(_("Only approved activities report participation."))
    if now < activity.ends_at:
        raise DomainError(_("Report participation after the activity, once it has ended."))
    if timezone.localtime(now, activity.zone).date() > activity.campaign.reporting_deadline:
        raise DomainError(
            _("Reports were due by %(date)s; ask the network staff to add your figure.")
            % {"date": activity.campaign.reporting_deadline.isoformat()}
        )
    if actual_participants is None or actual_participants < 0:
        raise DomainError(_("The number of participants cannot be negative."))
    activity.actual_participants = actual_participants
    activity.report_comment = comment
    activity.reported_at = now
    _mark_actor(activity, actor)
    activity.save(update_fields=["actual_participants", "report_comment", "reported_at", "updated_at"])
    return activity
