"""What a backup must bring back: each table's row count and a checksum of its content.

The checksum is a SHA-256 over the table's column names and then every row, read in
primary-key order and written as canonical JSON, so that the same content gives the
same digest whichever process reads it. It is computed from the backup's own
snapshot (never from the live database a moment later), and again from the restored
database: equal figures mean the same data came back.

The tables are those of the project's models (with their many-to-many tables and
Django's migration table); other objects (full-text indexes, triggers) travel inside
the backup file and are rebuilt by the restore, but are not counted.
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from django.apps import apps


class Cursor(Protocol):
    """The part of a DB-API cursor read here (sqlite3 and psycopg both qualify)."""

    @property
    def description(self) -> Sequence[Sequence[Any]] | None: ...

    def execute(self, query: str, /) -> Any: ...

    def fetchmany(self, size: int = ..., /) -> Sequence[Sequence[Any]]: ...


@dataclass(frozen=True)
class TableFigures:
    name: str
    order_by: str
    rows: int
    sha256: str


def model_tables() -> list[tuple[str, str]]:
    """(table, primary-key column) of every table the project's models own, by name."""
    tables = {"django_migrations": "id"}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.pk is not None:
            tables.setdefault(meta.db_table, meta.pk.column)
    return sorted(tables.items())


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return str(value)


def canonical_row(row: Iterable[Any]) -> bytes:
    # Floats are written by repr (exact round trip), dicts with sorted keys (jsonb).
    text = json.dumps(
        list(row), default=_plain, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return text.encode("utf-8") + b"\n"


def table_figures(
    cursor: Cursor, *, table: str, order_by: str, quote: Callable[[str], str]
) -> TableFigures:
    """Count and digest one table as `cursor` sees it (inside the caller's snapshot)."""
    # The names come from the models' metadata, quoted, never from user input.
    cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(order_by)}")  # noqa: S608
    columns = [column[0] for column in cursor.description or ()]
    digest = hashlib.sha256(canonical_row(columns))
    rows = 0
    while batch := cursor.fetchmany(2000):
        for row in batch:
            digest.update(canonical_row(row))
            rows += 1
    return TableFigures(name=table, order_by=order_by, rows=rows, sha256=digest.hexdigest())


def database_figures(
    cursor: Cursor,
    *,
    tables: Iterable[tuple[str, str]],
    existing: set[str],
    quote: Callable[[str], str],
) -> list[dict[str, Any]]:
    """The figures of each of `tables` that exists, as the manifest stores them."""
    return [
        asdict(table_figures(cursor, table=name, order_by=pk, quote=quote))
        for name, pk in tables
        if name in existing
    ]


def quote_name(name: str) -> str:
    """A table or column name quoted for SQL (the same rule in SQLite and PostgreSQL)."""
    return '"' + name.replace('"', '""') + '"'
