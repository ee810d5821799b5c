"""Import jobs: one uploaded CSV or XLSX file, how its columns map to fields, and the result."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    ORGANISATIONS = "organisations", _("Organisations")
    PEOPLE = "people", _("People")
    SURVEY_ANSWERS = "survey_answers", _("Survey answers (one row per organisation)")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


FINISHED_STATUSES = (ImportStatus.DONE, ImportStatus.FAILED)


def upload_path(instance: ImportJob, filename: str) -> str:
    # A random name: the user's file name is kept in `original_name`, never used as a path.
    return f"imports/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportJobQuerySet:
        """Superusers see every job; network staff see the jobs they started."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(created_by=user)


class ImportJob(models.Model):
    kind = models.CharField(_("what to import"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to=upload_path)
    original_name = models.CharField(_("file name"), max_length=255)
    encoding = models.CharField(_("encoding"), max_length=40, default="utf-8")
    columns = models.JSONField(_("columns"), default=list, blank=True)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    fixed_values = models.JSONField(_("fixed values"), default=dict, blank=True)
    key_column = models.CharField(_("key column"), max_length=255, blank=True)
    dry_run = models.BooleanField(
        _("check only"), default=False, help_text=_("Check every row and report problems, but write nothing.")
    )
    language = models.CharField(_("language of messages"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True, help_text=_("Why the whole import failed."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="import_jobs", verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:job-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def is_pending(self) -> bool:
        return self.status == ImportStatus.PENDING

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return min(100, self.processed * 100 // self.total) if self.total else 0


class ImportKey(models.Model):
    """Which object a key value produced, so importing the same file again updates it."""

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    key_column = models.CharField(max_length=255)
    key_value = models.CharField(max_length=255)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("import key")
        verbose_name_plural = _("import keys")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key_column", "key_value"], name="unique_import_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key_column}={self.key_value} → {self.object_id}"
