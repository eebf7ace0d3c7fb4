"""PostgreSQL backups: pg_dump of the running database, restored by the `restore`
command (its own process) into a new, empty database, and checked against the manifest."""

import json
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from oncolien.audit.models import AuditChainHead, AuditEntry
from oncolien.backups.tests.helpers import manage, start_writer, stop_writer, wait_for
from oncolien.pathways.models import Pathway
from oncolien.pathways.services import pathway_update
from oncolien.pathways.tests.factories import make_pathway

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL pass"),
]


def _url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{name}"


def _admin() -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        user=s["USER"],
        password=s.get("PASSWORD") or None,
        host=s["HOST"],
        port=s["PORT"],
        autocommit=True,
    )


@pytest.fixture
def empty_database():
    """A new database, empty, dropped after the test: the restore's target."""
    name = f"restore_{uuid.uuid4().hex[:12]}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _only_directory(output: Path) -> Path:
    (directory,) = output.iterdir()
    return directory


def _one(name: str, query: str, *params):
    s = connection.settings_dict
    with psycopg.connect(
        dbname=name,
        user=s["USER"],
        password=s.get("PASSWORD") or None,
        host=s["HOST"],
        port=s["PORT"],
    ) as db:
        row = db.execute(query, params).fetchone()
        assert row is not None
        return row[0]


def test_a_dump_restores_into_an_empty_database_with_the_same_data(
    coordinator, tmp_path, call, empty_database
):
    pathway = make_pathway(actor=coordinator)
    pathway_update(actor=coordinator, pathway=pathway, cancer_site="breast", pps_reference="PPS")
    head = AuditChainHead.objects.get(pk=1)
    entries = AuditEntry.objects.count()

    out, _ = call("backup", output=tmp_path)
    directory = _only_directory(tmp_path)
    assert "Sauvegarde postgresql écrite" in out
    manifest = json.loads((directory / "manifest.json").read_text())
    assert (manifest["engine"], manifest["file"]) == ("postgresql", "database.dump")
    assert (directory / "database.dump").read_bytes()[:5] == b"PGDMP"
    assert manifest["audit_chain"] == {
        "last_sequence": head.last_sequence,
        "last_hash": head.last_hash,
    }
    tables = {table["name"]: table for table in manifest["tables"]}
    assert tables["audit_auditentry"]["rows"] == entries

    restored = manage(_url(empty_database), "restore", str(directory))
    assert restored.returncode == 0, restored.stderr
    assert "Sauvegarde restaurée et vérifiée" in restored.stdout
    assert (
        _one(empty_database, "SELECT cancer_site FROM pathways_pathway WHERE id = %s", pathway.pk)
        == "breast"
    )
    assert _one(empty_database, "SELECT COUNT(*) FROM audit_auditentry") == entries + 1

    again = manage(_url(empty_database), "restore", str(directory))
    assert again.returncode != 0
    assert "La base de données cible n'est pas vide" in again.stderr


def test_a_dump_taken_while_the_application_writes_is_consistent(
    coordinator, tmp_path, call, empty_database
):
    pathway = make_pathway(actor=coordinator)
    live = connection.settings_dict["NAME"]
    before = AuditChainHead.objects.get(pk=1).last_sequence
    version_before = Pathway.objects.get(pk=pathway.pk).version

    writer = start_writer(_url(live), pathway=pathway.pk, work=tmp_path)
    try:
        wait_for(tmp_path / "writer-started", writer)
        call("backup", output=tmp_path / "out")
    finally:
        stop_writer(writer, tmp_path)
    directory = _only_directory(tmp_path / "out")
    manifest = json.loads((directory / "manifest.json").read_text())
    head = manifest["audit_chain"]["last_sequence"]
    final = AuditChainHead.objects.get(pk=1).last_sequence
    assert before + 20 <= head < final - 1, (before, head, final)

    restored = manage(_url(empty_database), "restore", str(directory))
    assert restored.returncode == 0, restored.stderr + restored.stdout
    version = _one(empty_database, "SELECT version FROM pathways_pathway WHERE id = %s", pathway.pk)
    kept = _one(empty_database, "SELECT COUNT(*) FROM audit_auditentry WHERE action = 'test.write'")
    assert version == version_before + kept
