"""The hormone-therapy follow-up after treatment (« suivi de l'hormonothérapie,
prévention de l'arrêt du traitement »): a plan of planned contacts per pathway, and
what each contact found about adherence.

Health data: every read and write goes through `adherence.services` /
`adherence.selectors`, which authorise and audit. Drug and side-effect codes are
those of the vocabulary file (`adherence.vocabulary`), whose version each row keeps.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class ContactMode(models.TextChoices):
    CALL = "call", "Appel téléphonique"
    VISIT = "visit", "Visite"


class MissedDoses(models.TextChoices):
    NONE = "none", "Aucun oubli"
    OCCASIONAL = "occasional", "Oublis occasionnels"
    FREQUENT = "frequent", "Oublis fréquents"


class StopDecidedBy(models.TextChoices):
    PATIENT = "patient", "Le patient ou la patiente, seul·e"
    ONCOLOGIST = "oncologist", "L'oncologue"
    GP = "gp", "Le médecin traitant"
    OTHER = "other", "Un·e autre professionnel·le"


class AdherencePlan(models.Model):
    """One pathway's hormone-therapy follow-up: the drug, its start and planned duration,
    how and how often the patient is contacted, and the nurse who does it."""

    pathway = models.OneToOneField(
        "pathways.Pathway", on_delete=models.CASCADE, related_name="adherence_plan"
    )
    drug = models.CharField("hormonothérapie", max_length=40)
    vocabulary_version = models.CharField("version du vocabulaire", max_length=20)
    started_on = models.DateField("début du traitement")
    duration_years = models.PositiveSmallIntegerField(
        "durée prévue (années)", validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    contact_mode = models.CharField("mode de contact", max_length=8, choices=ContactMode.choices)
    interval_months = models.PositiveSmallIntegerField(
        "intervalle entre deux contacts (mois)",
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    first_year_interval_months = models.PositiveSmallIntegerField(
        "intervalle la première année (mois)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="infirmier·ère responsable",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "plan de suivi de l'hormonothérapie"
        verbose_name_plural = "plans de suivi de l'hormonothérapie"

    def __str__(self) -> str:
        return f"Suivi de l'hormonothérapie du parcours n° {self.pathway_id}"


class AdherenceContact(models.Model):
    """A contact of the plan: planned (a date of the schedule, not yet done), or done,
    with what the patient said about taking the treatment."""

    plan = models.ForeignKey(AdherencePlan, on_delete=models.CASCADE, related_name="contacts")
    # None for a contact that was not on the schedule (the patient called).
    planned_on = models.DateField("prévu le", null=True, blank=True)
    done_at = models.DateTimeField("réalisé le", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="réalisé par",
    )
    mode = models.CharField("mode", max_length=8, choices=ContactMode.choices, blank=True)
    missed_doses = models.CharField(
        "oublis de prise", max_length=12, choices=MissedDoses.choices, blank=True
    )
    stopped = models.BooleanField("traitement arrêté", null=True, blank=True)
    stopped_since = models.DateField("arrêté depuis le", null=True, blank=True)
    stop_decided_by = models.CharField(
        "arrêt décidé par", max_length=12, choices=StopDecidedBy.choices, blank=True
    )
    intends_to_stop = models.BooleanField("envisage d'arrêter", null=True, blank=True)
    # [{"code": "hot_flushes", "severity": "moderate"}], codes of `vocabulary_version`.
    side_effects = models.JSONField("effets indésirables", default=list, blank=True)
    vocabulary_version = models.CharField("version du vocabulaire", max_length=20, blank=True)
    notes = models.TextField("notes", blank=True)
    # When the responsible nurse was reminded of this planned contact (once).
    reminded_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["planned_on", "done_at", "pk"]
        verbose_name = "contact de suivi de l'hormonothérapie"
        verbose_name_plural = "contacts de suivi de l'hormonothérapie"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "planned_on"],
                condition=models.Q(planned_on__isnull=False),
                name="one_adherence_contact_per_planned_day",
            ),
            models.CheckConstraint(
                condition=models.Q(done_at__isnull=True) | models.Q(done_by__isnull=False),
                name="adherence_contact_done_has_author",
            ),
        ]
        # The reminders and the overdue contacts: planned, not done, by date.
        indexes = [models.Index(fields=["done_at", "planned_on"])]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
