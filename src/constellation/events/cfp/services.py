"""Everything that changes a call for proposals, a proposal or its presenters.

Views, the API and the demo call these functions. Each runs in one transaction and locks the
proposal (or the event) row first, so a double click, two tabs or a co-presenter editing at
the same time cannot interleave their writes. A broken rule raises DomainError with a message
ready for the person; nothing is written then. Mail goes out after commit (cfp/mails.py).

The deadline is checked here, under the lock, against the clock: a form opened before the
deadline and sent after it is refused, whatever the page showed.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from constellation.events.cfp import mails
from constellation.events.cfp.mails import INVITATION_DAYS
from constellation.events.models import (
    CallForProposals,
    CfpField,
    Event,
    FieldUse,
    Presenter,
    PresenterRole,
    Proposal,
    ProposalState,
    ProposalTopic,
)
from constellation.networks.models import Affiliation
from constellation.networks.services import DomainError, ensure_person_for_user

# A second "create" with the same title by the same person within this time is the same
# form sent twice (double click, reload after a slow answer): it returns the first draft.
DUPLICATE_WINDOW = timedelta(minutes=10)

CONTENT_FIELDS = ("title", "abstract", "description", "language", "audience", "accessibility_needs")
EDITABLE_STATES = (ProposalState.DRAFT, ProposalState.SUBMITTED)
WITHDRAWABLE_STATES = (
    ProposalState.SUBMITTED,
    ProposalState.ACCEPTED,
    ProposalState.WAITLISTED,
    ProposalState.CONFIRMED,
)


# --- Reading the call ----------------------------------------------------------------------


def call_for(event: Event) -> CallForProposals:
    """The event's call; an unsaved one with the defaults when staff never configured it."""
    try:
        return event.cfp
    except CallForProposals.DoesNotExist:
        return CallForProposals(event=event)


def call_state(call: CallForProposals, now: datetime | None = None) -> str:
    """ "none" (no deadline set), "not_yet", "open" or "closed"."""
    now = now or timezone.now()
    if call.event.cfp_deadline is None:
        return "none"
    if call.opens_at and now < call.opens_at:
        return "not_yet"
    return "open" if now < call.event.cfp_deadline else "closed"


def language_choices(call: CallForProposals) -> list[tuple[str, str]]:
    """The languages a session may be held in: the call's list, else the site's languages."""
    from django.conf import global_settings

    names = dict(global_settings.LANGUAGES)
    codes = call.languages or [code for code, _name in settings.LANGUAGES]
    return [(code, str(names.get(code, code))) for code in codes]


def closed_message(call: CallForProposals) -> str:
    state = call_state(call)
    if state == "not_yet":
        return _("The call for proposals is not open yet.")
    if state == "none":
        return _("This event has no call for proposals.")
    return _("The call for proposals is closed: the deadline has passed.")


def submission_problems(proposal: Proposal, call: CallForProposals | None = None) -> list[str]:
    """What stops the proposal from being submitted, one readable sentence each.

    The pages show these beside the submit button; submit_proposal refuses with them.
    """
    call = call or call_for(proposal.event)
    problems = []
    if not proposal.title.strip():
        problems.append(_("Give the proposal a title."))
    elif len(proposal.title) > call.title_max_chars:
        problems.append(
            _("The title is longer than %(max)s characters.") % {"max": call.title_max_chars}
        )
    length = len(proposal.abstract.strip())
    if length < call.abstract_min_chars or length > call.abstract_max_chars:
        problems.append(
            _("The abstract has %(length)s characters; it needs between %(min)s and %(max)s.")
            % {"length": length, "min": call.abstract_min_chars, "max": call.abstract_max_chars}
        )
    fmt = proposal.format
    if fmt is None or not fmt.accepts_proposals:
        problems.append(_("Choose a format."))
    required = {name for name in CfpField.values if call.use(name) == FieldUse.REQUIRED}
    labels = dict(CfpField.choices)
    for name in sorted(required):
        if name == CfpField.TRACK:
            missing = proposal.track_id is None and proposal.event.tracks.exists()
        elif name == CfpField.TOPICS:
            missing = not proposal.topic_links.exists()
        else:
            missing = not getattr(proposal, name).strip()
        if missing:
            problems.append(_("Answer the question “%(field)s”.") % {"field": labels[name]})
    if fmt is not None and fmt.max_presenters:
        count = proposal.presenters.count()
        if count > fmt.max_presenters:
            problems.append(
                ngettext(
                    "The format “%(format)s” allows %(max)s presenter; this proposal has %(count)s.",
                    "The format “%(format)s” allows %(max)s presenters; this proposal has %(count)s.",
                    fmt.max_presenters,
                )
                % {"format": fmt.name, "max": fmt.max_presenters, "count": count}
            )
    return problems


