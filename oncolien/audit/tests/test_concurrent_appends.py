"""Appends from several connections at once stay one unbroken chain: the head's lock
orders them (PostgreSQL: SELECT … FOR UPDATE; SQLite has one writer at a time)."""

import threading

import pytest
from django.db import connection, connections

from oncolien.audit.chain import verify_chain
from oncolien.audit.models import AuditEntry
from oncolien.audit.services import audit_record

THREADS, EACH = 6, 15


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="several connections at once: PostgreSQL only"
)
def test_concurrent_appends_make_one_contiguous_chain():
    before = AuditEntry.objects.count()
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def append(n: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                audit_record(actor=None, action="test.concurrent", details={"thread": n, "i": i})
        except BaseException as error:  # reported below, not lost in the thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    sequences = list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert len(sequences) == before + THREADS * EACH
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))
    assert verify_chain().is_intact


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="version 3: PostgreSQL only")
def test_an_append_is_one_statement_that_the_python_check_recomputes():
    """Lock, link hash, head and entry in one round trip; `verify_chain` recomputes the
    database's hash in Python."""
    from django.test.utils import CaptureQueriesContext

    from oncolien.audit.chain import digest_of

    audit_record(actor=None, action="test.first")
    with CaptureQueriesContext(connection) as captured:
        entry = audit_record(actor=None, action="test.second", details={"n": 2})

    assert len(captured.captured_queries) == 1
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.hash_version == 3 and stored.entry_hash == entry.entry_hash
    assert digest_of(stored) == stored.entry_hash
    assert stored.previous_hash == AuditEntry.objects.get(sequence=entry.sequence - 1).entry_hash
    assert verify_chain().is_intact
