"""A year of survey answers from a spreadsheet, through the foundation's importer.

One row per organisation: a column with its name or slug, optionally its currency, and a
column per indicator (named by key or label). The survey ("NETA:2024") comes from a
column or, usually, one value for every row (`--set survey=NETA:2024`, or the mapping
page). Each row is checked like the response form (units, bounds, choices) and written
with `services.save_response(submit=True)` by the staff member importing; a change of
more than 50% is accepted with a note, since no one from the organisation confirmed it.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from constellation.imports.rows import Lookups, RowForm
from constellation.insights import services
from constellation.insights.models import Indicator, Survey, SurveyResponse
from constellation.networks.models import Membership, Organisation, normalise

SURVEY_NAME = re.compile(r"^\s*(.+?)\s*[:/\s]\s*(\d{4})\s*$")


class ImportContext:
    """What every row of one import refers to, loaded once (kept on the import's Lookups)."""

    def __init__(self):
        self.indicators = {indicator.key: indicator for indicator in Indicator.objects.filter(active=True)}
        self.fields = {
            key: forms.CharField(label=indicator.label, required=False, max_length=100)
            for key, indicator in self.indicators.items()
        }
        self.currencies = services.currency_codes()
        self._surveys: dict[tuple[int, int], Survey | None] = {}
        self._asked: dict[int, set[str]] = {}
        self._members: dict[int, set[int]] = {}
        self._responded: dict[int, set[int]] = {}

    def survey(self, network, year: int) -> Survey | None:
        if (network.pk, year) not in self._surveys:
            survey = Survey.objects.filter(network=network, year=year).first()
            if survey is not None:
                survey.network = network
                self._asked[survey.pk] = set(survey.indicators.values_list("key", flat=True))
            self._surveys[(network.pk, year)] = survey
        return self._surveys[(network.pk, year)]

    def asked(self, survey: Survey) -> set[str]:
        return self._asked[survey.pk]

    def members(self, network_id: int) -> set[int]:
        """Organisations with a membership of the network, whatever its status (past years count)."""
        if network_id not in self._members:
            self._members[network_id] = set(
                Membership.objects.filter(network_id=network_id).values_list("organisation_id", flat=True)
            )
        return self._members[network_id]

    def responded(self, survey: Survey) -> set[int]:
        if survey.pk not in self._responded:
            self._responded[survey.pk] = set(
                SurveyResponse.objects.filter(survey=survey).values_list("organisation_id", flat=True)
            )
        return self._responded[survey.pk]


def _context(lookups: Lookups) -> ImportContext:
    context = getattr(lookups, "survey_answers", None)
    if context is None:
        context = lookups.survey_answers = ImportContext()
    return context


class SurveyAnswerRowForm(RowForm):
    organisation = forms.CharField(label=gettext_lazy("Organisation"))
    survey = forms.CharField(label=gettext_lazy("Survey"))
    currency = forms.CharField(label=gettext_lazy("Currency"), required=False, max_length=3)

    accepts_key = False  # rows are matched by survey and organisation

    def __init__(self, data: dict[str, str], *, lookups: Lookups):
        super().__init__(data, lookups=lookups)
        self.context = _context(lookups)
        # Shared by every row of the import, like the foundation's row forms' fields.
        self.fields.update(self.context.fields)

    @classmethod
    def targets(cls) -> list[tuple[str, str, bool]]:
        indicators = Indicator.objects.filter(active=True)
        return super().targets() + [(indicator.key, indicator.label, False) for indicator in indicators]

    @classmethod
    def fixed_value_fields(cls, user) -> dict[str, forms.Field]:
        surveys = Survey.objects.run_by(user).select_related("network")
        return {
            "survey": forms.ChoiceField(
                label=_("Survey for every row"), required=False,
                choices=[("", _("(from the column chosen above)"))]
                + [(f"{survey.network.acronym}:{survey.year}", str(survey)) for survey in surveys],
            ),
            "currency": forms.ChoiceField(
                label=_("Currency for rows that give none"), required=False,
                choices=[("", _("(the network's reporting currency)"))] + [(c, c) for c in services.currency_codes()],
            ),
        }

    def clean_survey(self) -> Survey:
        raw = self.cleaned_data["survey"]
        match = SURVEY_NAME.match(raw)
        if not match:
            raise ValidationError(_("Give the survey as network and year, such as NETA:2024."))
        network = self.lookups.networks.get(normalise(match[1]))
        if network is None:
            raise ValidationError(_("Unknown network “%(value)s”; use the network's acronym.") % {"value": match[1]})
        allowed = self.lookups.allowed_network_ids
        if allowed is not None and network.pk not in allowed:
            raise ValidationError(_("You do not run %(network)s, so you cannot load its survey.") % {"network": network})
        survey = self.context.survey(network, int(match[2]))
        if survey is None:
            raise ValidationError(
                _("%(network)s has no survey for %(year)s; open it first.") % {"network": network, "year": match[2]}
            )
        return survey

    def clean_organisation(self) -> int:
        raw = self.cleaned_data["organisation"]
        matches = set(self.lookups.organisations.get(normalise(raw), []))
        if not matches:
            raise ValidationError(_("No organisation is called “%(value)s”; use its exact name or slug.") % {"value": raw})
        if len(matches) > 1:
            raise ValidationError(_("Several organisations are called “%(value)s”; use the slug instead.") % {"value": raw})
        return matches.pop()

    def clean_currency(self) -> str:
        code = (self.cleaned_data.get("currency") or "").strip().upper()
        if code and code not in self.context.currencies:
            raise ValidationError(
                _("“%(currency)s” has no exchange rate; use one of %(codes)s.")
                % {"currency": code, "codes": ", ".join(self.context.currencies)}
            )
        return code

    def clean(self):
        data = super().clean()
        survey, organisation_id = data.get("survey"), data.get("organisation")
        if survey is not None and organisation_id is not None and organisation_id not in self.context.members(survey.network_id):
            self.add_error("organisation", _("This organisation is not a member of %(network)s.") % {"network": survey.network})
        answers = {}
        for key, indicator in self.context.indicators.items():
            if key not in self.data:
                continue  # not in the file: the stored answer stays
            raw = data.get(key, "")
            if survey is not None and key not in self.context.asked(survey):
                if raw:
                    self.add_error(key, _("This survey does not ask it."))
                continue
            try:
                value = services.clean_value(indicator, raw)
            except ValidationError as exc:
                self.add_error(key, exc.messages)
                continue
            if value is None and indicator.required:
                self.add_error(key, _("Required: each row is submitted."))
                continue
            data[key] = answers[key] = value
        data["answers"] = answers
        return data

    def display_value(self, name: str, value) -> str:
        if name == "organisation" and isinstance(value, int):
            return Organisation.objects.filter(pk=value).values_list("name", flat=True).first() or ""
        return super().display_value(name, value)

    def is_new(self) -> bool | None:
        survey, organisation_id = self.cleaned_data["survey"], self.cleaned_data["organisation"]
        responded = self.context.responded(survey)
        new = organisation_id not in responded
        responded.add(organisation_id)
        return new

    @classmethod
    def write_row(cls, data: dict, *, actor) -> bool:
        survey = data["survey"]
        organisation = Organisation.objects.get(pk=data["organisation"])
        created = not SurveyResponse.objects.filter(survey=survey, organisation=organisation).exists()
        services.save_response(
            survey=survey, organisation=organisation, values=data["answers"], currency=data["currency"],
            actor=actor, submit=True, anomaly_note=_("Imported; the change was not confirmed by the organisation."),
        )
        return created