# --- Helpers ---------------------------------------------------------------------------------


def _lock_proposal(proposal: Proposal) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    locked.event = Event.objects.select_related("cfp").get(pk=locked.event_id)
    return locked


def _require_open(call: CallForProposals) -> None:
    if call_state(call) != "open":
        raise DomainError(closed_message(call))


def _require_editable(proposal: Proposal, call: CallForProposals) -> None:
    if proposal.state not in EDITABLE_STATES:
        raise DomainError(
            _("A proposal that is %(state)s can no longer be changed.")
            % {"state": proposal.get_state_display().lower()}
        )
    _require_open(call)


def _roles(proposal: Proposal, user) -> set[str]:
    return (
        set(proposal.presenters.filter(person__user=user).values_list("role", flat=True))
        if user is not None and user.is_authenticated
        else set()
    )


def _require_presenter(proposal: Proposal, user) -> None:
    if not _roles(proposal, user):
        raise DomainError(_("Only the presenters of this proposal can do that."))


def _require_proposer(proposal: Proposal, user) -> None:
    if PresenterRole.PROPOSER not in _roles(proposal, user):
        raise DomainError(_("Only the person who made the proposal can do that."))


def _check_choices(event: Event, data: dict[str, Any], call: CallForProposals) -> None:
    """The form checks these; the service checks again for every other caller (API, scripts)."""
    fmt = data.get("format")
    if fmt is not None and (fmt.event_id != event.pk or not fmt.accepts_proposals):
        raise DomainError(_("This format does not take proposals."))
    track = data.get("track")
    if track is not None and track.event_id != event.pk:
        raise DomainError(_("This track belongs to another event."))
    title = data.get("title", "")
    if not title.strip():
        raise DomainError(_("Give the proposal a title."))
    if len(title) > min(call.title_max_chars, Proposal._meta.get_field("title").max_length):
        raise DomainError(
            _("The title is longer than %(max)s characters.") % {"max": call.title_max_chars}
        )
    if len(data.get("abstract", "")) > call.abstract_max_chars:
        raise DomainError(
            _("The abstract is longer than %(max)s characters.") % {"max": call.abstract_max_chars}
        )
    language = data.get("language", "")
    if language and language not in dict(language_choices(call)):
        raise DomainError(_("Sessions of this event are not held in that language."))


def _apply(proposal: Proposal, data: dict[str, Any]) -> None:
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(proposal, name, (data[name] or "").strip())
    if "format" in data:
        proposal.format = data["format"]
    if "track" in data:
        proposal.track = data["track"]


def _set_topics(proposal: Proposal, topics) -> None:
    wanted = {topic.pk for topic in topics}
    current = set(proposal.topic_links.values_list("topic_id", flat=True))
    proposal.topic_links.exclude(topic_id__in=wanted).delete()
    ProposalTopic.objects.bulk_create(
        [ProposalTopic(proposal=proposal, topic_id=pk) for pk in sorted(wanted - current)]
    )


def _mark_actor(instance, actor) -> None:
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor


# --- Proposals -------------------------------------------------------------------------------


