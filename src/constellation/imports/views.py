"""Import pages: upload, map the columns, preview, start, watch the progress.

Only network staff and superusers may import; anyone else gets a 404. Staff see their own
jobs, superusers everyone's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from constellation.core.htmx import htmx_redirect, render_page
from constellation.imports import services
from constellation.imports.forms import MappingForm, UploadForm
from constellation.imports.models import ImportJob

JOBS_PER_PAGE = 25


def _require_importer(request) -> None:
    if not request.user.has_perm("networks.import_data"):
        raise Http404


def _get_job(request, pk: int) -> ImportJob:
    _require_importer(request)
    return get_object_or_404(ImportJob.objects.visible_to(request.user).select_related("created_by"), pk=pk)


@login_required
def job_list(request):
    _require_importer(request)
    # The row errors can be long; the list does not show them.
    jobs = ImportJob.objects.visible_to(request.user).select_related("created_by").defer("errors")
    page = Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "imports/job_list.html", {"page": page, "jobs": page.object_list})


@login_required
@require_http_methods(["GET", "POST"])
def job_new(request):
    _require_importer(request)
    if request.method == "POST":
        # Django streams a large upload to a temporary file before the form sees its size;
        # the web server's own body limit (see the README) keeps huge ones out.
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = services.create_import_job(
                    kind=form.cleaned_data["kind"], file=form.cleaned_data["file"],
                    encoding=form.cleaned_data["encoding"], dry_run=form.cleaned_data["dry_run"],
                    created_by=request.user,
                )
            except services.FileError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("imports:job-map", pk=job.pk)
    else:
        form = UploadForm()
    return render(request, "imports/job_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def job_map(request, pk: int):
    job = _get_job(request, pk)
    if not job.is_pending:
        messages.info(request, _("This import has already started, so its columns can no longer change."))
        return redirect(job)
    form = MappingForm(request.POST if request.method == "POST" else None, job=job, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.set_mapping(job=job, spec=form.spec())
        return redirect("imports:job-preview", pk=job.pk)
    return render(request, "imports/job_map.html", {"job": job, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def job_preview(request, pk: int):
    job = _get_job(request, pk)
    if request.method == "POST":
        if services.start_import(job=job):
            messages.success(request, _("The import has started."))
        else:
            messages.info(request, _("This import had already been started; it was not started again."))
        return redirect(job)
    if not job.is_pending:
        return redirect(job)
    if services.check_spec(services.job_spec(job), job.columns):
        messages.info(request, _("Choose which column holds each field first."))
        return redirect("imports:job-map", pk=job.pk)
    try:
        preview = services.preview(job)
    except services.FileError as exc:
        messages.error(request, exc.message)
        return redirect("imports:job-list")
    return render(request, "imports/job_preview.html", {"job": job, "preview": preview})


@login_required
def job_detail(request, pk: int):
    job = _get_job(request, pk)
    if request.htmx and job.is_finished:
        # The poll saw the end: load the whole page, with the summary and the row errors.
        return htmx_redirect(request, job.get_absolute_url())
    context = {
        "job": job,
        "errors": job.errors[: services.ERRORS_SHOWN],
        "errors_hidden": max(0, len(job.errors) - services.ERRORS_SHOWN),
    }
    return render_page(request, "imports/job_detail.html", context, partial="progress")
