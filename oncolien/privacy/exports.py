"""The export of a patient's data (right of access, RGPD art. 15): a JSON file with
a schema version and a PDF in French, times in Paris.

Gathering every app's rows and laying out the PDF take seconds, so it never runs
in a request: `export_request` keeps a `DataExport` « en préparation » and hands
its id to the task queue once the request commits; `export_render`, in the task,
authorises the requester again, keeps both files and only then marks it « prêt »
(or « échec », with the French reason). The files are kept
`ONCOLIEN_EXPORT_KEEP_DAYS` days (the daily retention task drops older ones).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from oncolien.accounts.authorization import is_allowed
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.pathways.models import Pathway
from oncolien.pdf import refuse_fetch
from oncolien.privacy.access import PATIENT_EXPORT
from oncolien.privacy.collect import PARIS, patient_data_of
from oncolien.privacy.models import DataExport, ExportStatus

logger = logging.getLogger(__name__)

TEMPLATE = "privacy/export_pdf.html"
QUEUE_DOWN = (
    "l'export n'a pas pu être mis en préparation : le traitement en arrière-plan est "
    "injoignable. Demandez-le de nouveau dans quelques minutes."
)
RENDER_FAILED = (
    "la préparation de l'export a échoué ; l'erreur a été enregistrée. Demandez-le de "
    "nouveau, ou prévenez l'administrateur si l'échec se répète."
)
NO_LONGER_ALLOWED = (
    "la personne qui l'a demandé n'a plus accès à ce parcours ; l'export n'a pas été préparé."
)


def export_request(*, actor: User, pathway: Pathway) -> DataExport:
    """Queue the export of the patient of `pathway`; the caller authorised `actor`
    (PATIENT_EXPORT on `pathway`). Audited."""
    with transaction.atomic():
        export = DataExport.objects.create(pathway=pathway, requested_by=actor)
        audit_record(
            actor=actor,
            action="patient.export_request",
            target=pathway,
            details={"export": export.pk},
        )
        transaction.on_commit(lambda: _enqueue(export.pk), robust=True)
    return export


def _enqueue(export_id: int) -> None:
    from oncolien.privacy import tasks  # the tasks module imports this one

    try:
        tasks.render_export(export_id)
    except Exception:
        logger.exception("Data export %s could not be queued", export_id)
        _finish_failed(export_id, QUEUE_DOWN)


def _finish_failed(export_id: int, reason: str) -> None:
    DataExport.objects.filter(pk=export_id, status=ExportStatus.REQUESTED).update(
        status=ExportStatus.FAILED, error=reason, finished_at=timezone.now()
    )


def json_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _display(value: Any) -> str:
    """A JSON value as the PDF shows it: « oui »/« non », a coded value or a linked row
    by its label, a date or a time as in France, a list of words as words."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dict) and "libellé" in value:
        return str(value["libellé"]) or "—"
    if isinstance(value, list) and all(isinstance(item, str | int) for item in value):
        return " ; ".join(str(item) for item in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return f"{date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            moment = datetime.fromisoformat(value).astimezone(PARIS)
        except ValueError:
            return value
        return f"{moment:%d/%m/%Y à %H:%M}"
    return str(value)


def pdf_sections(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Each section as rows of (label, shown value) pairs, for the template."""
    shown = []
    for section in document["sections"]:
        labels = section["champs"]
        rows = [
            [(labels.get(name, name), _display(value)) for name, value in row.items()]
            for row in section["lignes"]
        ]
        shown.append({"title": section["titre"], "rows": rows})
    return shown


def render_pdf(document: dict[str, Any], *, generated_at: datetime) -> bytes:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    local = timezone.localtime(generated_at, timezone=PARIS)
    with translation.override(settings.LANGUAGE_CODE), timezone.override(PARIS):
        html = render_to_string(
            TEMPLATE,
            {
                "document": document,
                "sections": pdf_sections(document),
                "generated": f"{local:%d/%m/%Y à %H:%M}",
            },
        )
    pdf: bytes = HTML(string=html, url_fetcher=refuse_fetch).write_pdf()
    return pdf


def _acting_user(user: User) -> User:
    # The request that queued it came from a session verified by the second factor;
    # the task carries that verification, which has no session to read it from.
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    return user


def export_render(*, export_id: int) -> DataExport | None:
    """Gather and lay out the export `export_id` (run by the task queue)."""
    export = (
        DataExport.objects.select_related("pathway__cpts", "requested_by")
        .filter(pk=export_id, status=ExportStatus.REQUESTED)
        .first()
    )
    if export is None:
        return None
    user = _acting_user(export.requested_by)
    if not is_allowed(user, PATIENT_EXPORT, export.pathway):
        _finish_failed(export.pk, NO_LONGER_ALLOWED)
        return None
    try:
        generated_at = timezone.now()
        data = patient_data_of(export.pathway, generated_at=generated_at)
        json_content = json_bytes(data.document)
        pdf_content = render_pdf(data.document, generated_at=generated_at)
    except Exception:
        logger.exception("Data export %s failed", export.pk)
        _finish_failed(export.pk, RENDER_FAILED)
        return None
    with transaction.atomic():
        DataExport.objects.filter(pk=export.pk, status=ExportStatus.REQUESTED).update(
            status=ExportStatus.READY,
            json_content=json_content,
            pdf_content=pdf_content,
            error="",
            finished_at=timezone.now(),
        )
        audit_record(
            actor=user,
            action="patient.export_ready",
            target=export.pathway,
            details={"export": export.pk},
        )
    logger.info("Data export %s ready", export.pk)
    return DataExport.objects.get(pk=export.pk)


def exports_of(pathway: Pathway, *, limit: int = 10) -> list[DataExport]:
    return list(
        DataExport.objects.filter(pathway=pathway)
        .defer("json_content", "pdf_content")
        .select_related("requested_by")[:limit]
    )


def exports_purge(*, now: datetime | None = None) -> int:
    """Drop the export files older than the keeping time; the rows stay (who asked, when)."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.ONCOLIEN_EXPORT_KEEP_DAYS)
    return DataExport.objects.filter(
        requested_at__lt=limit, status__in=[ExportStatus.READY, ExportStatus.REQUESTED]
    ).update(json_content=b"", pdf_content=b"", status=ExportStatus.EXPIRED)
