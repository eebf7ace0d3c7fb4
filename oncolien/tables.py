"""Writing tables as CSV (for French Excel) and XLSX: the one writer of every export.

A cell that starts with « = + - @ » would be run as a formula by a spreadsheet
(CSV injection): in CSV it gets a leading apostrophe, which spreadsheets read
as "text" and which the import removes again; in XLSX it is typed as text.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(value: str) -> str:
    return f"'{value}" if value and value.startswith(FORMULA_STARTS) else value


def csv_bytes(rows: list[list[str]]) -> bytes:
    """« ; »-separated UTF-8 with a byte-order mark: what French Excel opens correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([guard(str(value)) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets: list[tuple[str, list[list[str]]]]) -> bytes:
    """A workbook with one sheet per (title, rows); the first row of each is its header."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title)
        for index, row in enumerate(rows):
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=str(value))
                cell.data_type = "s"  # text, never a formula
                if index == 0:
                    cell.font = Font(bold=True)
                cells.append(cell)
            sheet.append(cells)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
