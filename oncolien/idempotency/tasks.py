"""Periodic task of idempotency: forget the keys past their lifetime (24 h)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from oncolien.idempotency.services import purge_expired


@db_periodic_task(crontab(minute="17"), name="idempotency.purge_expired")  # type: ignore[untyped-decorator]
def purge_expired_keys() -> None:
    purge_expired()
