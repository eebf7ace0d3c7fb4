"""Writing to the audit trail: the one function every audited action calls."""

import json
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from oncolien.audit.chain import (
    body_digest_v3,
    details_digest,
    entry_digest_v2,
    header_digest,
    origin_digest,
)
from oncolien.audit.context import current_origin
from oncolien.audit.models import (
    GENESIS_HASH,
    HASH_V1,
    HASH_V2,
    HASH_V3,
    REDACT_ACTION,
    AuditChainHead,
    AuditEntry,
)


def _target_identity(target) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk)
    kind, identifier = target
    return str(kind), str(identifier)


def _actor_identity(actor) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "anonyme"
    return actor.pk, actor.get_username()


def client_address() -> str | None:
    """The address of the client being served, as the audit trail records it (behind
    a declared proxy, the forwarded one); None outside a request."""
    return current_origin().ip_address


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | tuple[str, str | int] | None = None,
    details: dict | None = None,
) -> AuditEntry:
    """Append one entry to the trail, chained to the previous one.

    `target` is a model instance or a (type, id) pair. Called inside the caller's
    transaction, the entry is committed with the change it describes, or not at all.
    """
    actor_id, actor_label = _actor_identity(actor)
    target_type, target_id = _target_identity(target)
    origin = current_origin()
    # Store exactly what will be hashed: plain JSON values, as the database returns them.
    clean_details = json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))
    details_salt, origin_salt = secrets.token_hex(16), secrets.token_hex(16)
    # Everything but the chain link is computed before the chain head is locked.
    fields: dict[str, Any] = {
        "at": timezone.now(),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "details_digest": details_digest(salt=details_salt, details=clean_details),
        "origin_digest": origin_digest(
            salt=origin_salt, ip_address=origin.ip_address, user_agent=origin.user_agent
        ),
    }
    content: dict[str, Any] = {
        "ip_address": origin.ip_address,
        "user_agent": origin.user_agent,
        "details": clean_details,
        "details_salt": details_salt,
        "origin_salt": origin_salt,
    }
    if connection.vendor == "postgresql":
        return _append_in_one_statement(fields, content)
    return _append_v2(fields, content)


@transaction.atomic
def _append_v2(fields: dict[str, Any], content: dict[str, Any]) -> AuditEntry:
    head = _locked_head()
    header = {**fields, "sequence": head.last_sequence + 1, "previous_hash": head.last_hash}
    entry = AuditEntry.objects.create(
        **header,
        **content,
        hash_version=HASH_V2,
        entry_hash=entry_digest_v2(**header),
    )
    AuditChainHead.objects.filter(pk=1).update(
        last_sequence=entry.sequence, last_hash=entry.entry_hash
    )
    return entry


# Locks the chain head (a concurrent append waits, then reads the head it moved), hashes
# the link, moves the head and appends the entry: one statement, atomic on its own.
_APPEND = """
WITH old AS (
    SELECT last_sequence, last_hash FROM audit_auditchainhead WHERE id = 1 FOR UPDATE
), link AS (
    SELECT last_sequence + 1 AS sequence, last_hash AS previous_hash,
        encode(sha256(convert_to(
            'v3:' || last_hash || ':' || (last_sequence + 1)::text || ':' || %(body)s, 'UTF8'
        )), 'hex') AS entry_hash
    FROM old
), moved AS (
    UPDATE audit_auditchainhead AS head
    SET last_sequence = link.sequence, last_hash = link.entry_hash
    FROM link WHERE head.id = 1
)
INSERT INTO audit_auditentry (
    sequence, previous_hash, entry_hash, hash_version, at, actor_id, actor_label, action,
    target_type, target_id, ip_address, user_agent, details, details_salt, details_digest,
    origin_salt, origin_digest
)
SELECT link.sequence, link.previous_hash, link.entry_hash, %(version)s, %(at)s,
    %(actor_id)s, %(actor_label)s, %(action)s, %(target_type)s, %(target_id)s,
    %(ip_address)s::inet, %(user_agent)s, %(details)s::jsonb, %(details_salt)s,
    %(details_digest)s, %(origin_salt)s, %(origin_digest)s
FROM link
RETURNING id, sequence, previous_hash, entry_hash
"""


