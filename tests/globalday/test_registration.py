"""Organisations register, change and withdraw their activities for the day."""

from __future__ import annotations

import pytest

from constellation.globalday.models import Activity, ActivityStatus
from tests.globalday.conftest import form_data, make_activity

pytestmark = pytest.mark.django_db


def register_url(campaign, slug="atomium"):
    return f"/science-day/{campaign.year}/register/{slug}/"


def test_register_admin_registers_an_activity_that_waits_for_moderation(login, admin_alice, atomium, open_campaign):
    client = login(admin_alice)

    response = client.post(register_url(open_campaign), form_data(open_campaign))

    assert response.status_code == 302
    assert response["Location"] == f"/science-day/{open_campaign.year}/mine/"
    activity = Activity.objects.get()
    assert activity.organisation == atomium
    assert activity.status == ActivityStatus.SUBMITTED
    assert activity.submitted_by == admin_alice
    assert activity.time_zone == "Europe/Brussels"
    assert activity.local_start.hour == 10
    assert activity.local_start.date() == open_campaign.date
    assert sorted(t.position for t in activity.sdgs.all()) == [6, 14]
    assert (activity.latitude, activity.longitude) == (atomium.latitude, atomium.longitude)
    page = client.get(f"/science-day/{open_campaign.year}/mine/").content.decode()
    assert "Water detectives" in page
    assert "Waiting for moderation" in page


def test_register_member_of_staff_may_register_too(login, member_bob, atomium, open_campaign):
    response = login(member_bob).post(register_url(open_campaign), form_data(open_campaign))

    assert response.status_code == 302
    assert Activity.objects.get().submitted_by == member_bob


def test_register_elsewhere_looks_the_place_up_offline(login, admin_alice, open_campaign):
    data = form_data(open_campaign, city="Tokyo", country="JP", place_name="Ueno park")

    login(admin_alice).post(register_url(open_campaign), data)

    activity = Activity.objects.get()
    assert activity.time_zone == "Asia/Tokyo"
    assert activity.latitude == pytest.approx(35.69, abs=0.1)
    assert activity.local_start.hour == 10


def test_register_outsider_gets_404_and_nothing_is_written(login, outsider_olga, atomium, open_campaign):
    client = login(outsider_olga)

    assert client.get(register_url(open_campaign)).status_code == 404
    response = client.post(register_url(open_campaign), form_data(open_campaign))

    assert response.status_code == 404
    assert Activity.objects.count() == 0


def test_register_staff_of_another_network_gets_404(login, staff_b, atomium, open_campaign):
    response = login(staff_b).post(register_url(open_campaign), form_data(open_campaign))

    assert response.status_code == 404
    assert Activity.objects.count() == 0


