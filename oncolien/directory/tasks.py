"""The two steps of a directory import, run by the huey consumer (thin: they call
``importing.runs``).

Only the workspace's directory name and the job's id travel through the queue: the
file, its verdicts and who asked wait in the workspace (VAR_DIR/imports/).
"""

from huey.contrib.djhuey import db_task

from oncolien.audit.pending import refusals_flushed
from oncolien.directory.importing import runs


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
