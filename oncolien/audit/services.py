"""Writing to the audit trail: the one function every audited action calls."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from oncolien.audit.chain import entry_digest
from oncolien.audit.context import current_origin
from oncolien.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry


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


@transaction.atomic
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
    # Taking the write lock on the chain head first orders concurrent appends:
    # a row lock on PostgreSQL, the database write lock on SQLite.
    locked = AuditChainHead.objects.filter(pk=1).update(last_sequence=F("last_sequence"))
    if not locked:
        AuditChainHead.objects.create(pk=1, last_sequence=0, last_hash=GENESIS_HASH)
    head = AuditChainHead.objects.get(pk=1)

    actor_id, actor_label = _actor_identity(actor)
    target_type, target_id = _target_identity(target)
    origin = current_origin()
    # Store exactly what will be hashed: plain JSON values, as the database returns them.
    clean_details = json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))
    fields = {
        "sequence": head.last_sequence + 1,
        "at": timezone.now(),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "ip_address": origin.ip_address,
        "user_agent": origin.user_agent,
        "details": clean_details,
        "previous_hash": head.last_hash,
    }
    entry = AuditEntry.objects.create(**fields, entry_hash=entry_digest(**fields))
    AuditChainHead.objects.filter(pk=1).update(
        last_sequence=entry.sequence, last_hash=entry.entry_hash
    )
    return entry
