"""Pages of the bulk import (coordinators of the CPTS, administrators) and the public
CSV/XLSX export of a CPTS directory.

Someone who may not edit a CPTS directory gets 404 rather than 403, so that
the import pages do not tell outsiders what exists. The work itself is in
``importing`` and ``exporting``.
"""

import logging
from pathlib import Path
from typing import NoReturn

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from oncolien.accounts.authorization import visible
from oncolien.background.selectors import consumer_health
from oncolien.directory import exporting, tasks
from oncolien.directory.importing import runs, storage
from oncolien.directory.importing.columns import columns_by_group
from oncolien.directory.importing.forms import UploadForm
from oncolien.directory.importing.report import report_csv
from oncolien.directory.importing.verdicts import OK, summary_lines
from oncolien.directory.services import DIRECTORY_EDIT
from oncolien.table_reading import UnreadableFile, read_table
from oncolien.territories.models import Cpts
from oncolien.web.http import authorized_or_404, deny

logger = logging.getLogger(__name__)
TEMPLATE_FILE = Path(__file__).resolve().parent / "data" / "import_template.csv"
# Rows without remark shown on the preview; the report has them all.
OK_ROWS_SHOWN = 200
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRESS_MESSAGES = {
    "attente": "En attente du traitement en arrière-plan…",
    runs.READING: "En cours : lecture du fichier…",
    runs.VALIDATING: "En cours : {done} lignes sur {total} vérifiées.",
    runs.APPLYING: "En cours : {done} enregistrements sur {total} dans l'annuaire.",
    runs.FINISHED: "Terminé.",
}
QUEUE_DOWN = (
    "Le traitement en arrière-plan est indisponible pour le moment : rien n'a été modifié. "
    "Réessayez dans quelques minutes ; si cela dure, prévenez l'administrateur."
)
HEADINGS = {runs.CHECK: "Vérification du fichier", runs.APPLY: "Application de l'import"}


def _cpts_for_editing(request, slug: str) -> Cpts:
    cpts = get_object_or_404(Cpts, slug=slug)
    authorized_or_404(request.user, DIRECTORY_EDIT, cpts)
    return cpts


def _not_found(request, token: str) -> NoReturn:
    """404 for a token that is not the user's; a colleague's genuine token is a
    refused access and is audited as one."""
    if storage.belongs_to_someone_else(token, user=request.user):
        deny(request.user, DIRECTORY_EDIT)
    raise Http404


def _workspace(request, token: str) -> tuple[storage.Workspace, Cpts]:
    workspace = storage.open_workspace(token, user=request.user)
    if workspace is None:
        _not_found(request, token)
    return workspace, _cpts_for_editing(request, workspace.meta["cpts"])


@login_required
def import_index(request):
    editable = list(visible(request.user, DIRECTORY_EDIT, Cpts.objects.order_by("name")))
    if not editable:
        deny(request.user, DIRECTORY_EDIT)
    if len(editable) == 1:
        return redirect("directory:import_upload", slug=editable[0].slug)
    return render(request, "directory/import_index.html", {"cpts_list": editable})


@login_required
def import_upload(request, slug: str):
    cpts = _cpts_for_editing(request, slug)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            workspace = storage.open_workspace(
                form.cleaned_data["jeton"], user=request.user, create=True
            )
            if workspace is not None:
                storage.purge_expired()
                upload = form.cleaned_data["fichier"]
                workspace.save_source(filename=upload.name, data=upload.read(), cpts=cpts)
                _queue(workspace, runs.CHECK, user=request.user)
                return _where_the_import_is(request, workspace, cpts)
            form.add_error(None, "Ce formulaire a expiré : rechargez la page et recommencez.")
    else:
        form = UploadForm(initial={"jeton": storage.new_signed_token(user=request.user)})
    return render(
        request,
        "directory/import_upload.html",
        {
            "cpts": cpts,
            "form": form,
            "token": form["jeton"].value(),
            "column_groups": columns_by_group(),
        },
    )


def _queue(workspace: storage.Workspace, step: str, *, user) -> None:
    """Record the job and hand the task its ids; a queue that cannot be reached fails
    the job with a French message rather than the request."""
    job_id = workspace.start_job(step, user=user)
    task = tasks.check_import if step == runs.CHECK else tasks.apply_import
    try:
        task(workspace.name, job_id)
    except Exception:
        logger.exception("Directory import could not be queued (workspace %s)", workspace.name)
        job = workspace.job()
        if job is not None and job["id"] == job_id and job["state"] == storage.QUEUED:
            workspace.finish_job(job, state=storage.FAILED, message=QUEUE_DOWN)


