"""Surveys and responses: everything that changes them, and the year-on-year checks.

Pages, the spreadsheet import and the command line all call `save_response`, so a figure
is checked the same way whichever path it comes by. Values arrive as raw text (or numbers)
and are checked against their indicator: unit, decimals, bounds, choices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from constellation.insights.figures import exchange_rates, to_base
from constellation.insights.models import (
    Answer,
    ExchangeRate,
    Indicator,
    InsightSettings,
    ResponseStatus,
    Survey,
    SurveyResponse,
    Unit,
)
from constellation.networks.models import Membership, Network, Organisation, normalise
from constellation.networks.rules import staff_network_ids
from constellation.networks.services import DomainError

# A change of more than this share (in %) from last year's submitted figure must be explained.
ANOMALY_THRESHOLD = Decimal(50)
NUMERIC_UNITS = (Unit.COUNT, Unit.MONEY, Unit.AREA, Unit.PERCENTAGE)
CENT = Decimal("0.01")
# Answer.value has 20 digits, two of them after the point.
LARGEST = Decimal(10) ** 18

Value = Decimal | str | None


class SurveyError(DomainError):
    """Answers that cannot be saved. `errors` and `comment_errors` map an indicator key to
    its messages, so a form can show each beside its field; `message` says it all in one line."""

    def __init__(
        self, message: str, *, errors: dict[str, list[str]] | None = None,
        comment_errors: dict[str, list[str]] | None = None,
    ):
        super().__init__(message)
        self.errors = errors or {}
        self.comment_errors = comment_errors or {}


# ---------------------------------------------------------------------------------------
# Currencies


def base_currency() -> str:
    return settings.INSIGHTS_BASE_CURRENCY


def currency_codes() -> list[str]:
    """The currencies a response may use: the base currency and those with an exchange rate."""
    codes = set(ExchangeRate.objects.values_list("currency", flat=True).distinct())
    return sorted(codes | {base_currency()})


def default_currency(network: Network) -> str:
    settings_row = InsightSettings.objects.filter(network=network).first()
    return settings_row.currency if settings_row else base_currency()


# ---------------------------------------------------------------------------------------
# Checking one value

_IGNORED = re.compile(r"[\s\u00a0\u202f'_]")
_COMMA_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DOT_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3}){2,}$|^[+-]?\d{1,3}(\.\d{3})+,\d+$")


def parse_number(raw: Any) -> Decimal:
    """A number as people type it in forms and spreadsheets; ValueError if it is none.

    Spaces and apostrophes group digits ("12 000", "12'000"). A comma is a decimal comma
    ("12,5") unless it groups thousands ("12,000" or "1,234.5"); dots group thousands only
    in "1.234.567" or "1.234,5". So "12,000" visitors is twelve thousand, never twelve.
    """
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, Decimal | int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(str(raw))
    else:
        text = _IGNORED.sub("", str(raw))
        if _COMMA_THOUSANDS.match(text):
            text = text.replace(",", "")
        elif _DOT_THOUSANDS.match(text):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(raw) from exc
    if not value.is_finite():
        raise ValueError(raw)
    return value


def format_number(value: Decimal) -> str:
    """12000 -> "12,000" (in the reader's language); no ".00" on whole numbers."""
    decimals = 0 if value == value.to_integral_value() else 2
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def clean_value(indicator: Indicator, raw: Any) -> Value:
    """The value to store for `raw`, or None when it is empty; ValidationError if it does not fit."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if indicator.unit == Unit.CHOICE:
        return _clean_choice(indicator, str(raw).strip())
    try:
        value = parse_number(raw)
    except ValueError:
        raise ValidationError(_("Enter a number, such as 1250 or 1250.50.")) from None
    if indicator.unit == Unit.COUNT and not indicator.allows_decimals and value != value.to_integral_value():
        raise ValidationError(_("Enter a whole number."))
    if value != value.quantize(CENT):
        raise ValidationError(_("Use at most two decimals."))
    if abs(value) >= LARGEST:
        raise ValidationError(_("This number is too large."))
    if indicator.unit == Unit.PERCENTAGE and not Decimal(0) <= value <= Decimal(100):
        raise ValidationError(_("Enter a percentage between 0 and 100."))
    if indicator.min_value is not None and value < indicator.min_value:
        raise ValidationError(_("Enter %(minimum)s or more.") % {"minimum": format_number(indicator.min_value)})
    if indicator.max_value is not None and value > indicator.max_value:
        raise ValidationError(_("Enter %(maximum)s or less.") % {"maximum": format_number(indicator.max_value)})
    return value.quantize(CENT)


def _clean_choice(indicator: Indicator, raw: str) -> str:
    """A choice by its value or its label in any language ("nonprofit", "Privé à but non lucratif")."""
    wanted = normalise(raw)
    for item in indicator.choices or []:
        value = str(item.get("value", "")) if isinstance(item, dict) else str(item)
        labels = item.get("labels", {}).values() if isinstance(item, dict) else ()
        if value and wanted in {normalise(value), *(normalise(label) for label in labels)}:
            return value
    options = ", ".join(label for _value, label in indicator.choice_options())
    raise ValidationError(_("Choose one of: %(options)s.") % {"options": options})


# ---------------------------------------------------------------------------------------
# Year on year


class Anomaly(NamedTuple):
    """A figure that changed by more than the threshold since last year.

    `previous` and `current` are compared in one currency (the base currency when the two
    years were reported in different ones); `change_pct` is None when last year was 0.
    """

    previous: Decimal
    current: Decimal
    change_pct: Decimal | None

    def describe(self) -> str:
        if self.change_pct is None:
            return _("Last year this was 0.")
        change = f"{'+' if self.change_pct > 0 else '−'}{format_number(abs(self.change_pct).quantize(Decimal(1)))}%"
        return _("%(change)s compared with last year.") % {"change": change}


@dataclass
class PreviousYear:
    """An organisation's submitted answers of the year before, as reported."""

    year: int
    currency: str
    values: dict[str, Value]

    def display(self, indicator: Indicator) -> str:
        value = self.values.get(indicator.key)
        if value is None:
            return ""
        if indicator.unit == Unit.CHOICE:
            return indicator.choice_label(value)
        text = format_number(value)
        return f"{text} {self.currency}" if indicator.unit == Unit.MONEY else text


def previous_year(survey: Survey, organisation_id: int) -> PreviousYear | None:
    """The organisation's submitted response to the same network's survey a year earlier (2 queries)."""
    response = (
        SurveyResponse.objects.filter(
            organisation_id=organisation_id, survey__network_id=survey.network_id, survey__year=survey.year - 1,
            status=ResponseStatus.SUBMITTED,
        )
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("indicator")))
        .first()
    )
    if response is None:
        return None
    values = {answer.indicator.key: answer.answer for answer in response.answers.all()}
    return PreviousYear(survey.year - 1, response.currency, values)


