"""Staff pages: the moderation queue and the report export (CSV and PDF)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from constellation.core.htmx import render_page
from constellation.core.spreadsheets import safe_cell
from constellation.globalday import queries, services
from constellation.globalday.forms import (
    BulkModerationForm,
    ModerationForm,
    ModerationQueueFilterForm,
)
from constellation.globalday.models import Activity, ActivityStatus
from constellation.globalday.views.access import activity_for, moderated_campaign
from constellation.networks.services import DomainError

QUEUE_PAGE_SIZE = 50


def _queue(campaign, status: str):
    qs = (
        Activity.objects.filter(campaign=campaign)
        .select_related("organisation", "campaign", "moderated_by")
        .prefetch_related("sdgs")
        # Waiting ones first, oldest first: the first come are the first answered.
        .annotate(waiting=Case(When(status=ActivityStatus.SUBMITTED, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("waiting", "created_at", "pk")
    )
    return qs.filter(status=status) if status else qs


@login_required
def moderation_queue(request: HttpRequest, year: int) -> HttpResponse:
    campaign = moderated_campaign(request, year)
    filter_form = ModerationQueueFilterForm(request.GET or None)
    status = filter_form.cleaned_data["status"] if filter_form.is_bound and filter_form.is_valid() else ""
    page = Paginator(_queue(campaign, status), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = Activity.objects.filter(campaign=campaign, status=ActivityStatus.SUBMITTED).count()
    return render_page(
        request, "globalday/moderation.html",
        {
            "campaign": campaign, "filter_form": filter_form, "page": page, "waiting": waiting,
            "query": urlencode({"status": status}) if status else "",
        },
        partial="queue",
    )


@login_required
@require_POST
def moderate(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """Approve or reject one activity; htmx swaps its row, without htmx the queue reloads."""
    activity = activity_for(request, year, pk, perm="globalday.moderate_activity")
    form = ModerationForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.moderate_activity(
                activity=activity, decision=form.cleaned_data["decision"], note=form.cleaned_data["note"],
                actor=request.user,
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = _("Approve or reject the activity.")
    if request.htmx:
        activity = _queue(activity.campaign, "").get(pk=activity.pk)
        return render(
            request, "globalday/moderation.html#row",
            {"activity": activity, "campaign": activity.campaign, "row_error": error, "note": request.POST.get("note", ""), "just_moderated": not error},
        )
    if error:
        messages.error(request, f"{activity.title}: {error}")
    else:
        messages.success(request, _("“%(title)s”: %(status)s.") % {"title": activity.title, "status": activity.get_status_display()})
    return redirect("globalday:moderation", year=year)


@login_required
@require_POST
def moderate_bulk(request: HttpRequest, year: int) -> HttpResponse:
    campaign = moderated_campaign(request, year)
    form = BulkModerationForm(request.POST, campaign=campaign)
    if form.is_valid():
        try:
            changed = services.moderate_activities(
                activities=form.cleaned_data["activities"], decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"], actor=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Moderated %(count)s activities.") % {"count": changed})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("globalday:moderation", year=year)


def _report_filename(campaign, extension: str) -> str:
    return f"science-day-{campaign.year}-report.{extension}"


@login_required
def report_csv(request: HttpRequest, year: int) -> HttpResponse:
    campaign = moderated_campaign(request, year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_report_filename(campaign, "csv")}"'
    writer = csv.writer(response)
    writer.writerow([
        _("Activity"), _("Organisation"), _("City"), _("Country"), _("Format"), _("Language"),
        _("Sustainable Development Goals"), _("Starts (local time)"), _("Time zone"),
        _("Expected participants"), _("Actual participants"), _("Comment"),
    ])
    expected = actual = 0
    for activity in queries.report_rows(campaign):
        expected += activity.expected_participants
        actual += activity.actual_participants or 0
        writer.writerow([
            safe_cell(activity.title), safe_cell(activity.organisation.name), safe_cell(activity.city),
            activity.country.code, activity.get_format_display(), activity.language,
            " ".join(str(t.position) for t in activity.sdgs.all()),
            activity.local_start.strftime("%Y-%m-%d %H:%M"), activity.time_zone,
            activity.expected_participants,
            "" if activity.actual_participants is None else activity.actual_participants,
            safe_cell(activity.report_comment),
        ])
    writer.writerow([_("Total"), "", "", "", "", "", "", "", "", expected, actual, ""])
    return response




@login_required
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    from constellation.insights.reports import pdf_from_html

    campaign = moderated_campaign(request, year)
    html = render_to_string(
        "globalday/report_pdf.html",
        {
            "campaign": campaign, "activities": list(queries.report_rows(campaign)),
            "stats": queries.campaign_statistics(campaign), "generated_at": timezone.now(),
        },
        request=request,
    )
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_report_filename(campaign, "pdf")}"'
    return response
