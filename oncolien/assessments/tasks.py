"""Tasks of assessments, run by the huey consumer (thin: they call `satisfaction`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from oncolien.assessments.satisfaction import satisfaction_run


# Every hour at 20 past; the service itself sends only in the day (Paris time) and
# records each moment once, so a run missed or doubled changes nothing.
@db_periodic_task(crontab(minute="20"), name="assessments.send_satisfaction_surveys")
def send_satisfaction_surveys() -> None:
    satisfaction_run()
