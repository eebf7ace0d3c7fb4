"""Backups of the whole database and their verified restore.

`backup_create` writes a directory holding the backup file (an SQLite copy made by
the online backup API, or a pg_dump custom archive) and its manifest. The manifest's
figures come from the backup's own snapshot, so a backup taken while the application
writes is still exactly described by it.

`backup_restore` brings a backup into the configured database, which must be empty
unless the caller says to replace it, then checks that every table has the
manifest's row count and checksum and that the audit trail's hash chain is intact.
Any difference is an error: the restored database must not be put in service.
"""

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, connections
from django.utils import timezone

from oncolien.audit.chain import verify_chain
from oncolien.audit.services import audit_record
from oncolien.backups import postgres, sqlite
from oncolien.backups.manifest import FORMAT, MANIFEST_NAME, differences, file_sha256

PARIS = ZoneInfo("Europe/Paris")
FILE_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore that cannot be done or did not bring back the same data."""


@dataclass(frozen=True)
class BackupMade:
    directory: Path
    manifest: dict[str, Any]


@dataclass(frozen=True)
class RestoreReport:
    tables: int
    rows: int
    audit_entries: int
    problems: list[str] = field(default_factory=list)


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in FILE_NAMES:
        raise BackupError(f"Moteur de base de données non pris en charge : {vendor}.")
    return vendor


def _sqlite_path() -> Path:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("La base SQLite configurée est en mémoire : rien à restaurer dedans.")
    return Path(name)


def _new_directory(output: Path, engine: str, made_at: Any) -> Path:
    output.mkdir(parents=True, exist_ok=True)
    stem = f"oncolien-{made_at:%Y%m%d-%H%M%S}-{engine}"
    for attempt in range(1, 100):
        directory = output / (stem if attempt == 1 else f"{stem}-{attempt}")
        try:
            # Health data: readable by the account that runs the backup only.
            directory.mkdir(mode=0o700)
        except FileExistsError:
            continue
        return directory
    raise BackupError(f"Impossible de créer un dossier de sauvegarde dans {output}.")


def backup_create(*, output: Path) -> BackupMade:
    """Back the configured database up into a new directory under `output`."""
    engine = _engine()
    made_at = timezone.localtime(timezone.now(), PARIS)
    directory = _new_directory(output, engine, made_at)
    backup_file = directory / FILE_NAMES[engine]
    old_umask = os.umask(0o077)
    try:
        if engine == "sqlite":
            connection.ensure_connection()
            raw = connection.connection
            assert isinstance(raw, sqlite3.Connection)
            sqlite.copy_live(raw, backup_file)
            figures = sqlite.figures_of(backup_file)
        else:
            figures = postgres.dump(connection.settings_dict, backup_file)
        manifest = {
            "format": FORMAT,
            "made_at": made_at.isoformat(timespec="seconds"),
            "time_zone": "Europe/Paris",
            "engine": engine,
            "file": backup_file.name,
            "file_sha256": file_sha256(backup_file),
            **figures,
        }
        (directory / MANIFEST_NAME).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    except postgres.ToolFailed as error:
        raise BackupError(str(error)) from error
    finally:
        os.umask(old_umask)
    audit_record(
        actor=None,
        action="backup.create",
        target=("backup", directory.name[:64]),
        details={
            "engine": engine,
            "tables": len(figures["tables"]),
            "audit_head": figures["audit_chain"]["last_sequence"],
        },
    )
    return BackupMade(directory=directory, manifest=manifest)


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BackupError(f"Manifeste introuvable : {path}.") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"Manifeste illisible : {path}.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"Manifeste d'un format inconnu : {path}.")
    return manifest


def _checked_backup_file(directory: Path, manifest: dict[str, Any]) -> Path:
    backup_file = directory / Path(str(manifest.get("file", ""))).name
    if not backup_file.is_file():
        raise BackupError(f"Fichier de sauvegarde introuvable : {backup_file}.")
    if file_sha256(backup_file) != manifest.get("file_sha256"):
        raise BackupError(
            f"Le fichier {backup_file.name} ne correspond pas à son manifeste (empreinte "
            "SHA-256 différente) : sauvegarde altérée ou incomplète, restauration refusée."
        )
    return backup_file


def backup_restore(*, directory: Path, force: bool = False) -> RestoreReport:
    """Restore the backup in `directory` into the configured database and verify it."""
    manifest = read_manifest(directory)
    engine = _engine()
    if manifest.get("engine") != engine:
        raise BackupError(
            f"Cette sauvegarde vient d'une base {ENGINE_NAMES.get(str(manifest.get('engine')), '?')} ; "
            f"la base configurée est {ENGINE_NAMES[engine]} : restauration refusée."
        )
    backup_file = _checked_backup_file(directory, manifest)
    tables = [(table["name"], table["order_by"]) for table in manifest["tables"]]
    existing = (
        sqlite.table_names(_sqlite_path())
        if engine == "sqlite"
        else postgres.table_names(connection.settings_dict)
    )
    if existing and not force:
        raise BackupError(
            f"La base de données cible n'est pas vide ({len(existing)} table(s)) : restauration "
            "refusée. Restaurez dans une base vide, ou ajoutez --force pour remplacer son contenu."
        )
    # The application's own connection must not hold the database while it is replaced.
    connections.close_all()
    try:
        if engine == "sqlite":
            target = _sqlite_path()
            sqlite.restore_file(backup_file, target)
            found = sqlite.figures_of(target, tables=tables)
        else:
            postgres.restore(connection.settings_dict, backup_file, replace=bool(existing))
            found = postgres.figures_of(connection.settings_dict, tables=tables)
    except (postgres.ToolFailed, sqlite3.DatabaseError) as error:
        raise BackupError(f"La restauration a échoué : {error}") from error
    problems = differences(manifest, found)
    chain = verify_chain()
    problems += [
        f"Journal d'audit, entrée n° {chain_break.sequence} : {chain_break.reason}"
        for chain_break in chain.breaks
    ]
    report = RestoreReport(
        tables=len(found["tables"]),
        rows=sum(table["rows"] for table in found["tables"]),
        audit_entries=chain.checked,
        problems=problems,
    )
    if not problems:
        audit_record(
            actor=None,
            action="backup.restore",
            target=("backup", directory.name[:64]),
            details={"made_at": manifest.get("made_at"), "tables": report.tables},
        )
    return report
