"""Hashing and verification of the audit chain.

Two versions of the hash live in one chain:

- version 1 (entries written before migration 0003): SHA-256 over a canonical JSON
  of every stored field and the previous hash;
- version 2: the same, except that the erasable parts — the details, and the
  origin (address and browser) — enter as salted digests. Erasing them (right to
  erasure, end of retention: `services.audit_redact`) keeps the digests, so the
  entry's hash is still recomputed and the chain still verifies;
- version 3 (PostgreSQL): the fields of version 2 but the previous hash and the
  sequence make a body digest, computed in Python; the entry's hash is
  SHA-256("v3:<previous hash>:<sequence>:<body digest>"), computed by PostgreSQL in
  the one statement that locks the chain head, appends the entry and moves the head
  (`services.audit_record`): one round trip instead of five, and the head's lock held
  for one statement only.

An erased entry must be named by a later `audit.redact` entry (itself chained):
an erasure that nobody recorded is a break. A version-1 entry cannot be
recomputed once erased; the redaction entry then carries the digest of what stays
of it (its header: number, date, author, action, object, both hashes), checked
instead, and the next entry's link still holds its hash.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from oncolien.audit.models import GENESIS_HASH, HASH_V1, HASH_V3, REDACT_ACTION, AuditEntry


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def details_digest(*, salt: str, details: dict[str, Any]) -> str:
    return _sha256(f"details|{salt}|{canonical(details)}")


def origin_digest(*, salt: str, ip_address: str | None, user_agent: str) -> str:
    return _sha256(f"origin|{salt}|{canonical({'ip': ip_address, 'ua': user_agent})}")


def entry_digest(
    *,
    sequence: int,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    ip_address: str | None,
    user_agent: str,
    details: dict[str, Any],
    previous_hash: str,
) -> str:
    """Version 1: SHA-256 over a canonical JSON of every stored field and the previous hash."""
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
    return _sha256(canonical(payload))


def entry_digest_v2(
    *,
    sequence: int,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    details_digest: str,
    origin_digest: str,
    previous_hash: str,
) -> str:
    """Version 2: the erasable parts enter by their salted digests."""
    described = _described(
        at=at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details_digest=details_digest,
        origin_digest=origin_digest,
    )
    # Keys are sorted by `canonical`: the same JSON as when this payload was spelt out.
    payload = {"v": 2, "sequence": sequence, "previous_hash": previous_hash, **described}
    return _sha256(canonical(payload))


def _described(
    *,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    details_digest: str,
    origin_digest: str,
) -> dict[str, Any]:
    """What an entry of version 2 or 3 says, its content by its digests, without the link."""
    return {
        "at": at.isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "details_digest": details_digest,
        "origin_digest": origin_digest,
    }


def body_digest_v3(
    *,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    details_digest: str,
    origin_digest: str,
) -> str:
    """Version 3: everything but the chain link (previous hash, sequence)."""
    described = _described(
        at=at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details_digest=details_digest,
        origin_digest=origin_digest,
    )
    return _sha256(canonical({"v": 3, **described}))


def entry_digest_v3(*, previous_hash: str, sequence: int, body_digest: str) -> str:
    """The link, as PostgreSQL computes it when the entry is appended (services)."""
    return _sha256(f"v3:{previous_hash}:{sequence}:{body_digest}")


def header_digest(entry: AuditEntry) -> str:
    """What stays of an entry once erased, as the redaction entry records it."""
    return _sha256(
        canonical(
            {
                "sequence": entry.sequence,
                "at": entry.at.isoformat(timespec="microseconds"),
                "actor_id": entry.actor_id,
                "actor_label": entry.actor_label,
                "action": entry.action,
                "target_type": entry.target_type,
                "target_id": entry.target_id,
                "previous_hash": entry.previous_hash,
                "entry_hash": entry.entry_hash,
            }
        )
    )


def digest_of(entry: AuditEntry) -> str:
    """The hash the entry should carry, from its stored fields (never erased ones)."""
    if entry.hash_version == HASH_V3:
        return entry_digest_v3(
            previous_hash=entry.previous_hash,
            sequence=entry.sequence,
            body_digest=body_digest_v3(
                at=entry.at,
                actor_id=entry.actor_id,
                actor_label=entry.actor_label,
                action=entry.action,
                target_type=entry.target_type,
                target_id=entry.target_id,
                details_digest=entry.details_digest,
                origin_digest=entry.origin_digest,
            ),
        )
    if entry.hash_version == HASH_V1:
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
    return entry_digest_v2(
        sequence=entry.sequence,
        at=entry.at,
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        details_digest=entry.details_digest,
        origin_digest=entry.origin_digest,
        previous_hash=entry.previous_hash,
    )


def content_breaks(entry: AuditEntry) -> list[str]:
    """Why the stored content of a version-2 entry no longer matches its digests."""
    reasons = []
    if entry.details_salt and entry.details_digest != details_digest(
        salt=entry.details_salt, details=entry.details
    ):
        reasons.append("détails modifiés (empreinte du contenu différente)")
    if entry.origin_salt and entry.origin_digest != origin_digest(
        salt=entry.origin_salt, ip_address=entry.ip_address, user_agent=entry.user_agent
    ):
        reasons.append("origine modifiée (empreinte du contenu différente)")
    return reasons


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    breaks: list[ChainBreak]
    redacted: int = 0

    @property
    def is_intact(self) -> bool:
        return not self.breaks


def _attestations(redactions: Iterable[AuditEntry]) -> dict[int, tuple[int, str | None]]:
    """{erased sequence: (sequence of the redaction entry, header digest or None)}."""
    found: dict[int, tuple[int, str | None]] = {}
    for redaction in redactions:
        for item in redaction.details.get("entries", []):
            if isinstance(item, dict) and isinstance(item.get("sequence"), int):
                found[item["sequence"]] = (redaction.sequence, item.get("header"))
    return found


def _redaction_breaks(entry: AuditEntry, attested: dict[int, tuple[int, str | None]]) -> list[str]:
    attestation = attested.get(entry.sequence)
    if attestation is None or attestation[0] != entry.redacted_in:
        return ["contenu effacé sans entrée d'effacement qui le nomme"]
    if entry.hash_version == HASH_V1 and attestation[1] != header_digest(entry):
        return ["entrée effacée modifiée (en-tête différent de celui de l'effacement)"]
    return []


def _walk(
    entries: Iterator[AuditEntry],
    head_sequence: int | None,
    attested: dict[int, tuple[int, str | None]],
) -> ChainReport:
    breaks: list[ChainBreak] = []
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = redacted = 0
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
        if entry.redacted_in is not None:
            redacted += 1
            breaks.extend(
                ChainBreak(entry.sequence, reason) for reason in _redaction_breaks(entry, attested)
            )
            # A version-1 entry cannot be recomputed without its content: its header
            # (checked above) and the next entry's link hold it.
            if entry.hash_version != HASH_V1:
                # A professional's address and browser stay on an erased entry: still checked.
                breaks.extend(ChainBreak(entry.sequence, r) for r in content_breaks(entry))
                if digest_of(entry) != entry.entry_hash:
                    breaks.append(
                        ChainBreak(entry.sequence, "contenu modifié (empreinte différente)")
                    )
        else:
            if entry.hash_version != HASH_V1:
                breaks.extend(ChainBreak(entry.sequence, r) for r in content_breaks(entry))
                if not entry.details_salt or not entry.origin_salt:
                    breaks.append(
                        ChainBreak(
                            entry.sequence, "contenu effacé sans entrée d'effacement qui le nomme"
                        )
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
    return ChainReport(checked=checked, breaks=breaks, redacted=redacted)


def verify_chain() -> ChainReport:
    """Walk the whole trail in order and report every place where the chain is broken."""
    from oncolien.audit.models import AuditChainHead

    head = AuditChainHead.objects.filter(pk=1).first()
    # The redaction entries are few (one per anonymised patient): read first, so that
    # each erased entry is checked against the one that names it.
    attested = _attestations(AuditEntry.objects.filter(action=REDACT_ACTION).order_by("sequence"))
    entries = AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000)
    return _walk(entries, head.last_sequence if head else None, attested)
