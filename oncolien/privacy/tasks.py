"""Tasks of the data rights, run by the huey consumer (thin: they call the services).

Only an export's id travels through the queue; the retention rule runs daily and
records its own report (`RetentionRun`), its log line holding counts only.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from oncolien.audit.pending import refusals_flushed
from oncolien.privacy import exports, services


@db_task(name="privacy.render_export")
def render_export(export_id: int) -> None:
    # A task is an edge like a request: refusals kept aside are written once it is over.
    with refusals_flushed():
        exports.export_render(export_id=export_id)


# Daily, at night (04:40, Europe/Paris as the consumer's clock): the retention rule.
@db_periodic_task(crontab(minute="40", hour="4"), name="privacy.apply_retention")
def apply_retention() -> None:
    services.retention_apply(trigger="tâche")
