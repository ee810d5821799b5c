"""The background-task path with real workers: the database queue and, with Redis, RQ.

A job is queued through the same service the import page uses; a worker process started
as an operator would start it picks it up and runs it against the test database.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from constellation.imports import services as imports
from constellation.imports.models import ImportJob, ImportStatus
from constellation.networks.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)

CSV = b"Name,City,Country\nTask Centre One,Lyon,FR\nTask Centre Two,Lima,PE\n"


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def queue_import() -> ImportJob:
    job = imports.create_import_job(kind="organisations", file=SimpleUploadedFile("t.csv", CSV, "text/csv"))
    imports.set_mapping(
        job=job, spec=imports.ImportSpec(kind="organisations", mapping={"name": "Name", "city": "City", "country": "Country"})
    )
    assert imports.start_import(job=job)
    return job


def run_worker(args: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": database_url(), **env}
    return subprocess.run(
        [sys.executable, "-m", "constellation.cli", *args], capture_output=True, text=True, env=environment, timeout=180
    )


def test_database_queue_worker_runs_an_import(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    job = queue_import()

    result = run_worker(["db_worker", "--batch", "--no-startup-delay"], MEDIA_ROOT=str(settings.MEDIA_ROOT))

    assert result.returncode == 0, result.stderr
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert sorted(Organisation.objects.values_list("name", flat=True)) == ["Task Centre One", "Task Centre Two"]


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="set TEST_REDIS_URL to run RQ against a real Redis")
def test_rq_worker_runs_an_import(settings):
    redis_url = os.environ["TEST_REDIS_URL"]
    settings.REDIS_URL = redis_url
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    import django_rq

    django_rq.get_queue("default").empty()
    job = queue_import()

    result = run_worker(
        ["rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job"],
        REDIS_URL=redis_url, MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )

    assert result.returncode == 0, result.stderr
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, (job.status, job.message, result.stderr[-2000:])
    assert Organisation.objects.count() == 2