def _append_in_one_statement(fields: dict[str, Any], content: dict[str, Any]) -> AuditEntry:
    """PostgreSQL: one round trip per entry (version 3, see `audit.chain`), where the
    version-2 append takes five (begin, lock, insert, move the head, commit) and holds
    the head's lock meanwhile; every audited request waits for it."""
    params = {
        **fields,
        **content,
        "details": json.dumps(content["details"]),
        "version": HASH_V3,
        "body": body_digest_v3(**fields),
    }
    with connection.cursor() as cursor:
        cursor.execute(_APPEND, params)
        row = cursor.fetchone()
        if row is None:  # no chain head yet (a new database): made, then appended
            AuditChainHead.objects.get_or_create(
                pk=1, defaults={"last_sequence": 0, "last_hash": GENESIS_HASH}
            )
            cursor.execute(_APPEND, params)
            row = cursor.fetchone()
    pk, sequence, previous_hash, entry_hash = row
    entry = AuditEntry(
        pk=pk,
        sequence=sequence,
        previous_hash=previous_hash,
        entry_hash=entry_hash,
        hash_version=HASH_V3,
        **fields,
        **content,
    )
    entry._state.adding = False
    entry._state.db = connection.alias
    return entry


def _locked_head() -> AuditChainHead:
    # Taking the write lock on the chain head first orders concurrent appends.
    if connection.features.has_select_for_update:
        # PostgreSQL: the row lock and the read in one statement (every audited request
        # goes through here: one round trip less, and the lock held that much shorter).
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is not None:
            return head
    # SQLite: a write takes the database's write lock, then the head is read.
    elif AuditChainHead.objects.filter(pk=1).update(last_sequence=F("last_sequence")):
        return AuditChainHead.objects.get(pk=1)
    return AuditChainHead.objects.create(pk=1, last_sequence=0, last_hash=GENESIS_HASH)


@transaction.atomic
def audit_redact(
    *,
    actor,
    entries: Iterable[AuditEntry],
    target: models.Model | tuple[str, str | int] | None,
    reason: str,
) -> tuple[AuditEntry | None, int]:
    """Erase the personal content of `entries`, keeping their hashes: the details
    always, the address and browser when the entry has no author (a patient or a
    relative who used a link; a professional's stay, for accountability).

    First an `audit.redact` entry names them (with, for a version-1 entry, the digest
    of what stays of it), then their content goes, in the same transaction; the
    database triggers let through only this one-way erasure. `reason` is a code
    (« retention », « request »), never a free text. Returns the redaction entry
    (None when there was nothing to erase) and the number of entries erased.
    """
    _locked_head()  # no append between the list below and the erasure
    chosen = sorted(
        (e for e in entries if e.redacted_in is None and e.action != REDACT_ACTION),
        key=lambda e: e.sequence,
    )
    if not chosen:
        return None, 0
    named = [
        {
            "sequence": e.sequence,
            **({"header": header_digest(e)} if e.hash_version == HASH_V1 else {}),
        }
        for e in chosen
    ]
    redaction = audit_record(
        actor=actor,
        action=REDACT_ACTION,
        target=target,
        details={"reason": reason, "entries": named},
    )
    for entry in chosen:
        erased: dict[str, object] = {
            "details": {},
            "details_salt": "",
            "redacted_in": redaction.sequence,
        }
        if entry.actor_id is None:
            erased.update(ip_address=None, user_agent="", origin_salt="")
        AuditEntry.objects.filter(pk=entry.pk, redacted_in__isnull=True).update(**erased)
    return redaction, len(chosen)
