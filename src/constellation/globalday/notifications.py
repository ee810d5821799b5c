"""The science day's mail: moderators hear of activities waiting for them, submitters hear of
the decision, and after the day submitters are reminded to report participation.

Services schedule these after commit (`schedule_*`), tasks.py runs them. Each one reads the
activity as it is now and records on the row that the mail went out, under a row lock, so a
task that runs twice (or a decision changed before the worker got to it) sends one mail
about the current state. A mail that fails to send rolls its mark back, so a retry sends it.
Every mail is written in its recipient's language (User.language).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from constellation.globalday.models import Activity, ActivityStatus, Campaign


def schedule_moderators_mail(activity: Activity) -> None:
    """After commit, tell the campaign's moderators that the activity waits for them."""
    from constellation.globalday.tasks import notify_moderators_task

    activity_id = activity.pk
    transaction.on_commit(lambda: notify_moderators_task.enqueue(activity_id))


def schedule_decision_mail(activity: Activity) -> None:
    """After commit, tell the submitter whether the activity was approved or rejected."""
    from constellation.globalday.tasks import notify_decision_task

    activity_id = activity.pk
    transaction.on_commit(lambda: notify_decision_task.enqueue(activity_id))


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _language(user) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _when(activity: Activity) -> dict:
    """The activity's local day and times as plain values, so templates format them in the
    reader's language without shifting them to the server's time zone."""
    start, end = activity.local_start, activity.local_end
    return {
        "day": start.date(),
        "start": start.time(),
        "end": end.time(),
        "zone": activity.time_zone,
    }


def _message(user, subject_and_template, context: dict) -> EmailMessage:
    """One mail to one person, in their language (each moderator may read another one)."""
    with translation.override(_language(user)):
        subject, template = subject_and_template(context)
        body = render_to_string(template, {**context, "recipient": user})
    return EmailMessage(subject, body, None, [user.email])


def moderators(campaign: Campaign):
    """Active staff of the campaign's partner networks: the people who moderate it."""
    return (
        get_user_model()
        .objects.filter(is_active=True, network_staff__network__in=campaign.partner_networks.all())
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _submitter(activity: Activity):
    """The person who registered the activity, if they still can open "My activities" for it."""
    user = activity.submitted_by
    if user is None or not user.is_active or not user.email:
        return None
    return user if user.has_perm("globalday.change_activity", activity) else None


def _locked(activity_id: int) -> Activity | None:
    # Lock the row alone (no join: PostgreSQL refuses FOR UPDATE on an outer join's nullable side).
    return Activity.objects.select_for_update().filter(pk=activity_id).first()


def notify_moderators(activity_id: int) -> int:
    """Mail each moderator that the activity waits for moderation. Returns how many mails went out;
    0 when it is gone, no longer waiting, or they were already told."""
    with transaction.atomic():
        activity = _locked(activity_id)
        if (
            activity is None
            or activity.status != ActivityStatus.SUBMITTED
            or activity.moderators_notified_at
        ):
            return 0
        campaign = activity.campaign
        context = {
            "activity": activity,
            "campaign": campaign,
            "organisation": activity.organisation,
            **_when(activity),
            "url": _url("globalday:moderation", campaign.year)
            + "?status="
            + ActivityStatus.SUBMITTED,
        }

        def subject(ctx):
            return (
                _("Science day: “%(title)s” waits for moderation")
                % {"title": ctx["activity"].title},
                "globalday/email/moderation_waiting.txt",
            )

        messages = [_message(user, subject, context) for user in moderators(campaign)]
        if messages:
            get_connection().send_messages(messages)
        Activity.objects.filter(pk=activity.pk).update(moderators_notified_at=timezone.now())
    return len(messages)


def notify_decision(activity_id: int) -> int:
    """Mail the submitter the decision on their activity and the note. 1 if sent, 0 when the
    activity is gone, not decided, already told, or the submitter is gone."""
    with transaction.atomic():
        activity = _locked(activity_id)
        decided = (ActivityStatus.APPROVED, ActivityStatus.REJECTED)
        if activity is None or activity.status not in decided or activity.decision_notified_at:
            return 0
        user = _submitter(activity)
        if user is None:
            return 0
        campaign = activity.campaign
        context = {
            "activity": activity,
            "campaign": campaign,
            "organisation": activity.organisation,
            **_when(activity),
            "approved": activity.status == ActivityStatus.APPROVED,
            "url": _url("globalday:my-activities", campaign.year),
        }

        def subject(ctx):
            if ctx["approved"]:
                text = _("Science day: “%(title)s” is approved")
            else:
                text = _("Science day: “%(title)s” was not approved")
            return text % {"title": ctx["activity"].title}, "globalday/email/decision.txt"

        _message(user, subject, context).send()
        Activity.objects.filter(pk=activity.pk).update(decision_notified_at=timezone.now())
    return 1


def activities_due_a_reminder(*, year: int | None = None, now: datetime.datetime | None = None):
    """Approved activities that ended, report nothing yet, were not reminded, and whose campaign
    still takes reports (a reminder after the deadline would link to a refusal)."""
    now = now or timezone.now()
    activities = Activity.objects.approved().filter(
        ends_at__lte=now,
        reported_at__isnull=True,
        actual_participants__isnull=True,
        reminder_sent_at__isnull=True,
        campaign__is_published=True,
        campaign__reporting_deadline__gte=timezone.localdate(now),
    )
    if year is not None:
        activities = activities.filter(campaign__year=year)
    return activities.order_by("pk")


def send_reporting_reminders(
    *, year: int | None = None, now: datetime.datetime | None = None
) -> tuple[int, int]:
    """Remind the submitter of each activity due a reminder to report participation, once per
    activity. Returns (sent, skipped): skipped activities have nobody left to write to (the
    submitter's account is gone or they left the organisation); they stay unmarked and are
    looked at again on the next run."""
    sent = skipped = 0
    for activity_id in list(
        activities_due_a_reminder(year=year, now=now).values_list("pk", flat=True)
    ):
        if remind_reporting(activity_id, now=now):
            sent += 1
        else:
            skipped += 1
    return sent, skipped


def remind_reporting(activity_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Send one activity's reminder unless it is no longer due (checked again under the lock)."""
    with transaction.atomic():
        if _locked(activity_id) is None:
            return False
        activity = (
            activities_due_a_reminder(now=now)
            .filter(pk=activity_id)
            .select_related("campaign", "organisation", "submitted_by")
            .first()
        )
        user = _submitter(activity) if activity else None
        if user is None:
            return False
        campaign = activity.campaign
        context = {
            "activity": activity,
            "campaign": campaign,
            "organisation": activity.organisation,
            "url": _url("globalday:activity-report", campaign.year, activity.pk),
            "deadline": campaign.reporting_deadline,
        }

        def subject(ctx):
            return (
                _("Science day: how many people came to “%(title)s”?")
                % {"title": ctx["activity"].title},
                "globalday/email/reporting_reminder.txt",
            )

        _message(user, subject, context).send()
        Activity.objects.filter(pk=activity.pk).update(reminder_sent_at=timezone.now())
    return True
