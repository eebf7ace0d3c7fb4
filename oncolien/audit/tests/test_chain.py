import pytest
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction

from oncolien.audit.chain import verify_chain
from oncolien.audit.db_guards import install_guards, remove_guards
from oncolien.audit.models import GENESIS_HASH, AuditEntry, AuditTrailIsAppendOnly
from oncolien.audit.services import audit_record

pytestmark = pytest.mark.django_db


def _three_entries(actor=None):
    return [
        audit_record(actor=actor, action="test.first"),
        audit_record(actor=actor, action="test.second", target=("demo.thing", 7), details={"n": 2}),
        audit_record(actor=actor, action="test.third", details={"texte": "éàü"}),
    ]


def _tamper(sql: str, params: list) -> None:
    """What someone with direct database access could do: lift the guards and rewrite."""
    remove_guards(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        install_guards(connection)


def test_each_entry_is_chained_to_the_previous_one():
    first, second, third = _three_entries()
    assert second.sequence == first.sequence + 1
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert AuditEntry.objects.order_by("sequence").first().previous_hash == GENESIS_HASH
    assert verify_chain().is_intact


def test_verify_command_reports_an_intact_trail(call):
    _three_entries()
    out, _ = call("audit_verify")
    assert "Journal d'audit intègre" in out
    assert f"{AuditEntry.objects.count()} entrée(s)" in out


def test_verify_command_detects_a_tampered_entry(call):
    _, second, _ = _three_entries()
    _tamper("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["test.innocent", second.pk])
    with pytest.raises(CommandError, match="Journal d'audit altéré"):
        call("audit_verify")
    report = verify_chain()
    assert [(b.sequence, b.reason) for b in report.breaks] == [
        (second.sequence, "contenu modifié (empreinte différente)")
    ]


def test_verify_detects_a_deleted_entry_in_the_middle():
    _, second, third = _three_entries()
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [second.pk])
    report = verify_chain()
    assert not report.is_intact
    assert {b.sequence for b in report.breaks} == {third.sequence}


def test_verify_detects_a_removed_last_entry():
    _, _, third = _three_entries()
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [third.pk])
    report = verify_chain()
    assert [b.sequence for b in report.breaks] == [third.sequence]


def test_a_recomputed_hash_does_not_hide_tampering_from_the_next_entry():
    # A forger who rewrites an entry and recomputes its own hash still breaks the link
    # held by the following entry.
    from oncolien.audit.chain import digest_of

    first, second, third = _three_entries()
    second.action = "test.forged"
    forged_hash = digest_of(second)
    _tamper(
        "UPDATE audit_auditentry SET action = %s, entry_hash = %s WHERE id = %s",
        ["test.forged", forged_hash, second.pk],
    )
    report = verify_chain()
    assert [b.sequence for b in report.breaks] == [third.sequence]


def test_the_database_refuses_to_update_or_delete_an_entry():
    entry = audit_record(actor=None, action="test.protected")
    for statement in (
        "UPDATE audit_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises((DatabaseError, IntegrityError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    entry.refresh_from_db()
    assert entry.action == "test.protected"


def test_the_model_refuses_to_change_or_delete_an_entry():
    entry = audit_record(actor=None, action="test.protected")
    entry.action = "changed"
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.delete()


def test_an_entry_rolls_back_with_the_change_it_describes():
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="test.rolled_back")
        raise RuntimeError("the change failed")
    assert AuditEntry.objects.count() == before
    assert verify_chain().is_intact


def test_entries_name_the_actor_and_the_target(coordinator, nord_aveyron):
    entry = audit_record(actor=coordinator, action="test.read", target=nord_aveyron)
    assert entry.actor_label == coordinator.username
    assert entry.target_type == "territories.cpts"
    assert entry.target_id == str(nord_aveyron.pk)
