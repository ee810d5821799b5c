"""Pages of the call for proposals: the call and my proposals, the proposal form, submitting
and withdrawing, co-presenter invitations, confirming an accepted session, and the staff
settings of the call.

Each view finds the event or proposal and checks access (helpers below; strangers get 404),
validates with a form, calls a service and redirects. The services re-check the deadline and
the state under a lock, so a page opened before the deadline and sent after it is refused
with the same clear message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from constellation.events.cfp import rules as cfp_rules  # noqa: F401  (registers the permissions)
from constellation.events.cfp import services
from constellation.events.cfp.forms import CallSettingsForm, InviteForm, ProposalForm
from constellation.events.models import Event, Presenter, PresenterRole, Proposal, ProposalState
from constellation.events.queries import get_visible_event
from constellation.networks.models import Topic
from constellation.networks.services import DomainError

TEMPLATES = "events/cfp/"


def _event(request, slug: str) -> Event:
    return get_visible_event(request.user, slug, "cfp")


def _proposal(
    request: HttpRequest, slug: str, code: str, perm: str = "events.cfp_view_proposal"
) -> Proposal:
    """The proposal if the user presents it (and holds `perm`); everybody else gets a 404."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("event__network", "event__cfp", "format", "track"),
        code=code,
        event__slug=slug,
    )
    if not request.user.has_perm(perm, proposal):
        raise Http404
    return proposal


def _presenters():
    return Prefetch(
        "presenters", queryset=Presenter.objects.select_related("person", "organisation")
    )


def _edit_url(proposal: Proposal) -> str:
    return reverse("events:proposal_edit", args=[proposal.event.slug, proposal.code])


def _form_choices(event: Event):
    formats = event.formats.filter(accepts_proposals=True).order_by("position", "name")
    tracks = list(event.tracks.order_by("position", "name"))
    topics = list(Topic.objects.order_by("-is_sdg", "position", "slug"))
    return formats, tracks, topics


def _proposal_form(data, event: Event, call, proposal: Proposal | None = None) -> ProposalForm:
    formats, tracks, topics = _form_choices(event)
    topic_ids = list(proposal.topic_links.values_list("topic_id", flat=True)) if proposal else None
    return ProposalForm(
        data,
        call=call,
        formats=formats,
        tracks=tracks,
        topics=Topic.objects.filter(pk__in=[t.pk for t in topics]).order_by(
            "-is_sdg", "position", "slug"
        ),
        proposal=proposal,
        topic_ids=topic_ids,
    )


