"""Hostile CSV/XLSX files (issue 13): each is refused with a French message, quickly and
within bounded memory, never with an unexpected error.

The files are built at test time (tests/uploads/hostile_files.py), a few kilobytes
each. `read_table` is what the import flows call: it reads in a child process bounded
in memory and time; `parse_table` is the reading itself, measured here in this process.
"""

import csv
import io
import time
import tracemalloc

import pytest
from openpyxl import Workbook

from oncolien.table_reading import (
    CSV_FIELD_LIMIT,
    MAX_ROWS,
    UnreadableFile,
    parse_table,
    read_table,
)
from tests.uploads import hostile_files as hostile

# Generous on this shared machine: before the fix, the slowest case took 8-80 s.
SECONDS = 10
PEAK_BYTES = 64 * 1024 * 1024

HOSTILE = {
    "300 000 rows": (lambda: hostile.many_rows(300_000), "xlsx", "au-delà de la ligne"),
    "a million rows of 4 bytes": (
        lambda: hostile.xlsx(
            hostile.sheet(hostile.HEADER + "<row><c><v>1</v></c></row>" * 1_000_000)
        ),
        "xlsx",
        "anormalement compressé",
    ),
    "one row at line 1 000 000": (
        lambda: hostile.far_row(1_000_000),
        "xlsx",
        "au-delà de la ligne",
    ),
    "a 50 MB cell": (
        lambda: hostile.huge_cell(50_000_000, compressible=True),
        "xlsx",
        "anormalement compressé",
    ),
    "a 200 000-character cell": (
        lambda: hostile.huge_cell(200_000, compressible=False),
        "xlsx",
        "dépasse 32\u202f767 caractères",
    ),
    "a 40 000-character cell": (
        lambda: hostile.huge_cell(40_000, compressible=False),
        "xlsx",
        "dépasse 32767 caractères",
    ),
    "a truncated archive": (hostile.truncated, "xlsx", "ne peut pas être lu"),
    "a truncated sheet": (hostile.truncated_sheet, "xlsx", "ne peut pas être lu"),
    "billion laughs in the sheet": (hostile.billion_laughs, "xlsx", "DOCTYPE, entités"),
    "billion laughs in the shared strings": (
        hostile.billion_laughs_in_shared_strings,
        "xlsx",
        "DOCTYPE, entités",
    ),
    "an external entity": (
        lambda: hostile.external_entity("/etc/passwd"),
        "xlsx",
        "DOCTYPE, entités",
    ),
    "two million cells in one row": (
        lambda: hostile.many_cells_in_one_row(2_000_000),
        "xlsx",
        "anormalement compressé",
    ),
    "a cell past column IV": (
        lambda: hostile.xlsx(
            hostile.sheet(hostile.HEADER + f'<row r="2">{hostile.cell("XFD2", "x")}</row>')
        ),
        "xlsx",
        "plus de 256 colonnes",
    ),
    "a UTF-16 sheet": (
        lambda: hostile.xlsx(
            hostile.sheet(hostile.HEADER).decode().replace("UTF-8", "UTF-16").encode("utf-16")
        ),
        "xlsx",
        "ne peut pas être lu",
    ),
    "a CSV of a million rows": (
        lambda: hostile.csv_many_rows(1_000_000),
        "csv",
        "plus de 20000 lignes",
    ),
    "a CSV cell of 10 MB": (
        lambda: hostile.csv_huge_cell(10_000_000),
        "csv",
        "dépasse 32767 caractères",
    ),
    "a CSV of 3 million blank lines": (
        lambda: hostile.csv_blank_lines(3_000_000),
        "csv",
        "plus de 20000 lignes",
    ),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_file_is_refused_in_french_quickly(case, settings):
    build, extension, expected = HOSTILE[case]
    data = build()
    started = time.perf_counter()
    with pytest.raises(UnreadableFile) as refused:
        read_table(data, f"fichier.{extension}")
    assert time.perf_counter() - started < SECONDS
    assert expected in str(refused.value)


# The same paths with smaller files (tracemalloc slows the reading several times).
MEASURED = {
    **{
        case: HOSTILE[case]
        for case in HOSTILE
        if case not in ("300 000 rows", "a CSV of a million rows")
    },
    "30 000 rows": (lambda: hostile.many_rows(30_000), "xlsx", "au-delà de la ligne"),
    "a CSV of 100 000 rows": (lambda: hostile.csv_many_rows(100_000), "csv", "plus de 20000"),
}


@pytest.fixture
def csv_field_limit_of_the_child():
    """The csv module's field limit as the reading child sets it (a process-wide value
    that other tests of this process may have raised)."""
    before = csv.field_size_limit(CSV_FIELD_LIMIT)
    yield
    csv.field_size_limit(before)


@pytest.mark.parametrize("case", MEASURED, ids=list(MEASURED))
def test_a_hostile_file_is_refused_within_bounded_memory(case, csv_field_limit_of_the_child):
    build, extension, expected = MEASURED[case]
    data = build()
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile):
            parse_table(data, f"fichier.{extension}")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES, f"{peak / 1e6:.0f} MB"


def test_the_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-DU-SERVEUR")
    with pytest.raises(UnreadableFile) as refused:
        read_table(hostile.external_entity(str(secret)), "fichier.xlsx")
    assert "SECRET" not in str(refused.value)


def test_a_good_workbook_with_a_huge_declared_dimension_reads_its_two_rows():
    table = read_table(hostile.wide_dimension(), "fichier.xlsx")
    assert table.headers == ["nom", "valeur"]
    assert [(row.line, row.cells) for row in table.rows] == [(2, ["a", ""])]


def test_a_sparse_workbook_keeps_its_line_numbers():
    data = hostile.far_row(5_000)
    table = read_table(data, "fichier.xlsx")
    assert [(row.line, row.cells[0]) for row in table.rows] == [(2, "a"), (5_000, "b")]


def _workbook(rows: int, columns: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([f"colonne {index}" for index in range(columns)])
    for line in range(rows):
        sheet.append([f"valeur {line}-{index}" for index in range(columns)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_row_limit_still_takes_a_full_file_and_refuses_one_more():
    csv = ("nom;valeur\r\n" + "x;1\r\n" * MAX_ROWS).encode()
    assert len(read_table(csv, "fichier.csv").rows) == MAX_ROWS
    with pytest.raises(UnreadableFile, match="plus de 20000 lignes"):
        read_table(csv + b"y;2\r\n", "fichier.csv")


def test_a_reading_past_its_memory_is_refused_in_french(settings):
    # 10,000 rows of 150 distinct cells: some 100 MB once read, more than the 32 MB allowed.
    settings.ONCOLIEN_TABLE_READING_MEMORY_MB = 32
    lines = [";".join(f"c{index}" for index in range(150))]
    lines += [";".join(f"{line}.{index}" for index in range(150)) for line in range(10_000)]
    data = "\r\n".join(lines).encode()
    with pytest.raises(UnreadableFile, match="plus de mémoire que permis \\(32 Mo\\)"):
        read_table(data, "fichier.csv")


def test_a_reading_past_its_time_is_stopped_and_refused_in_french(settings):
    settings.ONCOLIEN_TABLE_READING_SECONDS = 0.05
    data = ("nom;valeur\r\n" + "x;1\r\n" * MAX_ROWS).encode()
    started = time.perf_counter()
    with pytest.raises(UnreadableFile, match="a duré plus de 0.05 s"):
        read_table(data, "fichier.csv")
    assert time.perf_counter() - started < 5
