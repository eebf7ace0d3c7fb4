"""SQLite: Python's online backup API, safe while the application writes.

`Connection.backup` copies the database page by page; in one step (the default),
it reads under one read transaction, so the copy is the database as of one instant
even while other processes write (WAL mode lets them go on meanwhile). The copy is
then switched out of WAL mode so that the backup is one self-contained file.
"""

import sqlite3
from pathlib import Path
from typing import Any

from oncolien.backups.fingerprint import database_figures, model_tables, quote_name


def copy_live(raw_connection: sqlite3.Connection, destination: Path) -> None:
    """Copy the database behind `raw_connection` (the application's own) into a new file."""
    target = sqlite3.connect(destination)
    try:
        raw_connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def table_names(path: Path) -> set[str]:
    if not path.exists():
        return set()
    connection = _read_only(path)
    try:
        rows = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    finally:
        connection.close()
    return {row[0] for row in rows}


def figures_of(path: Path, *, tables: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """Counts, checksums and audit chain head of the database file at `path`."""
    from oncolien.backups.manifest import chain_head_of

    connection = _read_only(path)
    try:
        cursor = connection.cursor()
        # One read transaction: every figure describes the same state of the file.
        cursor.execute("BEGIN")
        existing = {
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            ).fetchall()
        }
        figures = database_figures(
            cursor, tables=tables or model_tables(), existing=existing, quote=quote_name
        )
        head = chain_head_of(cursor, existing=existing)
        cursor.execute("COMMIT")
    finally:
        connection.close()
    return {"tables": figures, "audit_chain": head}


def restore_file(backup: Path, target: Path) -> None:
    """Write the backup's content over the database file `target` (created if absent)."""
    source = _read_only(backup)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()
