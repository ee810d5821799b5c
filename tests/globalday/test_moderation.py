"""Staff of a partner network approve or reject activities; only approved ones are public."""

from __future__ import annotations

import pytest

from constellation.globalday.models import ActivityStatus
from tests.globalday.conftest import make_activity

pytestmark = pytest.mark.django_db


def queue(campaign):
    return f"/science-day/{campaign.year}/moderation/"


def moderate_url(campaign, activity):
    return f"/science-day/{campaign.year}/moderation/{activity.pk}/"


def test_queue_shows_waiting_activities_first(login, staff_a, atomium, open_campaign):
    make_activity(open_campaign, atomium, title="Already approved", hour=9)
    make_activity(open_campaign, atomium, title="Needs a look", status=ActivityStatus.SUBMITTED, hour=11)

    page = login(staff_a).get(queue(open_campaign)).content.decode()

    assert page.index("Needs a look") < page.index("Already approved")
    assert "1 activity waits for a decision" in page


@pytest.mark.parametrize("persona", ["staff_b", "admin_alice", "outsider_olga"])
def test_queue_is_404_for_anyone_but_partner_staff(request, login, persona, atomium, open_campaign):
    make_activity(open_campaign, atomium, status=ActivityStatus.SUBMITTED)
    user = request.getfixturevalue(persona)

    assert login(user).get(queue(open_campaign)).status_code == 404


def test_staff_approves_and_the_activity_becomes_public(login, client, staff_a, atomium, open_campaign):
    activity = make_activity(open_campaign, atomium, title="Robot workshop", status=ActivityStatus.SUBMITTED)
    assert "Robot workshop" not in client.get(f"/science-day/{open_campaign.year}/").content.decode()

    response = login(staff_a).post(moderate_url(open_campaign, activity), {"decision": "approved", "note": "Lovely"})

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.APPROVED
    assert activity.moderated_by == staff_a
    assert activity.moderation_note == "Lovely"
    assert "Robot workshop" in client.get(f"/science-day/{open_campaign.year}/").content.decode()


def test_htmx_moderation_answers_only_the_row(login, staff_a, atomium, open_campaign):
    activity = make_activity(open_campaign, atomium, title="Robot workshop", status=ActivityStatus.SUBMITTED)

    response = login(staff_a).post(
        moderate_url(open_campaign, activity), {"decision": "approved", "note": ""}, HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert body.lstrip().startswith(f'<li class="moderation-item" id="activity-{activity.pk}"')
    assert "<html" not in body
    assert "Approved" in body


def test_reject_without_a_note_is_refused(login, staff_a, atomium, open_campaign):
    activity = make_activity(open_campaign, atomium, status=ActivityStatus.SUBMITTED)

    response = login(staff_a).post(
        moderate_url(open_campaign, activity), {"decision": "rejected", "note": "  "}, HTTP_HX_REQUEST="true"
    )

    assert "Say why in the note: the organisation reads it." in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.SUBMITTED


def test_rejected_activity_is_hidden_from_the_public_but_not_from_its_organisation(
    login, client, staff_a, admin_alice, atomium, open_campaign
):
    activity = make_activity(open_campaign, atomium, title="Not quite", status=ActivityStatus.SUBMITTED)
    login(staff_a).post(moderate_url(open_campaign, activity), {"decision": "rejected", "note": "Add a programme"})
    detail = f"/science-day/{open_campaign.year}/activities/{activity.pk}/"

    assert "Not quite" not in client.get(f"/science-day/{open_campaign.year}/").content.decode()
    assert client.get(detail).status_code == 404
    assert client.get(f"{detail}calendar.ics").status_code == 404
    page = login(admin_alice).get(detail).content.decode()
    assert "Add a programme" in page


def test_staff_of_another_network_cannot_moderate(login, staff_b, atomium, open_campaign):
    activity = make_activity(open_campaign, atomium, status=ActivityStatus.SUBMITTED)

    response = login(staff_b).post(moderate_url(open_campaign, activity), {"decision": "approved"})

    assert response.status_code == 404
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.SUBMITTED


def test_organisation_cannot_approve_its_own_activity(login, admin_alice, atomium, open_campaign):
    activity = make_activity(open_campaign, atomium, status=ActivityStatus.SUBMITTED)

    response = login(admin_alice).post(moderate_url(open_campaign, activity), {"decision": "approved"})

    assert response.status_code == 404
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.SUBMITTED


def test_bulk_approval_skips_withdrawn_activities(login, staff_a, atomium, open_campaign):
    first = make_activity(open_campaign, atomium, status=ActivityStatus.SUBMITTED, hour=9)
    second = make_activity(open_campaign, atomium, status=ActivityStatus.SUBMITTED, hour=11)
    gone = make_activity(open_campaign, atomium, status=ActivityStatus.WITHDRAWN, hour=13)

    response = login(staff_a).post(
        f"/science-day/{open_campaign.year}/moderation/bulk/",
        {"activities": [first.pk, second.pk, gone.pk], "decision": "approved", "note": ""},
        follow=True,
    )

    assert "Moderated 2 activities." in response.content.decode()
    statuses = {a.pk: a.status for a in open_campaign.activities.all()}
    assert statuses == {first.pk: "approved", second.pk: "approved", gone.pk: "withdrawn"}


def test_bulk_with_nothing_ticked_says_so(login, staff_a, open_campaign):
    response = login(staff_a).post(
        f"/science-day/{open_campaign.year}/moderation/bulk/", {"decision": "approved"}, follow=True
    )

    assert "Tick at least one activity." in response.content.decode()


def test_moderating_twice_changes_nothing_the_second_time(staff_a, atomium, open_campaign):
    from constellation.globalday.services import moderate_activity

    activity = make_activity(open_campaign, atomium, status=ActivityStatus.SUBMITTED)

    assert moderate_activity(activity=activity, decision="approved", actor=staff_a) is True
    assert moderate_activity(activity=activity, decision="approved", actor=staff_a) is False


def test_queue_queries_do_not_grow_with_the_number_of_activities(login, staff_a, atomium, tokyo, open_campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(staff_a)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(queue(open_campaign)).status_code == 200
        return len(captured)

    make_activity(open_campaign, atomium, status=ActivityStatus.SUBMITTED, hour=1)
    one = count_queries()
    for hour in range(2, 23):
        make_activity(open_campaign, tokyo if hour % 2 else atomium, status=ActivityStatus.SUBMITTED, hour=hour, sdgs=[3, 4])

    assert count_queries() == one
