"""The annual survey: the catalogue, filling in a response, checks, deadlines and who may do what."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from constellation.insights import services
from constellation.insights.catalogue import (
    DEFAULT_KEYS,
    load_default_catalogue,
    unload_default_catalogue,
)
from constellation.insights.models import (
    Answer,
    Indicator,
    ResponseStatus,
    Survey,
    SurveyResponse,
    Unit,
)
from tests import factories
from tests.insights.factories import (
    ExchangeRateFactory,
    IndicatorFactory,
    SurveyFactory,
    default_catalogue,
    submitted_response,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return default_catalogue()


@pytest.fixture
def survey(catalogue, network_a):
    return SurveyFactory(network=network_a, year=2024)


@pytest.fixture
def last_year(catalogue, network_a, atomium):
    """Atomium's submitted figures for 2023."""
    survey_2023 = SurveyFactory(network=network_a, year=2023)
    return submitted_response(
        survey_2023, atomium, onsite_visitors=100_000, staff_fte="12.5", operating_budget=2_000_000,
        income_admissions=0,
    )


def edit_url(survey, organisation) -> str:
    return reverse("insights:response-edit", args=[survey.pk, organisation.slug])


# The required answers: as a service takes them, and as the form posts them.
VALUES = {"onsite_visitors": "120000", "staff_fte": "13.5", "operating_budget": "2100000"}
COMPLETE = {"currency": "EUR", **VALUES}


def answers_of(organisation) -> dict[str, Decimal | str]:
    return {a.indicator.key: a.answer for a in Answer.objects.filter(response__organisation=organisation).select_related("indicator")}


# The catalogue


def test_default_catalogue_is_loaded_in_every_language(catalogue):
    assert sorted(catalogue) == sorted(DEFAULT_KEYS)
    assert len(catalogue) == 19
    visitors = catalogue["onsite_visitors"]
    assert visitors.labels == {
        "en": "On-site visitors", "fr": "Visiteurs sur site", "es": "Visitantes en el centro", "ar": "الزوار في الموقع",
    }
    assert set(visitors.help_texts) == {"en", "fr", "es", "ar"}
    assert (visitors.unit, visitors.min_value, visitors.required) == (Unit.COUNT, Decimal(0), True)
    assert (catalogue["staff_fte"].unit, catalogue["staff_fte"].allows_decimals) == (Unit.COUNT, True)
    assert catalogue["floor_area"].unit == Unit.AREA
    assert sorted(k for k, i in catalogue.items() if i.is_income_source) == [
        "income_admissions", "income_corporate", "income_grants", "income_memberships", "income_other",
        "income_philanthropy", "income_public", "income_retail",
    ]
    assert [value for value, _label in catalogue["governance"].choice_options()] == [
        "public", "nonprofit", "forprofit", "university", "other",
    ]


def test_loading_the_catalogue_again_changes_nothing_and_keeps_staff_edits(catalogue):
    Indicator.objects.filter(key="volunteers").update(labels={"en": "Volunteers (people)"})

    added = load_default_catalogue(Indicator)

    assert added == 0
    assert Indicator.objects.count() == 19
    assert Indicator.objects.get(key="volunteers").labels == {"en": "Volunteers (people)"}


def test_unloading_the_catalogue_keeps_answered_indicators(last_year):
    unload_default_catalogue(Indicator)

    assert sorted(Indicator.objects.values_list("key", flat=True)) == [
        "income_admissions", "onsite_visitors", "operating_budget", "staff_fte",
    ]


# Checking values


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12000", Decimal(12000)), ("12 000", Decimal(12000)), ("12,000", Decimal(12000)), ("1,234.5", Decimal("1234.5")),
     ("1.234.567", Decimal(1234567)), ("1.234,5", Decimal("1234.5")), ("12,5", Decimal("12.5")), (7, Decimal(7))],
)
def test_numbers_are_read_as_people_type_them(raw, expected):
    assert services.parse_number(raw) == expected


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("onsite_visitors", "lots", "Enter a number, such as 1250 or 1250.50."),
        ("onsite_visitors", "-5", "Enter 0 or more."),
        ("volunteers", "12.5", "Enter a whole number."),
        ("operating_budget", "10.555", "Use at most two decimals."),
        ("governance", "monarchy", "Choose one of: Public, Private non-profit, Private for-profit, University, Other."),
    ],
)
def test_values_that_do_not_fit_their_indicator_are_refused(catalogue, key, raw, message):
    with pytest.raises(services.ValidationError) as exc:
        services.clean_value(catalogue[key], raw)

    assert exc.value.messages == [message]


