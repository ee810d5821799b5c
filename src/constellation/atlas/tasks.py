"""Background work for the atlas: the form queues an analysis, a worker solves it."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_tasks import task

from constellation.atlas import services


@task()
def run_analysis_task(analysis_id: int, language: str = "") -> None:
    """Solve a queued analysis. Does nothing if it is gone or already taken (safe to run twice).

    Messages stored on the row (why it failed) are in the requester's language.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        services.run_analysis(analysis_id)
