"""The programme's filter form: choices come from the programme data already loaded."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from constellation.events.programme.queries import ProgrammeData

ALL_DAYS = "all"


class ProgrammeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search titles, abstracts and presenters"), required=False, max_length=200
    )
    room = forms.ChoiceField(label=_("Room"), required=False)
    track = forms.ChoiceField(label=_("Track"), required=False)
    day = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, programme: ProgrammeData):
        super().__init__(data)
        self.programme = programme
        self.fields["room"].choices = [("", _("All rooms"))] + [
            (r.slug, r.name) for r in programme.rooms
        ]
        self.fields["track"].choices = [("", _("All tracks"))] + [
            (t.slug, t.name) for t in programme.tracks
        ]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def clean_day(self) -> str:
        value = self.cleaned_data.get("day") or ""
        if value == ALL_DAYS:
            return value
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return ""
        return value if day in self.programme.days else ""

    def filters(self, default_day: date | None) -> dict:
        """The filters to apply; unusable values fall back to none (a stale shared link still
        shows a programme rather than an error)."""
        self.is_valid()  # an invalid field is left out of cleaned_data: that filter is off
        data = self.cleaned_data
        day_text = data.get("day") or ""
        if day_text == ALL_DAYS:
            day = None
        elif day_text:
            day = date.fromisoformat(day_text)
        else:
            day = default_day
        return {
            "day": day,
            "room": data.get("room") or "",
            "track": data.get("track") or "",
            "query": (data.get("q") or "").strip(),
        }


def day_label(day: date) -> str:
    return formats.date_format(day, "l j F")
