"""Patients and their pathways within a CPTS: intake, consent, cancer, care team,
visits, the nurse monitoring sheet, alerts and visit reports.

This is health data: every read and write goes through `pathways.services` /
`pathways.selectors`, which call the one authorisation check and the audit trail.
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from oncolien.pathways import ages
from oncolien.pathways.statuses import PathwayStatus  # noqa: F401 - the field's choices

# The pathway phases are reference data (diagnosis, treatment, after treatment).
from oncolien.reference.models import Phase


class Sex(models.TextChoices):
    FEMALE = "F", "Femme"
    MALE = "M", "Homme"
    OTHER = "X", "Autre / non précisé"


class Patient(models.Model):
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100)
    birth_date = models.DateField("date de naissance")
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    address = models.CharField("adresse", max_length=250, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    # INS (NIR as national health identifier), optional, checked with its key.
    ins = models.CharField("INS / NIR", max_length=15, blank=True)
    gp_name = models.CharField("médecin traitant", max_length=150, blank=True)
    # A patient of the demonstration (`setup_demo`), as the demo directory's
    # `Organization.is_fictitious`: named « (fictif) » wherever the patient is shown.
    is_fictitious = models.BooleanField("patient fictif (démonstration)", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "patient"

    def __str__(self) -> str:
        name = f"{self.last_name.upper()} {self.first_name}"
        return f"{name} (fictif)" if self.is_fictitious else name

    def age_on(self, day: date) -> int:
        return ages.age_on(self.birth_date, day)


class ClosingReason(models.TextChoices):
    END_OF_FOLLOW_UP = "end_of_follow_up", "Fin du suivi"
    MOVED = "moved", "Déménagement"
    DECLINED = "declined", "Refus du patient"
    DECEASED = "deceased", "Décès"
    TRANSFERRED = "transferred", "Relais par une autre structure"
    OTHER = "other", "Autre"


class IntakeChannel(models.TextChoices):
    PHONE_LINE = "phone_line", "Ligne téléphonique dédiée"
    GP = "gp", "Médecin traitant"
    ONCOLOGIST = "oncologist", "Oncologue"
    RADIOLOGIST = "radiologist", "Radiologue"
    HOSPITAL_NURSE = "hospital_nurse", "Infirmier·ère hospitalier·ère"
    OTHER_PROFESSIONAL = "other_professional", "Autre professionnel·le"
    PATIENT = "patient", "Le patient"
    RELATIVE = "relative", "Un proche"


class CancerSite(models.TextChoices):
    BREAST = "breast", "Sein"
    COLORECTAL = "colorectal", "Colorectal"
    LUNG = "lung", "Poumon"
    PROSTATE = "prostate", "Prostate"
    HEAD_AND_NECK = "head_and_neck", "Tête et cou (ORL)"
    HAEMATOLOGICAL = "haematological", "Hématologique"
    GYNAECOLOGICAL = "gynaecological", "Gynécologique"
    SKIN = "skin", "Peau (mélanome…)"
    DIGESTIVE_OTHER = "digestive_other", "Autre digestif (estomac, pancréas, foie…)"
    UROLOGICAL_OTHER = "urological_other", "Autre urologique (rein, vessie…)"
    OTHER = "other", "Autre"


class Pathway(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="pathways")
    cpts = models.ForeignKey(
        "territories.Cpts", on_delete=models.PROTECT, related_name="pathways", verbose_name="CPTS"
    )
    status = models.CharField(
        "statut", max_length=16, choices=PathwayStatus.choices, default=PathwayStatus.FIRST_CONTACT
    )
    closing_reason = models.CharField(
        "motif de clôture", max_length=20, choices=ClosingReason.choices, blank=True
    )
    intake_channel = models.CharField(
        "canal d'entrée", max_length=20, choices=IntakeChannel.choices
    )
    referrer = models.CharField("adressé par", max_length=200, blank=True)
    first_contact_on = models.DateField("date du premier contact")
    included_on = models.DateField("date d'inclusion", null=True, blank=True)
    closed_on = models.DateField("date de clôture", null=True, blank=True)
    # Eligibility: whether the patient's commune was in the CPTS at intake, and why
    # a coordinator included anyway when it was not.
    in_territory = models.BooleanField("commune dans le territoire", default=True)
    out_of_territory_reason = models.TextField("motif d'inclusion hors territoire", blank=True)
    cancer_site = models.CharField(
        "localisation du cancer", max_length=20, choices=CancerSite.choices, blank=True
    )
    diagnosis_on = models.DateField("date du diagnostic", null=True, blank=True)
    end_of_active_treatment_on = models.DateField(
        "date de fin des traitements actifs", null=True, blank=True
    )
    phase_override = models.CharField(
        "phase (choisie)", max_length=20, choices=Phase.choices, blank=True
    )
    cancer_ald = models.BooleanField("cancer en ALD", default=False)
    pps_reference = models.CharField("PPS (lien ou référence)", max_length=300, blank=True)
    ppac_reference = models.CharField("PPAC (lien ou référence)", max_length=300, blank=True)
    dcc_reference = models.CharField("DCC (lien ou référence)", max_length=300, blank=True)
    reference_weight_kg = models.DecimalField(
        "poids de référence (kg)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(300)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking of the editable details: each save of them is a conditional
    # UPDATE on the version its editor loaded, so that of two concurrent edits the
    # second is refused with what changed, never written silently over the first
    # (services.pathway_update, pathways/edit_conflicts.py).
    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        indexes = [
            models.Index(fields=["cpts", "status"]),
            # The indicators' pathways opened in a period, per CPTS.
            models.Index(fields=["cpts", "first_contact_on"]),
        ]

    def __str__(self) -> str:
        return f"Parcours n° {self.pk}"


class IntakeOutcome(models.TextChoices):
    INCLUDED = "included", "Patient inclus"
    OUT_OF_TERRITORY = "out_of_territory", "Hors territoire"
    NOT_INCLUDED = "not_included", "Non inclus"


class IntakeCall(models.Model):
    """One contact of the intake line, whatever came of it, with no identity.

    Counting contacts against patients followed needs every call, including the ones
    that end in an orientation elsewhere or in no inclusion: these leave no pathway,
    so the call itself is the record. It holds nothing that names the person.
    """

    cpts = models.ForeignKey(
        "territories.Cpts",
        on_delete=models.PROTECT,
        related_name="intake_calls",
        verbose_name="CPTS",
    )
    called_at = models.DateTimeField("date et heure de l'appel")
    channel = models.CharField("canal d'entrée", max_length=20, choices=IntakeChannel.choices)
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="commune de résidence",
    )
    in_territory = models.BooleanField("commune dans le territoire")
    outcome = models.CharField("issue", max_length=20, choices=IntakeOutcome.choices)
    reason = models.TextField("motif", blank=True)
    # Where an out-of-territory caller was directed (none: the regional contact).
    covering_cpts = models.ForeignKey(
        "territories.Cpts",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="CPTS qui couvre la commune",
    )
    pathway = models.OneToOneField(
        Pathway,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intake_call",
        verbose_name="parcours ouvert",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Where the call came from, when another app knows (e.g. "campaign:12", a flyer's
    # QR campaign): a code, never a person's data, so that intakes count by source.
    source = models.CharField("origine", max_length=60, blank=True, db_index=True)

    class Meta:
        ordering = ["-called_at", "-pk"]
        verbose_name = "appel d'inclusion"
        verbose_name_plural = "appels d'inclusion"
        indexes = [models.Index(fields=["cpts", "called_at"])]

    def __str__(self) -> str:
        return f"Appel n° {self.pk}"


class Consent(models.Model):
    """The patient was informed; sharing is allowed unless they object ("sauf opposition")."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="consents")
    informed_on = models.DateField("date de l'information")
    objects_to_sharing = models.BooleanField("opposition au partage", default=False)
    notes = models.TextField("précisions", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = "information et opposition"


class TreatmentKind(models.TextChoices):
    SURGERY = "surgery", "Chirurgie"
    CHEMOTHERAPY = "chemotherapy", "Chimiothérapie"
    RADIOTHERAPY = "radiotherapy", "Radiothérapie"
    HORMONE_THERAPY = "hormone_therapy", "Hormonothérapie"
    IMMUNOTHERAPY = "immunotherapy", "Immunothérapie"
    TARGETED_THERAPY = "targeted_therapy", "Thérapie ciblée"
    OTHER = "other", "Autre"


class Treatment(models.Model):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="treatments")
    kind = models.CharField("traitement", max_length=20, choices=TreatmentKind.choices)
    started_on = models.DateField("début", null=True, blank=True)
    ended_on = models.DateField("fin", null=True, blank=True)
    notes = models.CharField("précisions", max_length=250, blank=True)

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = "traitement"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="treatment_ends_after_start",
            )
        ]


class CareTeamRole(models.TextChoices):
    GP = "gp", "Médecin traitant"
    ONCOLOGIST = "oncologist", "Oncologue"
    COORDINATING_NURSE = "coordinating_nurse", "Infirmier·ère de coordination (IDEC)"
    COMMUNITY_NURSE = "community_nurse", "Infirmier·ère libéral·e (IDEL)"
    PHARMACIST = "pharmacist", "Pharmacien·ne"
    OTHER = "other", "Autre professionnel·le"


class CareTeamMember(models.Model):
    """A member of the pathway's care team: an OncoLien user, or an external contact."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="care_team")
    role = models.CharField("rôle", max_length=20, choices=CareTeamRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_team_memberships",
    )
    name = models.CharField("nom", max_length=150)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("courriel", blank=True)
    # The only address a report with health data may be sent to (checked against the
    # MSSanté domains by `services.care_team_add`).
    mssante_address = models.EmailField("messagerie sécurisée (MSSanté)", blank=True)
    active = models.BooleanField("actif", default=True)

    class Meta:
        ordering = ["role", "name"]
        verbose_name = "membre de l'équipe de soins"
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "user"],
                condition=models.Q(user__isnull=False),
                name="unique_user_per_care_team",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class VisitKind(models.TextChoices):
    HOME = "home", "Visite à domicile"
    PHONE = "phone", "Suivi téléphonique"
    OFFICE = "office", "Consultation au cabinet"


class Visit(models.Model):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField("type", max_length=10, choices=VisitKind.choices)
    occurred_at = models.DateTimeField("date et heure")
    duration_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)", null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField("notes", blank=True)
    needs_discussed = models.ManyToManyField(
        "reference.CareType", blank=True, related_name="+", verbose_name="besoins abordés"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = "visite"
        # A CPTS's visits of a period, counted per pathway without reading the rows
        # (indicators, bench/indicators.py).
        indexes = [models.Index(fields=["pathway", "occurred_at"])]


class Vomiting(models.TextChoices):
    NONE = "none", "Non"
    PRESENT = "present", "Oui, contrôlés par le traitement"
    REFRACTORY = "refractory", "Oui, réfractaires au traitement"


class Transit(models.TextChoices):
    NORMAL = "normal", "Normal"
    CONSTIPATION = "constipation", "Constipation"
    DIARRHOEA = "diarrhoea", "Diarrhée"


class VenousAccess(models.TextChoices):
    NONE = "none", "Aucune"
    PICC = "picc", "PICC line"
    PORT = "port", "Chambre implantable"
    OTHER = "other", "Autre"


class Flush(models.TextChoices):
    DONE = "done", "Rinçage fait"
    NOT_DONE = "not_done", "Non fait"
    IMPOSSIBLE = "impossible", "Impossible (obstruction)"


class LocalAspect(models.TextChoices):
    NORMAL = "normal", "Normal"
    REDNESS = "redness", "Rougeur"
    SWELLING = "swelling", "Œdème"
    DISCHARGE = "discharge", "Écoulement"
    PAIN = "pain", "Douleur au point de ponction"


class MonitoringRecord(models.Model):
    """The "fiche de surveillance et de suivi en oncologie", one per nurse visit.

    Plausible ranges are enforced by `pathways.monitoring` (French messages); the
    optional fields are those the nurse may not have measured.
    """

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="records")
    visit = models.ForeignKey(
        Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="records"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("date", db_index=True)
    weight_kg = models.DecimalField(
        "poids (kg)", max_digits=5, decimal_places=1, null=True, blank=True
    )
    systolic_bp = models.PositiveSmallIntegerField("PA systolique (mmHg)", null=True, blank=True)
    diastolic_bp = models.PositiveSmallIntegerField("PA diastolique (mmHg)", null=True, blank=True)
    pulse_bpm = models.PositiveSmallIntegerField("pouls (/min)", null=True, blank=True)
    pulse_regular = models.BooleanField("rythme régulier", null=True, blank=True)
    saturation_pct = models.PositiveSmallIntegerField("saturation (%)", null=True, blank=True)
    temperature_c = models.DecimalField(
        "température (°C)", max_digits=3, decimal_places=1, null=True, blank=True
    )
    dyspnoea = models.BooleanField("dyspnée", null=True, blank=True)
    nausea = models.BooleanField("nausées", null=True, blank=True)
    vomiting = models.CharField(
        "vomissements", max_length=12, choices=Vomiting.choices, default=Vomiting.NONE
    )
    transit = models.CharField("transit", max_length=14, choices=Transit.choices, blank=True)
    enriched_food = models.BooleanField("alimentation enrichie / CNO", null=True, blank=True)
    fractionated_meals = models.BooleanField("alimentation fractionnée", null=True, blank=True)
    mucositis = models.BooleanField("mucite", null=True, blank=True)
    dry_skin = models.BooleanField("sécheresse de la peau", null=True, blank=True)
    hand_foot_syndrome = models.BooleanField("syndrome main-pied", null=True, blank=True)
    alopecia_nails = models.BooleanField("alopécie / ongles", null=True, blank=True)
    tingling = models.BooleanField("fourmillements / polynévrite", null=True, blank=True)
    paresthesia = models.BooleanField("paresthésies", null=True, blank=True)
    missed_doses = models.BooleanField("oubli de prise", null=True, blank=True)
    treatment_difficulties = models.CharField(
        "difficultés avec le traitement", max_length=250, blank=True
    )
    pain_score = models.PositiveSmallIntegerField("douleur (EVA 0-10)", null=True, blank=True)
    pain_location = models.CharField("localisation de la douleur", max_length=150, blank=True)
    biology_on = models.DateField("date du bilan biologique", null=True, blank=True)
    biology_anomalies = models.CharField("anomalies biologiques", max_length=250, blank=True)
    venous_access = models.CharField(
        "voie d'abord", max_length=8, choices=VenousAccess.choices, default=VenousAccess.NONE
    )
    venous_access_flush = models.CharField(
        "rinçage de la voie d'abord", max_length=12, choices=Flush.choices, blank=True
    )
    venous_access_aspect = models.CharField(
        "aspect local", max_length=12, choices=LocalAspect.choices, blank=True
    )
    observations = models.TextField("observations", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = "fiche de surveillance"
        indexes = [models.Index(fields=["pathway", "-recorded_at"])]


def default_acknowledging_roles() -> list[str]:
    """The coordinating nurse on the care team and the CPTS coordinators."""
    return ["team_coordinating_nurse", "cpts_coordinator"]


class AlertProtocol(models.Model):
    """A CPTS's alert protocol. Without one, the safe defaults of `pathways.alerts` apply."""

    cpts = models.OneToOneField(
        "territories.Cpts", on_delete=models.CASCADE, related_name="alert_protocol"
    )
    fever_threshold_c = models.DecimalField(
        "seuil de fièvre (°C)",
        max_digits=3,
        decimal_places=1,
        default=38.0,
        validators=[MinValueValidator(37.8), MaxValueValidator(38.5)],
    )
    escalation_after_minutes = models.PositiveIntegerField(
        "escalade aux coordinateur·rices après (minutes)",
        default=240,
        validators=[MinValueValidator(15), MaxValueValidator(7 * 24 * 60)],
    )
    # Who may acknowledge (« prendre en compte ») an alert: codes of
    # `pathways.protocol.ACKNOWLEDGING_ROLES`. The defaults are the protocol's too.
    acknowledging_roles = models.JSONField(
        "qui prend en compte les alertes", default=default_acknowledging_roles
    )
    # The CPTS's own instruction per rule code; a rule without one shows the default
    # text of pathways/data/alert-instructions.json.
    instructions = models.JSONField("consignes propres à la CPTS", default=dict, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "protocole d'alerte"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fever_threshold_c__gte=37.8, fever_threshold_c__lte=38.5),
                name="fever_threshold_within_37_8_and_38_5",
            )
        ]


class Severity(models.TextChoices):
    HIGH = "high", "Élevée"
    MEDIUM = "medium", "Modérée"


class Alert(models.Model):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="alerts")
    record = models.ForeignKey(
        MonitoringRecord, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    # Alerts raised by another source than a monitoring sheet (e.g. an assessment):
    # "assessment:<id>", with one alert per source and rule.
    source = models.CharField("origine", max_length=60, blank=True)
    rule = models.CharField("règle", max_length=40)
    severity = models.CharField("gravité", max_length=8, choices=Severity.choices)
    message = models.CharField("message", max_length=300)
    raised_at = models.DateTimeField("levée le", db_index=True)
    acknowledged_at = models.DateTimeField("prise en compte le", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledgement_comment = models.TextField("commentaire", blank=True)
    escalated_at = models.DateTimeField("escaladée le", null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = "alerte"
        constraints = [
            # Exactly one alert per record and rule, whatever happens concurrently.
            models.UniqueConstraint(
                fields=["record", "rule"], name="one_alert_per_record_and_rule"
            ),
            models.UniqueConstraint(
                fields=["source", "rule"],
                condition=~models.Q(source=""),
                name="one_alert_per_source_and_rule",
            ),
        ]
        indexes = [
            models.Index(fields=["acknowledged_at", "raised_at"]),
            # A CPTS's alerts of a period, and its escalations, counted per pathway
            # without reading the rows (indicators, bench/indicators.py).
            models.Index(fields=["pathway", "raised_at", "escalated_at"]),
        ]


class AlertComment(models.Model):
    """What someone did about an alert (« appel à l'hôpital de jour à 10 h »). A comment
    leaves the alert open for whoever is responsible for acknowledging it."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("écrit le", auto_now_add=True)
    text = models.TextField("commentaire", max_length=2000)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "commentaire d'alerte"

    def __str__(self) -> str:
        return f"{self.author} : {self.text[:40]}"


class VisitReport(models.Model):
    """A compte-rendu generated from a visit and its sheet, sent to chosen care-team members."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="reports")
    recipients = models.ManyToManyField(CareTeamMember, related_name="reports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    conclusion = models.TextField("conclusion", blank=True)
    # When a message of this report first left (a delivery recorded as sent).
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    # How each recipient was reached by the last sending: [{"member", "name", "how",
    # "delivery", "reason"}]; the outcome itself is read from the delivery.
    sending = models.JSONField("dernier envoi", default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "compte-rendu de visite"


class ReportPdf(models.Model):
    """The PDF of a visit report as last rendered by the task queue, kept in the
    database (health data: never in a public path; served only through
    `reports.report_for`, authorised and audited).

    `source_digest` names the content the file was made from (`reports.report_digest`):
    a report that changed since (a sheet, the team, the supportive care) no longer
    matches it, and its PDF is rendered again before it is served or sent."""

    report = models.OneToOneField(VisitReport, on_delete=models.CASCADE, related_name="pdf")
    content = models.BinaryField("fichier PDF", default=b"", editable=False)
    source_digest = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField("édité le", null=True, blank=True)
    # The render waiting or running, and the content it was asked for.
    queued_at = models.DateTimeField("rendu demandé le", null=True, blank=True)
    queued_digest = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    error = models.TextField("dernière erreur", blank=True)

    class Meta:
        verbose_name = "PDF de compte-rendu"
        verbose_name_plural = "PDF de comptes-rendus"

    @property
    def content_ready(self) -> bool:
        # The file is deferred on the state reads: its time says whether it exists.
        return self.rendered_at is not None


class StatusChange(models.Model):
    """Each status change of a pathway, for its timeline."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=PathwayStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=PathwayStatus.choices)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "pk"]
        # « Ever followed » (indicators): does this pathway have a change to that status?
        indexes = [models.Index(fields=["pathway", "to_status"])]
