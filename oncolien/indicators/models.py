"""The activity reports a CPTS's coordination team asks for (the PDF sent to the ARS).

A report is laid out by the task queue, never in a request (report.py, tasks.py):
the row exists from the request on, says « en préparation » until the PDF is kept
in it, then « prêt » or « échec » with the French reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReportStatus(models.TextChoices):
    REQUESTED = "requested", "en préparation"
    READY = "ready", "prêt"
    FAILED = "failed", "échec"


class ActivityReport(models.Model):
    cpts = models.ForeignKey(
        "territories.Cpts",
        on_delete=models.CASCADE,
        related_name="activity_reports",
        verbose_name="CPTS",
    )
    # As in the dashboard's address (« 2026-11 », « 2026-T3 », « 2026-01-15..2026-03-31 »).
    period_code = models.CharField("période", max_length=40)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="demandé par",
    )
    status = models.CharField(
        "état", max_length=20, choices=ReportStatus.choices, default=ReportStatus.REQUESTED
    )
    error = models.TextField("raison de l'échec", blank=True)
    content = models.BinaryField("fichier PDF", default=b"", editable=False)
    filename = models.CharField("nom du fichier", max_length=200, blank=True)
    page_count = models.PositiveIntegerField("pages", default=0)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    # When the render was last handed to the queue: a render lost with a stopped
    # consumer is handed again after report.REQUEUE_AFTER.
    queued_at = models.DateTimeField("mis en file le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    # The instant the figures were read, printed on the PDF's title page.
    edited_at = models.DateTimeField("édité le", null=True, blank=True)

    class Meta:
        verbose_name = "rapport d'activité"
        verbose_name_plural = "rapports d'activité"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One render at a time for a CPTS and a period: asked twice (a double
            # click, two coordinators) while it is prepared, it is the same report.
            models.UniqueConstraint(
                fields=["cpts", "period_code"],
                condition=Q(status="requested"),
                name="indicators_one_report_in_preparation",
            )
        ]
        indexes = [models.Index(fields=["cpts", "-created_at"], name="indicators_report_cpts")]

    def __str__(self) -> str:
        return f"Rapport d'activité {self.period_code} — CPTS {self.cpts_id} ({self.status})"

    @property
    def is_ready(self) -> bool:
        # READY is written in the same update as the file (report.report_render):
        # « prêt » is never shown before the PDF exists.
        return self.status == ReportStatus.READY