def _where_the_import_is(request, workspace: storage.Workspace, cpts: Cpts) -> HttpResponse:
    """The page that follows a step: its status while it waits or runs, or when it
    failed; the preview once checked; the upload page, with the outcome, once applied
    (the workspace is then removed)."""
    job = workspace.job()
    if job is not None and (
        job["state"] in storage.ACTIVE_STATES or job["state"] == storage.FAILED
    ):
        return redirect("directory:import_status", token=workspace.signed)
    if job is not None and job["step"] == runs.APPLY:
        workspace.delete()
        messages.success(request, job["message"])
        return redirect("directory:import_upload", slug=cpts.slug)
    return redirect("directory:import_preview", token=workspace.signed)


def _progress_of(workspace: storage.Workspace | None) -> dict:
    progress = (workspace.progress() if workspace else None) or {
        "phase": "envoi",
        "done": 0,
        "total": 0,
    }
    done, total = progress["done"], progress["total"]
    message = PROGRESS_MESSAGES.get(progress["phase"], "Envoi du fichier…")
    return {
        **progress,
        "percent": round(100 * done / total) if total else None,
        "message": message.format(done=done, total=total),
    }


@login_required
def import_status(request, token: str):
    """Where a queued step stands: waiting, running (lines done out of how many), or
    failed with a French message; when it is over, the page that follows it. Without
    JavaScript the page is reloaded by its link; with it, it follows the progress."""
    workspace, cpts = _workspace(request, token)
    job = workspace.job()
    if job is None or (
        job["state"] not in storage.ACTIVE_STATES and job["state"] != storage.FAILED
    ):
        return _where_the_import_is(request, workspace, cpts)
    health = consumer_health()
    response = render(
        request,
        "directory/import_status.html",
        {
            "cpts": cpts,
            "token": token,
            "filename": workspace.meta["filename"],
            "heading": HEADINGS.get(job["step"], "Import"),
            "job": job,
            "failed": job["state"] == storage.FAILED,
            "applying": job["step"] == runs.APPLY,
            "has_verdicts": workspace.verdicts() is not None,
            "progress": _progress_of(workspace),
            "consumer_problem": None if health.ok else health.message,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def import_preview(request, token: str):
    workspace, cpts = _workspace(request, token)
    verdicts = workspace.verdicts()
    if workspace.job_active() or (verdicts is None and workspace.job() is not None):
        return redirect("directory:import_status", token=token)
    if verdicts is None:
        raise Http404
    shown_ok = {row.line for row in verdicts.rows if row.status == OK}
    shown_ok = set(sorted(shown_ok)[:OK_ROWS_SHOWN])
    rows = [row for row in verdicts.rows if row.status != OK or row.line in shown_ok]
    return render(
        request,
        "directory/import_preview.html",
        {
            "cpts": cpts,
            "token": token,
            "verdicts": verdicts,
            "summary": verdicts.summary,
            "summary_lines": summary_lines(verdicts.summary),
            "rows": rows,
            "hidden_ok": verdicts.summary.ok - len(shown_ok),
        },
    )


@login_required
@require_POST
def import_apply(request, token: str):
    """Queue the apply (once: a second click while it waits or runs queues nothing)."""
    workspace, cpts = _workspace(request, token)
    if not workspace.job_active():
        _queue(workspace, runs.APPLY, user=request.user)
    return _where_the_import_is(request, workspace, cpts)


@login_required
def import_progress(request, token: str):
    """Small JSON read by the status page every second while a task works; `active`
    turns false once the step is over (the page then reloads to show what follows)."""
    if not storage.is_valid_token(token, user=request.user):
        _not_found(request, token)
    workspace = storage.open_workspace(token, user=request.user)
    progress = _progress_of(workspace)
    job = workspace.job() if workspace else None
    return JsonResponse(
        {
            **progress,
            "percent": progress["percent"] or 0,
            "state": job["state"] if job else None,
            "active": bool(job and job["state"] in storage.ACTIVE_STATES),
        },
        headers={"Cache-Control": "no-store"},
    )


@login_required
def import_report(request, token: str):
    workspace, cpts = _workspace(request, token)
    verdicts = workspace.verdicts()
    if verdicts is None:
        raise Http404
    filename, data = workspace.source()
    try:
        table = read_table(data, filename)
    except UnreadableFile:
        table = None
    response = HttpResponse(report_csv(verdicts, table), content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="rapport-import-{cpts.slug}-{day}.csv"'
    return response


def import_template(request):
    """The model file, public: it holds no data, only the columns and two examples."""
    return FileResponse(
        TEMPLATE_FILE.open("rb"),
        as_attachment=True,
        filename="modele-import-annuaire.csv",
        content_type="text/csv; charset=utf-8",
    )


def export_csv(request, slug: str):
    cpts = get_object_or_404(Cpts, slug=slug)
    response = HttpResponse(exporting.export_csv(cpts=cpts), content_type="text/csv; charset=utf-8")
    filename = exporting.export_filename(cpts=cpts, extension="csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_xlsx(request, slug: str):
    cpts = get_object_or_404(Cpts, slug=slug)
    response = HttpResponse(exporting.export_xlsx(cpts=cpts), content_type=XLSX_TYPE)
    filename = exporting.export_filename(cpts=cpts, extension="xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
