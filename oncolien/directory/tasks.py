"""Tasks of the directory, run by the huey consumer (thin: they call ``importing.runs``
and ``printing``): the two steps of an import, and the printable editions.

Only the workspace's directory name and the job's id travel through the queue: the
file, its verdicts and who asked wait in the workspace (VAR_DIR/imports/).
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from oncolien.audit.pending import refusals_flushed
from oncolien.directory import printing
from oncolien.directory.importing import runs
from oncolien.territories.models import Cpts


@db_task(name="directory.check_import")
def check_import(workspace_name: str, job_id: str) -> None:
    # A task is an edge like a request: refusals kept aside in a transaction are
    # written once it is over.
    with refusals_flushed():
        runs.check_job(workspace_name, job_id)


@db_task(name="directory.apply_import")
def apply_import(workspace_name: str, job_id: str) -> None:
    with refusals_flushed():
        runs.apply_job(workspace_name, job_id)


@db_task(name="directory.render_edition")
def render_edition(cpts_id: int) -> None:
    """Render and keep the printable directory of one CPTS (queued by a download that
    found no current edition)."""
    cpts = Cpts.objects.filter(pk=cpts_id).first()
    if cpts is not None:
        printing.edition_render(cpts=cpts)


# Every quarter of an hour: an edition behind its directory is rendered again soon after
# the change even if no one downloads it, and each kept edition is dated anew once a
# day (the first pass after midnight, Paris time). A pass with nothing to do reads
# three aggregates per CPTS.
@db_periodic_task(crontab(minute="*/15"), name="directory.refresh_editions")
def refresh_editions() -> None:
    printing.editions_refresh()
