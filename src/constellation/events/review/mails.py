"""Decision mails: the wording (the event's own, else the default below), the placeholders,
and the sending, once per proposal and decision.

queue_decision_mails (services.py) records a DecisionNotice per proposal to tell; the task
calls send_pending_decision_mails, which sends each notice under a row lock and marks it
sent in the same transaction. A notice already marked is skipped, so a task run twice, or
two workers at once, mail nobody twice; a mail that fails to send rolls its mark back and
the next run retries it.
"""

from __future__ import annotations

import string

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from constellation.events.models import (
    DecisionNotice,
    DecisionTemplate,
    Proposal,
    ProposalState,
    Review,
)

PLACEHOLDERS = ("name", "title", "event", "code", "link")

DEFAULT_TEMPLATES = {
    ProposalState.ACCEPTED: (
        gettext_lazy("{event}: your proposal “{title}” is accepted"),
        gettext_lazy(
            "Dear {name},\n\n"
            "We are glad to tell you that the programme committee accepted your proposal "
            "“{title}” ({code}) for {event}.\n\n"
            "Please confirm that you will present it: {link}\n\n"
            "We look forward to seeing you there."
        ),
    ),
    ProposalState.REJECTED: (
        gettext_lazy("{event}: your proposal “{title}”"),
        gettext_lazy(
            "Dear {name},\n\n"
            "Thank you for proposing “{title}” ({code}) for {event}. We received many more "
            "proposals than the programme has room for, and the committee could not accept "
            "yours this time.\n\n"
            "We hope to see you at the conference all the same."
        ),
    ),
    ProposalState.WAITLISTED: (
        gettext_lazy("{event}: your proposal “{title}” is on the waiting list"),
        gettext_lazy(
            "Dear {name},\n\n"
            "Thank you for proposing “{title}” ({code}) for {event}. The committee put it on "
            "the waiting list: if a place opens in the programme, we will write to you again."
        ),
    ),
}


def placeholders_in(text: str) -> list[str]:
    """The {names} used in a template; ValueError for unbalanced braces."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def fill(text: str, values: dict[str, str]) -> str:
    """Replace the known placeholders; anything else (checked away by the form) stays."""

    class Keep(dict):
        def __missing__(self, key):
            return "{" + key + "}"

    try:
        return string.Formatter().vformat(text, (), Keep(values))
    except (ValueError, IndexError, AttributeError):
        return text


def wording(event_id: int, decision: str) -> tuple[str, str, bool]:
    """(subject, body, is_default) of the decision's mail for the event."""
    template = DecisionTemplate.objects.filter(event_id=event_id, decision=decision).first()
    if template is not None:
        return template.subject, template.body, False
    subject, body = DEFAULT_TEMPLATES[decision]
    return str(subject), str(body), True


def _link(proposal: Proposal, decision: str) -> str:
    # Accepted presenters confirm on the call-for-proposals page of their proposal, built
    # by the cfp area; the others get the call's page. Either may not exist yet.
    name = "events:proposal_confirm" if decision == ProposalState.ACCEPTED else "events:cfp"
    args = (
        (proposal.event.slug, proposal.code)
        if decision == ProposalState.ACCEPTED
        else (proposal.event.slug,)
    )
    try:
        return settings.SITE_URL + reverse(name, args=args)
    except NoReverseMatch:
        return settings.SITE_URL + "/"


def _recipients(proposal: Proposal) -> list[tuple[str, str, str]]:
    """(name, email, language) of each presenter we can write to, once per address."""
    seen: set[str] = set()
    people = []
    for presenter in proposal.presenters.all():
        user = presenter.person.user if presenter.person and presenter.person.user_id else None
        email = (
            presenter.email
            or (user.email if user else "")
            or (presenter.person.email if presenter.person else "")
        )
        if not email or email.casefold() in seen:
            continue
        seen.add(email.casefold())
        language = getattr(user, "language", "") or settings.LANGUAGE_CODE
        people.append((presenter.name, email, language))
    return people


def compose(
    proposal: Proposal, decision: str, name: str, language: str, comments: list[str]
) -> tuple[str, str]:
    """The subject and body one presenter receives, in their language where the text is ours."""
    with translation.override(language):
        subject, body, _default = wording(proposal.event_id, decision)
        values = {
            "name": name,
            "title": proposal.title,
            "event": proposal.event.name,
            "code": proposal.code,
            "link": _link(proposal, decision),
        }
        text = fill(body, values)
        if comments:
            text += "\n\n" + _("Comments from the reviewers:") + "\n\n"
            text += "\n\n".join(f"— {comment}" for comment in comments)
        # Subjects are one line, whatever a template says.
        return " ".join(fill(subject, values).split()), text + "\n"


def send_decision_notice(notice_id: int) -> int:
    """Send one notice's mails; returns how many went out (0 if already sent or gone).

    A notice whose proposal changed decision since it was queued is dropped unsent (the
    next queueing records the new decision).
    """
    with transaction.atomic():
        notice = DecisionNotice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.sent_at is not None:
            return 0
        proposal = (
            Proposal.objects.select_related("event")
            .prefetch_related("presenters__person__user")
            .get(pk=notice.proposal_id)
        )
        if proposal.state != notice.decision:
            notice.delete()
            return 0
        comments = [
            c.strip()
            for c in Review.objects.filter(
                assignment__proposal=proposal, submitted_at__isnull=False
            )
            .exclude(comment_for_presenters="")
            .order_by("pk")
            .values_list("comment_for_presenters", flat=True)
        ]
        messages = []
        for name, email, language in _recipients(proposal):
            subject, body = compose(proposal, notice.decision, name, language, comments)
            messages.append(EmailMessage(subject, body, None, [email]))
        if messages:
            get_connection().send_messages(messages)
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
    return len(messages)


def send_pending_decision_mails(event_id: int) -> int:
    """Send every unsent notice of the event; returns how many mails went out."""
    ids = list(
        DecisionNotice.objects.filter(proposal__event_id=event_id, sent_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(send_decision_notice(pk) for pk in ids)
