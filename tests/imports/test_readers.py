"""Reading CSV and XLSX files the way people save them."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from constellation.imports.readers import FileError, open_table


def rows_of(table) -> list[tuple[int, dict, str]]:
    return [(row.number, row.values, row.error) for row in table.rows()]


def test_csv_with_excel_byte_order_mark_and_semicolons():
    data = "\ufeffName;Town\nLe Lab;Lyon\n".encode()

    table = open_table(io.BytesIO(data), name="labs.csv")

    assert table.headers == ["Name", "Town"]
    assert rows_of(table) == [(2, {"Name": "Le Lab", "Town": "Lyon"}, "")]


def test_tab_separated_file_and_blank_rows_keep_spreadsheet_numbers():
    data = b"Name\tTown\n\nLe Lab\tLyon\n\t\nLa Casemate\tGrenoble\n"

    table = open_table(io.BytesIO(data), name="labs.tsv")

    assert [(number, values["Name"]) for number, values, _error in rows_of(table)] == [(3, "Le Lab"), (5, "La Casemate")]


def test_repeated_and_empty_headers_get_names():
    table = open_table(io.BytesIO(b"Name,,Name\na,b,c\n"), name="x.csv")

    assert table.headers == ["Name", "Column 2", "Name (2)"]


def test_short_rows_are_padded_with_nothing():
    table = open_table(io.BytesIO(b"Name,Town,Country\nLe Lab,Lyon\n"), name="x.csv")

    assert rows_of(table) == [(2, {"Name": "Le Lab", "Town": "Lyon"}, "")]


def test_utf16_read_as_utf8_is_refused_clearly():
    data = "Name\nLe Lab\n".encode("utf-16-le")

    with pytest.raises(FileError) as error:
        open_table(io.BytesIO(data), name="x.csv")

    assert "UTF-16" in error.value.message


def test_xlsx_reads_the_first_sheet_even_when_another_is_active():
    workbook = Workbook()
    first = workbook.active
    first.append(["Name", "Founded"])
    first.append(["Heureka", 1989])
    other = workbook.create_sheet("Notes")
    other.append(["Not", "this"])
    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)

    with open_table(buffer, name="centres.xlsx") as table:
        assert table.headers == ["Name", "Founded"]
        assert rows_of(table) == [(2, {"Name": "Heureka", "Founded": "1989"}, "")]