def create_draft(*, event: Event, user, data: dict[str, Any]) -> Proposal:
    """Start a proposal as a draft, with the user as its proposer.

    The user's Person is created (or their imported one linked) when they have none, so
    the proposer is a real person in the directory, matched later by speaker key. The
    proposer's current organisation is recorded: the review excludes its colleagues.
    The same title sent twice by the same person within a few minutes returns the first
    draft (the form was sent twice), updated with the second copy.
    """
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        call = call_for(event)
        _require_open(call)
        _check_choices(event, data, call)
        person = ensure_person_for_user(user)
        duplicate = (
            Proposal.objects.filter(
                event=event,
                state=ProposalState.DRAFT,
                title=data["title"].strip(),
                created_at__gte=timezone.now() - DUPLICATE_WINDOW,
                presenters__person=person,
                presenters__role=PresenterRole.PROPOSER,
            )
            .order_by("pk")
            .first()
        )
        if duplicate is not None:
            return update_proposal(proposal=duplicate, user=user, data=data)
        proposal = Proposal(event=event)
        _apply(proposal, data)
        _mark_actor(proposal, user)
        proposal.save()
        if "topics" in data:
            _set_topics(proposal, data["topics"])
        affiliation = (
            Affiliation.objects.current().filter(person=person).order_by("-is_admin", "pk").first()
        )
        Presenter.objects.create(
            proposal=proposal,
            person=person,
            name=person.name,
            email=user.email,
            organisation=affiliation.organisation if affiliation else None,
            biography=person.bio,
            role=PresenterRole.PROPOSER,
            position=0,
            confirmed_at=timezone.now(),
        )
    return proposal


def update_proposal(*, proposal: Proposal, user, data: dict[str, Any]) -> Proposal:
    """Change a draft or a submitted proposal before the deadline (any linked presenter)."""
    with transaction.atomic():
        proposal = _lock_proposal(proposal)
        call = call_for(proposal.event)
        _require_presenter(proposal, user)
        _require_editable(proposal, call)
        _check_choices(proposal.event, {"title": proposal.title, **data}, call)
        _apply(proposal, data)
        _mark_actor(proposal, user)
        proposal.save()
        if "topics" in data:
            _set_topics(proposal, data["topics"])
    return proposal


def submit_proposal(*, proposal: Proposal, user) -> bool:
    """Submit a complete draft. Returns False when it was already submitted (sent twice).

    Side effect: after commit, every presenter with an email gets a confirmation.
    """
    with transaction.atomic():
        proposal = _lock_proposal(proposal)
        call = call_for(proposal.event)
        _require_proposer(proposal, user)
        if proposal.state == ProposalState.SUBMITTED:
            return False
        if proposal.state != ProposalState.DRAFT:
            raise DomainError(
                _("A proposal that is %(state)s cannot be submitted.")
                % {"state": proposal.get_state_display().lower()}
            )
        _require_open(call)
        problems = submission_problems(proposal, call)
        if problems:
            raise DomainError(" ".join(problems))
        proposal.state = ProposalState.SUBMITTED
        proposal.submitted_at = timezone.now()
        _mark_actor(proposal, user)
        proposal.save(update_fields=["state", "submitted_at", "updated_at"])
        mails.schedule_submitted_mail(proposal)
    return True


def withdraw_proposal(*, proposal: Proposal, user) -> bool:
    """Withdraw a submitted (or decided) proposal, also after the deadline: a session that
    will not happen is better known early. Returns False when it was already withdrawn.

    Side effect: after commit, every presenter with an email is told.
    """
    with transaction.atomic():
        proposal = _lock_proposal(proposal)
        _require_proposer(proposal, user)
        if proposal.state == ProposalState.WITHDRAWN:
            return False
        if proposal.state not in WITHDRAWABLE_STATES:
            if proposal.state == ProposalState.DRAFT:
                raise DomainError(_("A draft is not submitted: delete it instead."))
            raise DomainError(
                _("A proposal that is %(state)s cannot be withdrawn.")
                % {"state": proposal.get_state_display().lower()}
            )
        proposal.state = ProposalState.WITHDRAWN
        _mark_actor(proposal, user)
        proposal.save(update_fields=["state", "updated_at"])
        mails.schedule_withdrawn_mail(proposal)
    return True


