"""Checks of an uploaded XLSX file before openpyxl opens it.

An XLSX file is a zip archive of XML parts, from anyone: a few kilobytes can declare a
million rows, a single cell of fifty megabytes, or XML entities that expand without end
or point to files of the server. openpyxl reads what it is given, so the archive and the
parts it will read are checked here first, on their bytes (regular expressions and
counts run in C: a Python step per XML element would take seconds on a large sheet):

- the archive: readable, with few members whose declared sizes (what they will take
  once uncompressed) and compression ratio stay small (the sizes are enforced: zipfile
  stops at the declared size and checks the CRC);
- the XML: UTF-8 (what Excel and LibreOffice write, so that the byte patterns below
  cannot be dodged by another encoding), no DOCTYPE (so no entity at all: expansion,
  external file; defusedxml refuses them too, under openpyxl), no run of text longer
  than a spreadsheet cell may hold, not too many elements, and on the first sheet no
  content past a line number the import could take.

The pass returns the last line holding content, so that openpyxl is asked to read up to
there and no further (it fills the missing rows of a sparse sheet one by one).
"""

import posixpath
import re
import zipfile
from dataclasses import dataclass

import numpy as np
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MAX_MEMBERS = 1_000
MAX_PART_BYTES = 64 * 1024 * 1024  # one uncompressed part
MAX_TOTAL_BYTES = 128 * 1024 * 1024  # the whole archive, uncompressed
# Spreadsheet XML compresses well, but not a thousand times: a sheet of 20,000 rows of
# real data is 10-30 times smaller in the archive; a bomb is hundreds of times smaller.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024  # small parts (styles, empty sheets) may compress more
# XML elements of one part (20,000 rows of 40 cells: 1.7 million): bounds the time
# of openpyxl's pass.
MAX_ELEMENTS = 4_000_000
MAX_CELL_CHARS = 32_767  # the most a cell of Excel or LibreOffice holds
# Columns of a table (an import has a few dozen; a survey, up to a few hundred): 256,
# column « IV », the width of a sheet before Excel 2007.
MAX_COLUMNS = 256
# A cell reference past column IV: three letters, or two from « IW ».
FAR_COLUMN = re.compile(
    rb"""<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br\s*=\s*["'](?:[A-Za-z]{3}|[Ii][W-Zw-z]|[J-Zj-z][A-Za-z])[0-9]"""
)
# A run of bytes without markup longer than the longest cell in UTF-8 (4 bytes a
# character at most): text, or an attribute, no spreadsheet writes.
LONG_RUN = 4 * MAX_CELL_CHARS + 64
DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])([^>]*)>")
ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["']([^"']*)["']""")
# A value, or the text of an inline string, that is not blank.
CONTENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|t)(?:\s[^>]*)?>\s*[^<\s]")
BLOCK = 1024 * 1024

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


class Refused(ValueError):
    """The archive breaks a limit; the message (French) says which."""


UNREADABLE = (
    "Le fichier .xlsx ne peut pas être lu : est-ce bien un classeur Excel ou "
    "LibreOffice enregistré au format .xlsx ? (Il est peut-être incomplet ou abîmé.)"
)
ENTITIES = (
    "Le fichier .xlsx contient des déclarations XML (DOCTYPE, entités) qu'un classeur "
    "Excel ou LibreOffice n'écrit pas : il est refusé. Enregistrez-le à nouveau depuis "
    "votre tableur."
)
TOO_BIG = (
    "Le classeur .xlsx est trop volumineux une fois décompressé (plus de {mb} Mo) : "
    "découpez-le en plusieurs fichiers."
)
RATIO = (
    "Le classeur .xlsx est anormalement compressé (une partie est plus de {ratio} fois "
    "plus petite que son contenu) : il est refusé. Enregistrez-le à nouveau depuis "
    "votre tableur."
)
CELL = (
    "Une cellule du classeur dépasse {chars} caractères, le maximum d'une cellule "
    "d'Excel : raccourcissez-la."
)
COLUMNS = (
    "Le fichier compte plus de {columns} colonnes (au-delà de la colonne IV) : gardez "
    "les colonnes utiles."
)
COLUMNS = (
    "Le fichier compte plus de {columns} colonnes (au-delà de la colonne IV) : gardez "
    "les colonnes utiles."
)
ELEMENTS = "Le classeur .xlsx contient trop d'éléments pour être lu : découpez-le."
LINES = (
    "Le fichier a du contenu au-delà de la ligne {lines} : découpez-le en plusieurs "
    "fichiers (au plus {rows} lignes chacun)."
)


@dataclass(frozen=True)
class Checked:
    sheet: str  # the path of the first sheet in the archive
    last_line: int  # the last line of the first sheet holding content (0: none)


def check_xlsx(archive: zipfile.ZipFile, *, max_lines: int, max_rows: int) -> Checked:
    """Check `archive` (see the module); Refused with a French message otherwise."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise Refused(UNREADABLE)
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
            raise Refused(TOO_BIG.format(mb=MAX_TOTAL_BYTES // (1024 * 1024)))
        if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise Refused(RATIO.format(ratio=MAX_RATIO))
    names = {member.filename for member in members}
    sheet = _first_sheet(archive, names)
    if sheet is None:
        raise Refused(UNREADABLE)  # no first sheet where Excel and LibreOffice put it
    last_line = 0
    for name in sorted(names):
        if name.endswith((".xml", ".rels")) or name == sheet:
            data = _read(archive, name)
            _check_part(data)
            if name == sheet:
                if FAR_COLUMN.search(data):
                    raise Refused(COLUMNS.format(columns=MAX_COLUMNS))
                last_line = _last_line(data, max_lines=max_lines, max_rows=max_rows)
            del data
    return Checked(sheet=sheet, last_line=last_line)


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)  # its declared size is bounded above, and enforced
    except Exception as error:  # BadZipFile (CRC), zlib.error, unsupported compression…
        raise Refused(UNREADABLE) from error


def _check_part(data: bytes) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:512]:
        raise Refused(UNREADABLE)  # UTF-16 or UTF-32: not what a spreadsheet writes
    if DECLARATION.search(data):
        raise Refused(ENTITIES)
    if _longest_run(data) > LONG_RUN:
        raise Refused(CELL.format(chars=f"{MAX_CELL_CHARS:,}".replace(",", "\u202f")))
    if data.count(b"<") - data.count(b"</") > MAX_ELEMENTS:
        raise Refused(ELEMENTS)


