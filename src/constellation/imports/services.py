"""Importing organisations and people from a table of rows.

The web flow (upload, map, preview, start, a task does the work) and the `import`
command share `RowImporter`, which checks each row with a row form and writes it through
the networks services. A bad row is reported with its number and reason and writes
nothing; good rows are kept. Rows are written in batches of `BATCH_SIZE`, one transaction
per batch and a savepoint per row, and the job's progress is saved after each batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import IO

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from constellation.imports.models import ImportJob, ImportKey, ImportKind, ImportStatus
from constellation.imports.readers import FileError, Row, open_table
from constellation.imports.rows import ROW_FORMS, Lookups, RowForm, description_fields, fixed_value_errors, translated
from constellation.networks import services as networks
from constellation.networks.models import (
    OPEN_STATUSES,
    CoordinatesSource,
    Membership,
    MembershipStatus,
    Organisation,
    Person,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
ORGANISATION_SCALARS = {
    "name", "native_name", "address", "city", "region", "country", "website", "year_founded",
    "visitors_band", "languages",
}
PERSON_SCALARS = {"name", "email", "title", "bio", "expertise", "languages"}
# A field that only means something together with another one.
NEEDS = {"membership_category": "networks", "role": "organisation"}


@dataclass
class ImportSpec:
    """What to import from a table: which column feeds which field."""

    kind: str
    mapping: dict[str, str] = field(default_factory=dict)  # field -> column
    fixed_values: dict[str, str] = field(default_factory=dict)  # field -> value for every row
    key_column: str = ""

    @property
    def present(self) -> set[str]:
        return set(self.mapping) | set(self.fixed_values)


@dataclass
class ImportResult:
    total: int = 0
    processed: int = 0
    created: int = 0
    updated: int = 0
    failed: int = 0
    errors: list[dict] = field(default_factory=list)  # [{"row": 7, "message": "..."}]

    def add(self, other: ImportResult) -> None:
        self.processed += other.processed
        self.created += other.created
        self.updated += other.updated
        self.failed += other.failed
        self.errors.extend(other.errors)


def check_spec(spec: ImportSpec, headers: list[str], *, lookups: Lookups | None = None) -> list[str]:
    """Everything wrong with a mapping for a file with these columns; empty when it is usable."""
    if spec.kind not in ROW_FORMS:
        return [_("“%(kind)s” cannot be imported; choose organisations or people.") % {"kind": spec.kind}]
    targets = {name: (label, required) for name, label, required in ROW_FORMS[spec.kind].targets()}
    problems = []
    for name in [*spec.mapping, *spec.fixed_values]:
        if name not in targets:
            problems.append(
                _("“%(field)s” is not a field of %(kind)s; the fields are: %(fields)s.")
                % {"field": name, "kind": spec.kind, "fields": ", ".join(targets)}
            )
    for name, column in spec.mapping.items():
        if column not in headers:
            problems.append(_("The file has no column “%(column)s”.") % {"column": column})
    if spec.key_column and spec.key_column not in headers:
        problems.append(_("The file has no column “%(column)s” to use as the key.") % {"column": spec.key_column})
    for name, (label, required) in targets.items():
        if required and name not in spec.present:
            problems.append(_("Choose the column for “%(field)s”: it is required.") % {"field": label})
    for name, needed in NEEDS.items():
        if name in spec.present and needed in targets and needed not in spec.present:
            problems.append(
                _("“%(field)s” needs “%(other)s” too.") % {"field": targets[name][0], "other": targets[needed][0]}
            )
    if not problems and spec.fixed_values:
        problems += fixed_value_errors(spec.kind, spec.fixed_values, lookups=lookups or Lookups())
    return problems


def suggest_mapping(kind: str, headers: list[str]) -> dict[str, str]:
    """Columns whose header is a field's name or label, ignoring case, spaces and accents."""
    from constellation.imports.rows import match_key

    by_key = {}
    for header in headers:
        by_key.setdefault(match_key(header), header)
    mapping = {}
    for name, label, _required in ROW_FORMS[kind].targets():
        column = by_key.get(match_key(name)) or by_key.get(match_key(label))
        if column:
            mapping[name] = column
    return mapping


