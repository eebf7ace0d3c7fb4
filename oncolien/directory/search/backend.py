"""Which search backend serves the current database."""

from types import ModuleType

from django.core.exceptions import ImproperlyConfigured
from django.db import connection as default_connection

from . import postgres_fts, sqlite_fts


def for_connection(connection=default_connection) -> ModuleType:
    if connection.vendor == "sqlite":
        return sqlite_fts
    if connection.vendor == "postgresql":
        return postgres_fts
    raise ImproperlyConfigured(
        f"La recherche de l'annuaire fonctionne avec SQLite ou PostgreSQL, pas {connection.vendor}."
    )
