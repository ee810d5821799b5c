"""Forms of the survey pages: open a survey, fill in a response.

The response form only carries text: `services.save_response` checks every value (units,
bounds, choices, year-on-year changes), the same way for the page and for imports, and
the view puts its messages back beside the fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from constellation.insights import services
from constellation.insights.catalogue import category_label
from constellation.insights.models import Indicator, SurveyResponse, Unit
from constellation.networks.models import Network

COMMENT_SUFFIX = "__comment"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class SurveyForm(forms.Form):
    network = forms.ModelChoiceField(label=_("Network"), queryset=Network.objects.none())
    network.label_from_instance = lambda network: f"{network.acronym}: {network.name}"
    year = forms.IntegerField(
        label=_("Year the figures describe"), min_value=1990,
        help_text=_("Usually last year: a survey opened in 2025 asks about 2024."),
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput, help_text=_("The last day members can submit."))
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators asked"), queryset=Indicator.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff edit the catalogue of indicators in the staff admin."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        networks = Network.objects.order_by("acronym")
        if not user.is_superuser:
            networks = networks.filter(staff__user=user)
        self.fields["network"].queryset = networks
        today = timezone.localdate()
        self.fields["year"].max_value = today.year + 1
        self.fields["year"].widget.attrs["max"] = today.year + 1
        self.initial.setdefault("year", today.year - 1)
        self.initial.setdefault("opens_on", today)
        self.initial.setdefault("indicators", list(Indicator.objects.filter(active=True).values_list("pk", flat=True)))
        if len(networks) == 1:
            self.initial.setdefault("network", networks[0].pk)


class AnswerField(forms.CharField):
    """One figure as typed. Shown as required when the indicator is, but only a submit
    enforces that (a draft may be incomplete), and the service checks the value."""

    def validate(self, value) -> None:
        pass


@dataclass
class Question:
    """One indicator on the page: its field, last year's figure, and its flag."""

    indicator: Indicator
    field: forms.BoundField
    previous: str = ""
    anomaly: services.Anomaly | None = None
    comment: forms.BoundField | None = None


class ResponseForm(forms.Form):
    """A field per indicator of the survey; a comment field per figure that needs one."""

    def __init__(
        self, *args, response: SurveyResponse, indicators: list[Indicator], stored: dict,
        previous: services.PreviousYear | None, currencies: list[str], comment_keys=(), **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.indicators = {indicator.key: indicator for indicator in indicators}
        self.previous = previous
        self.anomalies: dict[str, services.Anomaly] = {}
        self.fields["currency"] = forms.ChoiceField(
            label=_("Currency of the money figures"), choices=[(code, code) for code in currencies],
            initial=response.currency,
            help_text=_("Give every amount in this currency; staff convert it for comparisons."),
        )
        for indicator in indicators:
            answer = stored.get(indicator.key)
            self.fields[indicator.key] = self._answer_field(indicator, answer.answer if answer else None)
        for key in comment_keys:
            comment = stored.get(key)
            self.add_comment_field(key, initial=comment.comment if comment else "")

    @staticmethod
    def _answer_field(indicator: Indicator, value) -> AnswerField:
        if indicator.unit == Unit.CHOICE:
            widget = forms.Select(choices=[("", _("(not answered)")), *indicator.choice_options()])
        else:
            widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 16})
            value = f"{value.normalize():f}" if value is not None else None
        return AnswerField(
            label=indicator.label, help_text=indicator.help_text, required=indicator.required,
            max_length=100, widget=widget, initial=value,
        )

    def add_comment_field(self, key: str, initial: str = "") -> None:
        name = key + COMMENT_SUFFIX
        if name in self.fields or key not in self.indicators:
            return
        self.fields[name] = forms.CharField(
            label=_("Why did this change so much since last year?"), required=False, max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}), initial=initial,
            help_text=_("A short explanation for the network's staff, e.g. “closed for four months for renovation”."),
        )
        # A draft may leave it empty, submitting may not: the field partial says so.
        self.fields[name].needed_to_submit = True

    def show_anomalies(self, found: dict[str, services.Anomaly]) -> None:
        """Flag these figures, each with a comment field."""
        self.anomalies = found
        for key in found:
            self.add_comment_field(key)

    def values(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key in self.indicators}

    def comments(self) -> dict[str, str]:
        """Only the comment fields the page showed: a comment not on the page is kept as stored."""
        return {
            key: self.cleaned_data.get(key + COMMENT_SUFFIX, "")
            for key in self.indicators
            if key + COMMENT_SUFFIX in self.fields and key + COMMENT_SUFFIX in self.data
        }

    def add_service_errors(self, error: services.SurveyError) -> None:
        for key, messages in error.errors.items():
            self.add_error(key if key in self.fields else None, messages)
        for key, messages in error.comment_errors.items():
            self.add_comment_field(key)
            self.add_error(key + COMMENT_SUFFIX, messages)
        if not error.errors and not error.comment_errors:
            self.add_error(None, error.message)

    def questions(self) -> list[tuple[str, list[Question]]]:
        """The questions grouped by category, in the catalogue's order, wired for screen readers."""
        groups: dict[str, list[Question]] = {}
        for key, indicator in self.indicators.items():
            comment_name = key + COMMENT_SUFFIX
            question = Question(
                indicator, self[key],
                previous=self.previous.display(indicator) if self.previous else "",
                anomaly=self.anomalies.get(key),
                comment=self[comment_name] if comment_name in self.fields else None,
            )
            extra = []
            if question.previous:
                extra.append(f"{question.field.auto_id}_previous")
            if question.anomaly:
                extra.append(f"{question.field.auto_id}_anomaly")
            _describe(question.field, extra)
            if question.comment is not None:
                _describe(question.comment, [f"{question.field.auto_id}_anomaly"] if question.anomaly else [])
            groups.setdefault(category_label(indicator.category), []).append(question)
        _describe(self["currency"], [])
        return list(groups.items())


def _describe(field: forms.BoundField, extra: list[str]) -> None:
    """aria-describedby: the help text, the extra notes, then the errors, with the ids the
    form-field partial gives them (the same as Django's own wiring: `_helptext`, `_error`)."""
    ids = [f"{field.auto_id}_helptext"] if field.help_text else []
    ids += extra
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    if ids:
        field.field.widget.attrs["aria-describedby"] = " ".join(ids)
