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
from oncolien.directory import exporting
from oncolien.directory.importing import runs, storage
from oncolien.directory.importing.applying import ImportFailed, ImportRefused
from oncolien.directory.importing.columns import columns_by_group
from oncolien.directory.importing.forms import UploadForm
from oncolien.directory.importing.reading import UnreadableFile, read_table
from oncolien.directory.importing.report import report_csv
from oncolien.directory.importing.verdicts import OK, summary_lines
from oncolien.directory.services import DIRECTORY_EDIT
from oncolien.territories.models import Cpts
from oncolien.web.http import authorized_or_404, deny

logger = logging.getLogger(__name__)
TEMPLATE_FILE = Path(__file__).resolve().parent / "data" / "import_template.csv"
# Rows without remark shown on the preview; the report has them all.
OK_ROWS_SHOWN = 200
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRESS_MESSAGES = {
    runs.READING: "Lecture du fichier…",
    runs.VALIDATING: "Vérification des lignes : {done} sur {total}",
    runs.APPLYING: "Enregistrement dans l'annuaire : {done} sur {total}",
    runs.FINISHED: "Terminé.",
}


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
                runs.validate_workspace(workspace, cpts=cpts)
                return redirect("directory:import_preview", token=workspace.signed)
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


@login_required
def import_preview(request, token: str):
    workspace, cpts = _workspace(request, token)
    verdicts = workspace.verdicts()
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
    workspace, cpts = _workspace(request, token)
    try:
        verdicts = runs.apply_workspace(workspace, cpts=cpts, actor=request.user)
    except ImportRefused:
        messages.error(
            request,
            "Import refusé : des lignes sont en erreur (l'annuaire a peut-être changé depuis "
            "l'aperçu). Rien n'a été modifié ; corrigez le fichier et importez-le à nouveau.",
        )
        return redirect("directory:import_preview", token=token)
    except ImportFailed as failure:
        messages.error(request, str(failure))
        return redirect("directory:import_preview", token=token)
    except Exception:
        # The transaction is rolled back whatever went wrong; say so rather than
        # show a bare error page, and keep the details in the log.
        logger.exception("Directory import failed while applying (CPTS %s)", cpts.slug)
        messages.error(
            request,
            "L'import a échoué à cause d'une erreur inattendue : rien n'a été modifié. "
            "L'erreur a été enregistrée ; réessayez plus tard ou prévenez l'administrateur.",
        )
        return redirect("directory:import_preview", token=token)
    workspace.delete()
    messages.success(request, " ".join(["Import appliqué.", *summary_lines(verdicts.summary)[1:]]))
    return redirect("directory:import_upload", slug=cpts.slug)


@login_required
def import_progress(request, token: str):
    """Small JSON read by the page every half second while another request works."""
    if not storage.is_valid_token(token, user=request.user):
        _not_found(request, token)
    workspace = storage.open_workspace(token, user=request.user)
    progress = (workspace.progress() if workspace else None) or {
        "phase": "envoi",
        "done": 0,
        "total": 0,
    }
    done, total = progress["done"], progress["total"]
    message = PROGRESS_MESSAGES.get(progress["phase"], "Envoi du fichier…")
    return JsonResponse(
        {
            **progress,
            "percent": round(100 * done / total) if total else 0,
            "message": message.format(done=done, total=total),
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
