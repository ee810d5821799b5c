"""The cfp router (mounted at /api/v1/events): my proposals, and starting a draft.

Endpoints use the same access rules, form validation and services as the pages: a bad field
answers 422 with field errors, a closed call 409 with its message, strangers 404.
"""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Router

from constellation.accounts.auth import token_auth
from constellation.events.cfp import rules as cfp_rules  # noqa: F401  (registers the permissions)
from constellation.events.cfp import services
from constellation.events.cfp.forms import ProposalForm
from constellation.events.cfp.schemas import ProposalIn, ProposalList, ProposalOut
from constellation.events.models import Event, Presenter, Proposal
from constellation.events.queries import get_visible_event
from constellation.networks.models import Topic
from constellation.networks.schemas import errors

router = Router(tags=["events"])

SlugPath = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]+$", max_length=60)]


def _event(request, slug: str) -> Event:
    return get_visible_event(request.user, slug, "cfp")


def _out(proposal: Proposal) -> dict:
    return {
        "code": proposal.code,
        "title": proposal.title,
        "abstract": proposal.abstract,
        "state": proposal.state,
        "format": proposal.format.name if proposal.format else None,
        "track": proposal.track.slug if proposal.track else None,
        "language": proposal.language,
        "topics": [link.topic.slug for link in proposal.topic_links.all()],
        "submitted_at": proposal.submitted_at,
        "presenters": [
            {"name": p.name, "role": p.role, "confirmed": p.confirmed_at is not None}
            for p in proposal.presenters.all()
        ],
        "url": reverse("events:proposal_edit", args=[proposal.event.slug, proposal.code]),
    }


def _mine(event: Event, user):
    return (
        Proposal.objects.filter(event=event, presenters__person__user=user)
        .select_related("event", "format", "track")
        .prefetch_related(
            Prefetch("presenters", queryset=Presenter.objects.order_by("position", "pk")),
            Prefetch("topic_links__topic", queryset=Topic.objects.all()),
        )
        .order_by("-created_at", "pk")
        .distinct()
    )


@router.get(
    "/{slug}/proposals/mine",
    response={200: ProposalList, **errors(401, 404, 422)},
    auth=token_auth,
    url_name="cfp_my_proposals",
)
def my_proposals(request, slug: SlugPath):
    """The proposals of this event that the token's user presents."""
    event = _event(request, slug)
    items = [_out(p) for p in _mine(event, request.user)]
    return {"items": items, "count": len(items)}


@router.post(
    "/{slug}/proposals",
    response={201: ProposalOut, **errors(400, 401, 404, 409, 422)},
    auth=token_auth,
    tags=["writes"],
    url_name="cfp_proposal_create",
)
def create_proposal(request, slug: SlugPath, payload: ProposalIn):
    """Start a draft proposal, with the token's user as proposer (while the call is open)."""
    event = _event(request, slug)
    call = services.call_for(event)
    formats = event.formats.filter(accepts_proposals=True)
    tracks = list(event.tracks.all())
    problems: dict[str, list[str]] = {}
    track_ids = {t.slug: t.pk for t in tracks}
    if payload.track and payload.track not in track_ids:
        problems["track"] = [_("Unknown track: %(slug)s.") % {"slug": payload.track}]
    topics = {t.slug: t.pk for t in Topic.objects.filter(slug__in=payload.topics)}
    unknown = sorted(set(payload.topics) - set(topics))
    if unknown:
        problems["topics"] = [_("Unknown: %(slugs)s.") % {"slugs": ", ".join(unknown)}]
    if problems:
        raise ValidationError(problems)
    data = payload.dict()
    data["track"] = track_ids.get(payload.track or "", "")
    data["topics"] = [topics[s] for s in payload.topics]
    data["format"] = payload.format or ""
    form = ProposalForm(
        _Data(data),
        call=call,
        formats=formats,
        tracks=tracks,
        topics=Topic.objects.all(),
    )
    if not form.is_valid():
        raise ValidationError({field: list(messages) for field, messages in form.errors.items()})
    proposal = services.create_draft(event=event, user=request.user, data=form.service_data())
    return 201, _out(_mine(event, request.user).get(pk=proposal.pk))


class _Data(dict):
    """A dict the form reads like a QueryDict (lists for the topics' checkboxes)."""

    def getlist(self, key, default=None):
        value = self.get(key, default)
        return value if isinstance(value, list) else [value]
