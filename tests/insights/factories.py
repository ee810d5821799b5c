"""Factories for insights (kept beside its tests; the shared ones are in tests/factories.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from constellation.insights.catalogue import load_default_catalogue
from constellation.insights.models import (
    Answer,
    ExchangeRate,
    Indicator,
    ResponseStatus,
    Survey,
    SurveyResponse,
    Unit,
)
from tests.factories import NetworkFactory, OrganisationFactory


def default_catalogue() -> dict[str, Indicator]:
    """The default indicators, as the data migration leaves them (a transactional test may
    have emptied the table), by key."""
    load_default_catalogue(Indicator)
    return {indicator.key: indicator for indicator in Indicator.objects.all()}


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    key = factory.Sequence(lambda n: f"indicator_{n}")
    labels = factory.LazyAttribute(lambda o: {"en": o.key.replace("_", " ").capitalize()})
    unit = Unit.COUNT
    min_value = Decimal(0)


class SurveyFactory(factory.django.DjangoModelFactory):
    """A survey open today, with a deadline in a month, asking every indicator in use."""

    class Meta:
        model = Survey
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    year = 2024
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))

    @factory.post_generation
    def indicators(obj, create, extracted, **kwargs):
        if create:
            obj.indicators.set(extracted if extracted is not None else Indicator.objects.filter(active=True))


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyResponse

    survey = factory.SubFactory(SurveyFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    currency = "EUR"


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate

    year = 2024
    currency = "USD"
    units_per_base = Decimal("1.08")


def submitted_response(survey: Survey, organisation, *, currency: str = "EUR", **values) -> SurveyResponse:
    """A response submitted with these figures, written directly (no checks)."""
    response = SurveyResponseFactory(
        survey=survey, organisation=organisation, currency=currency, status=ResponseStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    for key, value in values.items():
        indicator = Indicator.objects.get(key=key)
        if indicator.unit == Unit.CHOICE:
            Answer.objects.create(response=response, indicator=indicator, choice=value)
        else:
            Answer.objects.create(response=response, indicator=indicator, value=Decimal(str(value)))
    return response
