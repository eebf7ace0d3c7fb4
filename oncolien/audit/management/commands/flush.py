from django.core.management.commands import flush
from django.db import connections

from oncolien.audit.db_guards import install_guards, remove_guards


class Command(flush.Command):
    """Django's flush, which empties every table, the audit trail included.

    The append-only triggers are lifted for the flush only: emptying a whole
    database is an operator's (or the test framework's) act, not the application's.
    """

    def handle(self, **options):
        connection = connections[options["database"]]
        remove_guards(connection)
        try:
            return super().handle(**options)
        finally:
            install_guards(connection)
            from oncolien.audit.models import AuditChainHead

            AuditChainHead.objects.using(options["database"]).get_or_create(pk=1)
