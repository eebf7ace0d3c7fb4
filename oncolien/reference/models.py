"""Reference data on supportive cancer care (soins oncologiques de support, SOS).

Rows here are written only by ``loader.load_reference()`` from the versioned file
``data/sos_reference.json``; the admin is read-mostly. Other apps point at
``CareType`` and ``Profession`` rows, so rows dropped from the file are marked
inactive instead of being deleted.
"""

from django.db import models


class Phase(models.TextChoices):
    """Pathway phases. The descriptions shown to users live in the data file."""

    DIAGNOSIS = "diagnosis", "Phase diagnostique"
    TREATMENT = "treatment", "Traitement actif (PPS)"
    AFTER_TREATMENT = "after_treatment", "Après-cancer (PPAC)"


class Profession(models.Model):
    """A profession qualified to deliver one or more supportive cares (INCa table)."""

    code = models.SlugField("code", max_length=64, unique=True)
    name = models.CharField("nom", max_length=200)
    active = models.BooleanField("présente dans le référentiel chargé", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "profession"

    def __str__(self) -> str:
        return self.name


class CareType(models.Model):
    """A supportive care: one of the 9 of the INCa basket, or a complementary one outside it."""

    code = models.SlugField("code", max_length=64, unique=True)
    name = models.CharField("nom", max_length=200)
    short_description = models.TextField("description courte", blank=True)
    basket = models.BooleanField("dans le panier INCa", default=False)
    is_core = models.BooleanField("soin socle", default=False)
    position = models.PositiveSmallIntegerField("ordre d'affichage", default=0)
    # Where the field documents cite a care outside the basket; empty for basket cares.
    source = models.CharField("source", max_length=300, blank=True)
    active = models.BooleanField("présent dans le référentiel chargé", default=True)
    # Annotated: the through model is named by a string, which mypy cannot follow.
    professions: "models.ManyToManyField[Profession, CareTypeProfession]" = models.ManyToManyField(
        Profession,
        through="CareTypeProfession",
        related_name="care_types",
        blank=True,
        verbose_name="professions habilitées",
    )

    class Meta:
        ordering = ["position", "code"]
        verbose_name = "soin de support"
        verbose_name_plural = "soins de support"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_core=False) | models.Q(basket=True),
                name="reference_core_care_is_in_basket",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CareTypeProfession(models.Model):
    """A profession qualified to deliver a care, in the order of the INCa table."""

    care_type = models.ForeignKey(
        CareType, on_delete=models.CASCADE, related_name="profession_links"
    )
    profession = models.ForeignKey(
        Profession, on_delete=models.CASCADE, related_name="care_type_links"
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["care_type", "position"]
        verbose_name = "profession habilitée"
        verbose_name_plural = "professions habilitées"
        constraints = [
            models.UniqueConstraint(
                fields=["care_type", "profession"], name="reference_unique_care_type_profession"
            )
        ]

    def __str__(self) -> str:
        return f"{self.care_type} — {self.profession}"


class PhaseDescription(models.Model):
    """The text shown for each pathway phase, loaded from the data file."""

    phase = models.CharField("phase", max_length=20, choices=Phase.choices, unique=True)
    title = models.CharField("titre", max_length=200)
    description = models.TextField("description")
    position = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = "description de phase"
        verbose_name_plural = "descriptions de phase"

    def __str__(self) -> str:
        return self.get_phase_display()


class Notice(models.Model):
    """A text block of the reference data: definition, caution on non-conventional practices…"""

    code = models.SlugField("code", max_length=64, unique=True)
    title = models.CharField("titre", max_length=200)
    body = models.TextField("texte")
    link = models.URLField("lien", blank=True)
    link_label = models.CharField("libellé du lien", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = "notice"

    def __str__(self) -> str:
        return self.title


class ReferenceDataVersion(models.Model):
    """One load of the data file; the most recently loaded row is the version in force."""

    version = models.CharField("version", max_length=50)
    checksum = models.CharField("empreinte SHA-256", max_length=64, unique=True)
    loaded_at = models.DateTimeField("chargée le")
    sources = models.JSONField("sources", default=list)

    class Meta:
        ordering = ["-loaded_at"]
        get_latest_by = "loaded_at"
        verbose_name = "version des données de référence"
        verbose_name_plural = "versions des données de référence"

    def __str__(self) -> str:
        return self.version
