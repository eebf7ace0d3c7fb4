"""The patient's work situation and the return-to-work plan (« intégrer la reprise
d'activité professionnelle dans le parcours »): one row per pathway.

Health-related social data: read and written only through `worklife.selectors` /
`worklife.services` (authorised, audited).
"""

from django.conf import settings
from django.db import models


class WorkStatus(models.TextChoices):
    EMPLOYED = "employed", "Salarié·e"
    CIVIL_SERVANT = "civil_servant", "Agent·e de la fonction publique"
    SELF_EMPLOYED = "self_employed", "Travailleur·se indépendant·e"
    JOB_SEEKER = "job_seeker", "Demandeur·se d'emploi"
    STUDENT = "student", "Étudiant·e, en formation"
    RETIRED = "retired", "Retraité·e"
    NOT_WORKING = "not_working", "Sans activité professionnelle"
    OTHER = "other", "Autre situation"


# The situations with a job to go back to: a return-to-work plan applies to them.
WORKING = frozenset({WorkStatus.EMPLOYED, WorkStatus.CIVIL_SERVANT, WorkStatus.SELF_EMPLOYED})


class WorkSituation(models.Model):
    pathway = models.OneToOneField(
        "pathways.Pathway", on_delete=models.CASCADE, related_name="work_situation"
    )
    status = models.CharField(
        "situation professionnelle", max_length=16, choices=WorkStatus.choices
    )
    sick_leave_since = models.DateField("en arrêt de travail depuis le", null=True, blank=True)
    employer_sector = models.CharField("secteur de l'employeur", max_length=150, blank=True)
    occupational_physician_contacted_on = models.DateField(
        "médecin du travail contacté le", null=True, blank=True
    )
    occupational_visit_on = models.DateField(
        "visite avec le médecin du travail le", null=True, blank=True
    )
    pre_return_visit_on = models.DateField("visite de pré-reprise le", null=True, blank=True)
    part_time_from = models.DateField("mi-temps thérapeutique du", null=True, blank=True)
    part_time_to = models.DateField("mi-temps thérapeutique au", null=True, blank=True)
    workstation_adjustment = models.CharField("aménagement de poste", max_length=300, blank=True)
    notes = models.TextField("notes", blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "situation professionnelle"
        verbose_name_plural = "situations professionnelles"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(part_time_to__isnull=True)
                | models.Q(part_time_from__isnull=True)
                | models.Q(part_time_to__gte=models.F("part_time_from")),
                name="work_part_time_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Situation professionnelle du parcours n° {self.pathway_id}"
