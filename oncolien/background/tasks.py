"""Periodic tasks of the background app (thin: they call services)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from oncolien.background.services import heartbeat_record


@db_periodic_task(crontab(minute="*"), name="background.heartbeat")
def heartbeat() -> None:
    heartbeat_record()