def call_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The call: introduction, deadline, formats and tracks; my proposals and invitations."""
    event = _event(request, slug)
    call = services.call_for(event)
    state = services.call_state(call)
    mine, invitations = [], []
    if request.user.is_authenticated:
        mine = list(
            Proposal.objects.filter(event=event, presenters__person__user=request.user)
            .select_related("format", "track")
            .prefetch_related(_presenters())
            .order_by("-created_at", "pk")
            .distinct()
        )
        invitations = list(
            Presenter.objects.filter(
                proposal__event=event,
                email__iexact=request.user.email,
                confirmed_at__isnull=True,
                invitation_token__isnull=False,
            )
            .exclude(proposal__state__in=[ProposalState.WITHDRAWN, ProposalState.REJECTED])
            .select_related("proposal")
        )
    return render(
        request,
        TEMPLATES + "call.html",
        {
            "event": event,
            "call": call,
            "state": state,
            "closed_message": services.closed_message(call) if state != "open" else "",
            "formats": list(
                event.formats.filter(accepts_proposals=True).order_by("position", "name")
            ),
            "tracks": list(event.tracks.order_by("position", "name")),
            "proposals": mine,
            "invitations": invitations,
            "can_manage": request.user.has_perm("events.cfp_manage_call", event),
        },
    )


@login_required
def proposal_new(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event(request, slug)
    call = services.call_for(event)
    state = services.call_state(call)
    form = _proposal_form(request.POST or None, event, call)
    if request.method == "POST":
        if state != "open":
            messages.error(request, services.closed_message(call))
            return redirect("events:cfp", slug=event.slug)
        if form.is_valid():
            try:
                proposal = services.create_draft(
                    event=event, user=request.user, data=form.service_data()
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Draft saved. Invite your co-presenters below, then submit before the deadline."
                    ),
                )
                return redirect(_edit_url(proposal))
    return render(
        request,
        TEMPLATES + "proposal_form.html",
        {
            "event": event,
            "call": call,
            "state": state,
            "form": form,
            "proposal": None,
            "formats": form.fields["format"].queryset,
            "editable": state == "open",
            "closed_message": services.closed_message(call) if state != "open" else "",
        },
    )


def _edit_context(request, proposal: Proposal, *, form=None, invite_form=None) -> dict:
    event = proposal.event
    call = services.call_for(event)
    state = services.call_state(call)
    editable = state == "open" and proposal.state in services.EDITABLE_STATES
    if form is None:
        form = _proposal_form(None, event, call, proposal)
    presenters = list(proposal.presenters.select_related("person", "organisation"))
    is_proposer = request.user.has_perm("events.cfp_manage_presenters", proposal)
    return {
        "event": event,
        "call": call,
        "state": state,
        "proposal": proposal,
        "form": form,
        "formats": form.fields["format"].queryset,
        "editable": editable,
        "closed_message": services.closed_message(call) if state != "open" else "",
        "presenters": presenters,
        "is_proposer": is_proposer,
        "invite_form": invite_form or InviteForm(),
        "problems": services.submission_problems(proposal, call)
        if proposal.state == ProposalState.DRAFT
        else [],
        "can_withdraw": is_proposer and proposal.state in services.WITHDRAWABLE_STATES,
        "now": timezone.now(),
        "expiry_days": services.INVITATION_DAYS,
    }


@login_required
def proposal_edit(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    proposal = _proposal(request, slug, code, "events.cfp_change_proposal")
    form = None
    if request.method == "POST":
        call = services.call_for(proposal.event)
        form = _proposal_form(request.POST, proposal.event, call, proposal)
        if form.is_valid():
            try:
                services.update_proposal(
                    proposal=proposal, user=request.user, data=form.service_data()
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Saved “%(title)s”.") % {"title": form.cleaned_data["title"]}
                )
                return redirect(_edit_url(proposal))
    return render(
        request, TEMPLATES + "proposal_form.html", _edit_context(request, proposal, form=form)
    )


@login_required
@require_POST
def proposal_submit(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    proposal = _proposal(request, slug, code, "events.cfp_submit_proposal")
    try:
        submitted = services.submit_proposal(proposal=proposal, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if submitted:
            messages.success(
                request,
                _(
                    "Submitted “%(title)s”. Every presenter gets a confirmation by email; you can still "
                    "change it until the deadline."
                )
                % {"title": proposal.title},
            )
        else:
            messages.info(
                request, _("“%(title)s” was already submitted.") % {"title": proposal.title}
            )
    return redirect(_edit_url(proposal))


def _confirm_page(
    request, proposal: Proposal, *, action: str, heading: str, text: str, button: str
) -> HttpResponse:
    return render(
        request,
        TEMPLATES + "confirm_action.html",
        {
            "event": proposal.event,
            "proposal": proposal,
            "action": action,
            "heading": heading,
            "text": text,
            "button": button,
        },
    )


@login_required
def proposal_withdraw(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    proposal = _proposal(request, slug, code, "events.cfp_withdraw_proposal")
    if request.method != "POST":
        return _confirm_page(
            request,
            proposal,
            action=reverse("events:proposal_withdraw", args=[slug, code]),
            heading=_("Withdraw “%(title)s”?") % {"title": proposal.title},
            text=_("The proposal leaves the call for good; every presenter is told by email."),
            button=_("Withdraw the proposal"),
        )
    try:
        withdrawn = services.withdraw_proposal(proposal=proposal, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_edit_url(proposal))
    if withdrawn:
        messages.success(request, _("Withdrew “%(title)s”.") % {"title": proposal.title})
    else:
        messages.info(request, _("“%(title)s” was already withdrawn.") % {"title": proposal.title})
    return redirect("events:cfp", slug=slug)


@login_required
def proposal_delete(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    if (
        request.method == "POST"
        and not Proposal.objects.filter(code=code, event__slug=slug).exists()
    ):
        # Deleted already (the form sent twice): say so rather than a 404.
        _event(request, slug)
        messages.info(request, _("That draft is already deleted."))
        return redirect("events:cfp", slug=slug)
    proposal = _proposal(request, slug, code, "events.cfp_submit_proposal")
    if request.method != "POST":
        return _confirm_page(
            request,
            proposal,
            action=reverse("events:cfp_proposal_delete", args=[slug, code]),
            heading=_("Delete the draft “%(title)s”?") % {"title": proposal.title},
            text=_(
                "The draft was never submitted; nobody else has seen it. This cannot be undone."
            ),
            button=_("Delete the draft"),
        )
    try:
        services.delete_draft(proposal=proposal, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_edit_url(proposal))
    messages.success(request, _("Deleted the draft “%(title)s”.") % {"title": proposal.title})
    return redirect("events:cfp", slug=slug)


# --- Co-presenters ---------------------------------------------------------------------------


def _presenters_answer(
    request, proposal: Proposal, notice: str, *, level: int = messages.SUCCESS, invite_form=None
) -> HttpResponse:
    """htmx: the presenters region alone, with the notice in it. Otherwise the notice as a
    message and back to the proposal page (or the whole page when the invite form has errors)."""
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        context = _edit_context(request, proposal, invite_form=invite_form)
        context.update(notice=notice, notice_error=level == messages.ERROR)
        return render(request, TEMPLATES + "proposal_form.html#presenters", context)
    if invite_form is not None and invite_form.errors:
        return render(
            request,
            TEMPLATES + "proposal_form.html",
            _edit_context(request, proposal, invite_form=invite_form),
        )
    if notice:
        messages.add_message(request, level, notice)
    return redirect(_edit_url(proposal) + "#presenters")


@login_required
@require_POST
def copresenter_invite(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    proposal = _proposal(request, slug, code, "events.cfp_manage_presenters")
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _presenters_answer(request, proposal, "", invite_form=form)
    try:
        presenter, created = services.invite_copresenter(
            proposal=proposal,
            user=request.user,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return _presenters_answer(request, proposal, "", invite_form=form)
    if created:
        notice = _("Invited %(name)s; they get an email with a link to accept.") % {
            "name": presenter.name
        }
        return _presenters_answer(request, proposal, notice)
    notice = _("%(email)s is already on this proposal.") % {"email": presenter.email}
    return _presenters_answer(request, proposal, notice, level=messages.INFO)


def _copresenter(request, slug: str, code: str, pk: int) -> Presenter:
    proposal = _proposal(request, slug, code, "events.cfp_manage_presenters")
    presenter = get_object_or_404(
        Presenter, pk=pk, proposal=proposal, role=PresenterRole.CO_PRESENTER
    )
    presenter.proposal = proposal
    return presenter


@login_required
@require_POST
def copresenter_remove(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, slug, code, "events.cfp_manage_presenters")
    if not proposal.presenters.filter(pk=pk).exists():
        # Removed already (the button pressed twice): say so rather than a 404 to the proposer.
        notice = _("That co-presenter is no longer on the proposal.")
        return _presenters_answer(request, proposal, notice, level=messages.INFO)
    presenter = _copresenter(request, slug, code, pk)
    try:
        services.remove_copresenter(presenter=presenter, user=request.user)
    except DomainError as error:
        return _presenters_answer(request, proposal, error.message, level=messages.ERROR)
    notice = _("Removed %(name)s from the proposal.") % {"name": presenter.name}
    return _presenters_answer(request, proposal, notice)


@login_required
@require_POST
def copresenter_resend(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    presenter = _copresenter(request, slug, code, pk)
    try:
        services.resend_invitation(presenter=presenter, user=request.user)
    except DomainError as error:
        return _presenters_answer(request, presenter.proposal, error.message, level=messages.ERROR)
    notice = _("Sent the invitation to %(email)s again.") % {"email": presenter.email}
    return _presenters_answer(request, presenter.proposal, notice)


@login_required
def copresenter_invitation(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The invitee's page: who invites them to what, and accept or decline.

    An unknown token (never sent, removed, declined) is a 404 with a plain explanation; a
    wrong account or an expired link is explained on the page and changes nothing.
    """
    presenter = (
        Presenter.objects.select_related("proposal__event", "proposal__format", "proposal__track")
        .filter(invitation_token=token, proposal__event__slug=slug)
        .first()
    )
    if presenter is None:
        return render(request, TEMPLATES + "invitation_missing.html", status=404)
    proposal = presenter.proposal
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "decline":
                services.decline_invitation(presenter=presenter, user=request.user)
                messages.success(
                    request,
                    _("You declined the invitation to “%(title)s”.") % {"title": proposal.title},
                )
                return redirect("events:cfp", slug=slug)
            accepted = services.accept_invitation(presenter=presenter, user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if accepted:
                messages.success(
                    request,
                    _("You are now a co-presenter of “%(title)s”.") % {"title": proposal.title},
                )
            else:
                messages.info(request, _("You had already accepted this invitation."))
            return redirect(_edit_url(proposal))
    proposer = proposal.presenters.filter(role=PresenterRole.PROPOSER).first()
    return render(
        request,
        TEMPLATES + "invitation.html",
        {
            "event": proposal.event,
            "proposal": proposal,
            "presenter": presenter,
            "proposer": proposer,
            "problem": services.invitation_problem(presenter, request.user),
        },
    )


# --- After the decision ------------------------------------------------------------------------


@login_required
def proposal_confirm(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Presenters of an accepted proposal confirm that they will present (or withdraw)."""
    proposal = _proposal(request, slug, code, "events.cfp_confirm_proposal")
    if request.method == "POST":
        try:
            confirmed = services.confirm_participation(proposal=proposal, user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if confirmed:
                messages.success(
                    request, _("Thank you: “%(title)s” is confirmed.") % {"title": proposal.title}
                )
            else:
                messages.info(
                    request, _("“%(title)s” was already confirmed.") % {"title": proposal.title}
                )
        return redirect("events:proposal_confirm", slug=slug, code=code)
    return render(
        request,
        TEMPLATES + "confirm.html",
        {
            "event": proposal.event,
            "proposal": proposal,
            "presenters": list(proposal.presenters.select_related("person")),
            "can_withdraw": request.user.has_perm("events.cfp_withdraw_proposal", proposal)
            and proposal.state in services.WITHDRAWABLE_STATES,
        },
    )


# --- Staff ---------------------------------------------------------------------------------------


@login_required
def cfp_settings(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("network", "cfp"), slug=slug)
    if not request.user.has_perm("events.cfp_manage_call", event):
        raise Http404
    call = services.call_for(event)
    # Dates typed in the form are the event's local times, and shown as such.
    with timezone.override(event.tz):
        form = CallSettingsForm(request.POST or None, call=call)
        if request.method == "POST" and form.is_valid():
            try:
                services.update_call(
                    event=event,
                    data=form.service_data(),
                    cfp_deadline=form.cleaned_data["cfp_deadline"],
                    actor=request.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Saved the call for proposals."))
                return redirect("events:cfp_settings", slug=slug)
        return render(
            request, TEMPLATES + "settings.html", {"event": event, "call": call, "form": form}
        )
