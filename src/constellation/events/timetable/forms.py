"""Forms of the timetable pages. Session choices come from the loaded draft (no extra queries);
each editing form carries the draft's fingerprint (`state`), see queries.Draft.state."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from constellation.events.models import ScheduleRun
from constellation.events.timetable.queries import Draft, local_label

SHORTEST_RUN, LONGEST_RUN = 2, 120


def _session_choices(sessions) -> list[tuple[str, str]]:
    return [("", _("Choose a session"))] + [(p.code, f"{p.title} ({p.code})") for p in sessions]


class DraftForm(forms.Form):
    """A change to the draft. The page holds several: each has its ACTION as prefix (field ids
    stay unique) and the template posts `action` beside it to say which one was sent."""

    ACTION = ""
    state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, draft: Draft, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("state", draft.state)
        kwargs["prefix"] = self.ACTION
        super().__init__(*args, **kwargs)
        self.draft = draft

    def proposal(self, code: str):
        proposal = self.draft.session(code)
        if proposal is None:
            stale = next((p.proposal for p in self.draft.stale if p.proposal.code == code), None)
            if stale is None:
                raise forms.ValidationError(_("That session is not in the programme."))
            return stale
        return proposal


class MoveForm(DraftForm):
    ACTION = "move"
    session = forms.ChoiceField(label=_("Session"))
    slot = forms.TypedChoiceField(label=_("Starting at"), coerce=int)
    room = forms.TypedChoiceField(label=_("Room"), coerce=int)

    def __init__(self, *args, draft: Draft, **kwargs):
        super().__init__(*args, draft=draft, **kwargs)
        self.fields["session"].choices = _session_choices(draft.sessions)
        self.fields["slot"].choices = [(s.pk, local_label(s, draft.tz)) for s in draft.slots]
        self.fields["room"].choices = [
            (r.pk, _("%(name)s (%(seats)d seats)") % {"name": r.name, "seats": r.capacity})
            for r in draft.rooms
        ]

    def clean(self):
        data = super().clean()
        if not self.errors:
            data["proposal"] = self.proposal(data["session"])
            data["slot"] = next(s for s in self.draft.slots if s.pk == data["slot"])
            data["room"] = next(r for r in self.draft.rooms if r.pk == data["room"])
        return data


class SwapForm(DraftForm):
    ACTION = "swap"
    first = forms.ChoiceField(label=_("Swap this session"))
    second = forms.ChoiceField(label=_("with this session"))

    def __init__(self, *args, draft: Draft, **kwargs):
        super().__init__(*args, draft=draft, **kwargs)
        placed = [p for p in draft.sessions if p.pk in draft.placements]
        self.fields["first"].choices = _session_choices(placed)
        self.fields["second"].choices = _session_choices(placed)

    def clean(self):
        data = super().clean()
        if not self.errors:
            if data["first"] == data["second"]:
                raise forms.ValidationError(_("Choose two different sessions to swap."))
            data["first"] = self.proposal(data["first"])
            data["second"] = self.proposal(data["second"])
        return data


class UnplaceForm(DraftForm):
    ACTION = "unplace"
    session = forms.ChoiceField(label=_("Take this session out of the timetable"))

    def __init__(self, *args, draft: Draft, **kwargs):
        super().__init__(*args, draft=draft, **kwargs)
        placed = [p for p in draft.sessions if p.pk in draft.placements]
        self.fields["session"].choices = _session_choices(
            placed + [p.proposal for p in draft.stale]
        )

    def clean(self):
        data = super().clean()
        if not self.errors:
            data["proposal"] = self.proposal(data["session"])
        return data


EDIT_FORMS = {form.ACTION: form for form in (MoveForm, SwapForm, UnplaceForm)}


class OptimiseForm(forms.ModelForm):
    seconds = forms.IntegerField(
        label=_("Time limit (seconds)"),
        min_value=SHORTEST_RUN,
        max_value=LONGEST_RUN,
        initial=30,
        help_text=_("Between 2 and 120 seconds; 30 is usually enough."),
    )

    class Meta:
        model = ScheduleRun
        fields = ["seconds", "keep_current"]
        help_texts = {
            "keep_current": _(
                "Sessions already in the draft stay where they are; only the others are placed."
            ),
        }


class PublishForm(forms.Form):
    label = forms.CharField(
        label=_("Label of this version"),
        max_length=120,
        required=False,
        help_text=_("For example “Final programme”. Shown in the list of versions."),
    )
    state = forms.CharField(widget=forms.HiddenInput)


class InterestForm(forms.Form):
    session = forms.CharField(widget=forms.HiddenInput)
    wanted = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )
