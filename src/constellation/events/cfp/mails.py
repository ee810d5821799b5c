"""The call for proposals' mail: an invitation to co-present, the confirmation of a
submission and of a withdrawal.

Services schedule these after commit (`schedule_*`), tasks.py runs them. Each reads the rows
as they are now and sends nothing when the state moved on (a proposal withdrawn before the
worker got to its submission mail). A task that runs twice sends one mail: each mail claims a
key (the proposal or presenter, and the time of the change it reports) with an atomic
`cache.add` before sending, and releases it when sending fails, so a retry sends it.
Every mail is written in its recipient's language when they have an account.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from constellation.events.models import Presenter, Proposal, ProposalState

# An invitation link works this long after it was (re)sent; the proposer can resend it.
INVITATION_DAYS = 30
# Long enough to outlive any retry of a task; the state checks cover the rest.
CLAIM_SECONDS = 60 * 60 * 24 * 30


def _stamp(value) -> str:
    return f"{value.timestamp():.6f}" if value else "-"


def schedule_invitation_mail(presenter: Presenter) -> None:
    from constellation.events.cfp.tasks import send_invitation_mail_task

    presenter_id, stamp = presenter.pk, _stamp(presenter.invited_at)
    transaction.on_commit(lambda: send_invitation_mail_task.enqueue(presenter_id, stamp))


def schedule_submitted_mail(proposal: Proposal) -> None:
    from constellation.events.cfp.tasks import send_submitted_mail_task

    proposal_id, stamp = proposal.pk, _stamp(proposal.submitted_at)
    transaction.on_commit(lambda: send_submitted_mail_task.enqueue(proposal_id, stamp))


def schedule_withdrawn_mail(proposal: Proposal) -> None:
    from constellation.events.cfp.tasks import send_withdrawn_mail_task

    proposal_id = proposal.pk
    transaction.on_commit(lambda: send_withdrawn_mail_task.enqueue(proposal_id))


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _languages(emails: list[str]) -> dict[str, str]:
    users = get_user_model().objects.filter(email__in=[e.lower() for e in emails])
    return {user.email.lower(): user.language for user in users}


def _message(email: str, language: str, subject: str, template: str, context: dict) -> EmailMessage:
    with translation.override(language or settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
        subject_text = str(_(subject) % context["subject_values"])
    return EmailMessage(subject_text, body, None, [email])


def _send_once(key: str, messages: list[EmailMessage]) -> int:
    if not messages or not cache.add(key, 1, CLAIM_SECONDS):
        return 0
    try:
        get_connection().send_messages(messages)
    except Exception:
        cache.delete(key)
        raise
    return len(messages)


def _proposal(proposal_id: int) -> Proposal | None:
    return (
        Proposal.objects.select_related("event", "format", "track")
        .prefetch_related("presenters")
        .filter(pk=proposal_id)
        .first()
    )


def send_invitation_mail(presenter_id: int, stamp: str) -> int:
    """Mail a co-presenter their invitation link. 0 when they are gone, accepted already,
    the invitation was sent again since (that newer task sends it) or it went out already."""
    presenter = Presenter.objects.select_related("proposal__event").filter(pk=presenter_id).first()
    if (
        presenter is None
        or not presenter.email
        or presenter.confirmed_at
        or not presenter.invitation_token
        or _stamp(presenter.invited_at) != stamp
    ):
        return 0
    proposal = presenter.proposal
    proposer = proposal.presenters.filter(role="proposer").first()
    language = _languages([presenter.email]).get(presenter.email.lower()) or (
        proposer and proposer.person and proposer.person.user and proposer.person.user.language
    )
    context = {
        "presenter": presenter,
        "proposal": proposal,
        "event": proposal.event,
        "proposer": proposer,
        "url": _url(
            "events:copresenter_invitation", proposal.event.slug, presenter.invitation_token
        ),
        "days": INVITATION_DAYS,
        "subject_values": {"event": proposal.event.name},
    }
    message = _message(
        presenter.email,
        language or "",
        gettext_noop("%(event)s: you are invited to co-present a session"),
        "events/cfp/email/invitation.txt",
        context,
    )
    return _send_once(f"cfp-mail:invitation:{presenter_id}:{stamp}", [message])


def _to_presenters(
    proposal: Proposal, subject: str, template: str, extra: dict
) -> list[EmailMessage]:
    presenters = [p for p in proposal.presenters.all() if p.email]
    languages = _languages([p.email for p in presenters])
    messages = []
    for presenter in presenters:
        context = {
            "presenter": presenter,
            "presenters": proposal.presenters.all(),
            "proposal": proposal,
            "event": proposal.event,
            "url": _url("events:cfp", proposal.event.slug),
            "subject_values": {"event": proposal.event.name, "title": proposal.title},
            **extra,
        }
        language = languages.get(presenter.email.lower(), "")
        messages.append(_message(presenter.email, language, subject, template, context))
    return messages


def send_submitted_mail(proposal_id: int, stamp: str) -> int:
    """Confirm a submission to every presenter with an email (once per submission)."""
    proposal = _proposal(proposal_id)
    if (
        proposal is None
        or proposal.state != ProposalState.SUBMITTED
        or _stamp(proposal.submitted_at) != stamp
    ):
        return 0
    messages = _to_presenters(
        proposal,
        gettext_noop("%(event)s: “%(title)s” is submitted"),
        "events/cfp/email/submitted.txt",
        {"edit_url": _url("events:proposal_edit", proposal.event.slug, proposal.code)},
    )
    return _send_once(f"cfp-mail:submitted:{proposal_id}:{stamp}", messages)


def send_withdrawn_mail(proposal_id: int) -> int:
    """Tell every presenter with an email that the proposal was withdrawn (once)."""
    proposal = _proposal(proposal_id)
    if proposal is None or proposal.state != ProposalState.WITHDRAWN:
        return 0
    messages = _to_presenters(
        proposal,
        gettext_noop("%(event)s: “%(title)s” is withdrawn"),
        "events/cfp/email/withdrawn.txt",
        {},
    )
    return _send_once(f"cfp-mail:withdrawn:{proposal_id}", messages)
