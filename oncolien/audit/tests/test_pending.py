"""Refusals reach the audit trail exactly once, whether or not a transaction rolls back."""

import pytest
from django.db import transaction

from oncolien.audit.models import AuditEntry
from oncolien.audit.pending import (
    flush_pending_refusals,
    pending_refusals,
    record_refusal,
    refusals_flushed,
    refusals_kept_apart,
)


def _denials(user) -> int:
    return AuditEntry.objects.filter(action="access.denied", actor_id=user.pk).count()


def _entry(user) -> dict:
    return {"actor": user, "action": "access.denied", "details": {"permission": "x.y"}}


def test_a_refusal_outside_a_transaction_is_written_at_once(db, outsider):
    record_refusal(_entry(outsider))
    assert _denials(outsider) == 1
    assert pending_refusals() == 0


def test_a_refusal_inside_a_rolled_back_transaction_is_written_by_the_edge(db, outsider):
    with refusals_flushed():
        with pytest.raises(RuntimeError), transaction.atomic():
            record_refusal(_entry(outsider))
            raise RuntimeError("the refusal rolls the transaction back")
        assert _denials(outsider) == 0
    assert _denials(outsider) == 1


def test_the_edge_does_not_write_inside_a_transaction_that_is_still_open(db, outsider):
    with refusals_flushed(), transaction.atomic():
        record_refusal(_entry(outsider))
        assert flush_pending_refusals() == 0
        assert pending_refusals() == 1
    assert _denials(outsider) == 1


def test_refusals_of_one_edge_are_not_written_under_another(db, outsider, coordinator):
    with refusals_flushed():
        with transaction.atomic():
            record_refusal(_entry(outsider))
        with refusals_flushed():
            assert pending_refusals() == 0
        assert pending_refusals() == 1
    assert _denials(outsider) == 1
    assert _denials(coordinator) == 0


def test_refusals_kept_apart_are_dropped_not_written(db, outsider):
    with refusals_kept_apart():
        with transaction.atomic():
            record_refusal(_entry(outsider))
        assert pending_refusals() == 1
    assert pending_refusals() == 0
    assert _denials(outsider) == 0
