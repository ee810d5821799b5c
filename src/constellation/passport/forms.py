"""Forms of the finder, the front desk, a venue's benefit and the programme."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse_lazy
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from constellation.passport import places
from constellation.passport.models import Programme, Venue
from constellation.passport.queries import VenueRow


class VenueSelect(forms.Select):
    """A <select> of venues grouped by country and state, rendered in Python.

    A programme can have thousands of venues: Django's per-option templates would cost tens
    of milliseconds per page. The options of the whole table are rendered once per table
    (VenueTable.options_html); a smaller list (the front desk's own venues) is rendered here.
    """

    def __init__(self, table=None, rows: list[VenueRow] | None = None, attrs=None, empty_label: str = ""):
        super().__init__(attrs)
        self.table, self.rows, self.empty_label = table, rows, empty_label

    def _options(self) -> str:
        if self.rows is None:
            return self.table.options_html
        return "".join(
            f'<option value="{row.id}">{conditional_escape(f"{row.name} ({row.city})" if row.city else row.name)}</option>'
            for row in self.rows
        )

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        attrs["name"] = name
        options = self._options()
        selected = str(value.id if isinstance(value, VenueRow) else value or "")
        if selected.isdigit():
            options = options.replace(f'<option value="{selected}">', f'<option value="{selected}" selected>', 1)
        empty = f'<option value="">{conditional_escape(self.empty_label)}</option>'
        return mark_safe(f"<select{flatatt(attrs)}>{empty}{options}</select>")


class VenueField(forms.Field):
    """A venue of the table, by its organisation id."""

    def __init__(self, *, table, **kwargs):
        self.table = table
        kwargs.setdefault("widget", VenueSelect(table, empty_label=str(_("Choose a venue"))))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        row = self.table.get(value)
        if row is None:
            raise forms.ValidationError(_("Choose one of the venues taking part."), code="invalid_choice")
        return row


class ResidenceMixin:
    """`place` (a city or ZIP code) or `latitude`/`longitude` (e.g. a point on the map) -> `home`.

    A point wins over text only when the text is empty, so a stale point never hides the
    town the visitor just typed. `lookup` keeps the choices of an ambiguous name.
    """

    lookup: places.Lookup | None = None

    def clean_residence(self, cleaned: dict) -> None:
        text = (cleaned.get("place") or "").strip()
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if not text and lat is not None and lon is not None:
            cleaned["home"] = places.Place(_("the point you chose (%(lat).4f, %(lon).4f)") % {"lat": lat, "lon": lon}, lat, lon)
            return
        if not text and (lat is None) != (lon is None):
            self.add_error("latitude" if lat is None else "longitude", _("Give both the latitude and the longitude."))
            return
        if not text:
            self.add_error("place", _("Enter the town or ZIP code where the visitor lives, or choose a point on the map."))
            return
        self.lookup = places.look_up(text)
        if self.lookup.place is None:
            self.add_error("place", self.lookup.message)
        else:
            cleaned["home"] = self.lookup.place


def _residence_fields():
    return {
        "place": forms.CharField(
            label=_("I live in"), required=False, max_length=120,
            help_text=_("A town (“Springfield, MA”, “Lyon, France”) or a US ZIP code."),
        ),
        "latitude": forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90),
        "longitude": forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180),
    }


class FinderForm(ResidenceMixin, forms.Form):
    going_to = forms.CharField(
        label=_("I am going to"), required=False, max_length=120,
        help_text=_("Optional: a town; the nearest venues to it come first."),
    )

    def __init__(self, *args, table, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "member": VenueField(table=table, label=_("I am a member of")),
            **_residence_fields(),
            "going_to": self.fields["going_to"],
        }
        # The town box offers names as one types (htmx fills the datalist); plain text without JS.
        self.fields["place"].widget.attrs.update({
            "list": "place-suggestions", "autocomplete": "off", "hx-get": reverse_lazy("passport:place-suggestions"),
            "hx-trigger": "input changed delay:300ms", "hx-target": "#place-suggestions", "hx-swap": "outerHTML",
            # The form pushes its URL to history; the suggestions must not (a late answer
            # would replace the shareable search URL with the suggestions' own).
            "hx-push-url": "false",
        })
        self.destination: places.Lookup | None = None

    def clean(self):
        cleaned = super().clean()
        self.clean_residence(cleaned)
        destination = (cleaned.get("going_to") or "").strip()
        if destination:
            self.destination = places.look_up(destination)
            if self.destination.place is None:
                self.add_error("going_to", self.destination.message)
            else:
                cleaned["destination"] = self.destination.place
        return cleaned


class FrontDeskForm(ResidenceMixin, forms.Form):
    def __init__(self, *args, table, venues: list[VenueRow], **kwargs):
        super().__init__(*args, **kwargs)
        here = VenueField(table=table, label=_("At this venue"))
        here.widget = VenueSelect(rows=venues, empty_label=str(_("Choose a venue")))
        self.allowed = {row.id for row in venues}
        self.fields = {
            "venue": here,
            "member": VenueField(table=table, label=_("The visitor is a member of")),
            **_residence_fields(),
        }
        self.fields["place"].label = _("The visitor lives in")

    def clean_venue(self):
        row = self.cleaned_data.get("venue")
        if row is not None and row.id not in self.allowed:
            raise forms.ValidationError(_("Choose one of your venues."))
        return row

    def clean(self):
        cleaned = super().clean()
        self.clean_residence(cleaned)
        return cleaned


class BenefitForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = [
            "free_general_admission", "other_benefit", "adults_covered", "children_covered", "id_required",
            "exclusions", "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("free_general_admission") and not (cleaned.get("other_benefit") or "").strip():
            self.add_error("other_benefit", _("Say what the benefit is when general admission is not free."))
        return cleaned


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "radius", "unit", "is_active", "description", "rules", "contact_email"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "rules": forms.Textarea(attrs={"rows": 4})}
