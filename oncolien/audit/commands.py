"""The base class of management commands that act for a user.

A command is an edge like an HTTP request: a refusal raised inside one of its
transactions is written to the audit trail once the command is over (see
`audit.pending`), whether the command reports it as an error or not.
"""

from typing import Any

from django.core.management.base import BaseCommand

from oncolien.audit.pending import refusals_flushed


class AuditedCommand(BaseCommand):
    def execute(self, *args: Any, **options: Any) -> str | None:
        with refusals_flushed():
            return super().execute(*args, **options)
