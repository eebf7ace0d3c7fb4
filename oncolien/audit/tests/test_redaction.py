"""Erasing an entry's personal content keeps the chain verifiable, for entries of both
hash versions; any other change, or an erasure nobody recorded, is still caught."""

from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from oncolien.audit.chain import entry_digest, verify_chain
from oncolien.audit.context import RequestOrigin, reset_origin, set_origin
from oncolien.audit.db_guards import install_guards, remove_guards
from oncolien.audit.models import HASH_V1, AuditChainHead, AuditEntry
from oncolien.audit.services import audit_record, audit_redact

pytestmark = pytest.mark.django_db


def _legacy_entry(*, action: str, details: dict, ip: str | None = None) -> AuditEntry:
    """An entry as written before migration 0003 (hash version 1 over the content)."""
    audit_record(actor=None, action="test.before")  # makes sure the head exists
    AuditChainHead.objects.filter(pk=1).update(last_sequence=F("last_sequence"))
    head = AuditChainHead.objects.get(pk=1)
    fields: dict[str, Any] = {
        "sequence": head.last_sequence + 1,
        "at": timezone.now(),
        "actor_id": None,
        "actor_label": "anonyme",
        "action": action,
        "target_type": "pathways.pathway",
        "target_id": "41",
        "ip_address": ip,
        "user_agent": "Firefox" if ip else "",
        "details": details,
        "previous_hash": head.last_hash,
    }
    entry = AuditEntry.objects.create(
        **fields, entry_hash=entry_digest(**fields), hash_version=HASH_V1
    )
    AuditChainHead.objects.filter(pk=1).update(
        last_sequence=entry.sequence, last_hash=entry.entry_hash
    )
    return entry


def _patient_link_entry() -> AuditEntry:
    token = set_origin(RequestOrigin(ip_address="203.0.113.7", user_agent="Mobile Safari"))
    try:
        return audit_record(
            actor=None,
            action="assessment.link.open",
            target=("pathways.pathway", 41),
            details={"needs": {"nutrition": "priority"}, "note": "Mme Fabrègue"},
        )
    finally:
        reset_origin(token)


def test_new_entries_hash_salted_digests_of_their_content():
    entry = _patient_link_entry()
    # Version 3 on PostgreSQL (the link hashed by the database), 2 on SQLite.
    assert entry.hash_version == (3 if connection.vendor == "postgresql" else 2)
    assert entry.details_salt and entry.origin_salt
    # The same content twice gives two digests: an erased content cannot be guessed back.
    other = _patient_link_entry()
    assert entry.details_digest != other.details_digest
    assert verify_chain().is_intact


def test_erasing_new_and_legacy_entries_keeps_the_chain_verifiable(call):
    legacy = _legacy_entry(action="pathway.read", details={"texte": "Fabrègue"}, ip="198.51.100.4")
    new = _patient_link_entry()
    after = audit_record(actor=None, action="test.after")
    redaction, erased = audit_redact(
        actor=None, entries=[legacy, new], target=("pathways.patient", 9), reason="retention"
    )
    assert erased == 2
    for entry in (legacy, new):
        entry.refresh_from_db()
        assert entry.details == {}
        assert entry.ip_address is None and entry.user_agent == ""
        assert entry.redacted_in == redaction.sequence
    assert "Fabrègue" not in str(redaction.details)
    report = verify_chain()
    assert report.is_intact, report.breaks
    assert report.redacted == 2
    out, _ = call("audit_verify")
    assert "Journal d'audit intègre" in out
    assert after.previous_hash == new.entry_hash  # the chain itself never moved


def test_an_erasure_nobody_recorded_is_a_break():
    entry = _patient_link_entry()
    remove_guards(connection)
    try:
        AuditEntry.objects.filter(pk=entry.pk).update(details={}, details_salt="", redacted_in=999)
    finally:
        install_guards(connection)
    reasons = [b.reason for b in verify_chain().breaks]
    assert reasons == ["contenu effacé sans entrée d'effacement qui le nomme"]


def test_changing_an_erased_entry_is_still_caught():
    legacy = _legacy_entry(action="pathway.read", details={"n": 1})
    new = _patient_link_entry()
    audit_redact(actor=None, entries=[legacy, new], target=None, reason="request")
    remove_guards(connection)
    try:
        AuditEntry.objects.filter(pk__in=[legacy.pk, new.pk]).update(action="test.forged")
    finally:
        install_guards(connection)
    breaks = {(b.sequence, b.reason) for b in verify_chain().breaks}
    assert (
        legacy.sequence,
        "entrée effacée modifiée (en-tête différent de celui de l'effacement)",
    ) in breaks
    assert (new.sequence, "contenu modifié (empreinte différente)") in breaks


def test_changing_the_content_of_a_new_entry_is_caught():
    entry = _patient_link_entry()
    remove_guards(connection)
    try:
        AuditEntry.objects.filter(pk=entry.pk).update(details={"needs": {}})
    finally:
        install_guards(connection)
    reasons = [b.reason for b in verify_chain().breaks]
    assert reasons == ["détails modifiés (empreinte du contenu différente)"]


def test_the_database_lets_through_only_an_erasure():
    entry = _patient_link_entry()
    for statement, params in (
        # Not marked erased: refused.
        ("UPDATE audit_auditentry SET details = '{}', details_salt = '' WHERE id = %s", []),
        # Marked erased, but another field moved: refused.
        (
            "UPDATE audit_auditentry SET details = '{}', details_salt = '', redacted_in = 5, "
            "action = 'x' WHERE id = %s",
            [],
        ),
        # Marked erased, details replaced rather than emptied: refused.
        (
            "UPDATE audit_auditentry SET details = '{\"a\": 1}', details_salt = '', "
            "redacted_in = 5 WHERE id = %s",
            [],
        ),
    ):
        with (
            pytest.raises((DatabaseError, IntegrityError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [*params, entry.pk])
    entry.refresh_from_db()
    assert entry.details["note"] == "Mme Fabrègue"
    # The erasure itself goes through (what audit_redact does).
    audit_redact(actor=None, entries=[entry], target=None, reason="request")
    entry.refresh_from_db()
    assert entry.details == {}
    # And only once: an erased entry cannot be changed again.
    with (
        pytest.raises((DatabaseError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE audit_auditentry SET redacted_in = 1 WHERE id = %s",
            [entry.pk],
        )
