"""Tasks of the indicators, run by the huey consumer (thin: they call `report`).

Only the report's id travels through the queue: the CPTS, the period and who asked
are in its row (`models.ActivityReport`).
"""

from huey.contrib.djhuey import db_task

from oncolien.audit.pending import refusals_flushed
from oncolien.indicators import report


@db_task(name="indicators.render_activity_report")
def render_activity_report(report_id: int) -> None:
    # A task is an edge like a request: refusals kept aside are written once it is over.
    with refusals_flushed():
        report.report_render(report_id=report_id)
