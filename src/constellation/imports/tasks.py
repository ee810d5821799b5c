"""Background work for imports: the web flow queues a job, a worker runs it."""

from __future__ import annotations

from django_tasks import task

from constellation.imports import services


@task()
def run_import_task(job_id: int) -> None:
    """Run an import job. Does nothing if the job is gone or already running or done."""
    services.run_import(job_id)
