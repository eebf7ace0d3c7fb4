"""The patient's data rights: exports (right of access), rectifications of the
identity, anonymisations (on request, or at the end of the retention period) and
the record of each run of the retention task.

These rows hold no patient data of their own beyond what an export file carries
(kept a few days, `ONCOLIEN_EXPORT_KEEP_DAYS`, and dropped on anonymisation).
"""

from django.conf import settings
from django.db import models


class ExportStatus(models.TextChoices):
    REQUESTED = "requested", "En préparation"
    READY = "ready", "Prêt"
    FAILED = "failed", "Échec"
    EXPIRED = "expired", "Expiré (fichiers supprimés)"


class DataExport(models.Model):
    """Everything held about one patient, as a JSON and a PDF, asked for by a
    coordinator of the patient's CPTS and prepared by the task queue."""

    pathway = models.ForeignKey(
        "pathways.Pathway", on_delete=models.CASCADE, related_name="+", verbose_name="parcours"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    status = models.CharField(
        "état", max_length=10, choices=ExportStatus.choices, default=ExportStatus.REQUESTED
    )
    json_content = models.BinaryField("fichier JSON", default=b"", editable=False)
    pdf_content = models.BinaryField("fichier PDF", default=b"", editable=False)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    error = models.TextField("raison de l'échec", blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = "export des données d'un patient"
        verbose_name_plural = "exports des données de patients"

    @property
    def is_ready(self) -> bool:
        return self.status == ExportStatus.READY


class Rectification(models.Model):
    """A rectification of the patient's identity: which fields, why, by whom. The
    former values are not kept: a rectification exists to stop holding them."""

    patient = models.ForeignKey("pathways.Patient", on_delete=models.CASCADE, related_name="+")
    pathway = models.ForeignKey("pathways.Pathway", on_delete=models.CASCADE, related_name="+")
    fields = models.JSONField("champs rectifiés", default=list)
    reason = models.TextField("motif")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("date", auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "rectification"


class AnonymisationReason(models.TextChoices):
    RETENTION = "retention", "Fin de la durée de conservation"
    REQUEST = "request", "Demande du patient (droit à l'effacement)"
    DECEASED = "deceased", "Décès, à la demande des ayants droit"
    ENTRY_ERROR = "entry_error", "Dossier créé par erreur ou en double"
    OTHER = "other", "Autre motif (précisé)"


class RetentionRun(models.Model):
    """One run of the retention rule (daily task or command): what it did, in counts."""

    started_at = models.DateTimeField("commencé le")
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    trigger = models.CharField("lancé par", max_length=20)  # "tâche" or "commande"
    retention_years = models.PositiveSmallIntegerField("durée de conservation (années)")
    cutoff = models.DateField("dernier contact avant le")
    dry_run = models.BooleanField("simulation", default=False)
    patients = models.PositiveIntegerField("patients anonymisés", default=0)
    pathways = models.PositiveIntegerField("parcours anonymisés", default=0)
    audit_entries = models.PositiveIntegerField("entrées du journal effacées", default=0)
    deliveries = models.PositiveIntegerField("envois effacés", default=0)
    exports_purged = models.PositiveIntegerField("exports supprimés", default=0)
    # Rows changed per kind ({"visits": 12, …}) and pathways per CPTS ({slug: n}).
    counts = models.JSONField("détail", default=dict, blank=True)
    by_cpts = models.JSONField("parcours par CPTS", default=dict, blank=True)
    error = models.TextField("erreur", blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "passage de la règle de conservation"
        verbose_name_plural = "passages de la règle de conservation"


class Anonymisation(models.Model):
    """A patient whose data were anonymised: when, why, by whom (none: the retention
    task), and what was erased, in counts."""

    patient = models.OneToOneField(
        "pathways.Patient", on_delete=models.CASCADE, related_name="anonymisation"
    )
    at = models.DateTimeField("date")
    reason = models.CharField("motif", max_length=20, choices=AnonymisationReason.choices)
    # The coordinator's precision: asked not to name the patient (the form says so).
    note = models.CharField("précision", max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    run = models.ForeignKey(
        RetentionRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    counts = models.JSONField("lignes effacées", default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "anonymisation"