def _longest_run(data: bytes) -> int:
    """The longest run of bytes without « < » or « > », counted by numpy block by block
    (a regular expression tries every position: seconds on a large sheet)."""
    if len(data) <= LONG_RUN:
        return 0
    longest = carried = 0  # `carried`: the run still open at the end of the last block
    for start in range(0, len(data), BLOCK):
        values = np.frombuffer(
            data, dtype=np.uint8, count=min(BLOCK, len(data) - start), offset=start
        )
        marks = np.flatnonzero((values == ord("<")) | (values == ord(">")))
        if not len(marks):
            carried += len(values)
            longest = max(longest, carried)
            continue
        inner = int(np.diff(marks).max()) - 1 if len(marks) > 1 else 0
        longest = max(longest, carried + int(marks[0]), inner)
        carried = len(values) - int(marks[-1]) - 1
    return max(longest, carried)


def _last_line(data: bytes, *, max_lines: int, max_rows: int) -> int:
    """The line of the last row with a value, numbered as openpyxl does (its `r`,
    else the one after the previous row); refused past `max_lines`."""
    position = _last_content(data)
    if position < 0:
        return 0
    rows = list(ROW.finditer(data, max(0, position - BLOCK), position))
    row = rows[-1] if rows else None
    if row is None:  # a row of more than a megabyte before its value: look further back
        rows = list(ROW.finditer(data, 0, position))
        row = rows[-1] if rows else None
    if row is None:
        return 0
    number = ROW_NUMBER.search(row.group(1))
    if number is not None:
        text = number.group(1).strip()
        if not text.isdigit() or len(text) > 9:
            raise Refused(UNREADABLE)
        line = int(text)
    else:
        line = _line_without_number(data, row.start())
    if line > max_lines:
        raise Refused(LINES.format(lines=max_lines, rows=max_rows))
    return line


def _line_without_number(data: bytes, start: int) -> int:
    """The line of a row without `r`: one after the previous row's (openpyxl's count)."""
    line = 0
    for row in ROW.finditer(data, 0, start + 1):
        number = ROW_NUMBER.search(row.group(1))
        text = number.group(1).strip() if number else ""
        line = int(text) if text.isdigit() and len(text) <= 9 else line + 1
        if line > 10 * MAX_ELEMENTS:
            break
    return line


def _last_content(data: bytes) -> int:
    """Where the last non-blank value starts, searched block by block from the end."""
    end = len(data)
    while end > 0:
        start = max(0, end - BLOCK)
        last = -1
        for match in CONTENT.finditer(data, start, min(len(data), end + 256)):
            if match.start() < end:
                last = match.start()
        if last >= 0:
            return last
        end = start
    return -1


def _first_sheet(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """The part of the workbook's first sheet, as openpyxl finds it (workbook.xml, then
    its relationships); None when the workbook cannot say (openpyxl then refuses it)."""
    workbook = "xl/workbook.xml"
    relations = "xl/_rels/workbook.xml.rels"
    if workbook not in names or relations not in names:
        return None
    try:
        sheets = fromstring(archive.read(workbook)).find(f"{{{MAIN_NS}}}sheets")
        first = None if sheets is None else sheets.find(f"{{{MAIN_NS}}}sheet")
        if first is None:
            return None
        wanted = first.get(f"{{{REL_NS}}}id")
        for relation in fromstring(archive.read(relations)).iter(
            f"{{{PACKAGE_REL_NS}}}Relationship"
        ):
            if relation.get("Id") == wanted:
                target = relation.get("Target") or ""
                path = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join("xl", target))
                )
                return path if path in names else None
    except DefusedXmlException as error:
        raise Refused(ENTITIES) from error
    except Exception as error:  # ParseError, bad zip data…
        raise Refused(UNREADABLE) from error
    return None
