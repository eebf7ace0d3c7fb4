"""The survey's PDF report through the task queue, as the ARS file
(aftercare/ars_pdf_queue.py): a click asks for a render (`report_request`), the queue
lays it out (`report_render`, report_tasks.py), and the user who asked downloads it.
Only the id of the request travels through the queue; the filters and whether the
figures are protected are kept on the request."""

import logging

from django.db import transaction
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.surveys import filters as survey_filters
from oncolien.surveys.access import SURVEYS_MANAGE, SURVEYS_SHARED_RESULTS
from oncolien.surveys.analysis import survey_data
from oncolien.surveys.models import Survey, SurveyReportPdf
from oncolien.surveys.results import results
from oncolien.surveys.survey_report import report_pdf

logger = logging.getLogger(__name__)

RENDER_FAILED = (
    "La mise en page du rapport a échoué ; l'erreur a été enregistrée. "
    "Demandez-le à nouveau depuis la page des résultats."
)


def report_request(
    user: User, survey: Survey, filters: survey_filters.Filters, *, protected: bool = False
) -> SurveyReportPdf:
    """Ask the queue for the report as `user` may read it: exact and filtered for the
    regional team, protected (and unfiltered) for shared results."""
    if protected:
        authorize(user, SURVEYS_SHARED_RESULTS)
    else:
        authorize(user, SURVEYS_MANAGE)
    options = {"filters": [] if protected else filters.as_options(), "protected": protected}
    pdf = SurveyReportPdf.objects.create(survey=survey, requested_by=user, options=options)

    def enqueue() -> None:
        from oncolien.surveys import report_tasks  # the tasks module imports this one

        try:
            report_tasks.render_survey_report(pdf.pk)
        except Exception:
            logger.exception("Survey report %s could not be queued", pdf.pk)
            SurveyReportPdf.objects.filter(pk=pdf.pk).update(error=RENDER_FAILED)

    transaction.on_commit(enqueue, robust=True)
    return pdf


def report_render(pdf_id: int) -> SurveyReportPdf | None:
    """Lay out a requested report and keep it (run by the task queue)."""
    pdf = SurveyReportPdf.objects.select_related("survey").filter(pk=pdf_id).first()
    if pdf is None or pdf.is_ready:
        return pdf
    try:
        data = survey_data(pdf.survey)
        chosen = survey_filters.from_options(data, pdf.options.get("filters", []))
        content = report_pdf(results(data, chosen, protected=bool(pdf.options.get("protected"))))
    except Exception:
        logger.exception("Survey report %s failed to render", pdf_id)
        SurveyReportPdf.objects.filter(pk=pdf_id).update(error=RENDER_FAILED)
        raise
    pdf.content = content
    pdf.rendered_at = timezone.now()
    pdf.error = ""
    pdf.save(update_fields=["content", "rendered_at", "error"])
    return pdf