def compare_years(
    previous: PreviousYear | None, current: dict[str, Value], *, currency: str, year: int,
    units: dict[str, str], rates: dict[tuple[int, str], Decimal] | None = None,
) -> dict[str, Anomaly]:
    """The figures that changed by more than the threshold, up or down, or from 0 to anything.

    Money reported in two different currencies is compared in the base currency through
    each year's exchange rate; without a rate for either year it is not compared.
    """
    if previous is None:
        return {}
    found = {}
    for key, now in current.items():
        before = previous.values.get(key)
        if units.get(key) not in NUMERIC_UNITS or before is None or now is None:
            continue
        if units[key] == Unit.MONEY and previous.currency != currency:
            if rates is None:
                rates = exchange_rates({previous.year, year})
            before = to_base(before, previous.currency, previous.year, rates)
            now = to_base(now, currency, year, rates)
            if before is None or now is None:
                continue
        if before == 0:
            if now != 0:
                found[key] = Anomaly(before, now, None)
            continue
        change = (now - before) / abs(before) * 100
        if abs(change) > ANOMALY_THRESHOLD:
            found[key] = Anomaly(before, now, change)
    return found


def flag_changes(
    indicators: list[Indicator], values: dict[str, Any], *, previous: PreviousYear | None, currency: str, year: int
) -> dict[str, Anomaly]:
    """The anomalies among values as typed, leaving out those that are not valid (for a page
    that shows its flags again after an error)."""
    current = {}
    for indicator in indicators:
        try:
            current[indicator.key] = clean_value(indicator, values.get(indicator.key))
        except ValidationError:
            continue
    return compare_years(
        previous, current, currency=currency, year=year, units={i.key: i.unit for i in indicators}
    )


