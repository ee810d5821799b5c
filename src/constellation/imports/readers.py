"""Read a CSV or XLSX file into a header and rows, with row numbers as a spreadsheet shows them.

The header is row 1 and the first data row is row 2. Entirely empty rows are skipped but
still counted, so a reported row number is the one the user sees in their spreadsheet.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
XLSX_SUFFIXES = {".xlsx"}
SUFFIXES = CSV_SUFFIXES | XLSX_SUFFIXES
DELIMITERS = (",", ";", "\t")


class FileError(Exception):
    """The file cannot be read at all; the message says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Row:
    number: int
    values: dict[str, str]
    error: str = ""


def check_encoding(encoding: str) -> str:
    """The codec's canonical name, or FileError for a name Python does not know."""
    try:
        return codecs.lookup(encoding).name
    except LookupError as exc:
        raise FileError(_("“%(encoding)s” is not an encoding we know, such as utf-8 or latin-1.") % {"encoding": encoding}) from exc


class Table:
    """A file's header and rows. Open with `open_table`; iterate `rows()` as often as needed."""

    headers: list[str]

    def rows(self) -> Iterator[Row]:
        raise NotImplementedError

    def count(self) -> int:
        return sum(1 for _ in self.rows())

    def close(self) -> None:
        pass

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def unique_headers(cells: list[str]) -> list[str]:
    """Strip the header cells, name empty ones after their position and number repeats."""
    headers: list[str] = []
    for position, cell in enumerate(cells, start=1):
        name = (cell or "").strip() or _("Column %(number)s") % {"number": position}
        candidate, n = name, 2
        while candidate in headers:
            candidate = f"{name} ({n})"
            n += 1
        headers.append(candidate)
    return headers


class CsvTable(Table):
    def __init__(self, data: bytes, encoding: str):
        codec = check_encoding(encoding)
        # utf-8-sig reads files with and without the byte-order mark Excel writes.
        codec = "utf-8-sig" if codec == "utf-8" else codec
        try:
            self.text = data.decode(codec)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise FileError(
                _(
                    "The file is not valid %(encoding)s (line %(line)s has a byte it cannot read). "
                    "Choose the encoding the file was saved in, such as latin-1 or windows-1252."
                ) % {"encoding": encoding, "line": line}
            ) from exc
        if "\x00" in self.text:
            raise FileError(
                _("The file contains NUL characters; it may be saved as UTF-16. Choose that encoding or save it as UTF-8.")
            )
        first_line = self.text.split("\n", 1)[0]
        self.delimiter = max(DELIMITERS, key=first_line.count)
        try:
            header = next(self._reader(), None)
        except csv.Error as exc:
            raise FileError(_("The first row is not valid CSV (%(reason)s). Check its quotes.") % {"reason": exc}) from exc
        if not header or not any(cell.strip() for cell in header):
            raise FileError(_("The file is empty: the first row must name the columns."))
        self.headers = unique_headers(header)

    def _reader(self):
        return csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter, strict=True)

    def rows(self) -> Iterator[Row]:
        reader = self._reader()
        width = len(self.headers)
        next(reader)  # the header, already read
        number = 1
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Row(number, {}, _("This row is not valid CSV (%(reason)s). Check its quotes.") % {"reason": exc})
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > width and any(cell.strip() for cell in cells[width:]):
                yield Row(
                    number, {},
                    _("This row has %(cells)s cells but the header has %(columns)s columns.")
                    % {"cells": len(cells), "columns": width},
                )
                continue
            yield Row(number, dict(zip(self.headers, (cell.strip() for cell in cells), strict=False)))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


class XlsxTable(Table):
    """The first sheet of a workbook, read in openpyxl's streaming mode."""

    def __init__(self, source: IO[bytes]):
        from openpyxl import load_workbook

        try:
            self.workbook = load_workbook(source, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - a damaged workbook fails in many ways inside openpyxl
            raise FileError(_("The file is not a readable XLSX workbook. Save it again as .xlsx or as CSV.")) from exc
        if not self.workbook.worksheets:
            raise FileError(_("The workbook has no sheets."))
        self.sheet = self.workbook.worksheets[0]
        header = next(self.sheet.iter_rows(max_row=1, values_only=True), None)
        cells = [_cell_text(value) for value in header or ()]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            raise FileError(_("The first sheet is empty: its first row must name the columns."))
        self.headers = unique_headers(cells)

    def rows(self) -> Iterator[Row]:
        width = len(self.headers)
        for number, values in enumerate(self.sheet.iter_rows(min_row=2, values_only=True), start=2):
            cells = [_cell_text(value) for value in values[:width]]
            if any(cells):
                yield Row(number, dict(zip(self.headers, cells, strict=False)))

    def close(self) -> None:
        self.workbook.close()


def open_table(source: str | Path | IO[bytes], *, name: str = "", encoding: str = "utf-8") -> Table:
    """Open a CSV or XLSX file (a path or a binary file object), chosen by its name.

    Raises FileError with a message for the user when the file cannot be read.
    """
    name = name or str(getattr(source, "name", source))
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise FileError(_("Choose a CSV or XLSX file (the name should end in .csv or .xlsx)."))
    if isinstance(source, str | Path):
        try:
            source = open(source, "rb")  # noqa: SIM115 - closed below, or by the Table
        except OSError as exc:
            raise FileError(_("Cannot open %(name)s: %(reason)s") % {"name": name, "reason": exc.strerror}) from exc
        opened = True
    else:
        opened = False
    try:
        if suffix in XLSX_SUFFIXES:
            data = io.BytesIO(source.read())
            return XlsxTable(data)
        return CsvTable(source.read(), encoding)
    finally:
        if opened:
            source.close()
