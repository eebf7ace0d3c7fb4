"""The row report: every row's verdict and messages, followed by the row as it was sent.

Keeping the original cells lets a coordinator fix the rows in the report itself
and import it again: the report's own columns are unknown to the import and are
ignored (with a warning).
"""

from oncolien.directory.importing.verdicts import Verdicts
from oncolien.table_reading import Table
from oncolien.tables import csv_bytes

REPORT_HEADERS = [
    "rapport_ligne",
    "rapport_verdict",
    "rapport_structure",
    "rapport_lieu",
    "rapport_offre",
    "rapport_messages",
]


def report_rows(verdicts: Verdicts, table: Table | None) -> list[list[str]]:
    headers = table.headers if table else []
    cells = {row.line: row.cells for row in table.rows} if table else {}
    rows = [REPORT_HEADERS + headers]
    for message in verdicts.file_errors:
        rows.append(["", "Erreur", "", "", "", message] + [""] * len(headers))
    for message in verdicts.file_warnings:
        rows.append(["", "Avertissement", "", "", "", message] + [""] * len(headers))
    for verdict in verdicts.rows:
        original = (cells.get(verdict.line, []) + [""] * len(headers))[: len(headers)]
        rows.append(
            [
                str(verdict.line),
                verdict.status_label,
                verdict.organization_action_label,
                verdict.location_action_label,
                verdict.service_action_label,
                " ; ".join(verdict.messages),
                *original,
            ]
        )
    return rows


def report_csv(verdicts: Verdicts, table: Table | None) -> bytes:
    return csv_bytes(report_rows(verdicts, table))