def anomalies(response: SurveyResponse) -> dict[str, Anomaly]:
    """The response's stored figures that changed by more than 50% since last year."""
    answers = list(response.answers.select_related("indicator"))
    return compare_years(
        previous_year(response.survey, response.organisation_id),
        {answer.indicator.key: answer.answer for answer in answers},
        currency=response.currency, year=response.survey.year,
        units={answer.indicator.key: answer.indicator.unit for answer in answers},
    )


def survey_anomalies(survey: Survey) -> dict[int, dict[str, tuple[Anomaly, bool]]]:
    """For each responding organisation: its anomalies, each with whether it is explained.

    For the staff overview, in 3 queries however many organisations responded.
    """
    answers = list(
        Answer.objects.filter(
            response__survey__network_id=survey.network_id, response__survey__year__in=[survey.year, survey.year - 1]
        )
        .exclude(response__survey__year=survey.year - 1, response__status=ResponseStatus.DRAFT)
        .values_list(
            "response__organisation_id", "response__survey__year", "response__currency", "indicator__key",
            "indicator__unit", "value", "choice", "comment",
        )
    )
    rates = exchange_rates({survey.year, survey.year - 1})
    previous: dict[int, PreviousYear] = {}
    current: dict[int, dict[str, Value]] = {}
    currencies: dict[int, str] = {}
    comments: dict[tuple[int, str], bool] = {}
    units: dict[str, str] = {}
    for organisation_id, year, currency, key, unit, value, choice, comment in answers:
        units[key] = unit
        answer = value if value is not None else (choice or None)
        if year == survey.year:
            current.setdefault(organisation_id, {})[key] = answer
            currencies[organisation_id] = currency
            comments[(organisation_id, key)] = bool(comment.strip())
        else:
            previous.setdefault(organisation_id, PreviousYear(year, currency, {})).values[key] = answer
    result = {}
    for organisation_id, values in current.items():
        found = compare_years(
            previous.get(organisation_id), values, currency=currencies[organisation_id], year=survey.year,
            units=units, rates=rates,
        )
        result[organisation_id] = {key: (a, comments[(organisation_id, key)]) for key, a in found.items()}
    return result


# ---------------------------------------------------------------------------------------
# Writing


def _mark_actor(instance, actor) -> None:
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor


def may_edit_after_deadline(actor, survey: Survey) -> bool:
    """Network staff may correct answers at any time; the command line (no actor) too."""
    if actor is None:
        return True
    return actor.is_superuser or survey.network_id in staff_network_ids(actor)


@transaction.atomic
def create_survey(
    *, network: Network, year: int, deadline, indicators=None, actor=None, title: str = "", opens_on=None,
) -> Survey:
    """Open a network's survey for a year, asking the given indicators (default: all in use).

    One survey per network and year (also a database constraint): asking twice answers
    with a SurveyError, so a form sent twice creates one survey.
    """
    opens_on = opens_on or timezone.localdate()
    if deadline < opens_on:
        raise SurveyError(_("The deadline must not come before the survey opens."))
    survey = Survey(network=network, year=year, deadline=deadline, title=title, opens_on=opens_on)
    try:
        with transaction.atomic():
            survey.save()
    except IntegrityError:
        raise SurveyError(
            _("%(network)s already has a survey for %(year)s.") % {"network": network.acronym, "year": year}
        ) from None
    survey.indicators.set(Indicator.objects.filter(active=True) if indicators is None else indicators)
    return survey