class SlugPool:
    """Slugs for new organisations without a query each: all taken slugs, loaded once."""

    def __init__(self):
        self.taken = set(Organisation.objects.values_list("slug", flat=True))
        self.next_number: dict[str, int] = {}

    def allocate(self, name: str) -> str:
        base = slugify(name)[:200].strip("-") or "organisation"
        slug, n = base, self.next_number.get(base, 2)
        while slug in self.taken:
            slug = f"{base}-{n}"
            n += 1
        self.next_number[base] = n
        self.taken.add(slug)
        return slug


class RowError(Exception):
    """A row that cannot be imported; `form` is its checked form, when it got that far."""

    def __init__(self, message: str, form: RowForm | None = None):
        super().__init__(message)
        self.message = message
        self.form = form


class RowImporter:
    """Checks and writes rows of one table according to an `ImportSpec`."""

    def __init__(self, spec: ImportSpec, *, actor=None, dry_run: bool = False):
        self.spec = spec
        self.actor = actor
        self.dry_run = dry_run
        self.form_class: type[RowForm] = ROW_FORMS[spec.kind]
        self.lookups = Lookups(actor=actor)
        self.present = spec.present
        self.keys: dict[str, int] = {}
        if spec.key_column:
            self.keys = dict(
                ImportKey.objects.filter(kind=spec.kind, key_column=spec.key_column).values_list("key_value", "object_id")
            )
        self.keys_seen: set[str] = set()  # a dry run counts a repeated key as an update
        self._slugs: SlugPool | None = None

    # Checking

    def row_data(self, row: Row) -> dict[str, str]:
        """The raw text for each field: the mapped cell, else the value given for every row."""
        data = dict(self.spec.fixed_values)
        for name, column in self.spec.mapping.items():
            value = row.values.get(column, "")
            if value or name not in data:
                data[name] = value
        return data

    def check(self, row: Row) -> tuple[RowForm, str]:
        """The row's form, and its key value; RowError says what is wrong with the row."""
        if row.error:
            raise RowError(row.error)
        key = ""
        if self.spec.key_column:
            key = row.values.get(self.spec.key_column, "").strip()[:255]
            if not key:
                raise RowError(_("The key column “%(column)s” is empty.") % {"column": self.spec.key_column})
        form = self.form_class(self.row_data(row), lookups=self.lookups)
        if not form.is_valid():
            raise RowError(form.error_message(), form)
        return form, key

    def existing(self, key: str):
        """The object this key produced in an earlier import (None if new or since deleted)."""
        object_id = self.keys.get(key) if key else None
        if object_id is None:
            return None
        if self.spec.kind == ImportKind.ORGANISATIONS:
            organisation = Organisation.objects.filter(pk=object_id).first()
            if organisation is not None and not self.lookups.may_change_organisation(organisation.pk):
                raise RowError(_("This row updates %(name)s, which is not in a network you run.") % {"name": organisation})
            return organisation
        person = Person.objects.filter(pk=object_id, is_erased=False).first()
        if person is not None and person.user_id is not None:
            raise RowError(
                _("%(name)s has an account and keeps their own profile up to date, so it is not changed.") % {"name": person}
            )
        return person

    def would_create(self, existing, key: str) -> bool:
        """For a dry run: would this row create an object (a key seen before updates)?"""
        if existing is not None or (key and key in self.keys_seen):
            return False
        if key:
            self.keys_seen.add(key)
        return True

    # Writing

    def import_row(self, row: Row, result: ImportResult) -> None:
        try:
            form, key = self.check(row)
            existing = self.existing(key)
            if self.dry_run:
                created = self.would_create(existing, key)
            else:
                created = self.write(form.cleaned_data, existing, key)
        except RowError as exc:
            result.failed += 1
            result.errors.append({"row": row.number, "message": exc.message})
        else:
            if created:
                result.created += 1
            else:
                result.updated += 1
        result.processed += 1

    def write(self, data: dict, existing, key: str) -> bool:
        """Write one row in its own savepoint; True if it created an object."""
        try:
            with transaction.atomic():
                if self.spec.kind == ImportKind.ORGANISATIONS:
                    obj = self.write_organisation(data, existing)
                else:
                    obj = self.write_person(data, existing)
                if key and existing is None:
                    if key in self.keys:
                        ImportKey.objects.filter(kind=self.spec.kind, key_column=self.spec.key_column, key_value=key).update(
                            object_id=obj.pk
                        )
                    else:
                        ImportKey.objects.create(
                            kind=self.spec.kind, key_column=self.spec.key_column, key_value=key, object_id=obj.pk
                        )
        except networks.DomainError as exc:
            raise RowError(exc.message) from exc
        except (IntegrityError, DataError) as exc:
            raise RowError(_("This row could not be saved (%(reason)s).") % {"reason": exc}) from exc
        if key:
            self.keys[key] = obj.pk
        return existing is None

    def write_organisation(self, data: dict, organisation: Organisation | None) -> Organisation:
        present = self.present
        values = {name: data[name] for name in ORGANISATION_SCALARS & present}
        if present & description_fields().keys():
            descriptions = dict(organisation.descriptions if organisation else {})
            for name, code in description_fields().items():
                if name in present:
                    descriptions[code] = data[name]
                    if not data[name]:
                        del descriptions[code]
            values["descriptions"] = descriptions
        values.update(self._coordinates(data, organisation))
        for name in ("kinds", "topics"):
            # A new organisation has none yet: skip the query that would set an empty list.
            if name in present and (organisation is not None or data[name]):
                values[name] = data[name]
        created = organisation is None
        if created:
            if self._slugs is None:
                self._slugs = SlugPool()
            organisation = Organisation(slug=self._slugs.allocate(data["name"]))
        organisation = networks.save_organisation(organisation=organisation, data=values, actor=self.actor)
        if created:
            self.lookups.remember_organisation(organisation.pk)
        if "networks" in present:
            for network in data["networks"]:
                category = data["membership_category"]
                if category is not None and category.network_id != network.pk:
                    category = None
                self._ensure_membership(organisation, network, category, created)
        return organisation

    def _coordinates(self, data: dict, organisation: Organisation | None) -> dict:
        """Supplied coordinates win over geocoding, but never over what staff set by hand."""
        source = organisation.coordinates_source if organisation else CoordinatesSource.NONE
        if data.get("latitude") is not None and source != CoordinatesSource.MANUAL:
            return {
                "latitude": data["latitude"], "longitude": data["longitude"],
                "coordinates_source": CoordinatesSource.SUPPLIED,
            }
        moved = organisation is not None and any(
            name in self.present and data[name] != str(getattr(organisation, name)) for name in ("city", "country")
        )
        if moved and source == CoordinatesSource.GEOCODED:
            # Clearing them makes save_organisation geocode the new city.
            return {"latitude": None, "longitude": None}
        return {}

    def _ensure_membership(self, organisation, network, category, created: bool) -> None:
        """An active membership; an open one is kept as it is (staff may have suspended it)."""
        current = None
        if not created:
            current = Membership.objects.filter(
                organisation=organisation, network=network, status__in=OPEN_STATUSES
            ).first()
        if current is None or current.status == MembershipStatus.APPLIED:
            status = MembershipStatus.ACTIVE
        elif category is not None and current.category_id != category.pk:
            status = current.status
        else:
            return
        networks.set_membership(
            organisation=organisation, network=network, status=status, category=category, actor=self.actor
        )

    def write_person(self, data: dict, person: Person | None) -> Person:
        values = {name: data[name] for name in PERSON_SCALARS & self.present}
        person = networks.save_person(person=person, data=values, actor=self.actor)
        organisation_id = data.get("organisation") if "organisation" in self.present else None
        if organisation_id:
            organisation = Organisation.objects.get(pk=organisation_id)
            networks.add_affiliation(
                person=person, organisation=organisation, role=data.get("role") or "", actor=self.actor
            )
        return person

    # Running

    def run(
        self, rows: Iterable[Row], *, on_progress: Callable[[ImportResult], None] | None = None
    ) -> ImportResult:
        """Import every row; `on_progress` is called after each committed batch.

        `self.result` holds the committed counts, also when a batch fails with an exception.
        """
        self.result = result = ImportResult()
        for batch in _batches(rows, BATCH_SIZE):
            batch_result = ImportResult()
            if self.dry_run:
                for row in batch:
                    self.import_row(row, batch_result)
            else:
                with transaction.atomic():
                    for row in batch:
                        self.import_row(row, batch_result)
            # Counted only once the batch is committed, so the counts never claim more.
            result.add(batch_result)
            if on_progress is not None:
                on_progress(result)
        return result


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def import_table(
    source: str | IO[bytes], *, spec: ImportSpec, name: str = "", encoding: str = "utf-8", actor=None,
    dry_run: bool = False,
) -> ImportResult:
    """Import a file synchronously (the `import` command). FileError if it cannot be read;
    ImportSpecError if the mapping does not fit the file. A dry run writes nothing."""
    with open_table(source, name=name, encoding=encoding) as table:
        lookups = Lookups(actor=actor)
        problems = check_spec(spec, table.headers, lookups=lookups)
        if problems:
            raise ImportSpecError(problems)
        return RowImporter(spec, actor=actor, dry_run=dry_run).run(table.rows())


