"""XLSX and CSV files built in the tests to attack the reader: each is a few kilobytes,
generated at test time, never committed.

`xlsx` writes the smallest archive openpyxl opens (content types, relationships, a
workbook of one sheet), with the sheet's XML and the shared strings given.
"""

import io
import zipfile

CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = b"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = b"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Feuille1" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
WORKBOOK_RELS = b"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def xlsx(sheet: bytes, shared: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr(
            "xl/sharedStrings.xml",
            shared or f'<?xml version="1.0"?><sst {MAIN} count="0" uniqueCount="0"/>'.encode(),
        )
    return buffer.getvalue()


def cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet(rows: str, *, prolog: str = "", dimension: str = "") -> bytes:
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet {MAIN}>{dimension_xml}'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


HEADER = f'<row r="1">{cell("A1", "nom")}{cell("B1", "valeur")}</row>'


def good() -> bytes:
    return xlsx(sheet(HEADER + f'<row r="2">{cell("A2", "Espalion")}{cell("B2", "1")}</row>'))


def many_rows(count: int) -> bytes:
    """A header then `count` rows of content: 300,000 rows is about 40 KB."""
    rows = "".join(f'<row r="{n}">{cell(f"A{n}", "x")}</row>' for n in range(2, count + 2))
    return xlsx(sheet(HEADER + rows))


def far_row(line: int) -> bytes:
    """A header, one row, and one more at line `line`, with a dimension to match:
    openpyxl fills every row between them."""
    rows = f'<row r="2">{cell("A2", "a")}</row><row r="{line}">{cell(f"A{line}", "b")}</row>'
    return xlsx(sheet(HEADER + rows, dimension=f"A1:XFD{line}"))


def wide_dimension() -> bytes:
    """Two rows, but a declared dimension of a million rows and 16,384 columns."""
    return xlsx(sheet(HEADER + f'<row r="2">{cell("A2", "a")}</row>', dimension="A1:XFD1048576"))


def huge_cell(chars: int, *, compressible: bool) -> bytes:
    """One shared string of `chars` characters: repeated (compresses a thousand times),
    or varied (barely compresses)."""
    if compressible:
        text = "A" * chars
    else:
        import base64
        import os

        text = base64.b64encode(os.urandom(chars))[:chars].decode()
    shared = (
        f'<?xml version="1.0"?><sst {MAIN} count="1" uniqueCount="1"><si><t>{text}</t></si></sst>'
    )
    rows = HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return xlsx(sheet(rows), shared.encode())


def truncated() -> bytes:
    """A good workbook cut in the middle: the archive has lost its directory."""
    data = good()
    return data[: len(data) // 2]


def truncated_sheet() -> bytes:
    """A whole archive whose sheet's XML stops in the middle of a row."""
    whole = sheet(HEADER + f'<row r="2">{cell("A2", "Espalion")}</row>')
    return xlsx(whole[: len(whole) - 40])


BILLION_LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


def billion_laughs() -> bytes:
    rows = HEADER + f'<row r="2">{cell("A2", "&lol9;")}</row>'
    return xlsx(sheet(rows, prolog=BILLION_LAUGHS))


def billion_laughs_in_shared_strings() -> bytes:
    shared = (
        f'<?xml version="1.0"?>{BILLION_LAUGHS.replace("worksheet", "sst")}'
        f'<sst {MAIN} count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    rows = HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return xlsx(sheet(rows), shared.encode())


def external_entity(path: str) -> bytes:
    prolog = f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{path}">]>'
    rows = HEADER + f'<row r="2">{cell("A2", "&xxe;")}</row>'
    return xlsx(sheet(rows, prolog=prolog))


def many_cells_in_one_row(count: int) -> bytes:
    """One row of `count` empty cells (no `r`: openpyxl numbers them one after another)."""
    return xlsx(sheet(HEADER + '<row r="2">' + "<c/>" * count + "</row>"))


def csv_many_rows(count: int) -> bytes:
    return ("nom;valeur\r\n" + "x;1\r\n" * count).encode()


def csv_huge_cell(chars: int) -> bytes:
    return ("nom;valeur\r\n" + "x;" + "A" * chars + "\r\n").encode()


def csv_blank_lines(count: int) -> bytes:
    return ("nom;valeur\r\n" + ";\r\n" * count + "x;1\r\n").encode()
