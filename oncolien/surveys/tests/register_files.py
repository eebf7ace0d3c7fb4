"""Register files for the tests, written as a spreadsheet user would."""

import io

from openpyxl import Workbook

from oncolien.tables import csv_bytes

HEADINGS = [
    "Nom",
    "Département",
    "Date de signature de l'ACI",
    "Communes (codes INSEE)",
    "Population déclarée",
]


def csv_file(rows: list[list[str]], headings: list[str] = HEADINGS) -> bytes:
    return csv_bytes([headings, *rows])


def xlsx_file(rows: list[list[object]], headings: list[str] = HEADINGS) -> bytes:
    workbook = Workbook()
    sheet = workbook.create_sheet("Registre", 0)
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
