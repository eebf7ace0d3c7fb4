"""The manifest written beside each backup, and its comparison with a restored database.

manifest.json says when (Europe/Paris) and from which engine the backup was made,
the backup file and its SHA-256, each table's row count and checksum, and the head
of the audit chain (last sequence number and hash), all read from the backup's own
snapshot.
"""

import hashlib
from pathlib import Path
from typing import Any

from oncolien.audit.models import AuditChainHead
from oncolien.backups.fingerprint import Cursor, quote_name

FORMAT = 1
MANIFEST_NAME = "manifest.json"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def chain_head_of(cursor: Cursor, *, existing: set[str]) -> dict[str, Any]:
    """The audit chain's head as `cursor` sees it: {"last_sequence", "last_hash"}."""
    table = AuditChainHead._meta.db_table
    if table not in existing:
        return {"last_sequence": 0, "last_hash": None}
    query = f"SELECT last_sequence, last_hash FROM {quote_name(table)} WHERE id = 1"  # noqa: S608
    cursor.execute(query)
    rows = cursor.fetchmany(1)
    if not rows:
        return {"last_sequence": 0, "last_hash": None}
    return {"last_sequence": int(rows[0][0]), "last_hash": rows[0][1]}


def differences(expected: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """What differs between a manifest's figures and a restored database's, in French."""
    problems = []
    restored = {table["name"]: table for table in found["tables"]}
    for table in expected["tables"]:
        name = table["name"]
        other = restored.get(name)
        if other is None:
            problems.append(f"Table {name} absente de la base restaurée.")
        elif other["rows"] != table["rows"]:
            problems.append(
                f"Table {name} : {other['rows']} ligne(s) restaurée(s), "
                f"{table['rows']} dans la sauvegarde."
            )
        elif other["sha256"] != table["sha256"]:
            problems.append(
                f"Table {name} : contenu différent de la sauvegarde (empreinte SHA-256)."
            )
    if found["audit_chain"] != expected["audit_chain"]:
        problems.append(
            "Tête du journal d'audit différente : "
            f"n° {found['audit_chain']['last_sequence']} restauré, "
            f"n° {expected['audit_chain']['last_sequence']} dans la sauvegarde."
        )
    return problems