def test_values_fit_their_unit(catalogue):
    share = IndicatorFactory(key="young_visitors_share", unit=Unit.PERCENTAGE)

    assert services.clean_value(catalogue["staff_fte"], "12,5") == Decimal("12.5")
    assert services.clean_value(catalogue["floor_area"], "2500.75") == Decimal("2500.75")
    assert services.clean_value(catalogue["governance"], "Privé à but non lucratif") == "nonprofit"
    assert services.clean_value(catalogue["governance"], "") is None
    assert services.clean_value(share, "42.5") == Decimal("42.5")
    with pytest.raises(services.ValidationError, match="between 0 and 100"):
        services.clean_value(share, "120")


# Filling in: the org admin's path


def test_org_admin_saves_a_draft_then_submits(login, admin_alice, atomium, survey):
    client = login(admin_alice)

    page = client.get(edit_url(survey, atomium)).content.decode()

    assert "<legend><h2>Visitors and reach</h2></legend>" in page
    assert 'name="onsite_visitors"' in page
    assert "Save draft" in page

    response = client.post(edit_url(survey, atomium), {"currency": "EUR", "onsite_visitors": "120 000", "action": "draft"})

    assert response["Location"] == edit_url(survey, atomium)
    saved = SurveyResponse.objects.get(survey=survey, organisation=atomium)
    assert saved.status == ResponseStatus.DRAFT
    assert answers_of(atomium) == {"onsite_visitors": Decimal(120000)}

    response = client.post(edit_url(survey, atomium), {**COMPLETE, "governance": "nonprofit", "action": "submit"})

    assert response["Location"] == reverse("insights:survey-list")
    saved.refresh_from_db()
    assert (saved.status, saved.submitted_by) == (ResponseStatus.SUBMITTED, admin_alice)
    assert saved.submitted_at is not None
    assert answers_of(atomium) == {
        "onsite_visitors": Decimal(120000), "staff_fte": Decimal("13.5"), "operating_budget": Decimal(2100000),
        "governance": "nonprofit",
    }
    assert saved.history.first().history_user == admin_alice


