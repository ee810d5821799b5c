"""The import engine: check rows with their row form, then write them through the networks services.

A bad row is reported with its number and reason and writes nothing; good rows are kept.
Rows go in batches of `BATCH_SIZE`: first every row of the batch is checked (no writes),
the objects its keys point at are loaded in a few queries, then the batch is written in
one transaction with a savepoint per row. Links of new organisations (kinds, topics,
memberships) and new keys are written once per batch, which keeps a 10,000-row file well
under a minute on SQLite.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import DataError, IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.text import slugify
from django.utils.translation import gettext as _

from constellation.imports.models import ImportKey, ImportKind
from constellation.imports.readers import Row
from constellation.imports.rows import (
    ROW_FORMS,
    Lookups,
    RowForm,
    description_fields,
    fixed_value_errors,
    match_key,
)
from constellation.networks import services as networks
from constellation.networks.models import (
    OPEN_STATUSES,
    CoordinatesSource,
    Membership,
    MembershipStatus,
    Organisation,
    Person,
)

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
    fixed_values: dict[str, str] = field(default_factory=dict)  # field -> value when the cell is empty
    key_column: str = ""

    @property
    def present(self) -> set[str]:
        return set(self.mapping) | set(self.fixed_values)


class ImportSpecError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ImportResult:
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
    for column in spec.mapping.values():
        if column not in headers:
            problems.append(_("The file has no column “%(column)s”.") % {"column": column})
    if spec.key_column and not ROW_FORMS[spec.kind].accepts_key:
        problems.append(_("These rows are matched without a key column; leave it out."))
    elif spec.key_column and spec.key_column not in headers:
        problems.append(_("The file has no column “%(column)s” to use as the key.") % {"column": spec.key_column})
    for name, (label, required) in targets.items():
        if required and name not in spec.present:
            problems.append(_("Choose the column for “%(field)s”: it is required.") % {"field": label})
    for name, needed in NEEDS.items():
        if name in spec.present and needed in targets and needed not in spec.present:
            problems.append(_("“%(field)s” needs “%(other)s” too.") % {"field": targets[name][0], "other": targets[needed][0]})
    if not problems and spec.fixed_values:
        problems += fixed_value_errors(spec.kind, spec.fixed_values, lookups=lookups or Lookups())
    return problems


def suggest_mapping(kind: str, headers: list[str]) -> dict[str, str]:
    """Columns whose header is a field's name or label, ignoring case, spaces and accents."""
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(match_key(header), header)
    mapping = {}
    for name, label, _required in ROW_FORMS[kind].targets():
        column = by_key.get(match_key(name)) or by_key.get(match_key(label))
        if column:
            mapping[name] = column
    return mapping


class SlugPool:
    """Slugs for new organisations without a query each: every taken slug, loaded once."""

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


@dataclass
class Checked:
    row: Row
    form: RowForm | None = None
    key: str = ""
    error: str = ""


