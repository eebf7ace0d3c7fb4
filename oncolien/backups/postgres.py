"""PostgreSQL: `pg_dump --format=custom` of one exported snapshot, and `pg_restore`.

The backup opens a REPEATABLE READ transaction, exports its snapshot, and runs
pg_dump on that snapshot; the manifest's figures are read in the same transaction,
so the dump and its manifest describe the same instant whatever is written
meanwhile. The password reaches the tools through PGPASSWORD in their environment,
never on their command line (where `ps` would show it to every local user).
"""

import glob
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import psycopg

from oncolien.backups.fingerprint import database_figures, model_tables, quote_name


class ToolFailed(Exception):
    """pg_dump or pg_restore stopped with an error (its message in French context)."""


def tool(name: str) -> str:
    """The path of pg_dump or pg_restore: on PATH, else the newest Debian install."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise ToolFailed(f"{name} est introuvable : installez le client PostgreSQL.")
    return candidates[-1]


def _connect_kwargs(settings_dict: dict[str, Any]) -> dict[str, Any]:
    # Dates with time zone are read in UTC, so that the checksums do not depend on the
    # time zone of the server the backup is restored on.
    kwargs: dict[str, Any] = {"dbname": settings_dict["NAME"], "options": "-c TimeZone=UTC"}
    for key, name in (("USER", "user"), ("PASSWORD", "password"), ("HOST", "host")):
        if settings_dict.get(key):
            kwargs[name] = settings_dict[key]
    if settings_dict.get("PORT"):
        kwargs["port"] = int(settings_dict["PORT"])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        kwargs["sslmode"] = sslmode
    return kwargs


def _tool_arguments(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment for pg_dump/pg_restore (password in env only)."""
    arguments = []
    if settings_dict.get("HOST"):
        arguments += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        arguments += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        arguments += ["--username", str(settings_dict["USER"])]
    arguments += ["--dbname", str(settings_dict["NAME"]), "--no-password"]
    environment = dict(os.environ)
    environment.pop("PGPASSWORD", None)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = str(sslmode)
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    # The command is pg_dump/pg_restore with our own arguments, without a shell.
    completed = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603
    if completed.returncode != 0:
        raise ToolFailed(
            f"{Path(command[0]).name} a échoué (code {completed.returncode}) : "
            f"{completed.stderr.strip()[-2000:]}"
        )


def _existing_tables(cursor: psycopg.Cursor[Any]) -> set[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    )
    return {row[0] for row in cursor.fetchall()}


def table_names(settings_dict: dict[str, Any]) -> set[str]:
    with (
        psycopg.connect(**_connect_kwargs(settings_dict)) as connection,
        connection.cursor() as cursor,
    ):
        return _existing_tables(cursor)


def _figures(cursor: psycopg.Cursor[Any], tables: list[tuple[str, str]] | None) -> dict[str, Any]:
    from oncolien.backups.manifest import chain_head_of

    existing = _existing_tables(cursor)
    figures = database_figures(
        cursor, tables=tables or model_tables(), existing=existing, quote=quote_name
    )
    return {"tables": figures, "audit_chain": chain_head_of(cursor, existing=existing)}


def dump(settings_dict: dict[str, Any], destination: Path) -> dict[str, Any]:
    """Dump the database into `destination` and return the figures of the same snapshot."""
    arguments, environment = _tool_arguments(settings_dict)
    with psycopg.connect(**_connect_kwargs(settings_dict)) as connection:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            row = cursor.fetchone()
            assert row is not None
            _run(
                [
                    tool("pg_dump"),
                    *arguments,
                    "--format=custom",
                    f"--snapshot={row[0]}",
                    "--file",
                    str(destination),
                ],
                environment,
            )
            figures = _figures(cursor, None)
        connection.rollback()
    return figures


def restore(settings_dict: dict[str, Any], backup: Path, *, replace: bool) -> None:
    """pg_restore in one transaction: the database gets all of the backup or nothing."""
    arguments, environment = _tool_arguments(settings_dict)
    clean = ["--clean", "--if-exists"] if replace else []
    _run(
        [
            tool("pg_restore"),
            *arguments,
            *clean,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            str(backup),
        ],
        environment,
    )


def figures_of(
    settings_dict: dict[str, Any], *, tables: list[tuple[str, str]] | None = None
) -> dict[str, Any]:
    with psycopg.connect(**_connect_kwargs(settings_dict)) as connection:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            figures = _figures(cursor, tables)
        connection.rollback()
    return figures
