"""Staff maintain the indicator catalogue, the exchange rates and their surveys at /staff/."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from constellation.insights.models import ExchangeRate, Indicator
from tests.insights.factories import ExchangeRateFactory, SurveyFactory, default_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_a_admin(staff_a):
    """staff_a as the admin knows them: Django staff."""
    staff_a.is_staff = True
    staff_a.save()
    return staff_a


@pytest.fixture
def staff_b_admin(staff_b):
    staff_b.is_staff = True
    staff_b.save()
    return staff_b


INDICATOR = {
    "key": "planetarium_visitors", "category": "audiences", "position": "200", "active": "on", "unit": "count",
    "choices": "[]", "min_value": "0", "max_value": "", "label_en": "Planetarium visitors",
    "label_fr": "Visiteurs du planétarium", "label_es": "", "label_ar": "زوار القبة الفلكية",
    "help_en": "Seats sold for planetarium shows.", "help_fr": "", "help_es": "", "help_ar": "",
}


def test_staff_add_an_indicator_with_a_label_per_language(login, staff_a_admin):
    client = login(staff_a_admin)

    page = client.get(reverse("admin:insights_indicator_add")).content.decode()
    response = client.post(reverse("admin:insights_indicator_add"), INDICATOR)

    assert 'name="label_ar"' in page
    assert 'lang="ar"' in page
    assert response.status_code == 302
    indicator = Indicator.objects.get(key="planetarium_visitors")
    assert indicator.labels == {"en": "Planetarium visitors", "fr": "Visiteurs du planétarium", "ar": "زوار القبة الفلكية"}
    assert indicator.help_texts == {"en": "Seats sold for planetarium shows."}


def test_a_choice_indicator_needs_its_choices_and_bounds_in_order(login, staff_a_admin):
    client = login(staff_a_admin)

    response = client.post(
        reverse("admin:insights_indicator_add"), {**INDICATOR, "unit": "choice", "min_value": "5", "max_value": "1"}
    )

    assert response.status_code == 200
    assert "A choice indicator needs its choices." in response.content.decode()
    assert "The highest allowed value is below the lowest." in response.content.decode()
    assert not Indicator.objects.filter(key="planetarium_visitors").exists()


def test_staff_edit_a_default_indicator_and_keep_its_translations(login, staff_a_admin):
    volunteers = default_catalogue()["volunteers"]
    client = login(staff_a_admin)
    url = reverse("admin:insights_indicator_change", args=[volunteers.pk])

    page = client.get(url).content.decode()

    assert 'value="Bénévoles"' in page
    data = {**INDICATOR, "key": "volunteers", "label_en": "Volunteers (people)", "label_fr": "Bénévoles",
            "label_es": "Voluntarios", "label_ar": "المتطوعون", "help_en": ""}
    response = client.post(url, data)

    assert response.status_code == 302
    volunteers.refresh_from_db()
    assert volunteers.labels == {"en": "Volunteers (people)", "fr": "Bénévoles", "es": "Voluntarios", "ar": "المتطوعون"}


def test_staff_maintain_exchange_rates_in_the_list(login, staff_a_admin):
    rate = ExchangeRateFactory(year=2024, currency="USD", units_per_base=Decimal("1.08"))
    client = login(staff_a_admin)

    response = client.post(
        reverse("admin:insights_exchangerate_changelist"),
        {
            "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(rate.pk), "form-0-currency": "usd", "form-0-units_per_base": "1.0824", "_save": "Save",
        },
    )

    assert response.status_code == 302
    rate.refresh_from_db()
    assert (rate.currency, rate.units_per_base) == ("USD", Decimal("1.0824"))


def test_a_currency_must_be_an_iso_code(login, staff_a_admin):
    response = login(staff_a_admin).post(
        reverse("admin:insights_exchangerate_add"), {"year": "2024", "currency": "U$D", "units_per_base": "1.1"}
    )

    assert response.status_code == 200
    assert "Use the three-letter ISO 4217 code" in response.content.decode()
    assert not ExchangeRate.objects.exists()


def test_staff_see_only_their_own_networks_surveys(login, staff_b_admin, network_a):
    survey = SurveyFactory(network=network_a, year=2024)
    client = login(staff_b_admin)

    listing = client.get(reverse("admin:insights_survey_changelist")).content.decode()
    change = client.get(reverse("admin:insights_survey_change", args=[survey.pk]))

    assert "NETA 2024" not in listing
    assert change.status_code in (302, 404)


def test_only_superusers_delete_indicators(login, staff_a_admin):
    volunteers = default_catalogue()["volunteers"]

    response = login(staff_a_admin).post(
        reverse("admin:insights_indicator_delete", args=[volunteers.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Indicator.objects.filter(key="volunteers").exists()


@pytest.mark.parametrize(
    "model", ["indicator", "exchangerate", "insightsettings", "survey", "surveyresponse", "target", "report"]
)
def test_every_insights_screen_opens_for_staff(login, staff_a_admin, model, network_a, atomium):
    from tests.insights.factories import submitted_response

    default_catalogue()
    submitted_response(SurveyFactory(network=network_a), atomium, onsite_visitors=10)

    response = login(staff_a_admin).get(reverse(f"admin:insights_{model}_changelist"))

    assert response.status_code == 200


def test_responses_are_read_only_with_their_answers(login, staff_a_admin, network_a, atomium):
    from constellation.insights.models import SurveyResponse
    from tests.insights.factories import submitted_response

    default_catalogue()
    response = submitted_response(SurveyFactory(network=network_a), atomium, onsite_visitors=12345)
    client = login(staff_a_admin)

    page = client.get(reverse("admin:insights_surveyresponse_change", args=[response.pk])).content.decode()
    add = client.get(reverse("admin:insights_surveyresponse_add"))

    assert "12345.00" in page
    assert 'name="_save"' not in page
    assert add.status_code == 403
    assert SurveyResponse.objects.count() == 1