def test_bad_values_are_shown_beside_their_fields_and_change_nothing(login, admin_alice, atomium, survey):
    client = login(admin_alice)
    client.post(edit_url(survey, atomium), {"currency": "EUR", "onsite_visitors": "1000", "action": "draft"})

    response = client.post(
        edit_url(survey, atomium),
        {"currency": "EUR", "onsite_visitors": "2000", "volunteers": "3.5", "school_visitors": "many", "action": "draft"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert '<li><a href="#id_volunteers">Volunteers</a>: Enter a whole number.</li>' in page
    assert '<ul class="errors" id="id_volunteers_error"><li>Enter a whole number.</li></ul>' in page
    assert 'aria-describedby="id_volunteers_helptext id_volunteers_error"' in page
    assert 'aria-invalid="true"' in page
    assert "Enter a number, such as 1250 or 1250.50." in page
    assert answers_of(atomium) == {"onsite_visitors": Decimal(1000)}


def test_a_draft_may_be_incomplete_but_submitting_needs_the_required_answers(login, admin_alice, atomium, survey):
    client = login(admin_alice)

    client.post(edit_url(survey, atomium), {"currency": "EUR", "volunteers": "40", "action": "draft"})
    response = client.post(edit_url(survey, atomium), {"currency": "EUR", "volunteers": "40", "action": "submit"})

    assert response.status_code == 200
    page = response.content.decode()
    for key, label in [("onsite_visitors", "On-site visitors"), ("staff_fte", "Staff (full-time equivalent)"),
                       ("operating_budget", "Operating budget")]:
        assert f'<li><a href="#id_{key}">{label}</a>: Answer this before submitting.</li>' in page
        assert f'<ul class="errors" id="id_{key}_error"><li>Answer this before submitting.</li></ul>' in page
    assert page.count("Answer this before submitting.") == 6
    assert SurveyResponse.objects.get(organisation=atomium).status == ResponseStatus.DRAFT


def test_unknown_currency_is_refused(admin_alice, atomium, survey):
    with pytest.raises(services.SurveyError) as exc:
        services.save_response(survey=survey, organisation=atomium, values={"onsite_visitors": "5"}, currency="XYZ", actor=admin_alice)

    assert list(exc.value.errors) == ["currency"]
    assert not SurveyResponse.objects.exists()


def test_submitting_twice_writes_once(login, admin_alice, atomium, survey):
    client = login(admin_alice)
    client.post(edit_url(survey, atomium), {**COMPLETE, "action": "submit"})
    saved = SurveyResponse.objects.get()
    submitted_at, history = saved.submitted_at, saved.history.count()

    response = client.post(edit_url(survey, atomium), {**COMPLETE, "action": "submit"})

    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.submitted_at, saved.history.count()) == (submitted_at, history)
    assert Answer.history.count() == 3


def test_a_submitted_response_is_changed_by_submitting_again(login, admin_alice, atomium, survey):
    client = login(admin_alice)
    client.post(edit_url(survey, atomium), {**COMPLETE, "action": "submit"})

    page = client.get(edit_url(survey, atomium)).content.decode()
    client.post(edit_url(survey, atomium), {**COMPLETE, "volunteers": "25", "action": "draft"})
    client.post(edit_url(survey, atomium), {**COMPLETE, "volunteers": "30", "action": "submit"})

    assert "Save draft" not in page
    assert "Submit the changes" in page
    assert answers_of(atomium)["volunteers"] == Decimal(30)
    assert SurveyResponse.objects.get().status == ResponseStatus.SUBMITTED


# Year on year


def test_last_years_figures_are_shown_beside_the_fields(login, admin_alice, atomium, survey, last_year):
    page = login(admin_alice).get(edit_url(survey, atomium)).content.decode()

    assert '<p class="meta" id="id_onsite_visitors_previous">In 2023: 100,000</p>' in page
    assert '<p class="meta" id="id_operating_budget_previous">In 2023: 2,000,000 EUR</p>' in page
    assert 'aria-describedby="id_staff_fte_helptext id_staff_fte_previous"' in page


def test_a_change_over_half_needs_a_comment_before_submitting(login, admin_alice, atomium, survey, last_year):
    client = login(admin_alice)
    doubled = {**COMPLETE, "onsite_visitors": "200000"}

    response = client.post(edit_url(survey, atomium), {**doubled, "action": "submit"})

    assert response.status_code == 200
    page = response.content.decode()
    assert '<p id="id_onsite_visitors_anomaly"><strong>Please check:</strong> +100% compared with last year.</p>' in page
    assert "Explain the change in the comment before submitting." in page
    assert 'name="onsite_visitors__comment"' in page
    assert not SurveyResponse.objects.filter(survey=survey).exists()

    response = client.post(
        edit_url(survey, atomium),
        {**doubled, "onsite_visitors__comment": "New planetarium opened in March.", "action": "submit"},
    )

    assert response.status_code == 302
    saved = SurveyResponse.objects.get(survey=survey)
    assert saved.status == ResponseStatus.SUBMITTED
    assert saved.answers.get(indicator__key="onsite_visitors").comment == "New planetarium opened in March."
    assert services.anomalies(saved) == {
        "onsite_visitors": services.Anomaly(Decimal(100000), Decimal(200000), Decimal(100)),
    }


def test_a_draft_may_keep_a_change_unexplained_and_the_page_flags_it(login, admin_alice, atomium, survey, last_year):
    client = login(admin_alice)

    response = client.post(edit_url(survey, atomium), {**COMPLETE, "onsite_visitors": "40000", "action": "draft"})
    page = client.get(edit_url(survey, atomium)).content.decode()

    assert response.status_code == 302
    assert "1 figure changed by more than 50% since last year." in page
    assert "−60% compared with last year." in page
    assert 'aria-describedby="id_onsite_visitors_helptext id_onsite_visitors_previous id_onsite_visitors_anomaly"' in page


def test_a_figure_that_was_zero_last_year_is_flagged(atomium, survey, last_year, admin_alice):
    with pytest.raises(services.SurveyError) as exc:
        services.save_response(
            survey=survey, organisation=atomium, values={**VALUES, "income_admissions": "5000"}, currency="EUR",
            actor=admin_alice, submit=True,
        )

    assert exc.value.comment_errors == {
        "income_admissions": ["Last year this was 0. Explain the change in the comment before submitting."]
    }


def test_money_in_another_currency_is_compared_through_the_exchange_rates(atomium, survey, last_year, admin_alice):
    ExchangeRateFactory(year=2023, currency="SEK", units_per_base=Decimal("11.00"))
    ExchangeRateFactory(year=2024, currency="SEK", units_per_base=Decimal("11.50"))
    # 23,000,000 SEK at 11.50 is 2,000,000 EUR, last year's budget: no change at all.
    same = {**VALUES, "operating_budget": "23000000"}

    response = services.save_response(
        survey=survey, organisation=atomium, values=same, currency="SEK", actor=admin_alice, submit=True
    )

    assert response.status == ResponseStatus.SUBMITTED
    assert services.anomalies(response) == {}

    # 2,100,000 SEK is about 182,609 EUR: a fall of more than 90%, though the digits barely moved.
    response = services.save_response(
        survey=survey, organisation=atomium, values={"operating_budget": "2100000"}, currency="SEK",
        actor=admin_alice, submit=True, anomaly_note="checked",
    )

    found = services.anomalies(response)
    assert list(found) == ["operating_budget"]
    assert (found["operating_budget"].previous, round(found["operating_budget"].current)) == (Decimal(2000000), 182609)
    assert round(found["operating_budget"].change_pct) == -91


# The deadline


def test_after_the_deadline_an_org_admin_cannot_submit_but_staff_can(login, admin_alice, staff_a, atomium, survey):
    Survey.objects.filter(pk=survey.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))

    response = login(admin_alice).post(edit_url(survey, atomium), {**COMPLETE, "action": "submit"})

    assert response.status_code == 200
    assert "The deadline" in response.content.decode()
    assert "has passed, so answers can no longer be submitted." in response.content.decode()
    assert not SurveyResponse.objects.exists()

    response = login(staff_a).post(edit_url(survey, atomium), {**COMPLETE, "action": "submit"})

    assert response["Location"] == survey.get_absolute_url()
    saved = SurveyResponse.objects.get()
    assert (saved.status, saved.submitted_by) == (ResponseStatus.SUBMITTED, staff_a)


