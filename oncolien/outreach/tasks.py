"""Tasks of the outreach app, run by the huey consumer (thin: they call the services)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from oncolien.outreach import services


# Daily, at night (04:50, Europe/Paris as the consumer's clock).
@db_periodic_task(crontab(minute="50", hour="4"), name="outreach.erase_contact_requests")
def erase_contact_requests() -> None:
    services.contact_requests_erase()
