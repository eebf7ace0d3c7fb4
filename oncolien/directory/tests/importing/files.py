"""Import files built in the tests: rows as dicts of column -> text, written as CSV or XLSX."""

import csv
import io

from openpyxl import Workbook

from oncolien.directory.importing.columns import HEADERS
from oncolien.table_reading import Table, read_table

BASE_ROW = {
    "structure_nom": "Association Bien-être Aveyron",
    "structure_type": "association",
    "structure_telephone": "05 99 00 12 34",
    "structure_courriel": "contact@example.org",
    "offre_nom": "Ateliers de socio-esthétique",
    "offre_description": "Soins de bien-être pendant les traitements.",
    "soins": "socio_aesthetics",
    "professions": "",
    "public": "patients",
    "phases": "traitement | après traitement",
    "acces": "direct",
    "cout": "gratuit",
    "a_domicile": "non",
    "statut": "active",
    "verifiee_le": "15/01/2026",
    "lieu_nom": "Salle polyvalente",
    "lieu_adresse": "1 place de la Mairie",
    "lieu_code_postal": "12500",
    "lieu_commune_insee": "12096",
}


def row(**changes) -> dict:
    return {**BASE_ROW, **changes}


def numbered_rows(count: int, **changes) -> list[dict]:
    """`count` distinct services of a few organisations, all valid."""
    return [
        row(
            structure_nom=f"Structure {index % 7}",
            offre_nom=f"Offre {index}",
            **changes,
        )
        for index in range(count)
    ]


def csv_data(rows: list[dict], *, headers=None, delimiter=";", encoding="utf-8-sig") -> bytes:
    headers = headers or HEADERS
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    for values in rows:
        writer.writerow([values.get(header, "") for header in headers])
    return buffer.getvalue().encode(encoding)


def xlsx_data(rows: list[dict], *, headers=None) -> bytes:
    headers = headers or HEADERS
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has its first sheet active
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(header, "") for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table(rows: list[dict], **options) -> Table:
    return read_table(csv_data(rows, **options), "annuaire.csv")