def test_after_the_deadline_the_page_says_so_and_offers_only_a_draft(login, admin_alice, atomium, survey):
    Survey.objects.filter(pk=survey.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))

    page = login(admin_alice).get(edit_url(survey, atomium)).content.decode()

    assert "The deadline has passed, so you can no longer submit." in page
    assert "Save draft" in page
    assert 'value="submit"' not in page


def test_before_the_survey_opens_only_staff_may_answer(admin_alice, staff_a, atomium, survey):
    Survey.objects.filter(pk=survey.pk).update(opens_on=timezone.localdate() + datetime.timedelta(days=2))
    survey.refresh_from_db()

    with pytest.raises(services.SurveyError, match="This survey opens on"):
        services.save_response(survey=survey, organisation=atomium, values=VALUES, currency="EUR", actor=admin_alice)
    services.save_response(survey=survey, organisation=atomium, values=VALUES, currency="EUR", actor=staff_a)

    assert answers_of(atomium)["onsite_visitors"] == Decimal(120000)


# Who may do what


@pytest.fixture
def other_admin(network_a):
    """The admin of another member of network A."""
    organisation = factories.OrganisationFactory(name="Cosmos", slug="cosmos")
    factories.MembershipFactory(organisation=organisation, network=network_a)
    user = factories.UserFactory(email="carla@example.org")
    person = factories.PersonFactory(user=user, email=user.email)
    factories.AffiliationFactory(person=person, organisation=organisation, is_admin=True)
    return user


