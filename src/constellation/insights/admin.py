"""Staff screens for insights (mounted at /staff/).

The indicator catalogue and the exchange-rate table are shared by every network, so any
network's staff maintain them (only superusers delete: answers refer to indicators).
Surveys, settings, targets, responses and reports belong to a network: staff see and
change only their own networks' rows. Responses and reports are read-only here; members'
answers change through the survey pages, which check them.
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from constellation.accounts.services import is_network_staff
from constellation.insights.models import (
    Answer,
    ExchangeRate,
    Indicator,
    InsightSettings,
    Report,
    Survey,
    SurveyResponse,
    Target,
    Unit,
)
from constellation.networks.admin import NetworkScopedAdmin
from constellation.networks.models import Network
from constellation.networks.rules import staff_network_ids

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


def _clean_currency(value: str) -> str:
    value = (value or "").strip().upper()
    if not CURRENCY_CODE.match(value):
        raise forms.ValidationError(_("Use the three-letter ISO 4217 code, such as EUR or USD."))
    return value


class SharedTableAdmin(admin.ModelAdmin):
    """A table every network's staff maintain together."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_network_staff(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_network_staff(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_network_staff(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_network_staff(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


class NetworkRowAdmin(NetworkScopedAdmin):
    """Rows of one network: its staff see and change only those."""

    read_only = False

    def scope(self, queryset: QuerySet, network_ids: set[int]) -> QuerySet:
        return queryset.filter(network_id__in=network_ids)

    def _may(self, request: HttpRequest, obj) -> bool:
        if request.user.is_superuser:
            return True
        if not is_network_staff(request.user):
            return False
        return obj is None or obj.network_id in staff_network_ids(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_network_staff(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not self.read_only and self._may(request, None)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self.read_only and self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not self.read_only and self._may(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "network" and not request.user.is_superuser:
            kwargs["queryset"] = Network.objects.filter(pk__in=staff_network_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# ---------------------------------------------------------------------------------------
# The catalogue


class IndicatorAdminFormBase(forms.ModelForm):
    """The label and help text get one box per interface language (fields added below)."""

    class Meta:
        model = Indicator
        fields = [
            "key", "category", "unit", "allows_decimals", "choices", "min_value", "max_value", "required",
            "is_income_source", "position", "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, _name in settings.LANGUAGES:
            self.initial.setdefault(f"label_{code}", self.instance.labels.get(code, ""))
            self.initial.setdefault(f"help_{code}", self.instance.help_texts.get(code, ""))
        self.fields["choices"].help_text = _(
            'For the choice unit: a list of values, each a text or {"value": "public", "labels": {"en": "Public", "fr": "Public"}}.'
        )

    def clean_choices(self):
        choices = self.cleaned_data.get("choices") or []
        if not isinstance(choices, list):
            raise forms.ValidationError(_("Give a list."))
        for item in choices:
            value = item.get("value") if isinstance(item, dict) else item
            if not isinstance(value, str) or not value.strip():
                raise forms.ValidationError(_("Each choice needs a value: a text, or a “value” key."))
            if isinstance(item, dict) and not isinstance(item.get("labels", {}), dict):
                raise forms.ValidationError(_("“labels” maps language codes to texts."))
        return choices

    def clean(self):
        data = super().clean()
        unit, low, high = data.get("unit"), data.get("min_value"), data.get("max_value")
        if unit == Unit.CHOICE and not data.get("choices"):
            self.add_error("choices", _("A choice indicator needs its choices."))
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("The highest allowed value is below the lowest."))
        if unit == Unit.PERCENTAGE:
            for name, value in (("min_value", low), ("max_value", high)):
                if value is not None and not 0 <= value <= 100:
                    self.add_error(name, _("A percentage lies between 0 and 100."))
        return data

    def save(self, commit=True):
        indicator = super().save(commit=False)
        languages = [code for code, _name in settings.LANGUAGES]
        indicator.labels = {c: self.cleaned_data[f"label_{c}"].strip() for c in languages if self.cleaned_data.get(f"label_{c}", "").strip()}
        indicator.help_texts = {c: self.cleaned_data[f"help_{c}"].strip() for c in languages if self.cleaned_data.get(f"help_{c}", "").strip()}
        if commit:
            indicator.save()
            self.save_m2m()
        return indicator


def _language_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for code, name in settings.LANGUAGES:
        fields[f"label_{code}"] = forms.CharField(
            label=format_lazy(_("Label ({language})"), language=name), max_length=200,
            required=code == settings.LANGUAGE_CODE, widget=forms.TextInput(attrs={"lang": code, "size": 60}),
        )
    for code, name in settings.LANGUAGES:
        fields[f"help_{code}"] = forms.CharField(
            label=format_lazy(_("Help text ({language})"), language=name), max_length=1000, required=False,
            widget=forms.Textarea(attrs={"lang": code, "rows": 2}),
        )
    return fields


# Declared on the class, so the admin knows them when it builds its form.
IndicatorAdminForm = type("IndicatorAdminForm", (IndicatorAdminFormBase,), _language_fields())


@admin.register(Indicator)
class IndicatorAdmin(SharedTableAdmin):
    form = IndicatorAdminForm
    list_display = ("key", "label", "category", "unit", "required", "is_income_source", "active", "position")
    list_editable = ("active", "position")
    list_filter = ("unit", "category", "required", "is_income_source", "active")
    search_fields = ("key",)

    def get_fieldsets(self, request, obj=None):
        languages = [code for code, _name in settings.LANGUAGES]
        return (
            (None, {"fields": ("key", "category", "position", "active")}),
            (_("Wording"), {"fields": [f"label_{c}" for c in languages] + [f"help_{c}" for c in languages]}),
            (
                _("Answers"),
                {"fields": ("unit", "allows_decimals", "choices", "min_value", "max_value", "required", "is_income_source")},
            ),
        )


class ExchangeRateForm(forms.ModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["year", "currency", "units_per_base"]

    def clean_currency(self):
        return _clean_currency(self.cleaned_data.get("currency"))


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SharedTableAdmin):
    form = ExchangeRateForm
    list_display = ("year", "currency", "units_per_base")
    list_display_links = ("year",)
    list_editable = ("currency", "units_per_base")
    list_filter = ("year", "currency")

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", ExchangeRateForm)
        return super().get_changelist_form(request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["units_per_base"].help_text = _(
            "How many units of this currency one %(base)s bought that year, e.g. 1.08 for USD against EUR."
        ) % {"base": settings.INSIGHTS_BASE_CURRENCY}
        return form


# ---------------------------------------------------------------------------------------
# A network's rows


class InsightSettingsForm(forms.ModelForm):
    class Meta:
        model = InsightSettings
        fields = ["network", "peer_group_minimum", "currency"]

    def clean_currency(self):
        return _clean_currency(self.cleaned_data.get("currency"))


@admin.register(InsightSettings)
class InsightSettingsAdmin(NetworkRowAdmin):
    form = InsightSettingsForm
    list_display = ("network", "peer_group_minimum", "currency")
    list_select_related = ("network",)


@admin.register(Survey)
class SurveyAdmin(NetworkRowAdmin):
    list_display = ("__str__", "network", "year", "opens_on", "deadline")
    list_filter = ("network", "year")
    list_select_related = ("network",)
    filter_horizontal = ("indicators",)
    date_hierarchy = "deadline"


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ("indicator", "value", "choice", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")

    def has_view_permission(self, request, obj=None) -> bool:
        return is_network_staff(request.user)  # the response's own admin has scoped it

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(NetworkRowAdmin, SimpleHistoryAdmin):
    read_only = True
    list_display = ("organisation", "survey", "status", "currency", "submitted_at")
    list_filter = ("status", "survey__network", "survey__year")
    list_select_related = ("organisation", "survey__network")
    search_fields = ("organisation__name",)
    inlines = [AnswerInline]

    def scope(self, queryset: QuerySet, network_ids: set[int]) -> QuerySet:
        return queryset.filter(survey__network_id__in=network_ids)

    def _may(self, request: HttpRequest, obj) -> bool:
        if obj is not None and not request.user.is_superuser:
            return is_network_staff(request.user) and obj.survey.network_id in staff_network_ids(request.user)
        return super()._may(request, None)


@admin.register(Target)
class TargetAdmin(NetworkRowAdmin):
    list_display = ("name", "network", "formula", "aggregation", "target_value", "target_year")
    list_filter = ("network", "target_year")
    list_select_related = ("network",)


@admin.register(Report)
class ReportAdmin(NetworkRowAdmin):
    read_only = True
    list_display = ("__str__", "status", "created_at", "finished_at")
    list_filter = ("network", "status", "year")
    list_select_related = ("network",)
