"""Tasks of the post-cancer programme, run by the huey consumer (thin: they call
`ars_pdf_queue`). Only the id of the request travels through the queue."""

from huey.contrib.djhuey import db_task

from oncolien.aftercare import ars_pdf_queue
from oncolien.audit.pending import refusals_flushed


@db_task(name="aftercare.render_ars_pdf")
def render_ars_pdf(pdf_id: int) -> None:
    with refusals_flushed():
        ars_pdf_queue.ars_pdf_render(pdf_id)
