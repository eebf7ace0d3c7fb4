"""Periodic tasks of pathways, run by the huey consumer (`manage.py run_huey`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from oncolien.pathways.services import alerts_escalate


@db_periodic_task(crontab(minute="*"), name="pathways.escalate_alerts")
def escalate_alerts() -> None:
    # Several consumers (one per app server, with Redis) may run this in the same
    # minute: alerts_escalate marks each alert under a conditional update, once.
    alerts_escalate()
