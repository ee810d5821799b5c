"""Insights pages: the public state of the field (with its open data) and staff's targets.

The field page is public, so it shows only what `insights.field` lets through (cells over at
least the network's smallest peer group). The targets dashboard is for the network's staff,
who may read their own network's figures unsuppressed.
"""

from __future__ import annotations

import csv
from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from constellation.insights import charts, targets
from constellation.insights.field import FieldData, open_data_rows
from constellation.insights.models import Aggregation, Survey, Target
from constellation.networks.models import Network

# Forms --------------------------------------------------------------------------------------


class FieldFilterForm(forms.Form):
    """Which network and year the field page shows. The years offered are the network's."""

    network = forms.ChoiceField(label=gettext_lazy("Network"))
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, data, *, networks: list[Network], years_by_network: dict[int, list[int]]):
        super().__init__(data)
        self.networks = {network.slug: network for network in networks}
        self.fields["network"].choices = [(n.slug, f"{n.name} ({n.acronym})") for n in networks]
        chosen = self.networks.get(self.data.get("network"))
        years = years_by_network.get(chosen.pk, []) if chosen else []
        self.fields["year"].choices = [("", _("Latest with figures")), *((year, year) for year in years)]

    def selected_network(self) -> Network | None:
        self.is_valid()
        return self.networks.get(self.cleaned_data.get("network"))

    def selected_year(self) -> int | None:
        self.is_valid()
        return self.cleaned_data.get("year")


def _filter_form(request: HttpRequest) -> FieldFilterForm:
    """The filter form bound to the query string, defaulting to a network with surveys (2 queries)."""
    networks = list(Network.objects.order_by("name"))
    years_by_network: dict[int, list[int]] = defaultdict(list)
    for network_id, year in Survey.objects.order_by("-year").values_list("network_id", "year").distinct():
        years_by_network[network_id].append(year)
    data = request.GET.copy()
    if not data.get("network"):
        default = next((n for n in networks if n.pk in years_by_network), networks[0] if networks else None)
        if default:
            data["network"] = default.slug
    form = FieldFilterForm(data, networks=networks, years_by_network=years_by_network)
    if data.get("network") and form.selected_network() is None:
        raise Http404
    return form


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["name", "formula", "aggregation", "threshold", "target_value", "target_year", "baseline_year"]

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        self.fields["formula"].help_text = _(
            "An indicator key, or a formula over indicator keys with + - * / and brackets, "
            "e.g. income_admissions / onsite_visitors. income_sources counts the income sources above zero."
        )

    def clean_formula(self) -> str:
        formula = self.cleaned_data["formula"].strip()
        targets.validate_formula(formula)
        return formula

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = Target.objects.filter(network=self.network, name__iexact=name).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("This network already has a target with this name."))
        return name

    def clean(self):
        data = super().clean()
        aggregation = data.get("aggregation")
        if aggregation == Aggregation.SHARE_AT_LEAST:
            if data.get("threshold") is None:
                self.add_error("threshold", _("A share of members needs the value each member must reach."))
            value = data.get("target_value")
            if value is not None and not 0 <= value <= 100:
                self.add_error("target_value", _("A share is a percentage between 0 and 100."))
        baseline, target_year = data.get("baseline_year"), data.get("target_year")
        if baseline and target_year and baseline > target_year:
            self.add_error("baseline_year", _("The baseline year comes before the target year."))
        return data


# The state of the field (public) ----------------------------------------------------------


def field(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    network = form.selected_network()
    context: dict = {"form": form, "network": network}
    if network is not None:
        data = FieldData.load(network)
        year = form.selected_year() or data.latest_year
        context |= {"minimum": data.minimum, "year": year, "has_figures": year in data.years}
        if year in data.years:
            context |= _field_figures(data, year)
    return render(request, "insights/field_page.html", context)


def _field_figures(data: FieldData, year: int) -> dict:
    series = data.reach_by_year()
    diversification = data.diversification(year)
    shown_trend = [item for item in series if not item.total.suppressed]
    shown_bands = not diversification.median.suppressed
    return {
        "reach": data.reach(year),
        "series": series,
        "trend_chart": charts.line_chart(
            _("People reached each year (on site and outreach)"),
            [item.year for item in series],
            {_("People reached"): [item.total.value for item in series]},
        )
        if shown_trend
        else "",
        "by_country": data.reach_by_country(year),
        "by_kind": data.reach_by_kind(year),
        "diversification": diversification,
        "hhi_chart": charts.bar_chart(
            _("Members by income diversification, %(year)s") % {"year": year},
            [row.label for row in diversification.bands],
            [row.cell.value for row in diversification.bands],
        )
        if shown_bands
        else "",
    }


def field_csv(request: HttpRequest) -> HttpResponse:
    """The field page's figures as open data, every year: hidden cells blank, with the reason."""
    form = _filter_form(request)
    network = form.selected_network()
    if network is None:
        raise Http404
    data = FieldData.load(network)
    years = [form.selected_year()] if form.selected_year() else data.years
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{network.slug}-state-of-the-field.csv"'
    response.write("\ufeff")  # the BOM tells spreadsheet software this is UTF-8
    writer = csv.writer(response)
    for row in open_data_rows(data, years):
        writer.writerow(row)
    return response


# Strategic targets (network staff) --------------------------------------------------------


def _network_for_staff(request: HttpRequest, slug: str) -> Network:
    """The network if the user runs it; anyone else gets a 404, not a hint that it exists."""
    network = get_object_or_404(Network, slug=slug)
    if not request.user.has_perm("networks.manage_network", network):
        raise Http404
    return network


@login_required
def target_list(request: HttpRequest, slug: str) -> HttpResponse:
    network = _network_for_staff(request, slug)
    network_targets = list(network.targets.all())
    progress = targets.progress_for(network, network_targets)
    items = [(target, progress[target.pk], _target_chart(progress[target.pk])) for target in network_targets]
    return render(request, "insights/target_list.html", {"network": network, "items": items})


def _target_chart(progress: targets.Progress) -> str:
    target = progress.target
    years = [point.year for point in progress.points]
    values = [point.value for point in progress.points]
    if target.target_year not in years and (not years or target.target_year > years[-1]):
        years.append(target.target_year)
        values.append(None)
    return charts.line_chart(
        target.name, years, {_("Value"): values, _("Target"): [target.target_value] * len(years)}
    )


@login_required
def target_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    network = _network_for_staff(request, slug)
    target = get_object_or_404(Target, pk=pk, network=network) if pk else None
    form = TargetForm(request.POST or None, instance=target, network=network)
    if request.method == "POST" and form.is_valid():
        saved = targets.save_target(network=network, data=form.cleaned_data, target=target)
        messages.success(request, _("Saved the target “%(name)s”.") % {"name": saved.name})
        return redirect("insights:targets", slug=network.slug)
    return render(request, "insights/target_form.html", {"network": network, "form": form, "target": target})


urlpatterns = [
    path("field/", field, name="field"),
    path("field/open-data.csv", field_csv, name="field-csv"),
    path("networks/<slug:slug>/targets/", target_list, name="targets"),
    path("networks/<slug:slug>/targets/new/", target_edit, name="target-create"),
    path("networks/<slug:slug>/targets/<int:pk>/edit/", target_edit, name="target-edit"),
]
