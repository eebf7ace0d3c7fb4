"""Hashing and verification of the audit chain."""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from oncolien.audit.models import GENESIS_HASH, AuditEntry


def entry_digest(
    *,
    sequence: int,
    at,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    ip_address: str | None,
    user_agent: str,
    details: dict,
    previous_hash: str,
) -> str:
    """SHA-256 over a canonical JSON of every stored field of an entry and the previous hash."""
    payload = {
        "sequence": sequence,
        "at": at.isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "ip_address": ip_address,
        "user_agent": user_agent,
        "details": details,
        "previous_hash": previous_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def digest_of(entry: AuditEntry) -> str:
    return entry_digest(
        sequence=entry.sequence,
        at=entry.at,
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        ip_address=entry.ip_address,
        user_agent=entry.user_agent,
        details=entry.details,
        previous_hash=entry.previous_hash,
    )


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    breaks: list[ChainBreak]

    @property
    def is_intact(self) -> bool:
        return not self.breaks


def _walk(entries: Iterator[AuditEntry], head_sequence: int | None) -> ChainReport:
    breaks: list[ChainBreak] = []
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for entry in entries:
        checked += 1
        if entry.sequence != expected_sequence:
            breaks.append(
                ChainBreak(
                    entry.sequence,
                    f"numéro attendu {expected_sequence} : entrée(s) supprimée(s) ou insérée(s)",
                )
            )
        if entry.previous_hash != expected_previous:
            breaks.append(
                ChainBreak(entry.sequence, "ne suit pas l'entrée précédente (chaînage rompu)")
            )
        if digest_of(entry) != entry.entry_hash:
            breaks.append(ChainBreak(entry.sequence, "contenu modifié (empreinte différente)"))
        expected_previous = entry.entry_hash
        expected_sequence = entry.sequence + 1
    if head_sequence is not None and head_sequence != expected_sequence - 1:
        breaks.append(
            ChainBreak(
                head_sequence,
                f"la dernière entrée devrait porter le numéro {head_sequence} : "
                "entrée(s) finale(s) supprimée(s)",
            )
        )
    return ChainReport(checked=checked, breaks=breaks)


def verify_chain() -> ChainReport:
    """Walk the whole trail in order and report every place where the chain is broken."""
    from oncolien.audit.models import AuditChainHead

    head = AuditChainHead.objects.filter(pk=1).first()
    entries = AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000)
    return _walk(entries, head.last_sequence if head else None)
