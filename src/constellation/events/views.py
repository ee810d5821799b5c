"""The staff hub of an event: where each part of the conference stands, and the way in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from constellation.events.models import (
    SCHEDULED_STATES,
    Event,
    Placement,
    Proposal,
    ProposalState,
    Registration,
    RegistrationStatus,
    ReviewAssignment,
)

# (URL name, title, what staff do there), in the order of the conference's year.
STAFF_PAGES = [
    (
        "events:cfp_settings",
        _("Call for proposals"),
        _("Dates, questions and abstract limits of the form."),
    ),
    (
        "events:review_manage",
        _("Review"),
        _("Committee, criteria, automatic assignment of reviewers."),
    ),
    (
        "events:review_decisions",
        _("Decisions"),
        _("Scores, disagreements, accept or reject, decision emails."),
    ),
    ("events:timetable", _("Timetable"), _("The grid: optimise, move and swap sessions, publish.")),
    (
        "events:registrations",
        _("Registrations"),
        _("Tickets, waiting lists, payments, invoices, badges."),
    ),
    ("events:checkin", _("Check-in"), _("At the door, on a phone.")),
    ("events:programme", _("Public programme"), _("What attendees see.")),
]


def _links(event: Event) -> list[dict]:
    links = []
    for name, title, text in STAFF_PAGES:
        try:
            url = reverse(name, args=[event.slug])
        except NoReverseMatch:
            continue
        links.append({"url": url, "title": title, "text": text})
    return links


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("network"), slug=slug)
    if not request.user.has_perm("events.manage_event", event):
        raise Http404
    by_state = dict(
        Proposal.objects.filter(event=event).values_list("state").annotate(n=Count("pk")).order_by()
    )
    states = [(label, by_state.get(value, 0)) for value, label in ProposalState.choices]
    review = ReviewAssignment.objects.filter(proposal__event=event).aggregate(
        assigned=Count("pk"), done=Count("pk", filter=Q(review__submitted_at__isnull=False))
    )
    draft_placed = Placement.objects.filter(
        version__event=event, version__published_at__isnull=True
    ).count()
    scheduled = sum(by_state.get(state, 0) for state in SCHEDULED_STATES)
    registrations = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
        paid=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED, payment_status="paid")),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return render(
        request,
        "events/manage.html",
        {
            "event": event,
            "links": _links(event),
            "states": states,
            "review": review,
            "draft_placed": draft_placed,
            "scheduled": scheduled,
            "registrations": registrations,
        },
    )