def test_register_anonymous_is_sent_to_sign_in(client, atomium, open_campaign):
    response = client.get(register_url(open_campaign))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_register_start_goes_straight_to_the_only_organisation(login, admin_alice, open_campaign):
    response = login(admin_alice).get(f"/science-day/{open_campaign.year}/register/")

    assert response.status_code == 302
    assert response["Location"] == register_url(open_campaign)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_time": "09:00"}, "The activity must end after it starts."),
        ({"sdgs": []}, "This field is required."),
        ({"sdgs": ["999999"]}, "Select a valid choice."),
        ({"expected_participants": "-5"}, "Ensure this value is greater than or equal to 0."),
        ({"time_zone": "Mars/Olympus_Mons"}, "Select a valid choice."),
        ({"date": "2001-01-01"}, "The activity must take place on the day of the campaign"),
    ],
)
def test_register_bad_input_says_why_and_writes_nothing(login, admin_alice, open_campaign, overrides, message):
    response = login(admin_alice).post(register_url(open_campaign), form_data(open_campaign, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode() or "errors-summary" in response.content.decode()
    assert Activity.objects.count() == 0


def test_register_a_topic_that_is_not_an_sdg_is_refused(login, admin_alice, open_campaign):
    from constellation.networks.models import Topic

    space = Topic.objects.get(slug="space")

    response = login(admin_alice).post(register_url(open_campaign), form_data(open_campaign, sdgs=[str(space.pk)]))

    assert "Select a valid choice." in response.content.decode()
    assert Activity.objects.count() == 0


def test_register_when_registration_is_closed_says_so_and_writes_nothing(login, admin_alice, past_campaign):
    response = login(admin_alice).post(register_url(past_campaign), form_data(past_campaign))

    assert response.status_code == 200
    assert "Registration for Science Day 2030 is closed" in response.content.decode()
    assert Activity.objects.count() == 0


def test_register_twice_writes_one_activity(login, admin_alice, open_campaign):
    client = login(admin_alice)
    client.post(register_url(open_campaign), form_data(open_campaign))

    response = client.post(register_url(open_campaign), form_data(open_campaign))

    assert Activity.objects.count() == 1
    assert "Atomium Science Centre has already registered “Water detectives” at that time." in response.content.decode()


def test_edit_approved_activity_goes_back_to_moderation(login, admin_alice, atomium, open_campaign):
    activity = make_activity(open_campaign, atomium, title="Old title")
    client = login(admin_alice)

    response = client.post(
        f"/science-day/{open_campaign.year}/activities/{activity.pk}/edit/", form_data(open_campaign, title="New title")
    )

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "New title"
    assert activity.status == ActivityStatus.SUBMITTED


def test_edit_form_shows_the_local_times(login, admin_alice, atomium, open_campaign):
    activity = make_activity(open_campaign, atomium, hour=15, time_zone="Asia/Tokyo")

    page = login(admin_alice).get(f"/science-day/{open_campaign.year}/activities/{activity.pk}/edit/").content.decode()

    assert 'value="15:00"' in page
    assert '<option value="Asia/Tokyo" selected>' in page


def test_edit_by_another_organisation_is_404(login, outsider_olga, atomium, open_campaign):
    activity = make_activity(open_campaign, atomium, title="Mine")

    response = login(outsider_olga).post(
        f"/science-day/{open_campaign.year}/activities/{activity.pk}/edit/", form_data(open_campaign, title="Theirs")
    )

    assert response.status_code == 404
    activity.refresh_from_db()
    assert activity.title == "Mine"


def test_withdraw_takes_the_activity_off_the_public_list(login, client, admin_alice, atomium, open_campaign):
    activity = make_activity(open_campaign, atomium, title="Comet watch")

    response = login(admin_alice).post(f"/science-day/{open_campaign.year}/activities/{activity.pk}/withdraw/")

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.WITHDRAWN
    assert "Comet watch" not in client.get(f"/science-day/{open_campaign.year}/").content.decode()


def test_withdraw_needs_post(login, admin_alice, atomium, open_campaign):
    activity = make_activity(open_campaign, atomium)

    response = login(admin_alice).get(f"/science-day/{open_campaign.year}/activities/{activity.pk}/withdraw/")

    assert response.status_code == 405
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.APPROVED


def test_my_activities_lists_only_my_organisations(login, admin_alice, atomium, tokyo, open_campaign):
    make_activity(open_campaign, atomium, title="Ours")
    make_activity(open_campaign, tokyo, title="Theirs", status=ActivityStatus.SUBMITTED)

    page = login(admin_alice).get(f"/science-day/{open_campaign.year}/mine/").content.decode()

    assert "Ours" in page
    assert "Theirs" not in page


def test_unpublished_campaign_is_404_for_organisations(login, admin_alice, open_campaign):
    open_campaign.is_published = False
    open_campaign.save()

    assert login(admin_alice).get(f"/science-day/{open_campaign.year}/").status_code == 404
    assert login(admin_alice).post(register_url(open_campaign), form_data(open_campaign)).status_code == 404
    assert Activity.objects.count() == 0



def test_my_activities_queries_do_not_grow(login, admin_alice, atomium, open_campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(admin_alice)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/science-day/{open_campaign.year}/mine/").status_code == 200
        return len(captured)

    make_activity(open_campaign, atomium, hour=1)
    one = count_queries()
    for hour in range(2, 12):
        make_activity(open_campaign, atomium, hour=hour, sdgs=[1, 2])

    assert count_queries() == one
