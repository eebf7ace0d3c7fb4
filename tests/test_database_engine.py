import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_suite_runs_on_the_engine_named_by_database_url():
    # Guards the PostgreSQL run of `make test` against silently falling back to SQLite.
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
