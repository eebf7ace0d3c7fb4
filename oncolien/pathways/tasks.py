"""Tasks of pathways, run by the huey consumer (`manage.py run_huey`): the periodic
escalation of alerts, and the visit reports' PDFs (thin: they call `reports`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from oncolien.audit.pending import refusals_flushed
from oncolien.pathways import reports
from oncolien.pathways.services import alerts_escalate


@db_periodic_task(crontab(minute="*"), name="pathways.escalate_alerts")
def escalate_alerts() -> None:
    # Several consumers (one per app server, with Redis) may run this in the same
    # minute: alerts_escalate marks each alert under a conditional update, once.
    alerts_escalate()


# Only ids travel through the queue: the report, and the PDF, stay in the database.
@db_task(name="pathways.render_report_pdf")
def render_report_pdf(report_id: int, user_id: int) -> None:
    # A task is an edge like a request: refusals kept aside are written once it is over.
    with refusals_flushed():
        reports.report_pdf_render(report_id=report_id, user_id=user_id)


@db_task(name="pathways.send_report_securely")
def send_report_securely(report_id: int, actor_id: int, batch: str) -> None:
    with refusals_flushed():
        reports.report_send_securely(report_id=report_id, actor_id=actor_id, batch=batch)
