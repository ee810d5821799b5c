from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from constellation.networks import validators
from constellation.networks.models import (
    AccessibilityFeature,
    Affiliation,
    Kind,
    Organisation,
    Person,
    Topic,
)

SORTS = {
    "name": ("name", _("Name (A to Z)")),
    "-name": ("-name", _("Name (Z to A)")),
    "country": ("country", _("Country")),
    "-founded": ("-year_founded", _("Most recently founded")),
    "founded": ("year_founded", _("Longest established")),
    "-updated": ("-updated_at", _("Recently updated")),
}


class DirectoryFilterForm(forms.Form):
    """The directory's search and facets. Unknown values are ignored, never an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    network = forms.MultipleChoiceField(label=_("Network"), required=False)
    country = forms.MultipleChoiceField(label=_("Country"), required=False, choices=list(countries))
    kind = forms.MultipleChoiceField(label=_("Kind"), required=False)
    topic = forms.MultipleChoiceField(label=_("Topic"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=[(k, v[1]) for k, v in SORTS.items()]
    )

    def __init__(self, *args, network_slugs=(), kind_slugs=(), topic_slugs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = [(s, s) for s in network_slugs]
        self.fields["kind"].choices = [(s, s) for s in kind_slugs]
        self.fields["topic"].choices = [(s, s) for s in topic_slugs]

    def clean_data_lenient(self) -> dict:
        """Cleaned values, dropping any field whose value was not valid."""
        self.is_valid()
        data = {}
        for name, field in self.fields.items():
            if name in self.cleaned_data:
                data[name] = self.cleaned_data[name]
            else:
                data[name] = [] if isinstance(field, forms.MultipleChoiceField) else ""
        return data


class TranslatedTextWidget(forms.MultiWidget):
    def __init__(self, languages, attrs=None):
        self.languages = languages
        super().__init__([forms.Textarea(attrs={"rows": 3, "lang": code}) for code, _ in languages], attrs)

    def decompress(self, value):
        value = value or {}
        return [value.get(code, "") for code, _ in self.languages]


class TranslatedTextField(forms.MultiValueField):
    """A description in several languages, one text box each, stored as {code: text}."""

    def __init__(self, **kwargs):
        self.languages = settings.CONTENT_LANGUAGES
        fields = [forms.CharField(required=False, max_length=5000) for _ in self.languages]
        kwargs.setdefault("widget", TranslatedTextWidget(self.languages))
        super().__init__(fields=fields, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list):
        return {code: text.strip() for (code, _), text in zip(self.languages, data_list or [""] * len(self.languages), strict=True) if text and text.strip()}


class OrganisationForm(forms.ModelForm):
    descriptions = TranslatedTextField(
        label=_("Description"),
        help_text=_("Write it in as many languages as you like; readers see their own language when it exists."),
    )
    languages = forms.CharField(
        label=_("Languages"), required=False, help_text=_("Language codes separated by commas, e.g. en, fr, ar")
    )

    class Meta:
        model = Organisation
        fields = [
            "name", "native_name", "kinds", "address", "city", "region", "country", "latitude", "longitude",
            "website", "descriptions", "year_founded", "visitors_band", "topics", "languages", "accessibility",
        ]
        widgets = {
            "kinds": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
            "accessibility": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "latitude": _("Leave both coordinates empty to fill them from the city and country."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].queryset = Kind.objects.all()
        self.fields["topics"].queryset = Topic.objects.all()
        self.fields["accessibility"].queryset = AccessibilityFeature.objects.all()
        if self.instance.pk:
            self.initial["languages"] = ", ".join(self.instance.languages or [])

    def clean_languages(self):
        return validators.parse_language_codes(self.cleaned_data.get("languages") or "")

    def clean_year_founded(self):
        value = self.cleaned_data.get("year_founded")
        validators.validate_year_founded(value)
        return value

    def clean(self):
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data


class PersonProfileForm(forms.ModelForm):
    languages = forms.CharField(
        label=_("Languages"), required=False, help_text=_("Language codes separated by commas, e.g. en, fr, ar")
    )

    class Meta:
        model = Person
        fields = [
            "name", "title", "bio", "expertise", "languages",
            "name_visibility", "email_visibility", "title_visibility", "bio_visibility",
            "expertise_visibility", "languages_visibility", "affiliations_visibility",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["languages"] = ", ".join(self.instance.languages or [])

    def clean_languages(self):
        return validators.parse_language_codes(self.cleaned_data.get("languages") or "")


class AffiliationForm(forms.ModelForm):
    class Meta:
        model = Affiliation
        fields = ["role", "is_admin"]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.CharField(label=_("Role"), required=False, max_length=200)
    is_admin = forms.BooleanField(label=_("Make them an organisation admin"), required=False)
