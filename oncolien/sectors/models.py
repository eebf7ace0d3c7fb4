"""Sectors of a CPTS: groups of its communes, each served by given coordinating
nurses (« une infirmière coordinatrice du secteur organise une visite à domicile »),
and the history of who coordinates each pathway."""

from django.conf import settings
from django.db import models


class Sector(models.Model):
    cpts = models.ForeignKey(
        "territories.Cpts", on_delete=models.CASCADE, related_name="sectors", verbose_name="CPTS"
    )
    name = models.CharField("nom du secteur", max_length=100)
    # Coordinating nurses of the CPTS (checked by `services`: a membership with that role).
    nurses = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_sectors",
        verbose_name="infirmier·ères de coordination",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cpts", "name"]
        verbose_name = "secteur"
        constraints = [
            models.UniqueConstraint(fields=["cpts", "name"], name="unique_sector_name_per_cpts")
        ]

    def __str__(self) -> str:
        return self.name


class SectorCommune(models.Model):
    """A commune of a sector. The CPTS is repeated here so that the database itself
    refuses a commune in two sectors of one CPTS (two CPTS may share a commune)."""

    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="sector_communes")
    cpts = models.ForeignKey("territories.Cpts", on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )

    class Meta:
        ordering = ["commune__name"]
        verbose_name = "commune du secteur"
        verbose_name_plural = "communes du secteur"
        constraints = [
            models.UniqueConstraint(
                fields=["cpts", "commune"], name="one_sector_per_commune_in_a_cpts"
            )
        ]


class NurseAssignment(models.Model):
    """A change of the coordinating nurse of a pathway: at intake (the nurse proposed
    for the sector, or another) or a reassignment by a coordinator."""

    pathway = models.ForeignKey(
        "pathways.Pathway", on_delete=models.CASCADE, related_name="nurse_assignments"
    )
    from_nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="infirmier·ère précédent·e",
    )
    to_nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="infirmier·ère de coordination",
    )
    at_intake = models.BooleanField("à l'inclusion", default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField("le")

    class Meta:
        ordering = ["-assigned_at", "-pk"]
        verbose_name = "attribution de l'infirmier·ère de coordination"
        verbose_name_plural = "attributions de l'infirmier·ère de coordination"
