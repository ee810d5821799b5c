"""Report pages: request a network's annual report, watch it being built, read or download it.

Only the network's staff and superusers see its reports; anyone else gets a 404. The files
are served by these views after the same check, never from a public media URL.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from constellation.core.htmx import htmx_redirect, render_page
from constellation.insights import reports
from constellation.insights.models import Report, ReportStatus

REPORTS_LISTED = 50
YEARS_OFFERED = 10


class ReportRequestForm(forms.Form):
    network = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Network"))
    year = forms.TypedChoiceField(coerce=int, label=gettext_lazy("Year the figures describe"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = reports.networks_for_reports(user)
        last = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(last, last - YEARS_OFFERED, -1)]
        self.fields["year"].initial = last - 1


def _require_report_access(request) -> None:
    if not reports.networks_for_reports(request.user).exists():
        raise Http404


def _get_report(request, pk: int) -> Report:
    return get_object_or_404(reports.reports_visible_to(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    _require_report_access(request)
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        report, queued = reports.request_report(
            network=form.cleaned_data["network"], year=form.cleaned_data["year"], requested_by=request.user,
        )
        if queued:
            messages.success(request, _("The report is being made."))
        else:
            messages.info(request, _("This report was already being made; no second one was started."))
        return redirect(report)
    past = reports.reports_visible_to(request.user)[:REPORTS_LISTED]
    return render(request, "insights/report_list.html", {"form": form, "reports": past})


@login_required
def report_detail(request, pk: int):
    report = _get_report(request, pk)
    finished = report.status in (ReportStatus.DONE, ReportStatus.FAILED)
    if request.htmx and finished:
        # The poll saw the end: load the whole page with the links to the files.
        return htmx_redirect(request, report.get_absolute_url())
    percent = round(report.progress * 100 / report.total) if report.total else 0
    context = {"report": report, "finished": finished, "percent": percent}
    return render_page(request, "insights/report_detail.html", context, partial="progress")


def _file_response(report: Report, which: str, content_type: str, *, attachment: bool) -> FileResponse:
    file = getattr(report, which)
    if report.status != ReportStatus.DONE or not file:
        raise Http404
    filename = f"{report.network.slug}-{report.year}.{which}"
    response = FileResponse(file.open("rb"), content_type=content_type, as_attachment=attachment, filename=filename)
    # The document is ours, but it is still data: nothing in it runs scripts or is framed.
    # Its SVG charts carry their own <style> (pygal), hence inline styles but still no script.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def report_html(request, pk: int):
    return _file_response(_get_report(request, pk), "html", "text/html; charset=utf-8", attachment=False)


@login_required
def report_pdf(request, pk: int):
    return _file_response(_get_report(request, pk), "pdf", "application/pdf", attachment=True)


urlpatterns = [
    path("reports/", report_list, name="report-list"),
    path("reports/<int:pk>/", report_detail, name="report-detail"),
    path("reports/<int:pk>/report.html", report_html, name="report-html"),
    path("reports/<int:pk>/report.pdf", report_pdf, name="report-pdf"),
]