@transaction.atomic
def save_response(
    *, survey: Survey | None = None, organisation: Organisation | None = None,
    response: SurveyResponse | None = None, values: dict[str, Any], comments: dict[str, str] | None = None,
    currency: str = "", actor=None, submit: bool = False, anomaly_note: str = "",
) -> SurveyResponse:
    """Save an organisation's answers to a survey, as a draft or submitted.

    `values` maps indicator keys to raw values ("" clears an answer); keys left out keep
    their stored answer. `comments` likewise. Every value is checked before anything is
    written; any problem raises SurveyError and changes nothing.

    Submitting also needs every required indicator answered and a comment on each figure
    that changed by more than 50% since last year's submitted figure; `anomaly_note`
    (imports) stands in for a missing comment. After the deadline only network staff may
    submit, and only staff may answer before the survey opens. Submitting the same
    answers again writes nothing. Side effects: the response row is created on first
    save; each changed answer and the response get history entries.
    """
    if response is not None:
        survey, organisation = response.survey, response.organisation
    comments = comments or {}
    if not Membership.objects.filter(organisation=organisation, network_id=survey.network_id).exists():
        raise SurveyError(
            _("%(organisation)s is not a member of %(network)s.")
            % {"organisation": organisation, "network": survey.network.acronym}
        )
    # Lock, then check, then write: two saves of one response never interleave.
    response = SurveyResponse.objects.select_for_update().filter(survey=survey, organisation=organisation).first()
    created = response is None
    if created:
        response = SurveyResponse(currency=default_currency(survey.network))
    response.survey, response.organisation = survey, organisation
    indicators = {indicator.key: indicator for indicator in survey.indicators.all()}
    stored = (
        {answer.indicator.key: answer for answer in response.answers.select_related("indicator")} if not created else {}
    )
    currency = (currency or response.currency).strip().upper()
    cleaned = _clean_values(indicators, values, currency)

    answers = {key: answer.answer for key, answer in stored.items()} | cleaned
    notes = {key: answer.comment for key, answer in stored.items()}
    notes |= {key: (text or "").strip() for key, text in comments.items() if key in indicators}
    changes = _answer_changes(indicators, stored, answers, notes)
    was_submitted = response.status == ResponseStatus.SUBMITTED
    currency_changed = currency != response.currency
    if not (changes or created or currency_changed) and (was_submitted or not submit):
        return response  # the same answers sent again: nothing to write
    if was_submitted and not submit:
        raise SurveyError(_("These answers have been submitted. To change them, submit the changes."))
    if survey.opens_on > timezone.localdate() and not may_edit_after_deadline(actor, survey):
        raise SurveyError(
            _("This survey opens on %(date)s.") % {"date": formats.date_format(survey.opens_on)}
        )
    if submit and survey.is_past_deadline and not may_edit_after_deadline(actor, survey):
        raise SurveyError(
            _("The deadline (%(date)s) has passed, so answers can no longer be submitted. Save a draft and ask the network's staff.")
            % {"date": formats.date_format(survey.deadline)}
        )
    if submit:
        _check_submission(survey, organisation, indicators, answers, notes, currency, anomaly_note)
        changes = _answer_changes(indicators, stored, answers, notes)

    response.currency = currency
    if submit and (changes or currency_changed or not was_submitted):
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = timezone.now()
        response.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    _mark_actor(response, actor)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        # Another save created this response after we looked (a first save sent twice at once).
        raise SurveyError(_("These answers were saved elsewhere at the same moment. Reload the page and check them.")) from None
    for key in changes:
        _write_answer(response, indicators[key], stored.get(key), answers.get(key), notes.get(key, ""), actor)
    if response.status == ResponseStatus.SUBMITTED and (changes or currency_changed or not was_submitted):
        # The network's peer statistics changed: rebuild them in the background, so the first
        # member to compare does not wait for a large network's figures to be read.
        from constellation.insights.tasks import warm_benchmarks_task

        network_id = survey.network_id
        transaction.on_commit(lambda: warm_benchmarks_task.enqueue(network_id))
    return response


