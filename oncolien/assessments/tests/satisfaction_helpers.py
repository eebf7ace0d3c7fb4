"""Helpers for the satisfaction tests: close a pathway, run the sending at a given
moment of the day, read the link a message carries."""

import re
from datetime import timedelta

from django.utils import timezone

from oncolien.assessments.satisfaction import satisfaction_run
from oncolien.pathways.services import status_change

GATEWAY = "oncolien.notifications.sms.LocmemBackend"
MOBILE = "06 12 34 56 78"


def close(actor, pathway, reason="end_of_follow_up"):
    return status_change(actor=actor, pathway=pathway, to_status="closed", closing_reason=reason)


def at(days=0, hour=10):
    """Today (Paris) plus `days`, at `hour` o'clock: within the sending hours."""
    moment = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return moment + timedelta(days=days)


def run(capture, when=None):
    """One pass of the task's service, its messages handed to the queue on commit."""
    with capture(execute=True):
        return satisfaction_run(now=when or at())


def link_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/evaluations/lien/[^/\s]+/)", body)
    assert match, "the message carries a link"
    return match.group(1)
