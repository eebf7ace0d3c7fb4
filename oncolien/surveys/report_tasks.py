"""The survey report's huey task: thin, it calls `report_queue.report_render`. Only the
id of the request travels through the queue. Imported by the app's `ready()` so that
the consumer knows it (huey discovers modules named `tasks` only)."""

from huey.contrib.djhuey import db_task

from oncolien.audit.pending import refusals_flushed
from oncolien.surveys import report_queue


@db_task(name="surveys.render_survey_report")
def render_survey_report(pdf_id: int) -> None:
    with refusals_flushed():
        report_queue.report_render(pdf_id)
