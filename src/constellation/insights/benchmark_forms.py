"""The peer-comparison filter form: which organisation, network and year, and the peer group."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from constellation.insights.benchmarks import REGIONS, Metric, PeerGroup
from constellation.networks.models import Kind, Network, VisitorsBand

# Past this many, staff type an organisation's slug instead of scrolling a select.
SELECT_LIMIT = 300


class BenchmarkForm(forms.Form):
    """Read from the query string. The organisation, network and year lists depend on each
    other; the view works them out first and hands them in."""

    organisation = forms.ChoiceField(label=_("Organisation"))
    network = forms.ChoiceField(label=_("Network"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    kind = forms.MultipleChoiceField(
        label=_("Kind of organisation"), required=False, widget=forms.CheckboxSelectMultiple
    )
    visitors_band = forms.MultipleChoiceField(
        label=_("Size (annual visitors)"), required=False, choices=VisitorsBand.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.MultipleChoiceField(
        label=_("Region"), required=False, choices=list(REGIONS.items()), widget=forms.CheckboxSelectMultiple
    )
    country = forms.MultipleChoiceField(
        label=_("Country"), required=False, choices=countries,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Organisations in any chosen country or region are in the group."),
    )
    trend = forms.ChoiceField(label=_("Figure shown over the years"), required=False)

    def __init__(
        self, *args, organisations: list[tuple[str, str]] | None, networks: list[Network], years: list[int],
        kinds: list[Kind], metrics: list[Metric], country_codes: list[str] | None = None, **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if country_codes is not None:
            # Only the countries the network's members are in: a shorter list to read, and a
            # page that draws ~40 options instead of ~250.
            self.fields["country"].choices = sorted(
                ((code, str(countries.name(code))) for code in country_codes), key=lambda choice: choice[1]
            )
        if organisations is None:
            # Too many to list: any slug is accepted here, the view looks it up (404 if not allowed).
            self.fields["organisation"] = forms.SlugField(
                label=_("Organisation"), max_length=220,
                help_text=_("The organisation's short name, as in the address of its page."),
            )
        else:
            self.fields["organisation"].choices = organisations
        self.fields["network"].choices = [(n.slug, n.acronym) for n in networks]
        self.fields["year"].choices = [(year, str(year)) for year in sorted(years, reverse=True)]
        self.fields["kind"].choices = [(kind.slug, str(kind)) for kind in kinds]
        self.fields["trend"].choices = [(m.key, m.label) for m in metrics]

    def peer_group(self, network: Network) -> PeerGroup:
        data = self.cleaned_data
        return PeerGroup.build(
            network, kinds=data["kind"], visitors_bands=data["visitors_band"],
            countries=data["country"], regions=data["region"],
        )
