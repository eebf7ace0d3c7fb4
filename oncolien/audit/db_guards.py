"""Database triggers that make the audit table append-only, per engine.

Migration 0002 installs the first version (no change at all); migration 0003 the
second, which lets one change through: the erasure of an entry's personal content
(details emptied, a patient's address and browser removed, salts dropped), once,
with everything hashed or chained left as it was (`services.audit_redact`). The
project's `flush` command (used by the test framework and by an operator resetting
a whole database) lifts them for the time of the flush only.
"""

FORWARD_V1 = {
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
# The one update let through: an erasure, from unerased to erased, nothing else moved.
_SQLITE_ERASURE = """
    OLD.redacted_in IS NULL AND NEW.redacted_in IS NOT NULL
    AND NEW.id = OLD.id AND NEW.sequence = OLD.sequence AND NEW.at = OLD.at
    AND NEW.actor_id IS OLD.actor_id AND NEW.actor_label = OLD.actor_label
    AND NEW.action = OLD.action AND NEW.target_type = OLD.target_type
    AND NEW.target_id = OLD.target_id AND NEW.previous_hash = OLD.previous_hash
    AND NEW.entry_hash = OLD.entry_hash AND NEW.hash_version = OLD.hash_version
    AND NEW.details_digest = OLD.details_digest AND NEW.origin_digest = OLD.origin_digest
    AND NEW.details = '{}' AND NEW.details_salt = ''
    AND (NEW.ip_address IS OLD.ip_address OR NEW.ip_address IS NULL)
    AND (NEW.user_agent = OLD.user_agent OR NEW.user_agent = '')
    AND (NEW.origin_salt = OLD.origin_salt OR NEW.origin_salt = '')
"""
_POSTGRES_ERASURE = (
    _SQLITE_ERASURE.replace(
        "NEW.actor_id IS OLD.actor_id", "NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id"
    )
    .replace(
        "NEW.ip_address IS OLD.ip_address", "NEW.ip_address IS NOT DISTINCT FROM OLD.ip_address"
    )
    .replace("NEW.details = '{}'", "NEW.details = '{}'::jsonb")
)

FORWARD = {
    "sqlite": [
        f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
           WHEN NOT ({_SQLITE_ERASURE})
           BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;""",
        FORWARD_V1["sqlite"][1],
    ],
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
           BEGIN
             IF TG_OP = 'UPDATE' THEN
               IF {_POSTGRES_ERASURE} THEN RETURN NEW; END IF;
             END IF;
             RAISE EXCEPTION 'audit trail is append-only';
           END; $$ LANGUAGE plpgsql;""",
        *FORWARD_V1["postgresql"][1:],
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


def install_guards(connection, *, version: int = 2) -> None:
    statements = FORWARD if version == 2 else FORWARD_V1
    with connection.cursor() as cursor:
        for statement in statements.get(connection.vendor, []):
            cursor.execute(statement)


def remove_guards(connection) -> None:
    with connection.cursor() as cursor:
        for statement in BACKWARD.get(connection.vendor, []):
            cursor.execute(statement)