class RowImporter:
    """Checks and writes the rows of one table according to an `ImportSpec`.

    `actor` is recorded in the history and limits what may be touched (see `Lookups`).
    A dry run checks everything, counts what would be created or updated, writes nothing.
    """

    def __init__(self, spec: ImportSpec, *, actor=None, dry_run: bool = False):
        if spec.kind not in ROW_FORMS:
            raise ImportSpecError(check_spec(spec, []))
        self.spec = spec
        self.actor = actor
        self.dry_run = dry_run
        self.form_class: type[RowForm] = ROW_FORMS[spec.kind]
        self.lookups = Lookups(actor=actor)
        self.present = spec.present
        self.result = ImportResult()
        self.keys: dict[str, int] = {}
        if spec.key_column:
            self.keys = dict(
                ImportKey.objects.filter(kind=spec.kind, key_column=spec.key_column).values_list("key_value", "object_id")
            )
        self.keys_seen: set[str] = set()  # a dry run counts a key's second row as an update
        self._slugs: SlugPool | None = None
        self._new_links: list[tuple[Organisation, dict]] = []
        self._new_keys: list[ImportKey] = []

    # Checking: no writes

    def row_data(self, row: Row) -> dict[str, str]:
        """The raw text for each field: the mapped cell, else the value given for every row."""
        data = dict(self.spec.fixed_values)
        for name, column in self.spec.mapping.items():
            value = row.values.get(column, "")
            if value or name not in data:
                data[name] = value
        return data

    def check(self, row: Row) -> Checked:
        if row.error:
            return Checked(row, error=row.error)
        key = ""
        if self.spec.key_column:
            key = row.values.get(self.spec.key_column, "").strip()[:255]
            if not key:
                return Checked(row, error=_("The key column “%(column)s” is empty.") % {"column": self.spec.key_column})
        form = self.form_class(self.row_data(row), lookups=self.lookups)
        if not form.is_valid():
            return Checked(row, form, key, form.error_message())
        return Checked(row, form, key)

    def load(self, object_ids: Iterable[int]) -> dict[int, Organisation | Person]:
        """The objects earlier imports made, with what the update compares against."""
        object_ids = set(object_ids)
        if not object_ids:
            return {}
        if self.spec.kind == ImportKind.ORGANISATIONS:
            open_memberships = Prefetch(
                "memberships", queryset=Membership.objects.filter(status__in=OPEN_STATUSES), to_attr="open_memberships"
            )
            return Organisation.objects.prefetch_related("kinds", "topics", open_memberships).in_bulk(object_ids)
        return Person.objects.filter(is_erased=False).in_bulk(object_ids)

    def existing(self, key: str, loaded: dict):
        """The object this key produced before (None if new or since deleted); RowError if off-limits."""
        object_id = self.keys.get(key) if key else None
        if object_id is None:
            return None
        if object_id not in loaded:
            # Made by an earlier row of this same batch: write its links first, then load it.
            if not self.dry_run:
                self.flush()
            loaded.update(self.load([object_id]))
        obj = loaded.get(object_id)
        if obj is None:
            return None
        if isinstance(obj, Organisation) and not self.lookups.may_change_organisation(obj.pk):
            raise RowError(_("This row updates %(name)s, which is not in a network you run.") % {"name": obj})
        if isinstance(obj, Person) and obj.user_id is not None:
            raise RowError(
                _("%(name)s has an account and keeps their own profile up to date, so it is not changed.") % {"name": obj}
            )
        return obj

    def would_create(self, existing, key: str, form: RowForm | None = None) -> bool:
        """For a dry run or a preview: would this row create an object?"""
        is_new = form.is_new() if form is not None else None
        if is_new is not None:
            return is_new
        if existing is not None or (key and key in self.keys_seen):
            return False
        if key:
            self.keys_seen.add(key)
        return True

    # Writing

    def run(self, rows: Iterable[Row], *, on_progress: Callable[[ImportResult], None] | None = None) -> ImportResult:
        """Import every row; `on_progress` is called after each committed batch.

        `self.result` holds the committed counts, also after a batch failed with an exception.
        """
        for batch in _batches(rows, BATCH_SIZE):
            checked = [self.check(row) for row in batch]
            loaded = self.load(self.keys[c.key] for c in checked if not c.error and c.key in self.keys)
            batch_result = ImportResult()
            if self.dry_run:
                for item in checked:
                    self.import_row(item, loaded, batch_result)
            else:
                with transaction.atomic():
                    for item in checked:
                        self.import_row(item, loaded, batch_result)
                    self.flush()
            # Counted only once the batch is committed, so the counts never claim too much.
            self.result.add(batch_result)
            if on_progress is not None:
                on_progress(self.result)
        return self.result

    def import_row(self, item: Checked, loaded: dict, result: ImportResult) -> None:
        result.processed += 1
        try:
            if item.error:
                raise RowError(item.error)
            existing = self.existing(item.key, loaded)
            if self.dry_run:
                created = self.would_create(existing, item.key, item.form)
            else:
                created = self.write(item.form.cleaned_data, existing, item.key)
        except RowError as exc:
            result.failed += 1
            result.errors.append({"row": item.row.number, "message": exc.message})
            return
        if created:
            result.created += 1
        else:
            result.updated += 1

    def write(self, data: dict, existing, key: str) -> bool:
        """Write one row in its own savepoint; True if it created an object."""
        links_before = len(self._new_links)
        try:
            with transaction.atomic():
                if self.spec.kind == ImportKind.ORGANISATIONS:
                    obj = self.write_organisation(data, existing)
                elif self.spec.kind == ImportKind.PEOPLE:
                    obj = self.write_person(data, existing)
                else:
                    return self.form_class.write_row(data, actor=self.actor)
        except networks.DomainError as exc:
            del self._new_links[links_before:]
            raise RowError(exc.message) from exc
        except (IntegrityError, DataError) as exc:
            del self._new_links[links_before:]
            raise RowError(_("This row could not be saved (%(reason)s).") % {"reason": exc}) from exc
        if key and existing is None:
            self._remember_key(key, obj.pk)
        return existing is None

    def _remember_key(self, key: str, object_id: int) -> None:
        if key in self.keys:
            # Its object was deleted since the last import: point the key at the new one.
            ImportKey.objects.filter(kind=self.spec.kind, key_column=self.spec.key_column, key_value=key).update(
                object_id=object_id
            )
        else:
            self._new_keys.append(
                ImportKey(kind=self.spec.kind, key_column=self.spec.key_column, key_value=key, object_id=object_id)
            )
        self.keys[key] = object_id

    def flush(self) -> None:
        """Write what the batch's rows left for the end: new organisations' history and links, new keys."""
        if self._new_links:
            networks.finish_new_organisations(links=self._new_links, actor=self.actor)
        ImportKey.objects.bulk_create(self._new_keys)
        self._new_links, self._new_keys = [], []

    def write_organisation(self, data: dict, organisation: Organisation | None) -> Organisation:
        values = {name: data[name] for name in ORGANISATION_SCALARS & self.present}
        if self.present & description_fields().keys():
            values["descriptions"] = self._descriptions(data, organisation)
        values.update(self._coordinates(data, organisation))
        memberships = []
        if "networks" in self.present:
            category = data["membership_category"]
            memberships = [(n, category if category and category.network_id == n.pk else None) for n in data["networks"]]
        if organisation is None:
            return self._create_organisation(data, values, memberships)
        for name in ("kinds", "topics"):
            if name in self.present and set(data[name]) != {item.pk for item in getattr(organisation, name).all()}:
                values[name] = data[name]
        changes = self._changes(organisation, values)
        if changes:
            organisation = networks.save_organisation(organisation=organisation, data=changes, actor=self.actor)
        for network, category in memberships:
            self._ensure_membership(organisation, network, category)
        return organisation

    def _create_organisation(self, data: dict, values: dict, memberships: list) -> Organisation:
        if self._slugs is None:
            self._slugs = SlugPool()
        organisation = Organisation(slug=self._slugs.allocate(data["name"]))
        # The batch records the creation of all its organisations at once (finish_new_organisations).
        organisation.skip_history_when_saving = True
        organisation = networks.save_organisation(organisation=organisation, data=values, actor=self.actor)
        del organisation.skip_history_when_saving
        self.lookups.remember_organisation(organisation.pk)
        links = {name: data[name] for name in ("kinds", "topics") if name in self.present and data[name]}
        if memberships:
            links["memberships"] = memberships
        self._new_links.append((organisation, links))
        return organisation

    def _descriptions(self, data: dict, organisation: Organisation | None) -> dict[str, str]:
        descriptions = dict(organisation.descriptions if organisation else {})
        for name, code in description_fields().items():
            if name in self.present:
                descriptions[code] = data[name]
                if not data[name]:
                    del descriptions[code]
        return descriptions

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
            # Cleared coordinates make save_organisation geocode the new city.
            return {"latitude": None, "longitude": None}
        return {}

    @staticmethod
    def _changes(organisation: Organisation, values: dict) -> dict:
        """Only what differs: an unchanged row writes nothing and adds no history entry."""
        changes = {}
        for name, value in values.items():
            if name in ("kinds", "topics", "coordinates_source"):
                changes[name] = value
            elif name == "country":
                if value != str(organisation.country):
                    changes[name] = value
            elif value != getattr(organisation, name):
                changes[name] = value
        if "latitude" not in changes and "longitude" not in changes:
            changes.pop("coordinates_source", None)
        return changes

    def _ensure_membership(self, organisation: Organisation, network, category) -> None:
        """An active membership; an open one stays as staff left it (they may have suspended it)."""
        current = next((m for m in organisation.open_memberships if m.network_id == network.pk), None)
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
        if person is None or any(getattr(person, name) != value for name, value in values.items()):
            person = networks.save_person(person=person, data=values, actor=self.actor)
        organisation_id = data.get("organisation") if "organisation" in self.present else None
        if organisation_id:
            organisation = Organisation.objects.get(pk=organisation_id)
            networks.add_affiliation(
                person=person, organisation=organisation, role=data.get("role") or "", actor=self.actor
            )
        return person


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch
