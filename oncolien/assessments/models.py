"""Needs assessments: versioned instruments (data files) and the responses to them.

An instrument is a data file (see INSTRUMENT_FORMAT.md): loading it creates an
`InstrumentVersion` row holding its whole definition; a response (`Assessment`)
points at the exact version it answered, so a later version never changes how an
old response reads or scores.
"""

from django.conf import settings
from django.db import models


class Audience(models.TextChoices):
    PATIENT = "patient", "Patient (auto-questionnaire)"
    PROFESSIONAL = "professional", "Professionnel·le"


class InstrumentVersion(models.Model):
    code = models.SlugField("code", max_length=60)
    version = models.CharField("version", max_length=20)
    title = models.CharField("titre", max_length=200)
    audience = models.CharField("destinataire", max_length=12, choices=Audience.choices)
    definition = models.JSONField("définition")
    checksum = models.CharField(max_length=64)
    active = models.BooleanField("en usage", default=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-loaded_at"]
        verbose_name = "version de questionnaire"
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_instrument_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Respondent(models.TextChoices):
    PROFESSIONAL = "professional", "Professionnel·le"
    PATIENT = "patient", "Patient"
    RELATIVE = "relative", "Proche"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "En cours"
    COMPLETED = "completed", "Terminée"


class NeedLevel(models.TextChoices):
    NONE = "none", "Pas de besoin"
    TO_DISCUSS = "to_discuss", "À discuter"
    PRIORITY = "priority", "Prioritaire"


class Assessment(models.Model):
    pathway = models.ForeignKey(
        "pathways.Pathway", on_delete=models.CASCADE, related_name="assessments"
    )
    instrument = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    respondent = models.CharField("rempli par", max_length=12, choices=Respondent.choices)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visit = models.ForeignKey(
        "pathways.Visit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    # {item_id: value} as the engine stores them (see INSTRUMENT_FORMAT.md).
    answers = models.JSONField(default=dict, blank=True)
    # At completion: {"needs": {care_type_code: NeedLevel}, "scales": {key: number},
    # "scores": [{"key", "label", "kind", "value"}]}.
    results = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "évaluation des besoins"


class LinkChannel(models.TextChoices):
    SMS = "sms", "SMS"
    EMAIL = "email", "Courriel"
    PRINT = "print", "Imprimé (code QR)"


class AccessLink(models.Model):
    """A one-time link for a patient (or relative) to fill an assessment without an account.

    Only a hash of the token is stored. The link can be reopened to resume until the
    assessment is completed or the link expires; then it is dead.
    """

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="access_link"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=8, choices=LinkChannel.choices)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # None: issued by the task queue (a satisfaction questionnaire), not by a person.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lien d'auto-questionnaire"


class SurveyMoment(models.TextChoices):
    """When a satisfaction questionnaire is sent (the `survey.moment` of its file)."""

    END_OF_FOLLOW_UP = "end_of_follow_up", "Fin du suivi (patient)"
    PROGRAMME_YEAR = "programme_year", "Un an après le début du parcours après cancer (patient)"
    CARE_TEAM = "care_team", "Clôture du parcours (équipe de soins)"


class SurveyOutcome(models.TextChoices):
    # Handed to the notifications helper: whether it left is on `delivery`.
    QUEUED = "queued", "Confié à l'envoi"
    # Nothing was sent, for `reason`.
    NOT_SENT = "not_sent", "Non envoyé"


class SatisfactionSurvey(models.Model):
    """One satisfaction questionnaire due to one person at one moment of one pathway.

    The unique (pathway, moment, recipient_key) makes each moment send once, whoever
    runs the task and however often. A moment that could not be sent is recorded too,
    with its reason, so that the indicators count it and nobody believes it was sent.
    """

    pathway = models.ForeignKey(
        "pathways.Pathway", on_delete=models.CASCADE, related_name="satisfaction_surveys"
    )
    moment = models.CharField("moment", max_length=20, choices=SurveyMoment.choices)
    # The day of the moment (closing date, or the programme's first anniversary).
    due_on = models.DateField("date du moment")
    # "patient", or "member:<pk>" for a professional of the care team.
    recipient_key = models.CharField(max_length=40)
    care_team_member = models.ForeignKey(
        "pathways.CareTeamMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    instrument = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="+")
    assessment = models.OneToOneField(
        Assessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="satisfaction_survey",
    )
    outcome = models.CharField("issue", max_length=10, choices=SurveyOutcome.choices)
    reason = models.CharField("motif du non-envoi", max_length=20, blank=True)
    channel = models.CharField(max_length=8, choices=LinkChannel.choices, blank=True)
    delivery = models.ForeignKey(
        "notifications.Delivery", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminder_delivery = models.ForeignKey(
        "notifications.Delivery", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField("relancé le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "questionnaire de satisfaction"
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "moment", "recipient_key"], name="one_survey_per_moment"
            )
        ]
        indexes = [models.Index(fields=["moment", "due_on"])]
