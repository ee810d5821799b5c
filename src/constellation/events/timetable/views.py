"""Timetable pages: the draft programme where attendees mark sessions, and for event staff
the grid editor, optimiser runs with their progress, and publication.

Staff pages answer 404 to anyone else (an event's draft is private). Every change goes
through a form and a service; htmx only swaps a region of the same page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from constellation.core.htmx import htmx_redirect, render_page
from constellation.events.models import Event, RunStatus
from constellation.events.timetable import queries, services
from constellation.events.timetable import rules as _rules  # noqa: F401  (registers the permissions)
from constellation.events.timetable.forms import EDIT_FORMS, InterestForm, OptimiseForm, PublishForm
from constellation.events.timetable.warnings import review as review_draft
from constellation.networks.services import DomainError

RUNS_LISTED = 10


def _event(request, slug: str, perm: str) -> Event:
    event = Event.objects.select_related("network").filter(slug=slug).first()
    if event is None or not request.user.has_perm(perm, event):
        raise Http404
    return event


def _managed_event(request, slug: str) -> Event:
    return _event(request, slug, "events.timetable_manage")


# -- Draft programme (attendees) --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def draft_programme(request, slug: str):
    event = _event(request, slug, "events.timetable_mark_interests")
    search = request.GET.get("q", "").strip()[:100]
    if request.method == "POST":
        form = InterestForm(request.POST)
        session = None
        if form.is_valid():
            session = event.proposals.scheduled().filter(code=form.cleaned_data["session"]).first()
        if session is None:
            messages.error(request, _("That session is not in the draft programme."))
            return htmx_redirect(request, reverse("events:draft_programme", args=[slug]))
        marked = services.set_interest(
            user=request.user, proposal=session, wanted=form.cleaned_data["wanted"]
        )
        if request.htmx:
            context = {
                "event": event,
                "session": session,
                "marked": {session.pk} if marked else set(),
                "q": search,
            }
            return render(request, "events/timetable/draft_programme.html#interest", context)
        if marked:
            messages.success(request, _("“%(title)s” is marked.") % {"title": session.title})
        else:
            messages.success(
                request, _("“%(title)s” is no longer marked.") % {"title": session.title}
            )
        url = reverse("events:draft_programme", args=[slug])
        query = request.POST.get("q", "").strip()
        return redirect(
            f"{url}?{urlencode({'q': query})}#s-{session.code}"
            if query
            else f"{url}#s-{session.code}"
        )
    groups, marked, count = queries.draft_programme(event, user=request.user, search=search)
    context = {"event": event, "groups": groups, "marked": marked, "count": count, "q": search}
    return render_page(request, "events/timetable/draft_programme.html", context, partial="results")


# -- Grid editor (staff) ----------------------------------------------------------------------


def _perform(event: Event, action: str, data: dict) -> services.ChangeOutcome:
    state = data["state"]
    if action == "move":
        return services.move_session(
            event=event,
            proposal=data["proposal"],
            slot=data["slot"],
            room=data["room"],
            state=state,
        )
    if action == "swap":
        return services.swap_sessions(
            event=event, first=data["first"], second=data["second"], state=state
        )
    return services.unplace_session(event=event, proposal=data["proposal"], state=state)


@login_required
@require_http_methods(["GET", "POST"])
def timetable(request, slug: str):
    event = _managed_event(request, slug)
    outcome = bound = None
    if request.method == "POST":
        form_class = EDIT_FORMS.get(request.POST.get("action", ""))
        if form_class is None:
            raise Http404
        bound = form_class(request.POST, draft=queries.load_draft(event))
        if bound.is_valid():
            try:
                outcome = _perform(event, form_class.ACTION, bound.cleaned_data)
            except DomainError as error:
                bound.add_error(None, error.message)
            else:
                bound = None
                if not request.htmx:
                    messages.success(request, outcome.summary)
                    return redirect("events:timetable", slug=slug)
    draft = queries.load_draft(event)
    try:
        checked = review_draft(draft)
        problem_error = ""
    except DomainError as error:
        checked, problem_error = None, error.message
    for placement in draft.placements.values():
        placement.warnings = checked.by_code.get(placement.proposal.code, []) if checked else []
    edit_forms = {
        name: form_class(draft=draft, initial={"session": request.GET.get("session", "")})
        for name, form_class in EDIT_FORMS.items()
    }
    if bound is not None:
        edit_forms[bound.ACTION] = bound
    context = {
        "event": event,
        "draft": draft,
        "days": queries.grid(draft),
        "review": checked,
        "problem_error": problem_error,
        "forms": edit_forms,
        "outcome": outcome,
        "last_run": event.schedule_runs.first(),
    }
    return render_page(request, "events/timetable/grid.html", context, partial="editor")


# -- Optimiser --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def optimise(request, slug: str):
    event = _managed_event(request, slug)
    form = OptimiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run, queued = services.start_schedule_run(
            event=event,
            user=request.user,
            seconds=form.cleaned_data["seconds"],
            keep_current=form.cleaned_data["keep_current"],
        )
        if queued:
            messages.success(request, _("The optimiser is starting."))
        else:
            messages.info(
                request,
                _("The optimiser is already running for this event; no second run was started."),
            )
        return redirect("events:schedule_run", slug=slug, pk=run.pk)
    runs = event.schedule_runs.select_related("created_by")[:RUNS_LISTED]
    return render(
        request, "events/timetable/optimise.html", {"event": event, "form": form, "runs": runs}
    )


@login_required
def schedule_run(request, slug: str, pk: int):
    event = _managed_event(request, slug)
    run = get_object_or_404(event.schedule_runs, pk=pk)
    finished = run.status in (RunStatus.DONE, RunStatus.FAILED)
    url = reverse("events:schedule_run", args=[slug, pk])
    if request.htmx and finished:
        return htmx_redirect(request, url)  # the poll saw the end: load the figures
    figures = run.figures or {}
    rows = []
    if run.status == RunStatus.DONE and figures.get("after"):
        before, after = figures.get("before") or {}, figures["after"]
        for key, name in (
            ("A", _("A: wanted sessions attendees can attend")),
            ("U", _("U: the most they could want to attend")),
            ("O", _("O: people more than the room's seats")),
            ("Q", _("Q = (A − O) / U")),
        ):
            rows.append(
                {"name": name, "before": before.get(key), "after": after.get(key), "key": key}
            )
    context = {
        "event": event,
        "run": run,
        "finished": finished,
        "url": url,
        "percent": round(run.progress * 100),
        "rows": rows,
        "figures": figures,
    }
    return render_page(request, "events/timetable/run.html", context, partial="progress")


# -- Publication ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def timetable_publish(request, slug: str):
    event = _managed_event(request, slug)
    draft = queries.load_draft(event)
    form = PublishForm(request.POST or None, initial={"state": draft.state})
    if request.method == "POST" and form.is_valid():
        try:
            version, changes = services.publish(
                event=event, label=form.cleaned_data["label"], state=form.cleaned_data["state"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if changes:
                messages.success(
                    request,
                    _(
                        "The timetable is published. %(count)d sessions changed; their presenters are being told."
                    )
                    % {"count": changes},
                )
            else:
                messages.success(request, _("The timetable is published."))
            return redirect("events:timetable", slug=slug)
    published, lines = services.changes_since_publication(event, draft)
    context = {
        "event": event,
        "form": form,
        "published": published,
        "lines": lines,
        "placed": len(draft.placements),
        "unplaced": len(draft.unplaced),
    }
    return render(request, "events/timetable/publish.html", context)