def delete_draft(*, proposal: Proposal, user) -> bool:
    """Delete a draft (never submitted, so nobody else has seen it). False if already gone."""
    with transaction.atomic():
        try:
            proposal = _lock_proposal(proposal)
        except Proposal.DoesNotExist:
            return False
        _require_proposer(proposal, user)
        if proposal.state != ProposalState.DRAFT:
            raise DomainError(_("Only drafts can be deleted; withdraw a submitted proposal."))
        proposal.delete()
    return True


def confirm_participation(*, proposal: Proposal, user) -> bool:
    """A presenter of an accepted proposal confirms that the session will take place.

    The proposal becomes confirmed (with the time). Returns False when it already was.
    """
    with transaction.atomic():
        proposal = _lock_proposal(proposal)
        _require_presenter(proposal, user)
        if proposal.state == ProposalState.CONFIRMED:
            return False
        if proposal.state != ProposalState.ACCEPTED:
            raise DomainError(_("Only an accepted proposal can be confirmed."))
        proposal.state = ProposalState.CONFIRMED
        proposal.confirmed_at = timezone.now()
        _mark_actor(proposal, user)
        proposal.save(update_fields=["state", "confirmed_at", "updated_at"])
    return True


# --- Co-presenters ---------------------------------------------------------------------------


def invite_copresenter(
    *, proposal: Proposal, user, name: str, email: str
) -> tuple[Presenter, bool]:
    """Add a co-presenter by name and email and mail them a link to accept.

    Returns (presenter, created); an email already on the proposal returns its row and
    sends nothing (the same form sent twice). The format's most presenters is enforced.
    """
    email = email.strip().lower()
    name = " ".join(name.split())
    with transaction.atomic():
        proposal = _lock_proposal(proposal)
        call = call_for(proposal.event)
        _require_proposer(proposal, user)
        _require_editable(proposal, call)
        existing = proposal.presenters.filter(email__iexact=email).first()
        if existing is not None:
            if existing.role == PresenterRole.PROPOSER:
                raise DomainError(_("You are already the proposer of this proposal."))
            return existing, False
        fmt = proposal.format
        count = proposal.presenters.count()
        if fmt is not None and fmt.max_presenters and count >= fmt.max_presenters:
            raise DomainError(
                _("The format “%(format)s” allows at most %(max)s presenters.")
                % {"format": fmt.name, "max": fmt.max_presenters}
            )
        position = (proposal.presenters.aggregate(m=Max("position"))["m"] or 0) + 1
        try:
            with transaction.atomic():
                presenter = Presenter.objects.create(
                    proposal=proposal,
                    name=name,
                    email=email,
                    role=PresenterRole.CO_PRESENTER,
                    position=position,
                    invitation_token=secrets.token_urlsafe(32),
                    invited_at=timezone.now(),
                )
        except IntegrityError as error:  # pragma: no cover - the lock makes this a race of imports
            raise DomainError(_("This person is already on the proposal.")) from error
        mails.schedule_invitation_mail(presenter)
    return presenter, True


def resend_invitation(*, presenter: Presenter, user) -> Presenter:
    """Mail the invitation again; the link works for another INVITATION_DAYS from now."""
    with transaction.atomic():
        proposal = _lock_proposal(presenter.proposal)
        _require_proposer(proposal, user)
        presenter = Presenter.objects.select_for_update().get(pk=presenter.pk, proposal=proposal)
        if presenter.role != PresenterRole.CO_PRESENTER or presenter.confirmed_at:
            raise DomainError(_("%(name)s has already accepted.") % {"name": presenter.name})
        # Before the decision, only while the call is open; once accepted, a co-presenter who
        # lost the mail still needs the link to join (and confirm participation).
        if proposal.state not in (ProposalState.ACCEPTED, ProposalState.CONFIRMED):
            _require_editable(proposal, call_for(proposal.event))
        presenter.invited_at = timezone.now()
        presenter.save(update_fields=["invited_at"])
        mails.schedule_invitation_mail(presenter)
    return presenter


