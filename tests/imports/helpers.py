"""Small files for import tests, written the way spreadsheets write them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook


def write_csv(path: Path, rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def csv_bytes(rows: list[list], *, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ORGANISATIONS = [
    ["ID", "Name", "Type", "Town", "Country", "Founded", "Networks", "Description"],
    ["A1", "Musée des Confluences", "Science museum", "Lyon", "FR", "2014", "NETA", "Sciences and societies."],
    ["A2", "Cosmos Planetarium", "planetarium | aquarium", "Madrid", "Spain", "1986", "NETA", ""],
    ["A3", "Nowhere Centre", "Science centre", "Lyon", "Frnace", "1990", "NETA", ""],
    ["A4", "Future Lab", "open-lab", "Lyon", "FR", "2999", "", ""],
]
ORGANISATION_MAP = [
    "--map", "name=Name", "--map", "kinds=Type", "--map", "city=Town", "--map", "country=Country",
    "--map", "year_founded=Founded", "--map", "networks=Networks", "--map", "description=Description",
]
