"""The demo's insights: five years of figures, an open survey, settings and targets, loaded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from constellation.insights.models import (
    Answer,
    ExchangeRate,
    InsightSettings,
    ResponseStatus,
    Survey,
    SurveyResponse,
    Target,
)
from constellation.networks.models import Network


@pytest.fixture
def demo(db):
    call_command("load_demo", limit=120, stdout=open("/dev/null", "w"))


def counts() -> tuple[int, ...]:
    return (
        Survey.objects.count(), SurveyResponse.objects.count(), Answer.objects.count(),
        Target.objects.count(), InsightSettings.objects.count(), ExchangeRate.objects.count(),
    )


def test_demo_insights_loaded_twice_adds_nothing(demo, capsys):
    call_command("load_demo_insights")
    first = counts()

    call_command("load_demo_insights")

    assert counts() == first
    assert "0 new responses, 0 new answers" in capsys.readouterr().out


def test_demo_insights_gives_five_submitted_years_and_an_open_survey(demo):
    this_year = timezone.localdate().year

    call_command("load_demo_insights")

    ecsite = Network.objects.get(slug="ecsite")
    years = sorted(Survey.objects.filter(network=ecsite).values_list("year", flat=True))
    assert years == list(range(this_year - 5, this_year + 1))
    open_survey = Survey.objects.get(network=ecsite, year=this_year)
    assert open_survey.is_open
    assert not open_survey.responses.exists()
    past = SurveyResponse.objects.filter(survey__network=ecsite, survey__year__lt=this_year)
    assert past.exists()
    assert set(past.values_list("status", flat=True)) == {ResponseStatus.SUBMITTED}
    assert Target.objects.filter(network=ecsite, formula="income_sources", aggregation="share_at_least").exists()


def test_demo_insights_explains_every_jump_of_more_than_half(demo):
    call_command("load_demo_insights")

    values = {
        (organisation, key, year): (value, comment)
        for organisation, key, year, value, comment in Answer.objects.filter(value__isnull=False).values_list(
            "response__organisation_id", "indicator__key", "response__survey__year", "value", "comment"
        )
    }
    jumps = [
        comment for (organisation, key, year), (value, comment) in values.items()
        if (before := values.get((organisation, key, year - 1))) and before[0] and abs(value - before[0]) > before[0] / 2
    ]
    assert jumps
    assert all(jumps)


def test_demo_insights_money_in_local_currency_has_rates(demo):
    call_command("load_demo_insights")

    currencies = set(SurveyResponse.objects.values_list("currency", flat=True)) - {"EUR"}
    years = set(Survey.objects.values_list("year", flat=True)) - {timezone.localdate().year}
    assert currencies
    for currency in currencies:
        assert set(ExchangeRate.objects.filter(currency=currency).values_list("year", flat=True)) >= years
