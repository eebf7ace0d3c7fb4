"""The two steps of an import from the web pages: validate an uploaded file, then apply it.

A request records the step as a job of the workspace and queues a task
(``directory.tasks``); the task calls ``check_job`` or ``apply_job``, which claim
the job, run the step as the user who asked (authorised again: rights may have
changed while the task waited) and write its outcome, in French, for the status
page. Each step writes its progress to the workspace (see ``storage``).
"""

import logging

from oncolien.accounts.authorization import AccessDenied, authorize
from oncolien.accounts.models import User
from oncolien.directory.importing import storage
from oncolien.directory.importing.applying import ImportFailed, ImportRefused, import_table
from oncolien.directory.importing.storage import Workspace
from oncolien.directory.importing.validation import validate
from oncolien.directory.importing.verdicts import Verdicts, summary_lines
from oncolien.directory.services import DIRECTORY_EDIT
from oncolien.table_reading import UnreadableFile, read_table
from oncolien.territories.models import Cpts

logger = logging.getLogger(__name__)

READING, VALIDATING, APPLYING, FINISHED = "lecture", "validation", "application", "fin"
# The steps a job runs.
CHECK, APPLY = "verification", "import"

CHECK_FAILED = (
    "La vérification du fichier a échoué à cause d'une erreur inattendue. L'erreur a été "
    "enregistrée ; envoyez le fichier à nouveau ou prévenez l'administrateur."
)
APPLY_FAILED = (
    "L'import a échoué à cause d'une erreur inattendue : rien n'a été modifié. "
    "L'erreur a été enregistrée ; réessayez plus tard ou prévenez l'administrateur."
)
APPLY_REFUSED = (
    "Import refusé : des lignes sont en erreur (l'annuaire a peut-être changé depuis "
    "l'aperçu). Rien n'a été modifié ; corrigez le fichier et importez-le à nouveau."
)
NOT_ALLOWED = (
    "Vous n'avez pas (ou plus) le droit de modifier l'annuaire de cette CPTS : "
    "rien n'a été modifié."
)


def validate_workspace(workspace: Workspace, *, cpts) -> Verdicts:
    """Read and validate the uploaded file; keep and return the verdicts."""
    filename, data = workspace.source()
    workspace.write_progress(READING, 0, 0)
    try:
        table = read_table(data, filename)
    except UnreadableFile as problem:
        verdicts = Verdicts(filename=filename, file_errors=[str(problem)])
    else:
        progress = workspace.progress_writer()
        verdicts = validate(table, cpts=cpts, filename=filename, progress=progress).verdicts
    workspace.save_verdicts(verdicts)
    workspace.write_progress(FINISHED, 1, 1)
    return verdicts


def apply_workspace(workspace: Workspace, *, cpts: Cpts, actor: User) -> Verdicts:
    """Validate again and apply, all or nothing. On ImportRefused the new verdicts are kept."""
    filename, data = workspace.source()
    workspace.write_progress(READING, 0, 0)
    try:
        table = read_table(data, filename)
        return import_table(
            table,
            cpts=cpts,
            actor=actor,
            filename=filename,
            progress=workspace.progress_writer(),
        )
    except UnreadableFile as problem:
        refused = Verdicts(filename=filename, file_errors=[str(problem)])
        workspace.save_verdicts(refused)
        raise ImportRefused(refused) from problem
    except ImportRefused as refused:
        workspace.save_verdicts(refused.verdicts)
        raise
    finally:
        workspace.write_progress(FINISHED, 1, 1)


def _claimed(name: str, job_id: str) -> tuple[Workspace, dict] | None:
    workspace = storage.workspace_named(name)
    if workspace is None:
        return None  # applied or purged meanwhile: nothing left to do
    job = workspace.claim_job(job_id)
    return None if job is None else (workspace, job)


def _requester(job: dict) -> User | None:
    user_id = job.get("user")
    return User.objects.filter(pk=user_id).first() if isinstance(user_id, int) else None


def check_job(name: str, job_id: str) -> None:
    """The task of the check: validate the file of workspace `name` for its CPTS."""
    claimed = _claimed(name, job_id)
    if claimed is None:
        return
    workspace, job = claimed
    try:
        cpts = Cpts.objects.get(slug=workspace.meta["cpts"])
        authorize(_requester(job), DIRECTORY_EDIT, cpts)
        validate_workspace(workspace, cpts=cpts)
    except AccessDenied:
        workspace.finish_job(job, state=storage.FAILED, message=NOT_ALLOWED)
    except Exception:
        logger.exception("Directory import failed while checking (workspace %s)", name)
        workspace.finish_job(job, state=storage.FAILED, message=CHECK_FAILED)
    else:
        workspace.finish_job(job, state=storage.DONE)


def apply_job(name: str, job_id: str) -> None:
    """The task of the apply: write the file of workspace `name`, all or nothing, as the
    user who asked. On success the file and its verdicts are removed at once."""
    claimed = _claimed(name, job_id)
    if claimed is None:
        return
    workspace, job = claimed
    try:
        cpts = Cpts.objects.get(slug=workspace.meta["cpts"])
        actor = _requester(job)
        # A requester gone, deactivated or without the right now is refused (audited).
        authorize(actor, DIRECTORY_EDIT, cpts)
        assert actor is not None
        verdicts = apply_workspace(workspace, cpts=cpts, actor=actor)
    except AccessDenied:
        workspace.finish_job(job, state=storage.FAILED, message=NOT_ALLOWED)
    except ImportRefused:
        workspace.finish_job(job, state=storage.FAILED, message=APPLY_REFUSED)
    except ImportFailed as failure:
        workspace.finish_job(job, state=storage.FAILED, message=str(failure))
    except Exception:
        logger.exception("Directory import failed while applying (workspace %s)", name)
        workspace.finish_job(job, state=storage.FAILED, message=APPLY_FAILED)
    else:
        workspace.forget_source()
        message = " ".join(["Import appliqué.", *summary_lines(verdicts.summary)[1:]])
        workspace.finish_job(job, state=storage.DONE, message=message)
