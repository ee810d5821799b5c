"""Forms of the review pages: every input of the area goes through one of these."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from constellation.events.models import (
    CommitteeMember,
    Event,
    Proposal,
    ProposalState,
    ReviewCriterion,
)
from constellation.events.review import mails
from constellation.events.review.queries import DEFAULT_SORT, SORTS
from constellation.events.review.services import DECISIONS
from constellation.networks.models import Organisation, Topic

DECISION_CHOICES = [
    (ProposalState.ACCEPTED, _("Accept")),
    (ProposalState.REJECTED, _("Reject")),
    (ProposalState.WAITLISTED, _("Waiting list")),
]


class CommitteeMemberForm(forms.Form):
    """Seat someone with an account on the committee (or change their seat)."""

    email = forms.EmailField(
        label=_("Email of their account"),
        help_text=_("They need an account on this site."),
    )
    expertise = forms.ModelMultipleChoiceField(
        label=_("Expertise"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tracks = forms.ModelMultipleChoiceField(
        label=_("Tracks they know"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    conflict_organisations = forms.ModelMultipleChoiceField(
        label=_("Conflicts with organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_(
            "Besides the organisations they work at, which always count. Hold Ctrl or ⌘ to pick several."
        ),
    )
    max_assignments = forms.IntegerField(
        label=_("Most proposals to review"),
        min_value=1,
        max_value=500,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    is_chair = forms.BooleanField(label=_("Chair of the committee"), required=False)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expertise"].queryset = Topic.objects.all()
        self.fields["tracks"].queryset = event.tracks.all()
        self.fields["conflict_organisations"].queryset = Organisation.objects.in_network(
            event.network
        ).order_by("name")

    @classmethod
    def for_member(cls, member: CommitteeMember, *, event: Event) -> CommitteeMemberForm:
        return cls(
            event=event,
            initial={
                "email": member.user.email,
                "expertise": list(member.expertise.all()),
                "tracks": list(member.tracks.all()),
                "conflict_organisations": list(member.conflict_organisations.all()),
                "max_assignments": member.max_assignments,
                "is_chair": member.is_chair,
            },
        )

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Nobody has an account with this email yet."))
        self.cleaned_data["user"] = user
        return email


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Guidance"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=Decimal("0.01"),
        max_value=Decimal("999"),
        max_digits=5,
        decimal_places=2,
        initial=1,
    )
    max_score = forms.IntegerField(label=_("Highest score"), min_value=1, max_value=100, initial=5)

    @classmethod
    def for_criterion(cls, criterion: ReviewCriterion, **kwargs) -> CriterionForm:
        initial = {f: getattr(criterion, f) for f in ("name", "description", "weight", "max_score")}
        return cls(initial=initial, prefix=f"c{criterion.pk}", **kwargs)


class AutoAssignForm(forms.Form):
    per_proposal = forms.IntegerField(
        label=_("Reviewers per proposal"), min_value=1, max_value=20, initial=3
    )


class AssignmentAddForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=CommitteeMember.objects.none())

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = CommitteeMember.objects.filter(event=event)


class ReviewForm(forms.Form):
    """One score per criterion (0 to its highest score) and the two comments."""

    comment = forms.CharField(
        label=_("Comment for the committee"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only staff and the committee read this."),
    )
    comment_for_presenters = forms.CharField(
        label=_("Comment for the presenters"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent with the decision, without your name."),
    )

    def __init__(self, *args, criteria: list[ReviewCriterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            help_text = _("From 0 to %(max)s.") % {"max": criterion.max_score}
            if criterion.description:
                help_text = f"{criterion.description} {help_text}"
            self.fields[self.key(criterion)] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=criterion.max_score,
                required=False,
                help_text=help_text,
            )
        # Comments after the scores.
        self.order_fields([self.key(c) for c in criteria] + ["comment", "comment_for_presenters"])

    @staticmethod
    def key(criterion: ReviewCriterion) -> str:
        return f"score_{criterion.pk}"

    @classmethod
    def initial_for(cls, review) -> dict:
        if review is None:
            return {}
        initial = {
            "comment": review.comment,
            "comment_for_presenters": review.comment_for_presenters,
        }
        for score in review.scores.all():
            initial[f"score_{score.criterion_id}"] = score.value
        return initial

    def score_fields(self):
        return [self[self.key(c)] for c in self.criteria]

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(self.key(c)) for c in self.criteria}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=DECISION_CHOICES)


class BulkDecisionForm(forms.Form):
    proposals = forms.ModelMultipleChoiceField(
        label=_("Proposals"),
        queryset=Proposal.objects.none(),
        to_field_name="code",
        error_messages={"required": _("Tick at least one proposal.")},
    )
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        # Every proposal of the event: the service refuses (all or nothing) those that
        # cannot take a decision, with their names, rather than a bare "invalid choice".
        self.fields["proposals"].queryset = Proposal.objects.filter(event=event)


class DecisionTemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "You can use {name}, {title}, {event}, {code} and {link}. The reviewers' comments for the presenters follow the text."
        ),
    )

    def _check(self, field: str) -> str:
        text = self.cleaned_data[field]
        try:
            names = mails.placeholders_in(text)
        except ValueError:
            raise forms.ValidationError(
                _("A brace is not closed: write placeholders like {title}.")
            ) from None
        unknown = sorted({n for n in names if n not in mails.PLACEHOLDERS})
        if unknown:
            raise forms.ValidationError(
                _("Unknown placeholder: %(names)s. Use {name}, {title}, {event}, {code} or {link}.")
                % {"names": ", ".join("{" + n + "}" for n in unknown)}
            )
        return text

    def clean_subject(self):
        return self._check("subject")

    def clean_body(self):
        return self._check("body")


class DecisionFilterForm(forms.Form):
    """The decision table's filters (GET). Unknown values are ignored, never an error page."""

    track = forms.ModelChoiceField(
        label=_("Track"), queryset=None, required=False, empty_label=_("Any")
    )
    format = forms.ModelChoiceField(
        label=_("Format"), queryset=None, required=False, empty_label=_("Any")
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    SORT_LABELS = {
        "-score": _("Score, highest first"),
        "score": _("Score, lowest first"),
        "-spread": _("Disagreement, largest first"),
        "spread": _("Disagreement, smallest first"),
        "-reviews": _("Most reviews first"),
        "reviews": _("Fewest reviews first"),
        "title": _("Title, A to Z"),
        "-title": _("Title, Z to A"),
    }

    def __init__(self, data, *, tracks, formats):
        super().__init__(data)
        self.fields["track"].queryset = tracks
        self.fields["format"].queryset = formats
        self.fields["state"].choices = [("", _("Any"))] + [
            (s, label)
            for s, label in ProposalState.choices
            if s in (ProposalState.SUBMITTED, *DECISIONS, ProposalState.CONFIRMED)
        ]
        self.fields["sort"].choices = [(k, self.SORT_LABELS[k]) for k in SORTS]

    def filters(self) -> dict:
        """The valid values; an invalid one is dropped alone."""
        values = {"track": None, "format": None, "state": "", "sort": DEFAULT_SORT}
        if not self.is_bound:
            return values
        self.is_valid()
        for name in values:
            if name in self.cleaned_data and self.cleaned_data[name] not in (None, ""):
                values[name] = self.cleaned_data[name]
        return values
