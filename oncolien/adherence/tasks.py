"""Tasks of the hormone-therapy follow-up, run by the huey consumer (thin: they call
`services`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from oncolien.adherence.services import reminders_send
from oncolien.audit.pending import refusals_flushed


# Every hour at 5 past, in the day (huey counts in UTC: 06:05-17:05, i.e. from 7 or 8
# in the morning, Paris time). Each contact is reminded once, so a run missed or
# doubled changes nothing; the first run of the day sends what came due overnight.
@db_periodic_task(crontab(minute="5", hour="6-17"), name="adherence.send_reminders")
def send_reminders() -> None:
    with refusals_flushed():
        reminders_send()
