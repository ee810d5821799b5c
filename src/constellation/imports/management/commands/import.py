"""constellation import organisations FILE --map name=Name --set country=FR --key ID [--dry-run]
constellation import survey_answers FILE --set survey=NETA:2024 [--set currency=EUR]

Imports synchronously, with no worker. Exit code 0 when every row was imported, 1 when
some rows were not (the good ones are written), 2 when the input is unusable.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from constellation.imports.models import ImportKind
from constellation.imports.readers import FileError, open_table
from constellation.imports.services import (
    ImportSpec,
    ImportSpecError,
    import_table,
    suggest_mapping,
)

UNUSABLE = 2
SOME_ROWS_FAILED = 1


def _pairs(items: list[str], option: str) -> dict[str, str]:
    pairs = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise CommandError(f"{option} expects FIELD=VALUE, got {item!r}", returncode=UNUSABLE)
        pairs[name.strip()] = value.strip()
    return pairs


class Command(BaseCommand):
    help = "Import organisations, people or a year of survey answers from a CSV or XLSX file."
    # The system checks add a noticeable pause to every run and check nothing an import uses.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file", help="A .csv or .xlsx file; the first row names the columns.")
        parser.add_argument(
            "--map", action="append", dest="mappings", default=[], metavar="FIELD=COLUMN",
            help="Read FIELD from COLUMN. Without any --map, columns named like a field are used.",
        )
        parser.add_argument(
            "--set", action="append", dest="fixed", default=[], metavar="FIELD=VALUE",
            help="Use VALUE for FIELD in every row whose cell is empty or unmapped.",
        )
        parser.add_argument("--key", default="", metavar="COLUMN", help="A column of unique ids: importing again updates.")
        parser.add_argument("--encoding", default="utf-8", help="The CSV file's encoding (default utf-8).")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and report, but write nothing.")

    def handle(self, *args, kind, file, mappings, fixed, key, encoding, dry_run, **options):
        mapping, fixed_values = _pairs(mappings, "--map"), _pairs(fixed, "--set")
        try:
            if not mapping:
                with open_table(file, encoding=encoding) as table:
                    mapping = suggest_mapping(kind, table.headers)
                self.stdout.write("Columns used: " + ", ".join(f"{f}={c}" for f, c in mapping.items()))
            spec = ImportSpec(kind=kind, mapping=mapping, fixed_values=fixed_values, key_column=key)
            result = import_table(file, spec=spec, encoding=encoding, dry_run=dry_run)
        except FileError as exc:
            raise CommandError(exc.message, returncode=UNUSABLE) from exc
        except ImportSpecError as exc:
            raise CommandError("\n".join(exc.problems), returncode=UNUSABLE) from exc
        for error in result.errors:
            self.stdout.write(f"row {error['row']}: {error['message']}")
        if dry_run:
            summary = (
                f"Dry run, nothing written: {result.created} would be created, {result.updated} updated, "
                f"{result.failed} failed, of {result.processed} rows."
            )
        else:
            summary = f"{result.created} created, {result.updated} updated, {result.failed} failed, of {result.processed} rows."
        self.stdout.write(summary)
        if result.failed:
            raise CommandError(f"Rows not imported: {result.failed} (see above).", returncode=SOME_ROWS_FAILED)
