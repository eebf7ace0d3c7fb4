"""Reading an uploaded CSV or XLSX file into a table of text cells.

CSV: UTF-8 (with or without the byte-order mark Excel writes), the delimiter
(« ; » as French Excel writes it, « , » or a tab) taken from the header line.
A file that is not UTF-8 is read as Windows-1252, the encoding of French Excel's
plain « CSV (séparateur : point-virgule) », with a warning to check the accents.
XLSX: the first sheet, read by openpyxl in read-only mode (values, not formulas).

Line numbers are those a spreadsheet shows: the header is line 1.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from oncolien.tables import FORMULA_STARTS

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
EXTENSIONS = (".csv", ".xlsx")


class UnreadableFile(ValueError):
    """The file cannot be read as a table; the message (French) says why."""


@dataclass
class SourceRow:
    line: int
    cells: list[str]


@dataclass
class Table:
    headers: list[str]
    rows: list[SourceRow]
    warnings: list[str] = field(default_factory=list)


def read_table(data: bytes, filename: str) -> Table:
    """The table of an uploaded file, or UnreadableFile with a French message."""
    extension = PurePath(filename or "").suffix.lower()
    if extension not in EXTENSIONS:
        raise UnreadableFile(
            f"Format non pris en charge : « {filename} ». Enregistrez le tableau au format "
            ".csv ou .xlsx (Excel, LibreOffice : « Enregistrer sous »)."
        )
    if len(data) > MAX_BYTES:
        raise UnreadableFile(
            f"Le fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo : découpez-le en plusieurs fichiers."
        )
    if not data.strip():
        raise UnreadableFile("Le fichier est vide.")
    table = _read_xlsx(data) if extension == ".xlsx" else _read_csv(data)
    if not any(header.strip() for header in table.headers):
        raise UnreadableFile("La première ligne du fichier doit contenir les noms des colonnes.")
    if not table.rows:
        raise UnreadableFile(
            "Le fichier ne contient aucune ligne après celle des noms de colonnes."
        )
    return table


def _decode(data: bytes) -> tuple[str, list[str]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), [
            "Le fichier n'est pas encodé en UTF-8 : il a été lu en Windows-1252. Vérifiez "
            "les accents dans l'aperçu (ou enregistrez-le en « CSV UTF-8 »)."
        ]


def _delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"


def _read_csv(data: bytes) -> Table:
    text, warnings = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        records = list(reader)
    except csv.Error as error:
        raise UnreadableFile(
            f"Le fichier CSV est mal formé (ligne {reader.line_num}) : vérifiez les guillemets."
        ) from error
    return _table(records, warnings)


def _read_xlsx(data: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise UnreadableFile(
            "Le fichier .xlsx ne peut pas être lu : est-ce bien un classeur Excel ou "
            "LibreOffice enregistré au format .xlsx ?"
        ) from error
    try:
        if not workbook.worksheets:
            raise UnreadableFile("Le classeur ne contient aucune feuille.")
        sheet = workbook.worksheets[0]
        records = [
            [_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)
        ]
    finally:
        workbook.close()
    return _table(records, [])


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _unguard(cell: str) -> str:
    """Drop the apostrophe our exports put before « = + - @ » (see writing.guard)."""
    cell = cell.strip()
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_STARTS:
        return cell[1:]
    return cell


def _table(records: list[list[str]], warnings: list[str]) -> Table:
    records = [[_unguard(cell) for cell in record] for record in records]
    header_index = next((i for i, record in enumerate(records) if any(record)), None)
    if header_index is None:
        raise UnreadableFile("Le fichier est vide.")
    headers = records[header_index]
    while headers and not headers[-1]:
        headers.pop()
    rows: list[SourceRow] = []
    for index in range(header_index + 1, len(records)):
        cells = records[index]
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise UnreadableFile(
                f"Le fichier compte plus de {MAX_ROWS} lignes : découpez-le en plusieurs fichiers."
            )
        cells = (cells + [""] * len(headers))[: max(len(headers), len(cells))]
        rows.append(SourceRow(line=index + 1, cells=cells))
    return Table(headers=headers, rows=rows, warnings=warnings)
