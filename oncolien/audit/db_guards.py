"""Database triggers that make the audit table append-only, per engine.

Migration 0002 installs them; the project's `flush` command (used by the test
framework and by an operator resetting a whole database) lifts them for the time
of the flush only.
"""

FORWARD = {
    "sqlite": [
        """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
           BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;""",
        """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
           BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'audit trail is append-only'; END; $$ LANGUAGE plpgsql;""",
        """CREATE TRIGGER audit_entry_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditentry
           FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();""",
        # TRUNCATE bypasses row triggers; a statement trigger refuses it too.
        """CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
           FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();""",
    ],
}
BACKWARD = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_entry_no_update;",
        "DROP TRIGGER IF EXISTS audit_entry_no_delete;",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_entry_no_update_delete ON audit_auditentry;",
        "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;",
    ],
}


def install_guards(connection) -> None:
    with connection.cursor() as cursor:
        for statement in FORWARD.get(connection.vendor, []):
            cursor.execute(statement)


def remove_guards(connection) -> None:
    with connection.cursor() as cursor:
        for statement in BACKWARD.get(connection.vendor, []):
            cursor.execute(statement)