class ImportSpecError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


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
    cells: list[tuple[str, str]]
    error: str = ""
    action: str = ""  # "create" or "update"
    coordinates: str = ""


def preview(job: ImportJob, limit: int = 10) -> list[PreviewRow]:
    """The first rows as they would be imported, with their problems. Writes nothing."""
    spec = job_spec(job)
    importer = RowImporter(spec, actor=job.created_by, dry_run=True)
    rows = []
    with job.file.open("rb") as source, open_table(source, name=job.original_name, encoding=job.encoding) as table:
        for row in islice(table.rows(), limit):
            try:
                form, key = importer.check(row)
                existing = importer.existing(key)
            except RowError as exc:
                cells = exc.form.display(spec.present) if exc.form else []
                rows.append(PreviewRow(row.number, cells, error=exc.message))
                continue
            action = "create" if importer.would_create(existing, key) else "update"
            rows.append(
                PreviewRow(row.number, form.display(spec.present), action=action, coordinates=form.coordinates_preview())
            )
    return rows


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

    importer = RowImporter(job_spec(job), actor=job.created_by, dry_run=job.dry_run)
    importer.result = ImportResult()
    with translated(job.language):
        try:
            with job.file.open("rb") as source, open_table(source, name=job.original_name, encoding=job.encoding) as table:
                problems = check_spec(importer.spec, table.headers, lookups=importer.lookups)
                if problems:
                    raise ImportSpecError(problems)
                importer.run(table.rows(), on_progress=save_progress)
        except FileError as exc:
            return _finish(job, importer.result, ImportStatus.FAILED, exc.message)
        except ImportSpecError as exc:
            return _finish(job, importer.result, ImportStatus.FAILED, " ".join(exc.problems))
        except Exception:
            logger.exception("Import job %s stopped", job_id)
            message = _("The import stopped unexpectedly after %(count)s rows; the rows before were imported.") % {
                "count": importer.result.processed
            }
            return _finish(job, importer.result, ImportStatus.FAILED, message)
    return _finish(job, importer.result, ImportStatus.DONE, "")


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
