"""The two steps of an import from the web pages: validate an uploaded file, then apply it.

Each step runs inside the request that asked for it and writes its progress to
the workspace for the page to poll (see ``storage``).
"""

from oncolien.accounts.models import User
from oncolien.directory.importing.applying import ImportRefused, import_table
from oncolien.directory.importing.reading import UnreadableFile, read_table
from oncolien.directory.importing.storage import Workspace
from oncolien.directory.importing.validation import validate
from oncolien.directory.importing.verdicts import Verdicts
from oncolien.territories.models import Cpts

READING, VALIDATING, APPLYING, FINISHED = "lecture", "validation", "application", "fin"


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
