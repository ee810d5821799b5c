"""Mail to presenters when a published timetable changes their session.

One mail per presenter and changed session, in the presenter's language when they have an
account. Each TimetableChange is locked and marked `notified_at` in the transaction that
sends its mail, so a task that runs twice sends nothing the second time, and a mail that
fails to send leaves its change unmarked for a retry.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from constellation.events.models import TimetableChange


def _recipients(proposal) -> list[tuple[str, str]]:
    """(email, language) of each presenter who can be written to, once per address."""
    seen: dict[str, str] = {}
    for presenter in proposal.presenters.all():
        person = presenter.person
        email = presenter.email or (person.email if person else "")
        user = person.user if person else None
        language = getattr(user, "language", "") or settings.LANGUAGE_CODE
        if email and email.casefold() not in {e.casefold() for e in seen}:
            seen[email] = language
    return list(seen.items())


def notify_timetable_changes(version_id: int) -> int:
    """Mail the presenters of every change of the version not yet notified; returns the
    number of mails sent."""
    with transaction.atomic():
        changes = list(
            TimetableChange.objects.select_for_update()
            .filter(version_id=version_id, notified_at__isnull=True)
            .order_by("pk")
        )
        if not changes:
            return 0
        rows = {
            c.pk: c
            for c in TimetableChange.objects.filter(pk__in=[c.pk for c in changes])
            .select_related("proposal__event")
            .prefetch_related("proposal__presenters__person__user")
        }
        messages = []
        for change in changes:
            change = rows[change.pk]
            proposal = change.proposal
            for email, language in _recipients(proposal):
                with translation.override(language):
                    subject = _("%(event)s: the time or room of “%(title)s” changed") % {
                        "event": proposal.event.name,
                        "title": proposal.title,
                    }
                    body = render_to_string(
                        "events/timetable/email/change.txt",
                        {"change": change, "proposal": proposal, "event": proposal.event},
                    )
                messages.append(EmailMessage(subject, body, None, [email]))
        if messages:
            get_connection().send_messages(messages)
        TimetableChange.objects.filter(pk__in=[c.pk for c in changes]).update(
            notified_at=timezone.now()
        )
    return len(messages)
