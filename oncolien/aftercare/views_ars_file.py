"""The ARS activity file, one click from the report page: « rapport/fichier-ars/
?semestre=2026-S1&format=pdf » (or xlsx).

The file covers every labelled structure the user may report on (`ars_file`); a
user without the report permission gets a 404, the refusal audited. The XLSX is
made in the request (under a second for a region); the PDF takes seconds of layout,
so the click asks the task queue for it (`ars_pdf_queue`) and leads to a page that
offers the file once it is ready, to the user who asked only.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from oncolien.accounts.authorization import is_allowed
from oncolien.aftercare import semesters
from oncolien.aftercare.ars_exports import ars_xlsx, filename
from oncolien.aftercare.ars_file import ars_file
from oncolien.aftercare.ars_pdf_queue import ars_pdf_request
from oncolien.aftercare.models import ArsFilePdf
from oncolien.aftercare.report import REPORT_PERMISSION
from oncolien.audit.services import audit_record
from oncolien.web.http import deny, user_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("pdf", "xlsx")


def semester_choices(today) -> list[tuple[str, str]]:
    current = semesters.semester_of(today)
    return [
        (s.code, f"{s.label} (en cours)" if s == current else s.label)
        for s in semesters.choices(today)
    ]


@login_required
def ars_file_download(request):
    user = user_of(request)
    if not is_allowed(user, REPORT_PERMISSION):
        deny(user, REPORT_PERMISSION)
    today = timezone.localdate()
    errors = []
    try:
        semester = semesters.parse(request.GET.get("semestre", ""), today=today)
    except semesters.InvalidSemester as error:
        errors.append(str(error))
    kind = request.GET.get("format", "")
    if kind not in FORMATS:
        errors.append("Choisissez le format du fichier : PDF ou XLSX.")
    if errors:
        context = {"form": None, "report": None, "ars_errors": errors}
        context |= ars_context(today, request.GET.get("semestre", ""))
        return render(request, "aftercare/report.html", context, status=400)
    if kind == "pdf":
        pdf = ars_pdf_request(user, semester)
        audit_record(
            actor=user,
            action="aftercare.ars_file",
            target=pdf,
            details={"semestre": semester.code, "format": kind},
        )
        return redirect("aftercare:ars_file_pdf", pk=pdf.pk)
    ars = ars_file(user, semester)
    audit_record(
        actor=user,
        action="aftercare.ars_file",
        details={"semestre": semester.code, "format": kind, "structures": len(ars.structures)},
    )
    response = HttpResponse(ars_xlsx(ars), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename(ars, kind)}"'
    return response


@login_required
def ars_file_pdf(request, pk: int):
    """The PDF asked for, once the queue has laid it out; until then, a page that says
    so. Anyone but the user who asked gets a 404 (audited)."""
    user = user_of(request)
    pdf = ArsFilePdf.objects.filter(pk=pk, requested_by=user).defer("content").first()
    if pdf is None or not is_allowed(user, REPORT_PERMISSION):
        deny(user, REPORT_PERMISSION)
    audit_record(
        actor=user,
        action="aftercare.ars_file_pdf",
        target=pdf,
        details={"semestre": pdf.semester, "ready": pdf.is_ready},
    )
    if not pdf.is_ready:
        response = render(request, "aftercare/ars_file_preparing.html", {"pdf": pdf})
        response["Cache-Control"] = "no-store"
        return response
    content = ArsFilePdf.objects.values_list("content", flat=True).get(pk=pdf.pk)
    response = HttpResponse(bytes(content), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="fichier-ars-apres-cancer-{pdf.semester}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def ars_context(today, chosen: str = "") -> dict:
    """What the report page needs to show the ARS file's form."""
    return {
        "ars_semesters": semester_choices(today),
        "ars_chosen": chosen or semesters.last_complete(today).code,
    }
