"""Tasks of surveys, run by the huey consumer (thin: they call `reminders`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from oncolien.surveys.reminders import reminders_send


# Once a day, in the morning; a run missed or doubled changes nothing (each reminder
# is counted with its message, and the delay between two is checked under lock).
@db_periodic_task(crontab(minute="10", hour="8"), name="surveys.send_reminders")
def send_reminders() -> None:
    reminders_send()
