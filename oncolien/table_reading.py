"""Reading an uploaded CSV or XLSX file into a table of text cells.

CSV: UTF-8 (with or without the byte-order mark Excel writes), the delimiter
(« ; » as French Excel writes it, « , » or a tab) taken from the header line.
A file that is not UTF-8 is read as Windows-1252, the encoding of French Excel's
plain « CSV (séparateur : point-virgule) », with a warning to check the accents.
XLSX: the first sheet, read by openpyxl in read-only mode (values, not formulas),
after the checks of `oncolien.xlsx_checks` (archive sizes, no XML entity, cell size).

A file from anyone is read within bounds: at most MAX_ROWS rows with content, no
content past line MAX_LINES, no cell longer than a spreadsheet cell, and reading stops
at the first bound passed. `read_table` also runs the reading in a child process with
a memory and a time limit (`oncolien.bounded_reading`), so that a file that gets past
every check still cannot take a worker down; `parse_table` is the reading itself.

Line numbers are those a spreadsheet shows: the header is line 1.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import compress, count, repeat
from operator import is_not
from pathlib import PurePath

from openpyxl import load_workbook

from oncolien.bounded_reading import read_bounded
from oncolien.tables import FORMULA_STARTS
from oncolien.xlsx_checks import MAX_CELL_CHARS, MAX_COLUMNS, UNREADABLE, Refused, check_xlsx

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
# Blank lines are skipped, but read: the last line with content may not be further.
MAX_LINES = MAX_ROWS + 1_000
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
    """The table of an uploaded file, or UnreadableFile with a French message; read in
    a child process bounded in memory and time."""
    _check_upload(data, filename)
    return read_bounded(parse_in_child, data, filename, refusal=UnreadableFile)


# The csv module's longest field, for the whole process: set in the child only (the
# directory of communes is read elsewhere with no limit at all).
CSV_FIELD_LIMIT = 4 * MAX_CELL_CHARS


def parse_in_child(data: bytes, filename: str) -> Table:
    csv.field_size_limit(CSV_FIELD_LIMIT)
    return parse_table(data, filename)


def _check_upload(data: bytes, filename: str) -> None:
    if PurePath(filename or "").suffix.lower() not in EXTENSIONS:
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


def parse_table(data: bytes, filename: str) -> Table:
    """The reading itself, in this process (see `read_table`)."""
    _check_upload(data, filename)
    extension = PurePath(filename).suffix.lower()
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
    # The beginning is enough (and splitting a whole file of lines would hold them all).
    lines = text[:65_536].splitlines()
    first_line = next((line for line in lines if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"


def _read_csv(data: bytes) -> Table:
    text, warnings = _decode(data)
    del data
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))

    def records() -> Iterator[list[str]]:
        try:
            for record in reader:
                if len(record) > MAX_COLUMNS:
                    record = _within_columns(record)
                yield record
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise UnreadableFile(_cell_too_long(reader.line_num)) from error
            raise UnreadableFile(
                f"Le fichier CSV est mal formé (ligne {reader.line_num}) : vérifiez les guillemets."
            ) from error

    return _table(records(), warnings)


def _within_columns(record: list[str]) -> list[str]:
    if any(cell.strip() for cell in record[MAX_COLUMNS:]):
        raise UnreadableFile(
            f"Le fichier compte plus de {MAX_COLUMNS} colonnes : gardez les colonnes utiles."
        )
    return record[:MAX_COLUMNS]


def _read_xlsx(data: bytes) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            checked = check_xlsx(archive, max_lines=MAX_LINES, max_rows=MAX_ROWS)
    except Refused as refused:
        raise UnreadableFile(str(refused)) from refused
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise UnreadableFile(UNREADABLE) from error
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # whatever openpyxl makes of a file from anyone
        raise UnreadableFile(UNREADABLE) from error
    try:
        if not workbook.worksheets:
            raise UnreadableFile("Le classeur ne contient aucune feuille.")
        sheet = workbook.worksheets[0]
        if checked.last_line == 0:
            raise UnreadableFile("Le fichier est vide.")
        # Up to the last line with content (known from the checks), each row as wide as
        # its own cells: openpyxl otherwise fills the rows and the columns its declared
        # dimension promises, up to a million rows of 16,384 cells.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_row=checked.last_line, values_only=True)
        return _table((_xlsx_record(row) for row in rows), [])
    except UnreadableFile:
        raise
    except Exception as error:  # openpyxl reading a malformed sheet
        raise UnreadableFile(UNREADABLE) from error
    finally:
        workbook.close()


def _xlsx_record(values: tuple[object, ...]) -> list[str]:
    """The row's texts, up to its last value; the empty cells are skipped in C (a row
    may be mostly empty cells)."""
    filled = list(compress(count(), map(is_not, values, repeat(None))))
    if not filled:
        return []
    record = [""] * (filled[-1] + 1)
    for index in filled:
        record[index] = _cell_text(values[index])
    return _within_columns(record) if len(record) > MAX_COLUMNS else record


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
    """Drop the apostrophe our exports put before « = + - @ » (see tables.guard)."""
    cell = cell.strip()
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_STARTS:
        return cell[1:]
    return cell


def _table(records: Iterable[list[str]], warnings: list[str]) -> Table:
    """Read record by record, stopping at the first limit passed: the rows after the
    header (blank ones skipped), numbered as lines."""
    headers: list[str] | None = None
    rows: list[SourceRow] = []
    for line, record in enumerate(records, start=1):
        cells = [_unguard(cell) for cell in record]
        if not any(cells):
            if line > MAX_LINES + MAX_ROWS:
                # Lines and lines of nothing (a CSV of separators): no reading them all.
                raise UnreadableFile(_too_many_rows())
            continue
        if any(len(cell) > MAX_CELL_CHARS for cell in cells):
            raise UnreadableFile(_cell_too_long(line))
        if headers is None:
            headers = cells
            while headers and not headers[-1]:
                headers.pop()
            continue
        if len(rows) >= MAX_ROWS:
            raise UnreadableFile(_too_many_rows())
        cells = (cells + [""] * len(headers))[: max(len(headers), len(cells))]
        rows.append(SourceRow(line=line, cells=cells))
    if headers is None:
        raise UnreadableFile("Le fichier est vide.")
    return Table(headers=headers, rows=rows, warnings=warnings)


def _cell_too_long(line: int) -> str:
    return (
        f"Une cellule de la ligne {line} dépasse {MAX_CELL_CHARS} caractères, le maximum "
        "d'une cellule d'Excel : raccourcissez-la."
    )


def _too_many_rows() -> str:
    return f"Le fichier compte plus de {MAX_ROWS} lignes : découpez-le en plusieurs fichiers."
