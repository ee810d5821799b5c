"""Forms of the call for proposals: the proposal (built from the event's call), inviting a
co-presenter, and the staff settings of the call.

A draft may be incomplete: only the title is required to save. What the call requires is
marked "needed to submit" (the field partial says so) and checked on submission by
services.submission_problems. Lengths above the call's limits are refused at once.
"""

from __future__ import annotations

from django import forms
from django.conf import global_settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from constellation.events.cfp.services import language_choices
from constellation.events.models import (
    CallForProposals,
    CfpField,
    FieldUse,
    Proposal,
    SessionFormat,
    Track,
)

OPTIONAL_TEXT_FIELDS = {
    CfpField.DESCRIPTION: (
        _("Description"),
        6,
        6000,
        _("More about the session: how it runs, what people take home."),
    ),
    CfpField.AUDIENCE: (
        _("Audience"),
        None,
        200,
        _("Who is it for? e.g. educators, exhibition developers, newcomers."),
    ),
    CfpField.ACCESSIBILITY: (
        _("Accessibility needs"),
        3,
        2000,
        _("What you or your co-presenters need to present: step-free access, captioning, seating…"),
    ),
}


class FormatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SessionFormat) -> str:
        return obj.name


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"))
    abstract = forms.CharField(
        label=_("Abstract"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    # A select, not radio buttons: the field partial marks a select "needed to submit",
    # where a radio group's legend would wrongly say "optional".
    format = FormatChoiceField(
        label=_("Format"),
        queryset=SessionFormat.objects.none(),
        required=False,
        empty_label=_("(choose a format)"),
    )

    def __init__(
        self,
        data=None,
        *,
        call: CallForProposals,
        formats,
        tracks,
        topics,
        proposal: Proposal | None = None,
        topic_ids: list[int] | None = None,
    ):
        initial = {}
        if proposal is not None:
            initial = {
                "title": proposal.title,
                "abstract": proposal.abstract,
                "description": proposal.description,
                "format": proposal.format_id,
                "track": proposal.track_id,
                "language": proposal.language,
                "audience": proposal.audience,
                "accessibility_needs": proposal.accessibility_needs,
                "topics": topic_ids or [],
            }
        super().__init__(data, initial=initial)
        self.call = call
        title_max = min(call.title_max_chars, Proposal._meta.get_field("title").max_length)
        self.fields["title"].max_length = title_max
        self.fields["title"].widget.attrs["maxlength"] = title_max
        self.fields["title"].validators.append(MaxLengthValidator(title_max))
        abstract = self.fields["abstract"]
        abstract.max_length = call.abstract_max_chars
        abstract.validators.append(MaxLengthValidator(call.abstract_max_chars))
        abstract.needed_to_submit = True
        abstract.help_text = _("Between %(min)s and %(max)s characters.") % {
            "min": call.abstract_min_chars,
            "max": call.abstract_max_chars,
        }
        # cfp.js shows a live count from these; without script the help text says the limit.
        abstract.widget.attrs.update(
            {
                "maxlength": call.abstract_max_chars,
                "data-count-min": call.abstract_min_chars,
                "data-count-max": call.abstract_max_chars,
                "data-count-label": _("{count} characters (between {min} and {max})"),
            }
        )
        self.fields["format"].queryset = formats
        self.fields["format"].needed_to_submit = True
        self._optional_fields(call, tracks, topics)

    def _optional_fields(self, call: CallForProposals, tracks, topics) -> None:
        def add(name: str, field: forms.Field) -> None:
            use = call.use(name)
            if use == FieldUse.OFF:
                return
            field.required = False
            field.needed_to_submit = use == FieldUse.REQUIRED
            self.fields[name] = field

        if tracks:
            add(
                CfpField.TRACK,
                forms.ModelChoiceField(
                    label=_("Track"),
                    queryset=Track.objects.filter(pk__in=[t.pk for t in tracks]),
                    empty_label=_("(choose a track)"),
                ),
            )
            if CfpField.TRACK in self.fields:
                # Choices from the rows the page already has: no second query to render them.
                self.fields[CfpField.TRACK].choices = [("", _("(choose a track)"))] + [
                    (t.pk, t.name) for t in tracks
                ]
        add(
            CfpField.TOPICS,
            forms.ModelMultipleChoiceField(
                label=_("Topics"),
                queryset=topics,
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "What the session is about, Sustainable Development Goals included; reviewers are matched on them."
                ),
            ),
        )
        if CfpField.TOPICS in self.fields:
            self.fields[CfpField.TOPICS].choices = [(t.pk, str(t)) for t in topics]
            if self.fields[CfpField.TOPICS].needed_to_submit:
                self.fields[CfpField.TOPICS].help_text = _(
                    "Needed to submit: at least one. Reviewers are matched on them; the "
                    "Sustainable Development Goals are included."
                )
        add(
            CfpField.LANGUAGE,
            forms.ChoiceField(
                label=_("Language of the session"),
                choices=[("", _("(choose a language)"))] + language_choices(call),
            ),
        )
        for name, (label, rows, max_length, help_text) in OPTIONAL_TEXT_FIELDS.items():
            widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
            add(
                name,
                forms.CharField(
                    label=label, max_length=max_length, widget=widget, help_text=help_text
                ),
            )

    def service_data(self) -> dict:
        """The answers for create_draft/update_proposal; questions switched off stay as stored."""
        data = dict(self.cleaned_data)
        if data.get("topics") is not None:
            data["topics"] = list(data["topics"])
        return data


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"), max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"


def _known_languages() -> set[str]:
    return {code for code, _name in global_settings.LANGUAGES}


class CallSettingsForm(forms.Form):
    """The call as staff set it. Times are read and shown in the event's time zone (the view
    activates it), so "23:59" means the evening in the city of the conference."""

    opens_at = forms.DateTimeField(
        label=_("Opens"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to open as soon as a deadline is set."),
    )
    cfp_deadline = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Proposals can be started, changed and submitted until then. Leave empty: no call."
        ),
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Shown at the top of the call: themes, who should propose, what happens next."),
    )
    abstract_min_chars = forms.IntegerField(
        label=_("Shortest abstract (characters)"), min_value=0, max_value=20000
    )
    abstract_max_chars = forms.IntegerField(
        label=_("Longest abstract (characters)"), min_value=1, max_value=20000
    )
    title_max_chars = forms.IntegerField(
        label=_("Longest title (characters)"), min_value=10, max_value=300
    )
    languages = forms.CharField(
        label=_("Session languages"),
        required=False,
        max_length=200,
        help_text=_(
            "Language codes separated by commas, e.g. “en, fr, es”. Empty: the site's languages."
        ),
    )

    def __init__(self, data=None, *, call: CallForProposals):
        initial = {
            "opens_at": call.opens_at,
            "cfp_deadline": call.event.cfp_deadline,
            "introduction": call.introduction,
            "abstract_min_chars": call.abstract_min_chars,
            "abstract_max_chars": call.abstract_max_chars,
            "title_max_chars": call.title_max_chars,
            "languages": ", ".join(call.languages or []),
        }
        super().__init__(data, initial=initial)
        for name, label in CfpField.choices:
            self.fields[f"use_{name}"] = forms.ChoiceField(
                label=label,
                choices=FieldUse.choices,
                initial=call.use(name),
            )

    def clean_languages(self) -> list[str]:
        codes = [
            c.strip().lower()
            for c in self.cleaned_data["languages"].replace(";", ",").split(",")
            if c.strip()
        ]
        unknown = sorted(set(codes) - _known_languages())
        if unknown:
            raise forms.ValidationError(
                _("Unknown language codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return list(dict.fromkeys(codes))

    def clean(self):
        data = super().clean()
        low, high = data.get("abstract_min_chars"), data.get("abstract_max_chars")
        if low is not None and high is not None and high < low:
            self.add_error(
                "abstract_max_chars",
                _("The longest abstract must not be shorter than the shortest."),
            )
        opens, deadline = data.get("opens_at"), data.get("cfp_deadline")
        if opens and deadline and deadline <= opens:
            self.add_error("cfp_deadline", _("The deadline must come after the opening."))
        return data

    def question_fields(self):
        return [self[f"use_{name}"] for name in CfpField.values]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "opens_at": data["opens_at"],
            "introduction": data["introduction"].strip(),
            "abstract_min_chars": data["abstract_min_chars"],
            "abstract_max_chars": data["abstract_max_chars"],
            "title_max_chars": data["title_max_chars"],
            "languages": data["languages"],
            "fields": {name: data[f"use_{name}"] for name in CfpField.values},
        }
