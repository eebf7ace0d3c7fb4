"""Refusals recorded exactly once, even when they happen inside a transaction.

A refused access must reach the audit trail. Written inside the application's
transaction, the entry would vanish with the rollback that the refusal causes;
so `record_refusal` writes at once when no application transaction is open and
otherwise keeps the entry aside, in the context of the request (or command, or
task) being served. The three edges of the application flush what was kept
once every transaction is over:

- the HTTP middleware (`audit.middleware.RequestContextMiddleware`), after the
  response is built, whatever view or helper caught the refusal;
- the API's exception handler (`oncolien.api`), for the same reason;
- `audit.commands.AuditedCommand`, the base class of management commands that act
  for a user.

Nothing else needs to know about it: a view that turns a refusal into a 404
does not write anything itself.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection

from oncolien.audit.services import audit_record

_pending: ContextVar[list[dict[str, Any]] | None] = ContextVar("audit_pending", default=None)


def inside_application_transaction() -> bool:
    """True inside an atomic block opened by the application (not by a test case)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def record_refusal(entry: dict[str, Any]) -> None:
    """Write the entry now, or keep it for the edge when a rollback would erase it."""
    if not inside_application_transaction():
        audit_record(**entry)
        return
    pending = _pending.get()
    if pending is None:
        pending = []
        _pending.set(pending)
    pending.append(entry)


def pending_refusals() -> int:
    """How many refusals wait for an edge to write them (for tests and checks)."""
    return len(_pending.get() or [])


def flush_pending_refusals() -> int:
    """Write the refusals kept aside; returns how many were written.

    Called by an edge once the transactions it served are over. Inside an
    application transaction it writes nothing (the entries would roll back with
    it) and leaves them for the outer edge.
    """
    pending = _pending.get()
    if not pending or inside_application_transaction():
        return 0
    entries, pending[:] = list(pending), []
    for entry in entries:
        audit_record(**entry)
    return len(entries)


@contextmanager
def refusals_flushed() -> Iterator[None]:
    """Serve one request, command or task, then write the refusals it left pending.

    Each edge starts with an empty list, so that refusals of one request can never
    be written under another.
    """
    token = _pending.set([])
    try:
        yield
    finally:
        try:
            flush_pending_refusals()
        finally:
            _pending.reset(token)


@contextmanager
def refusals_kept_apart() -> Iterator[None]:
    """A fresh list of pending refusals, dropped at the end without writing.

    For a test: each test is its own context, so refusals it leaves pending can never
    be written under the next one. A test that checks an entry flushes it itself.
    """
    token = _pending.set([])
    try:
        yield
    finally:
        _pending.reset(token)
