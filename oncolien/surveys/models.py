"""Regional surveys of CPTS: the register of the region's CPTS, surveys and their
versions, invitations, responses and the coding of free text.

A survey's questions are one JSON document per version (`SurveyVersion.definition`,
validated as a whole by `definition.py`): once the survey is opened, a change makes
a new version, and each response keeps the version its respondent saw.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class CptsRegister(models.Model):
    """The list of every CPTS of the region, imported by regional staff (all or
    nothing): the population a survey's respondents are compared to. A new import
    makes a new register; a survey keeps the register it was compared to."""

    title = models.CharField("intitulé", max_length=200)
    region = models.CharField("région", max_length=100)
    is_fictitious = models.BooleanField(
        "fictif (démonstration)",
        default=False,
        help_text="Un registre de démonstration, dont les CPTS n'existent pas.",
    )
    source_name = models.CharField("fichier importé", max_length=255, blank=True)
    imported_at = models.DateTimeField("importé le", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "registre des CPTS"
        verbose_name_plural = "registres des CPTS"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class SizeClass(models.IntegerChoices):
    # The ACI's size classes of a CPTS, by the population of its territory.
    SIZE_1 = 1, "Taille 1 (moins de 40 000 habitants)"
    SIZE_2 = 2, "Taille 2 (40 000 à 80 000 habitants)"
    SIZE_3 = 3, "Taille 3 (80 000 à 175 000 habitants)"
    SIZE_4 = 4, "Taille 4 (plus de 175 000 habitants)"


class PopulationSource(models.TextChoices):
    COMMUNES = "communes", "calculée (communes)"
    DECLARED = "declared", "déclarée"


class CptsRegisterEntry(models.Model):
    """One CPTS of the register: its department, its ACI signature and its size."""

    register = models.ForeignKey(CptsRegister, on_delete=models.CASCADE, related_name="entries")
    name = models.CharField("nom", max_length=200)
    department = models.CharField("département", max_length=3)
    aci_signed_on = models.DateField("signature de l'ACI", null=True, blank=True)
    # INSEE codes of its communes, when known: the population is then their sum.
    communes = models.JSONField("communes (codes INSEE)", default=list, blank=True)
    population = models.PositiveIntegerField("population", null=True, blank=True)
    population_source = models.CharField(
        "origine de la population", max_length=10, choices=PopulationSource.choices, blank=True
    )
    size_class = models.PositiveSmallIntegerField(
        "taille", choices=SizeClass.choices, null=True, blank=True
    )
    # The CPTS in OncoLien, when it uses it.
    cpts = models.ForeignKey(
        "territories.Cpts",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="register_entries",
    )

    class Meta:
        verbose_name = "CPTS du registre"
        verbose_name_plural = "CPTS du registre"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["register", "name"], name="unique_register_entry_name")
        ]

    def __str__(self) -> str:
        return self.name


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "En préparation"
    OPEN = "open", "Ouverte"
    CLOSED = "closed", "Clôturée"


class Survey(models.Model):
    code = models.SlugField("code", max_length=80, unique=True)
    title = models.CharField("titre", max_length=200)
    status = models.CharField(
        "état", max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    opens_on = models.DateField("ouverture", null=True, blank=True)
    closes_on = models.DateField("clôture", null=True, blank=True)
    register = models.ForeignKey(
        CptsRegister,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name="registre de référence",
    )
    # The field survey it was made from ("sos-2025", "barometre-2024"), if any.
    template = models.CharField("modèle", max_length=40, blank=True)
    # The open link (anyone with it may answer once per browser): its SHA-256 only.
    open_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    reminder_days = models.PositiveSmallIntegerField("relance après (jours)", default=7)
    max_reminders = models.PositiveSmallIntegerField("relances au plus", default=2)
    # Results shared beyond the regional team (CPTS coordinators): small counts protected.
    results_shared = models.BooleanField("résultats partagés avec les CPTS", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "enquête"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class SurveyVersion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("version")
    definition = models.JSONField("questionnaire")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "version d'enquête"
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="unique_survey_version")
        ]

    def __str__(self) -> str:
        return f"{self.survey} — version {self.number}"


class RespondentGroup(models.TextChoices):
    # The Baromètre's « questions de référence »: who answers for the CPTS.
    HEALTH_PROFESSIONAL = "health_professional", "Professionnel·le de santé"
    COORDINATION = "coordination", "Équipe de coordination (salarié·e)"


class Invitation(models.Model):
    """A personal link sent to a contact of a CPTS: one response, resumable."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    entry = models.ForeignKey(
        CptsRegisterEntry, on_delete=models.PROTECT, related_name="invitations"
    )
    contact_name = models.CharField("contact", max_length=200, blank=True)
    email = models.EmailField("adresse électronique")
    group = models.CharField(
        "groupe du répondant", max_length=20, choices=RespondentGroup.choices, blank=True
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    last_reminded_at = models.DateTimeField("dernière relance", null=True, blank=True)
    reminders = models.PositiveSmallIntegerField("relances", default=0)
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation"

    def __str__(self) -> str:
        return f"{self.survey} — {self.entry}"


class ResponseSource(models.TextChoices):
    INVITATION = "invitation", "lien personnel"
    OPEN_LINK = "open_link", "lien ouvert"
    IMPORT = "import", "import"


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "En cours"
    SUBMITTED = "submitted", "Envoyée"


class Response(models.Model):
    """One respondent's answers: {question code: value} in the shapes `definition.py`
    states; « autre, précisez » texts apart, in `other_texts`."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    entry = models.ForeignKey(
        CptsRegisterEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name="CPTS",
    )
    group = models.CharField(
        "groupe du répondant", max_length=20, choices=RespondentGroup.choices, blank=True
    )
    source = models.CharField("origine", max_length=12, choices=ResponseSource.choices)
    status = models.CharField(
        "état", max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.IN_PROGRESS
    )
    answers = models.JSONField("réponses", default=dict, blank=True)
    other_texts = models.JSONField("précisions « autre »", default=dict, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField("envoyée le", null=True, blank=True)
    # The row's identifier in an imported file: a re-import updates, never duplicates.
    import_key = models.CharField("identifiant importé", max_length=100, blank=True)
    # The open link's resumable response, kept by a random cookie: its SHA-256 only.
    resume_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = "réponse"
        indexes = [models.Index(fields=["survey", "status"], name="survey_response_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "import_key"],
                condition=~Q(import_key=""),
                name="unique_imported_response",
            )
        ]

    def __str__(self) -> str:
        return f"Réponse {self.pk} — {self.survey}"


class ResponseImport(models.Model):
    """One import of responses collected elsewhere, and what it did."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField("fichier", max_length=255)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rows = models.PositiveIntegerField("lignes", default=0)
    created = models.PositiveIntegerField("réponses créées", default=0)
    updated = models.PositiveIntegerField("réponses mises à jour", default=0)

    class Meta:
        verbose_name = "import de réponses"


class Theme(models.Model):
    """A theme of a free-text question, into which an analyst codes answers."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="themes")
    question_code = models.CharField("question", max_length=80)
    label = models.CharField("thème", max_length=200)

    class Meta:
        verbose_name = "thème"
        ordering = ["question_code", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "question_code", "label"], name="unique_theme"
            )
        ]

    def __str__(self) -> str:
        return self.label


class AnswerCoding(models.Model):
    """The themes an analyst gave one free-text answer (one answer, several themes)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="codings")
    question_code = models.CharField("question", max_length=80)
    themes = models.ManyToManyField(Theme, related_name="codings", blank=True)
    coded_at = models.DateTimeField(auto_now=True)
    coded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "codage d'une réponse libre"
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_code"], name="unique_answer_coding"
            )
        ]


class SurveyReportPdf(models.Model):
    """The PDF report of a survey, rendered by the task queue for the user who asked."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="reports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    # The analysis asked for: filters, and whether small counts are protected.
    options = models.JSONField("options", default=dict, blank=True)
    content = models.BinaryField("fichier PDF", default=b"", editable=False)
    rendered_at = models.DateTimeField("édité le", null=True, blank=True)
    error = models.TextField("dernière erreur", blank=True)

    class Meta:
        verbose_name = "rapport d'enquête (PDF)"

    @property
    def is_ready(self) -> bool:
        return self.rendered_at is not None
