"""The review pages: reviewers score their assignments; staff run the committee, the
assignment, the scores and the decisions.

Who sees what: a reviewer sees only the proposals assigned to them (anything else is a
404, as for strangers); the staff pages answer 404 to anyone who is not staff of the
event's network.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import constellation.events.review.rules  # noqa: F401  (registers the area's permissions)
from constellation.core.htmx import render_page
from constellation.events.models import (
    CommitteeMember,
    DecisionNotice,
    DecisionTemplate,
    Event,
    Proposal,
    ReviewAssignment,
    ReviewCriterion,
)
from constellation.events.review import assignment as planner
from constellation.events.review import mails, queries, services
from constellation.events.review.forms import (
    DECISION_CHOICES,
    AssignmentAddForm,
    AutoAssignForm,
    BulkDecisionForm,
    CommitteeMemberForm,
    CriterionForm,
    DecisionFilterForm,
    DecisionForm,
    DecisionTemplateForm,
    ReviewForm,
)
from constellation.networks.services import DomainError

# --- Access -----------------------------------------------------------------------------------


def _staff_event(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event.objects.select_related("network"), slug=slug)
    if not request.user.has_perm("events.review_manage", event):
        raise Http404
    return event


def _seat(request: HttpRequest, slug: str) -> CommitteeMember:
    """The signed-in person's seat on the event's committee, else 404."""
    return get_object_or_404(
        CommitteeMember.objects.select_related("event", "user"), event__slug=slug, user=request.user
    )


def _assignment(request: HttpRequest, slug: str, code: str) -> ReviewAssignment:
    """The signed-in reviewer's own assignment of this proposal, else 404 (a proposal
    assigned to another member is as invisible as one that does not exist)."""
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related(
            "proposal__event", "proposal__track", "proposal__format", "reviewer__user"
        ),
        proposal__event__slug=slug,
        proposal__code=code,
        reviewer__user=request.user,
    )
    if not request.user.has_perm("events.review_assignment", assignment):
        raise Http404
    return assignment


# --- Reviewers --------------------------------------------------------------------------------


@login_required
def my_assignments(request: HttpRequest, slug: str) -> HttpResponse:
    seat = _seat(request, slug)
    return render(
        request,
        "events/review/assignments.html",
        {"event": seat.event, "seat": seat, "assignments": list(queries.my_assignments(seat))},
    )


@login_required
def review_proposal(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Score a proposal: save a draft as often as wanted, submit when every criterion has
    a score; still editable after submitting, until staff decide."""
    assignment = _assignment(request, slug, code)
    proposal = assignment.proposal
    criteria = list(ReviewCriterion.objects.filter(event=proposal.event))
    review = getattr(assignment, "review", None)
    if request.method == "POST":
        form = ReviewForm(request.POST, criteria=criteria)
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                services.save_review(
                    assignment=assignment,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    comment_for_presenters=form.cleaned_data["comment_for_presenters"],
                    submit=submit,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if submit:
                    messages.success(
                        request,
                        _("Your review of “%(title)s” is submitted.") % {"title": proposal.title},
                    )
                    return redirect("events:review", slug=slug)
                messages.success(request, _("Your review is saved."))
                return redirect("events:review_proposal", slug=slug, code=code)
    else:
        form = ReviewForm(initial=ReviewForm.initial_for(review), criteria=criteria)
    presenters = proposal.presenters.select_related("organisation").order_by("position", "pk")
    return render(
        request,
        "events/review/proposal.html",
        {
            "event": proposal.event,
            "proposal": proposal,
            "assignment": assignment,
            "review": review,
            "form": form,
            "presenters": presenters,
            "topics": [link.topic for link in proposal.topic_links.select_related("topic")],
            "editable": proposal.state == services.UNDER_REVIEW,
        },
    )


@login_required
@require_POST
def declare_conflict(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    assignment = _assignment(request, slug, code)
    title = assignment.proposal.title
    services.declare_conflict(assignment=assignment)
    messages.success(
        request,
        _(
            "Conflict recorded: “%(title)s” is no longer yours to review; staff will give it to someone else."
        )
        % {"title": title},
    )
    return redirect("events:review", slug=slug)


# --- Staff: committee, criteria, assignment -----------------------------------------------------


def _proposal_rows(event: Event, members: list[CommitteeMember], proposals: list[Proposal]):
    """Each proposal with its reviewers and the members who could still be added to it."""
    conflicts = planner.find_conflicts(members, proposals)
    for proposal in proposals:
        assigned = {a.reviewer_id for a in proposal.review_assignments.all()}
        proposal.candidates = [
            m for m in members if m.pk not in assigned and not conflicts.reason(m.pk, proposal.pk)
        ]
        proposal.conflicted = [
            (m, conflicts.reason(m.pk, proposal.pk))
            for m in members
            if conflicts.reason(m.pk, proposal.pk)
        ]
    return proposals


def _render_manage(
    request: HttpRequest,
    event: Event,
    *,
    member_form=None,
    new_criterion=None,
    criterion_forms=None,
    auto_form=None,
) -> HttpResponse:
    members = list(queries.committee(event))
    criteria = list(ReviewCriterion.objects.filter(event=event))
    proposals = _proposal_rows(event, members, list(queries.proposals_under_review(event)))
    if member_form is None:
        editing = request.GET.get("member", "")
        member = next((m for m in members if str(m.pk) == editing), None)
        member_form = (
            CommitteeMemberForm.for_member(member, event=event)
            if member
            else CommitteeMemberForm(event=event)
        )
    criterion_forms = criterion_forms or {}
    rows = [(c, criterion_forms.get(c.pk) or CriterionForm.for_criterion(c)) for c in criteria]
    return render(
        request,
        "events/review/manage.html",
        {
            "event": event,
            "members": members,
            "member_form": member_form,
            "criteria_rows": rows,
            "new_criterion": new_criterion or CriterionForm(prefix="new"),
            "auto_form": auto_form or AutoAssignForm(),
            "proposals": proposals,
            "total_weight": sum(c.weight for c in criteria),
        },
    )


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    event = _staff_event(request, slug)
    return _render_manage(request, event)


@login_required
def review_scores(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Staff read the reviews of one proposal: each reviewer's scores and comments."""
    event = _staff_event(request, slug)
    proposal = get_object_or_404(
        queries.with_review_figures(Proposal.objects.filter(event=event)).select_related(
            "track", "format"
        ),
        code=code,
    )
    criteria = list(ReviewCriterion.objects.filter(event=event))
    assignments = list(
        proposal.review_assignments.select_related("reviewer__user", "review")
        .prefetch_related("review__scores")
        .order_by("pk")
    )
    for a in assignments:
        review = getattr(a, "review", None)
        a.the_review = review
        values = {s.criterion_id: s.value for s in review.scores.all()} if review else {}
        a.cells = [values.get(c.pk) for c in criteria]
    return render(
        request,
        "events/review/scores.html",
        {
            "event": event,
            "proposal": proposal,
            "criteria": criteria,
            "assignments": assignments,
            "threshold": queries.DISAGREEMENT_SPREAD,
        },
    )


@login_required
@require_POST
def member_save(request: HttpRequest, slug: str) -> HttpResponse:
    event = _staff_event(request, slug)
    form = CommitteeMemberForm(request.POST, event=event)
    if not form.is_valid():
        return _render_manage(request, event, member_form=form)
    member, created = services.add_committee_member(
        event=event,
        user=form.cleaned_data["user"],
        expertise=form.cleaned_data["expertise"],
        tracks=form.cleaned_data["tracks"],
        conflict_organisations=form.cleaned_data["conflict_organisations"],
        max_assignments=form.cleaned_data["max_assignments"],
        is_chair=form.cleaned_data["is_chair"],
    )
    if created:
        messages.success(request, _("%(name)s joined the committee.") % {"name": member.user})
    else:
        messages.success(request, _("%(name)s's seat is updated.") % {"name": member.user})
    return redirect(reverse("events:review_manage", args=[slug]) + "#committee")


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _staff_event(request, slug)
    member = get_object_or_404(
        CommitteeMember.objects.select_related("user", "event"), event=event, pk=pk
    )
    try:
        services.remove_committee_member(member=member)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s left the committee.") % {"name": member.user})
    return redirect(reverse("events:review_manage", args=[slug]) + "#committee")


@login_required
@require_POST
def criterion_add(request: HttpRequest, slug: str) -> HttpResponse:
    event = _staff_event(request, slug)
    form = CriterionForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            services.save_criterion(event=event, **form.cleaned_data)
        except DomainError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, _("Criterion added."))
            return redirect(reverse("events:review_manage", args=[slug]) + "#criteria")
    return _render_manage(request, event, new_criterion=form)


@login_required
@require_POST
def criterion_save(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _staff_event(request, slug)
    criterion = get_object_or_404(
        ReviewCriterion.objects.select_related("event"), event=event, pk=pk
    )
    if request.POST.get("action") == "delete":
        services.delete_criterion(criterion=criterion)
        messages.success(request, _("Criterion “%(name)s” removed.") % {"name": criterion.name})
        return redirect(reverse("events:review_manage", args=[slug]) + "#criteria")
    form = CriterionForm(request.POST, prefix=f"c{criterion.pk}")
    if form.is_valid():
        try:
            services.save_criterion(event=event, criterion=criterion, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Criterion “%(name)s” saved.") % {"name": form.cleaned_data["name"]}
            )
            return redirect(reverse("events:review_manage", args=[slug]) + "#criteria")
    return _render_manage(request, event, criterion_forms={criterion.pk: form})


@login_required
@require_POST
def assign_auto(request: HttpRequest, slug: str) -> HttpResponse:
    event = _staff_event(request, slug)
    form = AutoAssignForm(request.POST)
    if not form.is_valid():
        return _render_manage(request, event, auto_form=form)
    try:
        report = services.assign_automatically(
            event=event, per_proposal=form.cleaned_data["per_proposal"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "%(created)s assignments made (%(removed)s earlier automatic ones without a review were replanned)."
            )
            % {"created": report.created, "removed": report.removed},
        )
        if report.short:
            listing = "; ".join(
                _("“%(title)s” lacks %(missing)s") % {"title": p.title, "missing": missing}
                for p, missing in report.short[:20]
            )
            messages.warning(
                request,
                _(
                    "%(count)s proposals could not get enough reviewers (conflicts or limits): %(listing)s"
                )
                % {"count": len(report.short), "listing": listing},
            )
    return redirect(reverse("events:review_manage", args=[slug]) + "#assignments")


def _assignment_row(
    request: HttpRequest, event: Event, proposal: Proposal, error: str = ""
) -> HttpResponse:
    members = list(queries.committee(event))
    proposal = queries.proposals_under_review(event).get(pk=proposal.pk)
    _proposal_rows(event, members, [proposal])
    return render(
        request,
        "events/review/manage.html#proposal-row",
        {"event": event, "proposal": proposal, "members": members, "row_error": error},
    )


@login_required
@require_POST
def assignment_add(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    event = _staff_event(request, slug)
    proposal = get_object_or_404(Proposal, event=event, code=code)
    form = AssignmentAddForm(request.POST, event=event)
    error = ""
    if form.is_valid():
        try:
            services.add_assignment(proposal=proposal, member=form.cleaned_data["reviewer"])
        except DomainError as exc:
            error = exc.message
    else:
        error = _("Choose a reviewer.")
    if request.htmx:
        return _assignment_row(request, event, proposal, error)
    if error:
        messages.error(request, f"{proposal.title}: {error}")
    else:
        messages.success(request, _("Reviewer added to “%(title)s”.") % {"title": proposal.title})
    return redirect(reverse("events:review_manage", args=[slug]) + f"#proposal-{proposal.code}")


@login_required
@require_POST
def assignment_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _staff_event(request, slug)
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related("proposal"), proposal__event=event, pk=pk
    )
    proposal = assignment.proposal
    error = ""
    try:
        services.remove_assignment(assignment=assignment)
    except DomainError as exc:
        error = exc.message
    if request.htmx:
        return _assignment_row(request, event, proposal, error)
    if error:
        messages.error(request, f"{proposal.title}: {error}")
    else:
        messages.success(
            request, _("Reviewer removed from “%(title)s”.") % {"title": proposal.title}
        )
    return redirect(reverse("events:review_manage", args=[slug]) + f"#proposal-{proposal.code}")


# --- Staff: scores and decisions ------------------------------------------------------------------


def _sort_links(filters: dict) -> dict[str, dict]:
    """For each sortable column: the URL that sorts by it (toggling) and its aria-sort."""
    links = {}
    base = {k: (v.pk if hasattr(v, "pk") else v) for k, v in filters.items() if k != "sort" and v}
    current = filters["sort"]
    for column, first in (
        ("title", "title"),
        ("reviews", "-reviews"),
        ("score", "-score"),
        ("spread", "-spread"),
    ):
        if current.lstrip("-") == column:
            target = column if current.startswith("-") else f"-{column}"
            state = "descending" if current.startswith("-") else "ascending"
        else:
            target, state = first, ""
        links[column] = {"url": "?" + urlencode({**base, "sort": target}), "aria": state}
    return links


def _table_context(request: HttpRequest, event: Event, data) -> dict:
    filter_form = DecisionFilterForm(data, tracks=event.tracks.all(), formats=event.formats.all())
    filters = filter_form.filters()
    rows = list(queries.decision_table(event, **filters))
    for row in rows:
        row.disagree = row.spread is not None and row.spread >= queries.DISAGREEMENT_SPREAD
    return {
        "event": event,
        "filter_form": filter_form,
        "filters": filters,
        "rows": rows,
        "sort_links": _sort_links(filters),
        "decision_choices": DECISION_CHOICES,
        "threshold": queries.DISAGREEMENT_SPREAD,
        "query": urlencode({k: (v.pk if hasattr(v, "pk") else v) for k, v in filters.items() if v}),
    }


def _mail_status(event: Event) -> dict:
    counts = DecisionNotice.objects.filter(proposal__event=event).aggregate(
        pending=Count("pk", filter=Q(sent_at__isnull=True)),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
    )
    return {"event": event, **counts}


def _template_forms(
    event: Event, bound: dict | None = None
) -> list[tuple[str, str, DecisionTemplateForm, bool]]:
    own = {t.decision: t for t in DecisionTemplate.objects.filter(event=event)}
    forms = []
    for decision, label in DECISION_CHOICES:
        if bound and decision in bound:
            forms.append((decision, label, bound[decision], decision not in own))
            continue
        template = own.get(decision)
        if template is not None:
            subject, body = template.subject, template.body
        else:
            subject, body = (str(t) for t in mails.DEFAULT_TEMPLATES[decision])
        form = DecisionTemplateForm(initial={"subject": subject, "body": body}, prefix=decision)
        forms.append((decision, label, form, template is None))
    return forms


def _render_decisions(request: HttpRequest, event: Event, *, bound_templates=None) -> HttpResponse:
    context = _table_context(request, event, request.GET or None)
    context |= _mail_status(event)
    context["template_forms"] = _template_forms(event, bound_templates)
    return render_page(request, "events/review/decisions.html", context, partial="table")


@login_required
def decisions(request: HttpRequest, slug: str) -> HttpResponse:
    event = _staff_event(request, slug)
    return _render_decisions(request, event)


def _back_to_decisions(request: HttpRequest, slug: str) -> HttpResponse:
    query = request.POST.get("query", "")
    url = reverse("events:review_decisions", args=[slug])
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_POST
def decide(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """One proposal's decision; htmx swaps its row, without htmx the table reloads."""
    event = _staff_event(request, slug)
    proposal = get_object_or_404(Proposal, event=event, code=code)
    form = DecisionForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.decide_proposals(
                event=event, proposals=[proposal], decision=form.cleaned_data["decision"]
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = _("Choose accept, reject or waiting list.")
    if request.htmx:
        row = (
            queries.with_review_figures(Proposal.objects.filter(pk=proposal.pk))
            .select_related("track", "format")
            .get()
        )
        row.disagree = row.spread is not None and row.spread >= queries.DISAGREEMENT_SPREAD
        return render(
            request,
            "events/review/decisions.html#row",
            {
                "event": event,
                "row": row,
                "row_error": error,
                "just_decided": not error,
                "decision_choices": DECISION_CHOICES,
                "query": request.POST.get("query", ""),
            },
        )
    if error:
        messages.error(request, f"{proposal.title}: {error}")
    else:
        proposal.refresh_from_db()
        messages.success(
            request,
            _("“%(title)s”: %(state)s.")
            % {"title": proposal.title, "state": proposal.get_state_display()},
        )
    return _back_to_decisions(request, slug)


@login_required
@require_POST
def decide_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    """The same decision for every ticked proposal, all or none."""
    event = _staff_event(request, slug)
    form = BulkDecisionForm(request.POST, event=event)
    error = ""
    if form.is_valid():
        try:
            changed = services.decide_proposals(
                event=event,
                proposals=form.cleaned_data["proposals"],
                decision=form.cleaned_data["decision"],
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    outcome = error or _("%(count)s proposals changed.") % {"count": changed}
    if request.htmx:
        # The table comes back whole, as filtered before, with the outcome above it.
        context = _table_context(request, event, QueryDict(request.POST.get("query", "")) or None)
        context |= {"bulk_outcome": outcome, "bulk_failed": bool(error)}
        return render(request, "events/review/decisions.html#table", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, outcome)
    return _back_to_decisions(request, slug)


@login_required
@require_POST
def template_save(request: HttpRequest, slug: str, decision: str) -> HttpResponse:
    event = _staff_event(request, slug)
    if decision not in services.DECISIONS:
        raise Http404
    form = DecisionTemplateForm(request.POST, prefix=decision)
    if not form.is_valid():
        return _render_decisions(request, event, bound_templates={decision: form})
    services.save_decision_template(event=event, decision=decision, **form.cleaned_data)
    messages.success(request, _("The mail's wording is saved."))
    return redirect(reverse("events:review_decisions", args=[slug]) + "#mails")


@login_required
@require_POST
def send_mails(request: HttpRequest, slug: str) -> HttpResponse:
    event = _staff_event(request, slug)
    pending = services.queue_decision_mails(event=event, actor=request.user)
    if pending:
        messages.success(
            request, _("%(count)s decision mails are being sent.") % {"count": pending}
        )
    else:
        messages.info(request, _("Every presenter already heard of the current decision."))
    return redirect(reverse("events:review_decisions", args=[slug]) + "#mails")


@login_required
def mail_status(request: HttpRequest, slug: str) -> HttpResponse:
    event = _staff_event(request, slug)
    return render(request, "events/review/decisions.html#mail-status", _mail_status(event))