@pytest.mark.parametrize("persona", ["member_bob", "outsider_olga", "staff_b", "other_admin"])
def test_strangers_get_404_and_change_nothing(request, login, persona, admin_alice, atomium, survey):
    services.save_response(survey=survey, organisation=atomium, values={"onsite_visitors": "1000"}, currency="EUR", actor=admin_alice)
    client = login(request.getfixturevalue(persona))

    get = client.get(edit_url(survey, atomium))
    post = client.post(edit_url(survey, atomium), {**COMPLETE, "action": "submit"})
    detail = client.get(survey.get_absolute_url())

    assert (get.status_code, post.status_code, detail.status_code) == (404, 404, 404)
    assert answers_of(atomium) == {"onsite_visitors": Decimal(1000)}
    assert SurveyResponse.objects.get().status == ResponseStatus.DRAFT


def test_an_organisation_outside_the_network_cannot_be_filled_in(login, staff_a, survey):
    elsewhere = factories.OrganisationFactory(slug="elsewhere")

    response = login(staff_a).get(edit_url(survey, elsewhere))

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, atomium, survey):
    response = client.get(edit_url(survey, atomium))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_someone_with_nothing_to_fill_in_sees_no_survey(login, outsider_olga, survey, atomium, admin_alice):
    services.save_response(survey=survey, organisation=atomium, values=VALUES, currency="EUR", actor=admin_alice)

    page = login(outsider_olga).get(reverse("insights:survey-list")).content.decode()

    assert "You have no survey to fill in." in page
    assert "NETA 2024" not in page
    assert "Atomium" not in page


# Staff: opening surveys and following the responses


def test_staff_open_a_survey_once_even_if_the_form_is_sent_twice(login, staff_a, network_a, catalogue):
    client = login(staff_a)
    data = {
        "network": network_a.pk, "year": "2024", "title": "", "opens_on": "2025-01-15", "deadline": "2025-03-31",
        "indicators": [catalogue["onsite_visitors"].pk, catalogue["operating_budget"].pk],
    }

    first = client.post(reverse("insights:survey-create"), data)
    second = client.post(reverse("insights:survey-create"), data)

    survey = Survey.objects.get()
    assert first["Location"] == survey.get_absolute_url()
    assert second.status_code == 200
    assert "NETA already has a survey for 2024." in second.content.decode()
    assert (survey.network, survey.year, survey.deadline) == (network_a, 2024, datetime.date(2025, 3, 31))
    assert sorted(survey.indicators.values_list("key", flat=True)) == ["onsite_visitors", "operating_budget"]


def test_staff_cannot_open_a_survey_for_another_network(login, staff_b, network_a, catalogue):
    response = login(staff_b).post(
        reverse("insights:survey-create"),
        {"network": network_a.pk, "year": "2024", "opens_on": "2025-01-15", "deadline": "2025-03-31",
         "indicators": [catalogue["onsite_visitors"].pk]},
    )

    assert response.status_code == 200
    assert not Survey.objects.exists()


def test_org_admins_cannot_open_surveys(login, admin_alice):
    assert login(admin_alice).get(reverse("insights:survey-create")).status_code == 404


def test_staff_overview_lists_every_member_with_its_status_and_flags(login, staff_a, atomium, survey, last_year, admin_alice):
    factories.MembershipFactory(organisation=factories.OrganisationFactory(name="Quiet Museum"), network=survey.network)
    services.save_response(
        survey=survey, organisation=atomium, values={**VALUES, "onsite_visitors": "300000"}, currency="EUR",
        actor=admin_alice,
    )

    page = login(staff_a).get(survey.get_absolute_url()).content.decode()

    assert "<dt>Organisations asked</dt><dd>2</dd>" in page
    assert "<dt>Submitted</dt><dd>0</dd>" in page
    assert "<dt>Drafts</dt><dd>1</dd>" in page
    assert '<th scope="row">Atomium Science Centre</th>' in page
    assert "1 (1 without comment)" in page
    assert '<th scope="row">Quiet Museum</th>' in page
    assert "Not started" in page


