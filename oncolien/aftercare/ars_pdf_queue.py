"""The ARS file's PDF through the task queue, as the printed directory
(directory/printing.py): a click asks for a render (`ars_pdf_request`), the queue lays
it out (`ars_pdf_render`, tasks.py), and the user downloads it once ready.

Measured (SQLite, on the shared 2-core machine under load): for 25 structures and
1,500 patients in the file active, the figures take 0.2 s and the XLSX 0.4 s (served
in the request); the PDF, 27 pages, takes about 12 s of WeasyPrint layout. Even 2
structures and 80 patients took 3.8 s: beyond a request in every case.
"""

import logging

from django.db import transaction
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.aftercare.ars_exports import ars_pdf
from oncolien.aftercare.ars_file import ars_file
from oncolien.aftercare.models import ArsFilePdf
from oncolien.aftercare.report import REPORT_PERMISSION
from oncolien.aftercare.semesters import Semester

logger = logging.getLogger(__name__)

RENDER_FAILED = (
    "La mise en page du fichier a échoué ; l'erreur a été enregistrée. "
    "Demandez-le à nouveau depuis la page du rapport."
)


def ars_pdf_request(user: User, semester: Semester) -> ArsFilePdf:
    """Ask the queue for the PDF of `semester` as `user` sees it (AccessDenied, audited,
    for a user without the report permission). The task gets the id after commit; a
    queue that cannot be reached leaves the error on the request, never a failed page."""
    authorize(user, REPORT_PERMISSION)
    pdf = ArsFilePdf.objects.create(requested_by=user, semester=semester.code)

    def enqueue() -> None:
        from oncolien.aftercare import tasks  # the tasks module imports this one

        try:
            tasks.render_ars_pdf(pdf.pk)
        except Exception:
            logger.exception("ARS file PDF %s could not be queued", pdf.pk)
            ArsFilePdf.objects.filter(pk=pdf.pk).update(error=RENDER_FAILED)

    transaction.on_commit(enqueue, robust=True)
    return pdf


def ars_pdf_render(pdf_id: int) -> ArsFilePdf | None:
    """Lay out a requested PDF and keep it (run by the task queue). The figures are those
    of the requester's reach at the time the task runs, dated then (Paris time)."""
    pdf = ArsFilePdf.objects.select_related("requested_by").filter(pk=pdf_id).first()
    if pdf is None or pdf.is_ready:
        return pdf
    year, half = pdf.semester.split("-S")
    try:
        rendered = ars_pdf(ars_file(pdf.requested_by, Semester(int(year), int(half))))
    except Exception:
        logger.exception("ARS file PDF %s failed to render", pdf_id)
        ArsFilePdf.objects.filter(pk=pdf_id).update(error=RENDER_FAILED)
        raise
    pdf.content = rendered.content
    pdf.render_seconds = round(rendered.seconds, 2)
    pdf.rendered_at = timezone.now()
    pdf.error = ""
    pdf.save(update_fields=["content", "render_seconds", "rendered_at", "error"])
    logger.info("ARS file PDF %s rendered in %.2f s", pdf_id, rendered.seconds)
    return pdf
