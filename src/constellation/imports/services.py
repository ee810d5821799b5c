"""Importing organisations and people: from the command line, and as jobs from the web.

The `import` command calls `import_table`, which runs at once. The web flow stores the
upload as an `ImportJob` (`create_import_job`), saves the mapping (`set_mapping`), shows
the first rows (`preview`) and queues the job (`start_import`); a task worker runs it
(`run_import`), saving the counts after each batch so the page can show progress. Both
paths use the same engine, `importer.RowImporter`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import islice
from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from constellation.imports.importer import (
    ImportResult,
    ImportSpec,
    ImportSpecError,
    RowError,
    RowImporter,
    check_spec,
    suggest_mapping,
)
from constellation.imports.models import ImportJob, ImportKind, ImportStatus
from constellation.imports.readers import FileError, open_table
from constellation.imports.rows import translated

__all__ = [
    "FileError", "ImportResult", "ImportSpec", "ImportSpecError", "check_spec", "create_import_job",
    "import_table", "job_spec", "preview", "run_import", "set_mapping", "start_import", "suggest_mapping",
]

logger = logging.getLogger(__name__)

# The job page lists this many row errors; the command line prints them all.
ERRORS_SHOWN = 500


def import_table(
    source: str | IO[bytes], *, spec: ImportSpec, name: str = "", encoding: str = "utf-8", actor=None,
    dry_run: bool = False,
) -> ImportResult:
    """Import a file synchronously (the `import` command). FileError if it cannot be read;
    ImportSpecError if the mapping does not fit the file. A dry run writes nothing."""
    with open_table(source, name=name, encoding=encoding) as table:
        importer = RowImporter(spec, actor=actor, dry_run=dry_run)
        problems = check_spec(spec, table.headers, lookups=importer.lookups)
        if problems:
            raise ImportSpecError(problems)
        return importer.run(table.rows())


# The web flow: one ImportJob per uploaded file.


@transaction.atomic
def create_import_job(*, kind: str, file, encoding: str = "utf-8", dry_run: bool = False, created_by=None) -> ImportJob:
    """Store an uploaded file as a new job, after reading its header and counting its rows.

    Raises FileError (nothing stored) when the file cannot be read. The mapping starts from
    the columns whose names match a field.
    """
    with open_table(file, name=file.name, encoding=encoding) as table:
        headers = table.headers
        total = table.count()
    file.seek(0)
    job = ImportJob(
        kind=kind, original_name=file.name[:255], encoding=encoding, columns=headers, total=total,
        dry_run=dry_run, created_by=created_by, mapping=suggest_mapping(kind, headers),
        language=get_language() or "",
    )
    job.file.save(file.name, file, save=False)
    job.save()
    return job


def job_spec(job: ImportJob) -> ImportSpec:
    return ImportSpec(kind=job.kind, mapping=job.mapping, fixed_values=job.fixed_values, key_column=job.key_column)


@transaction.atomic
def set_mapping(*, job: ImportJob, spec: ImportSpec) -> bool:
    """Save which column feeds which field. Only while the job has not started: False after."""
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(
        mapping=spec.mapping, fixed_values=spec.fixed_values, key_column=spec.key_column
    )
    job.refresh_from_db()
    return bool(updated)


@dataclass
class PreviewRow:
    number: int
    cells: list[tuple[str, str]]  # (label, value) for each imported field
    error: str = ""
    action: str = ""  # "create" or "update"
    coordinates: str = ""


@dataclass
class Preview:
    labels: list[str]
    rows: list[PreviewRow]
    shows_coordinates: bool


def preview(job: ImportJob, limit: int = 10) -> Preview:
    """The first rows as they would be imported, with their problems. Writes nothing."""
    spec = job_spec(job)
    importer = RowImporter(spec, actor=job.created_by, dry_run=True)
    labels = [label for name, label, _required in importer.form_class.targets() if name in spec.present]
    with job.file.open("rb") as source, open_table(source, name=job.original_name, encoding=job.encoding) as table:
        checked = [importer.check(row) for row in islice(table.rows(), limit)]
    loaded = importer.load(importer.keys[c.key] for c in checked if not c.error and c.key in importer.keys)
    rows = []
    for item in checked:
        cells = item.form.display(spec.present) if item.form else [(label, "") for label in labels]
        try:
            if item.error:
                raise RowError(item.error)
            existing = importer.existing(item.key, loaded)
        except RowError as exc:
            rows.append(PreviewRow(item.row.number, cells, error=exc.message))
            continue
        action = "create" if importer.would_create(existing, item.key, item.form) else "update"
        rows.append(PreviewRow(item.row.number, cells, action=action, coordinates=item.form.coordinates_preview()))
    return Preview(labels, rows, shows_coordinates=job.kind == ImportKind.ORGANISATIONS)


def start_import(*, job: ImportJob) -> bool:
    """Queue the job for the task worker. Starting it twice does nothing: False the second time.

    The conditional update is the guard, so two clicks (or two browsers) start it once.
    """
    from constellation.imports.tasks import run_import_task

    with transaction.atomic():
        started = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(status=ImportStatus.QUEUED)
        if started:
            job_id = job.pk
            transaction.on_commit(lambda: run_import_task.enqueue(job_id))
    job.refresh_from_db()
    return bool(started)


def run_import(job_id: int) -> ImportJob | None:
    """Run a queued job: import its rows, saving progress after each batch.

    Safe to run twice: only a queued job is claimed. A file or mapping that has become
    unusable, or an unexpected error, marks the job failed with a message; rows already
    committed by then stay (each was valid on its own).
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if not claimed or job is None:
        return job

    def save_progress(progress: ImportResult) -> None:
        ImportJob.objects.filter(pk=job_id).update(
            processed=progress.processed, created_count=progress.created,
            updated_count=progress.updated, failed_count=progress.failed,
        )

    importer = None
    with translated(job.language):
        try:
            importer = RowImporter(job_spec(job), actor=job.created_by, dry_run=job.dry_run)
            with job.file.open("rb") as source, open_table(source, name=job.original_name, encoding=job.encoding) as table:
                problems = check_spec(importer.spec, table.headers, lookups=importer.lookups)
                if problems:
                    raise ImportSpecError(problems)
                result = importer.run(table.rows(), on_progress=save_progress)
        except (FileError, ImportSpecError) as exc:
            message = exc.message if isinstance(exc, FileError) else " ".join(exc.problems)
            return _finish(job, ImportResult(), ImportStatus.FAILED, message)
        except Exception:
            logger.exception("Import job %s stopped", job_id)
            result = importer.result if importer else ImportResult()
            message = _("The import stopped unexpectedly after %(count)s rows; the rows before were imported.") % {
                "count": result.processed
            }
            return _finish(job, result, ImportStatus.FAILED, message)
    return _finish(job, result, ImportStatus.DONE, "")


def _finish(job: ImportJob, result: ImportResult, status: str, message: str) -> ImportJob:
    job.status = status
    job.message = message
    job.processed = result.processed
    job.created_count = result.created
    job.updated_count = result.updated
    job.failed_count = result.failed
    job.errors = result.errors
    if status == ImportStatus.DONE:
        job.total = result.processed
    job.finished_at = timezone.now()
    job.save()
    return job
