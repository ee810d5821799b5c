"""Forms of the science-day pages: filters, registration, moderation, reports, the widget."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from constellation.globalday import places
from constellation.globalday.models import (
    Activity,
    ActivityFormat,
    ActivityStatus,
    Audience,
    Campaign,
    language_choices,
)
from constellation.globalday.queries import ActivityFilters, Vocabulary
from constellation.networks.models import Organisation, Topic

ANY = [("", _("Any"))]


class ActivityFilterForm(forms.Form):
    """The public list's filters (GET). Unknown values are ignored, never an error page."""

    q = forms.CharField(label=_("Search titles, descriptions and places"), required=False, max_length=200)
    sdg = forms.TypedChoiceField(label=_("Sustainable Development Goal"), required=False, coerce=int, empty_value=None)
    country = forms.ChoiceField(label=_("Country"), required=False)
    network = forms.ChoiceField(label=_("Network"), required=False)
    format = forms.ChoiceField(label=_("Format"), required=False, choices=ANY + ActivityFormat.choices)
    language = forms.ChoiceField(label=_("Language of the activity"), required=False)

    def __init__(self, data, *, vocabulary: Vocabulary):
        super().__init__(data)
        names = dict(language_choices())
        self.fields["sdg"].choices = ANY + [(t.position, str(t)) for t in vocabulary.sdgs]
        self.fields["country"].choices = ANY + vocabulary.countries
        self.fields["network"].choices = ANY + [(n.slug, f"{n.name} ({n.acronym})") for n in vocabulary.networks]
        self.fields["language"].choices = ANY + [(code, names.get(code, code)) for code in vocabulary.languages]
        self.fields["q"].widget.attrs["type"] = "search"

    def filters(self) -> ActivityFilters:
        if not self.data:
            return ActivityFilters()
        self.is_valid()
        # Keep the values that are valid, drop the rest: a stale link still shows results.
        data = getattr(self, "cleaned_data", {})
        return ActivityFilters(**{name: data[name] for name in ("q", "sdg", "country", "network", "format", "language") if data.get(name)})


class OrganisationChoiceForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), to_field_name="slug", empty_label=None
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))
    format = forms.ChoiceField(label=_("Format"), choices=ActivityFormat.choices, widget=forms.RadioSelect)
    audiences = forms.MultipleChoiceField(
        label=_("Audiences"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    sdgs = forms.ModelMultipleChoiceField(
        label=_("Sustainable Development Goals"), queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple, help_text=_("The goals the activity is about: at least one."),
    )
    language = forms.ChoiceField(label=_("Language of the activity"))
    place_name = forms.CharField(
        label=_("Venue"), max_length=200, required=False,
        help_text=_("Leave empty when it is at your organisation, or for an online activity."),
    )
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    country = forms.ChoiceField(label=_("Country"))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Starts at (local time)"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("Ends at (local time)"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    time_zone = forms.ChoiceField(
        label=_("Time zone"), required=False,
        help_text=_("Leave it to us to find the time zone of the city, or choose one."),
    )
    link = forms.URLField(label=_("Link"), required=False, help_text=_("A page with details or the online event."))
    expected_participants = forms.IntegerField(label=_("Expected participants"), min_value=0, max_value=10_000_000)

    def __init__(self, *args, campaign: Campaign, organisation: Organisation, activity: Activity | None = None, **kwargs):
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{f: getattr(activity, f) for f in (
                    "title", "description", "format", "audiences", "language", "place_name", "city",
                    "time_zone", "link", "expected_participants",
                )},
                "country": str(activity.country),
                "sdgs": list(activity.sdgs.all()),
                "date": activity.local_start.date(),
                "start_time": activity.local_start.time(),
                "end_time": activity.local_end.time(),
            }
        super().__init__(*args, **kwargs)
        self.campaign, self.organisation = campaign, organisation
        self.fields["sdgs"].queryset = Topic.objects.filter(is_sdg=True, position__gte=1, position__lte=17).order_by("position")
        self.fields["language"].choices = language_choices()
        self.fields["country"].choices = list(countries)
        self.fields["time_zone"].choices = [("", _("From the city and country"))] + places.time_zone_choices()
        if activity is None:
            self.initial.setdefault("date", campaign.date)
            self.initial.setdefault("country", str(organisation.country))
            self.initial.setdefault("city", organisation.city)
            self.initial.setdefault("language", (organisation.languages or ["en"])[0])

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        zone = data.get("time_zone") or places.time_zone_for(data.get("city") or self.organisation.city, data["country"])
        data["time_zone"] = zone
        tz = ZoneInfo(zone)
        data["starts_at"] = datetime.datetime.combine(data["date"], data["start_time"], tzinfo=tz)
        data["ends_at"] = datetime.datetime.combine(data["date"], data["end_time"], tzinfo=tz)
        if data["ends_at"] <= data["starts_at"]:
            self.add_error("end_time", _("The activity must end after it starts."))
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for transient in ("date", "start_time", "end_time"):
            data.pop(transient, None)
        return data


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(ActivityStatus.APPROVED, _("Approve")), (ActivityStatus.REJECTED, _("Reject"))],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("Note to the organisation"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Needed to reject."),
    )


class BulkModerationForm(forms.Form):
    activities = forms.ModelMultipleChoiceField(queryset=Activity.objects.none())
    decision = forms.ChoiceField(
        choices=[(ActivityStatus.APPROVED, _("Approve")), (ActivityStatus.REJECTED, _("Reject"))]
    )
    note = forms.CharField(label=_("Note to the organisations"), required=False, max_length=2000)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = Activity.objects.filter(campaign=campaign)
        self.fields["activities"].error_messages["required"] = _("Tick at least one activity.")


class ModerationQueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + ActivityStatus.choices)


class ReportForm(forms.Form):
    actual_participants = forms.IntegerField(label=_("People who took part"), min_value=0, max_value=10_000_000)
    comment = forms.CharField(
        label=_("How did it go?"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class EmbedForm(forms.Form):
    """Options of the embeddable widget, for the snippet generator."""

    country = forms.ChoiceField(label=_("Country"), required=False)
    network = forms.ChoiceField(label=_("Network"), required=False)
    organisation = forms.SlugField(
        label=_("Organisation (its address in the directory, e.g. atomium)"), required=False, max_length=220
    )
    height = forms.IntegerField(label=_("Height in pixels"), required=False, min_value=200, max_value=2000, initial=600)

    def __init__(self, *args, vocabulary: Vocabulary, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = ANY + vocabulary.countries
        self.fields["network"].choices = ANY + [(n.slug, f"{n.name} ({n.acronym})") for n in vocabulary.networks]

