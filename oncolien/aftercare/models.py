"""The national post-cancer programme ("parcours de soins global après le traitement
d'un cancer", décret n° 2020-1665): one programme per pathway, prescribed to a
labelled structure of the directory, and its acts, prescribed then done.

Writes go through `aftercare.services` (authorised, checked against the rules
of `aftercare.rules`, audited); reads through a pathway from `pathways.selectors`.
"""

from django.conf import settings
from django.db import models

from oncolien.aftercare import rules
from oncolien.aftercare.eligibility import PrescriberRole


class ActKind(models.TextChoices):
    PHYSICAL_ACTIVITY_ASSESSMENT = (
        rules.PHYSICAL_ACTIVITY_ASSESSMENT,
        rules.KIND_LABELS[rules.PHYSICAL_ACTIVITY_ASSESSMENT],
    )
    DIETARY_ASSESSMENT = rules.DIETARY_ASSESSMENT, rules.KIND_LABELS[rules.DIETARY_ASSESSMENT]
    PSYCHOLOGICAL_ASSESSMENT = (
        rules.PSYCHOLOGICAL_ASSESSMENT,
        rules.KIND_LABELS[rules.PSYCHOLOGICAL_ASSESSMENT],
    )
    DIETARY_FOLLOW_UP = rules.DIETARY_FOLLOW_UP, rules.KIND_LABELS[rules.DIETARY_FOLLOW_UP]
    PSYCHOLOGICAL_FOLLOW_UP = (
        rules.PSYCHOLOGICAL_FOLLOW_UP,
        rules.KIND_LABELS[rules.PSYCHOLOGICAL_FOLLOW_UP],
    )


class PostCancerProgramme(models.Model):
    pathway = models.OneToOneField(
        "pathways.Pathway", on_delete=models.CASCADE, related_name="post_cancer_programme"
    )
    prescriber_role = models.CharField(
        "prescripteur·rice", max_length=20, choices=PrescriberRole.choices
    )
    prescriber_name = models.CharField("nom du médecin prescripteur", max_length=150)
    prescriber_rpps = models.CharField("RPPS du prescripteur", max_length=11, blank=True)
    prescribed_on = models.DateField("date de prescription")
    service = models.ForeignKey(
        "directory.Service",
        on_delete=models.PROTECT,
        related_name="post_cancer_programmes",
        verbose_name="structure labellisée",
    )
    # The version of the allowance rules in force at prescription: the acts of this
    # programme are checked against it even after a new version is published.
    rules_version = models.CharField("version des règles", max_length=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "parcours de soins global après cancer"
        verbose_name_plural = "parcours de soins global après cancer"
        indexes = [models.Index(fields=["service", "prescribed_on"])]

    def __str__(self) -> str:
        return f"Parcours après cancer n° {self.pk}"

    @property
    def rules(self) -> rules.AllowanceRules:
        return rules.rules_version(self.rules_version)


class ProgrammeAct(models.Model):
    """One prescribed act; recording it as done gives its date and amount."""

    programme = models.ForeignKey(
        PostCancerProgramme, on_delete=models.CASCADE, related_name="acts"
    )
    kind = models.CharField("acte", max_length=30, choices=ActKind.choices)
    prescribed_at = models.DateTimeField(auto_now_add=True)
    done_on = models.DateField("réalisé le", null=True, blank=True)
    amount = models.DecimalField(
        "montant (€)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "acte du parcours après cancer"
        constraints = [
            # Done means dated and priced; prescribed means neither.
            models.CheckConstraint(
                condition=models.Q(done_on__isnull=True, amount__isnull=True)
                | models.Q(done_on__isnull=False, amount__gt=0),
                name="programme_act_done_has_date_and_amount",
            )
        ]

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def as_rule_act(self) -> rules.Act:
        """The act as the allowance rules see it: only an act done has one."""
        if self.done_on is None or self.amount is None:
            raise ValueError("Un acte seulement prescrit n'a ni date ni montant.")
        return rules.Act(kind=self.kind, on=self.done_on, amount=self.amount)


class ArsFilePdf(models.Model):
    """The PDF of an ARS activity file, asked by one user for one semester and rendered
    by the task queue (a region's file is tens of pages: seconds of layout, never in a
    request). Only the user who asked downloads it: it covers the structures they may
    report on, as of the time they asked."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    semester = models.CharField("semestre", max_length=7)
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    content = models.BinaryField("fichier PDF", default=b"", editable=False)
    rendered_at = models.DateTimeField("édité le", null=True, blank=True)
    render_seconds = models.FloatField("durée de mise en page (s)", null=True, blank=True)
    error = models.TextField("dernière erreur", blank=True)

    class Meta:
        verbose_name = "PDF du fichier d'activité ARS"
        verbose_name_plural = "PDF des fichiers d'activité ARS"

    @property
    def is_ready(self) -> bool:
        return self.rendered_at is not None