# The list of surveys


def test_org_admin_sees_their_surveys_with_status_and_deadline(login, admin_alice, atomium, survey, network_b, catalogue):
    SurveyFactory(network=network_b, year=2024)  # a network Atomium is not in
    SurveyFactory(network=survey.network, year=2025, opens_on=timezone.localdate() + datetime.timedelta(days=3))

    page = login(admin_alice).get(reverse("insights:survey-list")).content.decode()

    assert "Surveys for your organisation" in page
    assert page.count("<th scope=\"row\">NETA 2024</th>") == 1
    assert "NETB 2024" not in page
    assert "NETA 2025" not in page
    assert "Not started" in page
    assert edit_url(survey, atomium) in page
    assert "Surveys of the networks you run" not in page


def test_staff_see_their_networks_surveys_with_counts(login, staff_a, admin_alice, atomium, survey, network_b, catalogue):
    SurveyFactory(network=network_b, year=2024)
    services.save_response(survey=survey, organisation=atomium, values=VALUES, currency="EUR", actor=admin_alice, submit=True)

    page = login(staff_a).get(reverse("insights:survey-list")).content.decode()

    assert f'<a href="{survey.get_absolute_url()}">NETA 2024</a>' in page
    assert "1 of 1 members" in page
    assert "NETB" not in page


@pytest.mark.parametrize("count", [1, 3])
def test_survey_list_for_an_org_admin_has_a_fixed_number_of_queries(
    login, admin_alice, atomium, catalogue, network_a, count, django_assert_num_queries
):
    for year in range(2020, 2020 + count):
        survey = SurveyFactory(network=network_a, year=year)
        services.save_response(survey=survey, organisation=atomium, values={"volunteers": "3"}, currency="EUR", actor=admin_alice)
    client = login(admin_alice)

    with django_assert_num_queries(9):
        response = client.get(reverse("insights:survey-list"))

    assert response.content.decode().count("Continue<span") == count


@pytest.mark.parametrize("count", [1, 3])
def test_survey_list_for_staff_has_a_fixed_number_of_queries(
    login, staff_a, network_a, catalogue, count, django_assert_num_queries
):
    for year in range(2020, 2020 + count):
        SurveyFactory(network=network_a, year=year)
    client = login(staff_a)

    with django_assert_num_queries(7):
        response = client.get(reverse("insights:survey-list"))

    assert response.content.decode().count("0 of 0 members") == count


@pytest.mark.parametrize("count", [1, 3])
def test_staff_overview_has_a_fixed_number_of_queries(
    login, staff_a, admin_alice, network_a, survey, count, django_assert_num_queries
):
    for number in range(count):
        organisation = factories.OrganisationFactory()
        factories.MembershipFactory(organisation=organisation, network=network_a)
        submitted_response(survey, organisation, onsite_visitors=10 + number)
    client = login(staff_a)

    with django_assert_num_queries(11):
        response = client.get(survey.get_absolute_url())

    assert response.content.decode().count("<td><span class=\"status-badge\">Submitted</span></td>") == count


# Languages


def test_the_response_form_speaks_arabic_right_to_left(login, admin_alice, atomium, survey):
    page = login(admin_alice).get(edit_url(survey, atomium), headers={"Accept-Language": "ar"}).content.decode()

    assert '<html lang="ar" dir="rtl">' in page
    assert "الزوار في الموقع" in page
    assert "عامة" in page


def test_submitting_warms_the_networks_peer_statistics(
    login, admin_alice, atomium, survey, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    client = login(admin_alice)
    cache.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(edit_url(survey, atomium), {**COMPLETE, "action": "submit"})

    assert len(callbacks) == 1
    warmed = [key for key in cache._cache if "insights:benchmarks:" in key]
    assert warmed, "the task should have cached the network's statistics"


def test_saving_a_draft_does_not_warm_anything(login, admin_alice, atomium, survey, django_capture_on_commit_callbacks):
    client = login(admin_alice)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(edit_url(survey, atomium), {**COMPLETE, "action": "draft"})

    assert callbacks == []
