"""Pages for the people of an organisation: register, change, withdraw and report activities."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from constellation.globalday import rules as globalday_rules
from constellation.globalday import services
from constellation.globalday.forms import ActivityForm, OrganisationChoiceForm, ReportForm
from constellation.globalday.models import Activity
from constellation.globalday.views.access import activity_for, campaign_for
from constellation.networks.models import Organisation
from constellation.networks.services import DomainError


@login_required
def register_start(request: HttpRequest, year: int) -> HttpResponse:
    """Choose the organisation to register for (straight to the form when there is one)."""
    campaign = campaign_for(request, year)
    organisations = globalday_rules.organisations_for(request.user).order_by("name")
    if request.user.is_superuser and request.GET.get("organisation"):
        organisations = Organisation.objects.filter(slug=request.GET["organisation"])
    listed = list(organisations[:2])
    if len(listed) == 1:
        return redirect("globalday:register", year=campaign.year, slug=listed[0].slug)
    form = OrganisationChoiceForm(request.GET or None, organisations=organisations)
    if form.is_bound and form.is_valid():
        return redirect("globalday:register", year=campaign.year, slug=form.cleaned_data["organisation"].slug)
    return render(
        request, "globalday/register_start.html",
        {"campaign": campaign, "form": form, "has_organisations": bool(listed),
         "can_moderate": request.user.has_perm("globalday.moderate_campaign", campaign)},
    )


@login_required
def register(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    campaign = campaign_for(request, year)
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("globalday.register_activity", organisation):
        raise Http404
    form = ActivityForm(request.POST or None, campaign=campaign, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.submit_activity(
                campaign=campaign, organisation=organisation, data=form.service_data(), actor=request.user
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Registered “%(title)s”. Network staff will review it before it is public.")
                % {"title": activity.title},
            )
            return redirect("globalday:my-activities", year=campaign.year)
    return render(
        request, "globalday/activity_form.html",
        {"campaign": campaign, "organisation": organisation, "form": form, "activity": None,
         "registration_open": campaign.registration_is_open()},
    )


@login_required
def activity_edit(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    activity = activity_for(request, year, pk, perm="globalday.change_activity")
    campaign = activity.campaign
    form = ActivityForm(request.POST or None, campaign=campaign, organisation=activity.organisation, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(activity=activity, data=form.service_data(), actor=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved “%(title)s”. It waits for moderation again.") % {"title": form.cleaned_data["title"]})
            return redirect("globalday:my-activities", year=campaign.year)
    return render(
        request, "globalday/activity_form.html",
        {"campaign": campaign, "organisation": activity.organisation, "form": form, "activity": activity,
         "registration_open": campaign.registration_is_open()},
    )


@login_required
@require_POST
def activity_withdraw(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    activity = activity_for(request, year, pk, perm="globalday.change_activity")
    try:
        changed = services.withdraw_activity(activity=activity, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if changed:
            messages.success(request, _("Withdrew “%(title)s”.") % {"title": activity.title})
        else:
            messages.info(request, _("“%(title)s” was already withdrawn.") % {"title": activity.title})
    return redirect("globalday:my-activities", year=year)


@login_required
def activity_report(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    activity = activity_for(request, year, pk, perm="globalday.change_activity")
    initial = {"actual_participants": activity.actual_participants, "comment": activity.report_comment}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_participation(
                activity=activity, actual_participants=form.cleaned_data["actual_participants"],
                comment=form.cleaned_data["comment"], actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you: participation in “%(title)s” is recorded.") % {"title": activity.title})
            return redirect("globalday:my-activities", year=year)
    return render(request, "globalday/activity_report.html", {"activity": activity, "campaign": activity.campaign, "form": form})


@login_required
def my_activities(request: HttpRequest, year: int) -> HttpResponse:
    campaign = campaign_for(request, year)
    organisations = globalday_rules.organisations_for(request.user)
    activities = list(
        Activity.objects.filter(campaign=campaign, organisation__in=organisations)
        .select_related("organisation", "campaign")
        .prefetch_related("sdgs")
        .order_by("organisation__name", "starts_at", "pk")
    )
    return render(
        request, "globalday/my_activities.html",
        {
            "campaign": campaign,
            "activities": activities,
            "registration_open": campaign.registration_is_open(),
            "has_organisations": organisations.exists(),
            "can_moderate": request.user.has_perm("globalday.moderate_campaign", campaign),
        },
    )