def remove_copresenter(*, presenter: Presenter, user) -> bool:
    """Take a co-presenter off the proposal (their invitation link stops working)."""
    with transaction.atomic():
        proposal = _lock_proposal(presenter.proposal)
        _require_proposer(proposal, user)
        if presenter.role == PresenterRole.PROPOSER:
            raise DomainError(_("The proposer cannot be removed."))
        _require_editable(proposal, call_for(proposal.event))
        deleted, _rows = Presenter.objects.filter(pk=presenter.pk, proposal=proposal).delete()
    return bool(deleted)


def invitation_expires_at(presenter: Presenter) -> datetime | None:
    return presenter.invited_at + timedelta(days=INVITATION_DAYS) if presenter.invited_at else None


def invitation_problem(presenter: Presenter, user) -> str | None:
    """Why this user cannot answer this invitation now, or None. Pages show it up front;
    accept and decline refuse with it."""
    if presenter.proposal.state in (ProposalState.WITHDRAWN, ProposalState.REJECTED):
        return _("This proposal was withdrawn or not accepted: the invitation has lapsed.")
    if (presenter.email or "").lower() != (user.email or "").lower():
        return _(
            "This invitation was sent to another email address. Sign in with the address "
            "the invitation was sent to."
        )
    if presenter.confirmed_at:
        if presenter.person_id and presenter.person.user_id == user.pk:
            return None
        return _("This invitation has already been used.")
    expires = invitation_expires_at(presenter)
    if expires is None or expires <= timezone.now():
        return _("This invitation has expired. Ask the proposer to send it again.")
    return None


def accept_invitation(*, presenter: Presenter, user) -> bool:
    """The invitee (signed in with the invited email) joins the proposal as co-presenter.

    Their Person is created or linked; the presenter row gets it and the confirmation time.
    Returns False when they had already accepted (the form sent twice).
    """
    with transaction.atomic():
        proposal = _lock_proposal(presenter.proposal)
        presenter = Presenter.objects.select_for_update().get(pk=presenter.pk)
        presenter.proposal = proposal
        problem = invitation_problem(presenter, user)
        if problem:
            raise DomainError(problem)
        if presenter.confirmed_at:
            return False
        person = ensure_person_for_user(user)
        if proposal.presenters.filter(person=person).exclude(pk=presenter.pk).exists():
            raise DomainError(_("You are already a presenter of this proposal."))
        presenter.person = person
        presenter.confirmed_at = timezone.now()
        if not presenter.organisation_id:
            affiliation = (
                Affiliation.objects.current()
                .filter(person=person)
                .order_by("-is_admin", "pk")
                .first()
            )
            presenter.organisation = affiliation.organisation if affiliation else None
        if not presenter.biography:
            presenter.biography = person.bio
        _mark_actor(presenter, user)
        presenter.save(update_fields=["person", "confirmed_at", "organisation", "biography"])
    return True


def decline_invitation(*, presenter: Presenter, user) -> None:
    """The invitee says no: they are taken off the proposal."""
    with transaction.atomic():
        proposal = _lock_proposal(presenter.proposal)
        presenter.proposal = proposal
        if presenter.confirmed_at:
            raise DomainError(
                _("You have already accepted; ask the proposer to remove you from the proposal.")
            )
        problem = invitation_problem(presenter, user)
        if problem:
            raise DomainError(problem)
        Presenter.objects.filter(pk=presenter.pk).delete()


# --- The call itself (staff) -------------------------------------------------------------------


def update_call(
    *, event: Event, data: dict[str, Any], cfp_deadline: datetime | None, actor
) -> CallForProposals:
    """Save the event's call (questions, limits, languages, opening) and its deadline."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if data.get("abstract_max_chars", 0) < data.get("abstract_min_chars", 0):
            raise DomainError(_("The longest abstract must not be shorter than the shortest."))
        call, _created = CallForProposals.objects.get_or_create(event=event)
        for name, value in data.items():
            setattr(call, name, value)
        _mark_actor(call, actor)
        call.save()
        if event.cfp_deadline != cfp_deadline:
            event.cfp_deadline = cfp_deadline
            _mark_actor(event, actor)
            event.save(update_fields=["cfp_deadline"])
        call.event = event
    return call
