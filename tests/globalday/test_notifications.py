"""Mail about activities: moderators hear of what waits for them, the organisation hears the
decision, and after the day it is reminded to report participation. Mail goes out only after
the change is committed, once, in the recipient's language."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import formats, timezone, translation

from constellation.globalday import notifications, services
from constellation.globalday.models import Activity, ActivityStatus
from constellation.globalday.tasks import notify_decision_task, remind_reporting_task
from constellation.networks.models import Affiliation
from tests.globalday.conftest import form_data, make_activity

pytestmark = pytest.mark.django_db


def moderate_url(campaign, activity):
    return f"/science-day/{campaign.year}/moderation/{activity.pk}/"


def test_submitting_mails_the_partner_network_staff(
    login, admin_alice, staff_a, staff_b, open_campaign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(admin_alice).post(
            f"/science-day/{open_campaign.year}/register/atomium/", form_data(open_campaign)
        )

    assert [m.to for m in mail.outbox] == [["staff.a@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Science day: “Water detectives” waits for moderation"
    assert (
        "Atomium Science Centre registered “Water detectives” for Science Day 2031." in message.body
    )
    assert f"/science-day/{open_campaign.year}/moderation/?status=submitted" in message.body
    assert "(Europe/Brussels)" in message.body
    assert Activity.objects.get().moderators_notified_at is not None


def test_each_moderator_gets_their_own_mail_once(
    admin_alice, atomium, staff_a, network_a, open_campaign
):
    from tests import factories

    colleague = factories.UserFactory(email="colleague.a@example.org")
    factories.NetworkStaffFactory(network=network_a, user=colleague)
    activity = make_activity(open_campaign, atomium, status=ActivityStatus.SUBMITTED)

    sent = notifications.notify_moderators(activity.pk)
    sent_again = notifications.notify_moderators(activity.pk)

    assert (sent, sent_again) == (2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "colleague.a@example.org",
        "staff.a@example.org",
    ]


def test_changing_an_approved_activity_mails_moderators_again_but_not_while_it_waits(
    login, admin_alice, staff_a, atomium, open_campaign, django_capture_on_commit_callbacks
):
    activity = make_activity(open_campaign, atomium, title="Old title", submitted_by=admin_alice)
    edit = f"/science-day/{open_campaign.year}/activities/{activity.pk}/edit/"
    client = login(admin_alice)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, form_data(open_campaign, title="New title"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, form_data(open_campaign, title="Newer title"))

    assert [m.subject for m in mail.outbox] == ["Science day: “New title” waits for moderation"]


def test_approval_mails_the_submitter_with_the_note_and_a_link(
    login, admin_alice, staff_a, atomium, open_campaign, django_capture_on_commit_callbacks
):
    activity = make_activity(
        open_campaign,
        atomium,
        title="Robot workshop",
        status=ActivityStatus.SUBMITTED,
        submitted_by=admin_alice,
    )

    with django_capture_on_commit_callbacks(execute=True):
        login(staff_a).post(
            moderate_url(open_campaign, activity),
            {"decision": "approved", "note": "Lovely & clear"},
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Science day: “Robot workshop” is approved"
    assert (
        "“Robot workshop” is approved: it is now public on the Science Day 2031 map and list."
        in message.body
    )
    assert "Lovely & clear" in message.body
    assert f"/science-day/{open_campaign.year}/mine/" in message.body


def test_rejection_mails_the_submitter_the_reason(
    login, admin_alice, staff_a, atomium, open_campaign, django_capture_on_commit_callbacks
):
    activity = make_activity(
        open_campaign,
        atomium,
        title="Robot workshop",
        status=ActivityStatus.SUBMITTED,
        submitted_by=admin_alice,
    )

    with django_capture_on_commit_callbacks(execute=True):
        login(staff_a).post(
            moderate_url(open_campaign, activity),
            {"decision": "rejected", "note": "Not on the day"},
        )

    assert [m.subject for m in mail.outbox] == ["Science day: “Robot workshop” was not approved"]
    assert "Not on the day" in mail.outbox[0].body


def test_bulk_moderation_sends_one_mail_per_changed_activity(
    login,
    admin_alice,
    member_bob,
    staff_a,
    atomium,
    open_campaign,
    django_capture_on_commit_callbacks,
):
    first = make_activity(
        open_campaign,
        atomium,
        title="First",
        status=ActivityStatus.SUBMITTED,
        hour=9,
        submitted_by=admin_alice,
    )
    second = make_activity(
        open_campaign,
        atomium,
        title="Second",
        status=ActivityStatus.SUBMITTED,
        hour=11,
        submitted_by=member_bob,
    )
    gone = make_activity(
        open_campaign,
        atomium,
        title="Gone",
        status=ActivityStatus.WITHDRAWN,
        hour=13,
        submitted_by=admin_alice,
    )

    with django_capture_on_commit_callbacks(execute=True):
        login(staff_a).post(
            f"/science-day/{open_campaign.year}/moderation/bulk/",
            {"activities": [first.pk, second.pk, gone.pk], "decision": "approved", "note": ""},
        )

    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("alice@example.org", "Science day: “First” is approved"),
        ("bob@example.org", "Science day: “Second” is approved"),
    ]


def test_failed_moderation_sends_nothing(
    login, admin_alice, staff_a, atomium, open_campaign, django_capture_on_commit_callbacks
):
    activity = make_activity(
        open_campaign, atomium, status=ActivityStatus.SUBMITTED, submitted_by=admin_alice
    )

    with django_capture_on_commit_callbacks(execute=True):
        login(staff_a).post(
            moderate_url(open_campaign, activity), {"decision": "rejected", "note": ""}
        )

    assert mail.outbox == []
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.SUBMITTED


def test_rolled_back_moderation_sends_nothing(
    admin_alice, staff_a, atomium, open_campaign, django_capture_on_commit_callbacks
):
    activity = make_activity(
        open_campaign, atomium, status=ActivityStatus.SUBMITTED, submitted_by=admin_alice
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.moderate_activity(activity=activity, decision="approved", actor=staff_a)
            raise RuntimeError("something later in the request failed")

    assert callbacks == []
    assert mail.outbox == []
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.SUBMITTED


def test_the_decision_task_run_twice_sends_one_mail(
    admin_alice, staff_a, atomium, open_campaign, django_capture_on_commit_callbacks
):
    activity = make_activity(
        open_campaign, atomium, status=ActivityStatus.SUBMITTED, submitted_by=admin_alice
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_activity(activity=activity, decision="approved", actor=staff_a)

    notify_decision_task.enqueue(activity.pk)

    assert len(mail.outbox) == 1


def test_a_second_click_on_the_same_decision_sends_nothing_more(
    login, admin_alice, staff_a, atomium, open_campaign, django_capture_on_commit_callbacks
):
    activity = make_activity(
        open_campaign, atomium, status=ActivityStatus.SUBMITTED, submitted_by=admin_alice
    )
    client = login(staff_a)

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(moderate_url(open_campaign, activity), {"decision": "approved", "note": ""})

    assert len(mail.outbox) == 1


def test_no_decision_mail_when_the_submitter_is_gone(
    admin_alice, member_bob, staff_a, atomium, open_campaign, django_capture_on_commit_callbacks
):
    deleted = make_activity(
        open_campaign,
        atomium,
        title="Deleted",
        status=ActivityStatus.SUBMITTED,
        hour=9,
        submitted_by=admin_alice,
    )
    left = make_activity(
        open_campaign,
        atomium,
        title="Left",
        status=ActivityStatus.SUBMITTED,
        hour=11,
        submitted_by=member_bob,
    )
    admin_alice.delete()
    Affiliation.objects.filter(person__user=member_bob).update(
        end_date=timezone.localdate() - datetime.timedelta(days=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_activities(activities=[deleted, left], decision="approved", actor=staff_a)

    assert mail.outbox == []
    assert set(Activity.objects.values_list("status", flat=True)) == {ActivityStatus.APPROVED}


def in_french(value) -> str:
    with translation.override("fr"):
        return formats.date_format(value, "DATE_FORMAT")


def test_decision_mail_is_in_the_submitters_language(admin_alice, staff_a, atomium, open_campaign):
    admin_alice.language = "fr"
    admin_alice.save()
    activity = make_activity(
        open_campaign, atomium, status=ActivityStatus.APPROVED, submitted_by=admin_alice
    )

    notifications.notify_decision(activity.pk)

    assert len(mail.outbox) == 1
    assert in_french(open_campaign.date) in mail.outbox[0].body
    assert "10:00–12:00 (Europe/Brussels)" in mail.outbox[0].body
    assert "Quand\u00a0:" in mail.outbox[0].body


# Reminders after the day


def ended(campaign, organisation, user, **fields):
    return make_activity(campaign, organisation, submitted_by=user, **fields)


def test_reminder_goes_to_submitters_of_ended_unreported_activities_once(
    admin_alice, atomium, past_campaign
):
    due = ended(past_campaign, atomium, admin_alice, title="Star party", hour=9)
    ended(
        past_campaign,
        atomium,
        admin_alice,
        title="Reported",
        hour=11,
        actual_participants=40,
        reported_at=timezone.now(),
    )
    ended(
        past_campaign,
        atomium,
        admin_alice,
        title="Waiting",
        hour=13,
        status=ActivityStatus.SUBMITTED,
    )
    ended(
        past_campaign,
        atomium,
        admin_alice,
        title="Rejected",
        hour=15,
        status=ActivityStatus.REJECTED,
    )

    call_command("globalday_remind_reporting", stdout=open("/dev/null", "w"))
    call_command(
        "globalday_remind_reporting",
        "--year",
        str(past_campaign.year),
        stdout=open("/dev/null", "w"),
    )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Science day: how many people came to “Star party”?"
    assert f"/science-day/{past_campaign.year}/activities/{due.pk}/report/" in message.body
    due.refresh_from_db()
    assert due.reminder_sent_at is not None


def test_no_reminder_before_the_activity_ends_or_after_the_deadline(
    admin_alice, atomium, open_campaign, past_campaign
):
    ended(open_campaign, atomium, admin_alice, title="Not yet")
    past_campaign.reporting_deadline = timezone.localdate() - datetime.timedelta(days=1)
    past_campaign.save()
    ended(past_campaign, atomium, admin_alice, title="Too late")

    call_command("globalday_remind_reporting", stdout=open("/dev/null", "w"))

    assert mail.outbox == []


def test_reminder_for_another_year_sends_nothing_and_an_unknown_year_is_an_error(
    admin_alice, atomium, past_campaign, open_campaign
):
    ended(past_campaign, atomium, admin_alice)

    call_command(
        "globalday_remind_reporting",
        "--year",
        str(open_campaign.year),
        stdout=open("/dev/null", "w"),
    )
    with pytest.raises(CommandError):
        call_command("globalday_remind_reporting", "--year", "1999")

    assert mail.outbox == []


def test_reminder_skips_activities_whose_submitter_is_gone(admin_alice, atomium, past_campaign):
    activity = ended(past_campaign, atomium, None)

    sent, skipped = notifications.send_reporting_reminders()

    assert (sent, skipped) == (0, 1)
    assert mail.outbox == []
    activity.refresh_from_db()
    assert activity.reminder_sent_at is None


def test_reminder_task_is_in_the_submitters_language(admin_alice, atomium, past_campaign):
    admin_alice.language = "fr"
    admin_alice.save()
    ended(past_campaign, atomium, admin_alice)

    remind_reporting_task.enqueue(past_campaign.year)

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert f"Les déclarations sont attendues au plus tard le {in_french(past_campaign.reporting_deadline)}." in body
    assert "Reports are due" not in body
