"""SQLite backups: taken from the running database, restored into a new file by the
`restore` command in its own process, and checked against the manifest."""

import json
import sqlite3
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from oncolien.audit.models import AuditChainHead, AuditEntry
from oncolien.backups import sqlite
from oncolien.backups.manifest import differences, file_sha256
from oncolien.backups.services import BackupError, backup_restore
from oncolien.backups.tests.helpers import manage, start_writer, stop_writer, wait_for
from oncolien.pathways.models import Pathway
from oncolien.pathways.services import pathway_update
from oncolien.pathways.tests.factories import make_pathway

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite pass"),
]


def _some_pathways(coordinator) -> list[Pathway]:
    pathways = [make_pathway(actor=coordinator, last_name=name) for name in ("Martin", "Durand")]
    pathway_update(actor=coordinator, pathway=pathways[0], cancer_site="breast")
    return pathways


def _only_directory(output: Path) -> Path:
    (directory,) = output.iterdir()
    return directory


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])  # noqa: S608


def _head(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT last_sequence FROM audit_auditchainhead").fetchone()[0])


def test_a_backup_restores_into_an_empty_file_with_the_same_data(coordinator, tmp_path, call):
    _some_pathways(coordinator)
    head = AuditChainHead.objects.get(pk=1)
    pathways, entries = Pathway.objects.count(), AuditEntry.objects.count()

    out, _ = call("backup", output=tmp_path / "out")
    directory = _only_directory(tmp_path / "out")
    assert f"Sauvegarde sqlite écrite dans {directory}" in out
    manifest = json.loads((directory / "manifest.json").read_text())
    assert manifest["engine"] == "sqlite"
    assert manifest["time_zone"] == "Europe/Paris"
    assert manifest["made_at"][-6:] in ("+01:00", "+02:00")
    assert manifest["audit_chain"] == {
        "last_sequence": head.last_sequence,
        "last_hash": head.last_hash,
    }
    tables = {table["name"]: table for table in manifest["tables"]}
    assert tables["pathways_pathway"]["rows"] == pathways
    assert tables["audit_auditentry"]["rows"] == entries
    assert all(len(table["sha256"]) == 64 for table in tables.values())
    # The backup itself is audited, after its snapshot.
    assert AuditEntry.objects.last().action == "backup.create"

    target = tmp_path / "restored.sqlite3"
    restored = manage(f"sqlite:///{target}", "restore", str(directory))
    assert restored.returncode == 0, restored.stderr
    assert "Sauvegarde restaurée et vérifiée" in restored.stdout
    assert "journal d'audit intègre" in restored.stdout
    assert _count(target, "pathways_pathway") == pathways
    # The restore appends its own entry to the restored chain.
    assert _count(target, "audit_auditentry") == entries + 1

    # Now the file is not empty: a second restore is refused unless forced.
    again = manage(f"sqlite:///{target}", "restore", str(directory))
    assert again.returncode != 0
    assert "La base de données cible n'est pas vide" in again.stderr
    assert _count(target, "audit_auditentry") == entries + 1
    forced = manage(f"sqlite:///{target}", "restore", "--force", str(directory))
    assert forced.returncode == 0, forced.stderr
    assert _count(target, "audit_auditentry") == entries + 1


def test_a_changed_row_or_a_changed_file_is_caught(coordinator, tmp_path):
    _some_pathways(coordinator)
    call_command("backup", output=tmp_path, stdout=StringIO())
    directory = _only_directory(tmp_path)
    manifest = json.loads((directory / "manifest.json").read_text())
    backup_file = directory / manifest["file"]

    copy = tmp_path / "copy.sqlite3"
    sqlite.restore_file(backup_file, copy)
    assert differences(manifest, sqlite.figures_of(copy)) == []
    with sqlite3.connect(copy) as db:
        db.execute(
            "UPDATE pathways_pathway SET dcc_reference = 'changé' "
            "WHERE id = (SELECT MIN(id) FROM pathways_pathway)"
        )
    assert differences(manifest, sqlite.figures_of(copy)) == [
        "Table pathways_pathway : contenu différent de la sauvegarde (empreinte SHA-256)."
    ]

    with backup_file.open("r+b") as stream:
        stream.seek(-10, 2)
        stream.write(b"0123456789")
    assert file_sha256(backup_file) != manifest["file_sha256"]
    with pytest.raises(BackupError, match="ne correspond pas à son manifeste"):
        backup_restore(directory=directory)


def test_a_backup_taken_while_the_application_writes_is_consistent(coordinator, tmp_path):
    (pathway, _) = _some_pathways(coordinator)
    # The running application's database: a file, in WAL mode, written by another process.
    source = tmp_path / "live.sqlite3"
    connection.ensure_connection()
    sqlite.copy_live(connection.connection, source)
    url = f"sqlite:///{source}"
    before = _head(source)

    writer = start_writer(url, pathway=pathway.pk, work=tmp_path)
    try:
        wait_for(tmp_path / "writer-started", writer)
        backed_up = manage(url, "backup", "--output", str(tmp_path / "out"))
    finally:
        writes = stop_writer(writer, tmp_path)
    assert backed_up.returncode == 0, backed_up.stderr
    directory = _only_directory(tmp_path / "out")
    manifest = json.loads((directory / "manifest.json").read_text())
    head = manifest["audit_chain"]["last_sequence"]
    # The snapshot fell among the writes: some before it, some after it.
    final = _head(source)
    assert before + 20 <= head < final - 1, (before, head, final, writes)

    target = tmp_path / "restored.sqlite3"
    restored = manage(f"sqlite:///{target}", "restore", str(directory))
    assert restored.returncode == 0, restored.stderr + restored.stdout
    # Each write bumped the version and added an entry in one transaction: the restored
    # copy holds whole transactions only.
    with sqlite3.connect(target) as db:
        version = db.execute(
            "SELECT version FROM pathways_pathway WHERE id = ?", (pathway.pk,)
        ).fetchone()[0]
        writes_kept = db.execute(
            "SELECT COUNT(*) FROM audit_auditentry WHERE action = 'test.write'"
        ).fetchone()[0]
    assert version == Pathway.objects.get(pk=pathway.pk).version + writes_kept