def _clean_values(indicators: dict[str, Indicator], values: dict[str, Any], currency: str) -> dict[str, Value]:
    """Every value checked against its indicator; SurveyError listing all problems."""
    cleaned: dict[str, Value] = {}
    errors: dict[str, list[str]] = {}
    for key, raw in values.items():
        indicator = indicators.get(key)
        if indicator is None:
            if raw not in (None, ""):
                errors[key] = [_("“%(key)s” is not asked in this survey.") % {"key": key}]
            continue
        try:
            cleaned[key] = clean_value(indicator, raw)
        except ValidationError as exc:
            errors[key] = exc.messages
    codes = currency_codes()
    if currency not in codes:
        errors["currency"] = [
            _("“%(currency)s” is not a currency with an exchange rate; use one of %(codes)s.")
            % {"currency": currency, "codes": ", ".join(codes)}
        ]
    if errors:
        raise SurveyError(_summary(errors, indicators), errors=errors)
    return cleaned


def _check_submission(
    survey: Survey, organisation: Organisation, indicators: dict[str, Indicator], answers: dict[str, Value],
    notes: dict[str, str], currency: str, anomaly_note: str,
) -> None:
    """Required answers given, big changes explained (or noted, for imports: `notes` gains the note)."""
    errors: dict[str, list[str]] = {}
    comment_errors: dict[str, list[str]] = {}
    for key, indicator in indicators.items():
        if indicator.required and answers.get(key) is None:
            errors[key] = [_("Answer this before submitting.")]
    found = compare_years(
        previous_year(survey, organisation.pk), {k: v for k, v in answers.items() if k in indicators},
        currency=currency, year=survey.year, units={key: indicator.unit for key, indicator in indicators.items()},
    )
    for key, anomaly in found.items():
        if notes.get(key):
            continue
        if anomaly_note:
            notes[key] = anomaly_note
        else:
            comment_errors[key] = [anomaly.describe() + " " + _("Explain the change in the comment before submitting.")]
    if errors or comment_errors:
        raise SurveyError(
            _summary({**errors, **comment_errors}, indicators), errors=errors, comment_errors=comment_errors
        )


def _summary(errors: dict[str, list[str]], indicators: dict[str, Indicator]) -> str:
    """All problems in one line, each after its indicator's label (for import rows)."""
    parts = []
    for key, messages in errors.items():
        label = indicators[key].label if key in indicators else (_("Currency") if key == "currency" else key)
        parts.append(f"{label}: {' '.join(messages)}")
    return "; ".join(parts)


def _answer_changes(
    indicators: dict[str, Indicator], stored: dict[str, Answer], answers: dict[str, Value], notes: dict[str, str]
) -> list[str]:
    """Keys whose stored answer or comment differs from what is to be saved."""
    changed = []
    for key in indicators:
        answer = stored.get(key)
        before = (answer.answer, answer.comment) if answer else (None, "")
        if before != (answers.get(key), notes.get(key, "")):
            changed.append(key)
    return changed


def _write_answer(response, indicator: Indicator, answer: Answer | None, value: Value, comment: str, actor) -> None:
    if value is None and not comment:
        if answer is not None:
            _mark_actor(answer, actor)
            answer.delete()
        return
    answer = answer or Answer(response=response, indicator=indicator)
    if indicator.unit == Unit.CHOICE:
        answer.value, answer.choice = None, value or ""
    else:
        answer.value, answer.choice = value, ""
    answer.comment = comment
    _mark_actor(answer, actor)
    answer.save()
