"""A CPTS's printed material (flyer, poster) and its tracked QR campaigns.

`Material` holds the few fields a coordinator writes once for the CPTS (the offer,
who answers the phone and when, the consent sentence); each `Campaign` is one place
the material is handed out (« radiologie Carbonne »), with its own QR code and
public page. Visits of a campaign's page are counted per day with nothing about the
visitor; a `ContactRequest` is what a person sent from that page: personal data,
read and changed only through `outreach.selectors` / `outreach.services`.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

DEFAULT_CONSENT = (
    "Dans le cadre de la coordination des soins, sauf opposition de votre part, "
    "les infirmières coordinatrices de la CPTS pourront être amenées à vous contacter."
)

# No 0/o, 1/l/i: a code read aloud or typed from paper is not misread.
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 10


def new_campaign_code() -> str:
    """An unguessable code (about 50 bits): the page of one campaign cannot be found
    by trying the others."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Material(models.Model):
    """What the flyer, the poster and the public page of a CPTS say."""

    cpts = models.OneToOneField(
        "territories.Cpts", on_delete=models.CASCADE, related_name="outreach_material"
    )
    offer_title = models.CharField(
        "titre de l'offre",
        max_length=120,
        default="Un accompagnement près de chez vous face au cancer",
    )
    offer_points = models.TextField(
        "points de l'offre (un par ligne)",
        default=(
            "Un soutien dès les premiers doutes ou dans l'attente des résultats.\n"
            "Un accompagnement personnalisé tout au long du parcours.\n"
            "Une orientation vers les soins de support adaptés."
        ),
    )
    contact_name = models.CharField(
        "qui répond",
        max_length=150,
        blank=True,
        help_text="Par exemple : Marion, infirmière de parcours.",
    )
    phone = models.CharField("téléphone", max_length=20)
    phone_hours = models.CharField(
        "horaires du téléphone",
        max_length=150,
        blank=True,
        help_text="Par exemple : du lundi au vendredi, absente le mercredi.",
    )
    email = models.EmailField("courriel", blank=True)
    consent_sentence = models.TextField("phrase d'information", default=DEFAULT_CONSENT)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "documents de la CPTS"
        verbose_name_plural = "documents des CPTS"

    @property
    def points(self) -> list[str]:
        return [line.strip() for line in self.offer_points.splitlines() if line.strip()]


class Campaign(models.Model):
    """One place the flyer or poster is handed out, and its QR code."""

    cpts = models.ForeignKey(
        "territories.Cpts", on_delete=models.PROTECT, related_name="campaigns", verbose_name="CPTS"
    )
    name = models.CharField("nom", max_length=120, help_text="Par exemple : radiologie Carbonne.")
    audience = models.CharField(
        "public visé",
        max_length=150,
        blank=True,
        help_text="Par exemple : patientes des cabinets de radiologie.",
    )
    code = models.CharField(
        "code", max_length=CODE_LENGTH, unique=True, default=new_campaign_code, editable=False
    )
    active = models.BooleanField("active", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-active", "name", "pk"]
        verbose_name = "campagne"
        constraints = [
            models.UniqueConstraint(fields=["cpts", "name"], name="unique_campaign_name_per_cpts")
        ]

    def __str__(self) -> str:
        return self.name

    def public_path(self) -> str:
        return reverse("outreach:public", kwargs={"code": self.code})

    @property
    def source(self) -> str:
        """What the intake call carries as its origin (`IntakeCall.source`)."""
        return f"campaign:{self.pk}"


class CampaignVisitDay(models.Model):
    """How many times the campaign's page was opened on a day: a count, nothing else."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="visit_days")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "day"], name="one_visit_count_per_day")
        ]


class PreferredTime(models.TextChoices):
    MORNING = "morning", "Le matin"
    AFTERNOON = "afternoon", "L'après-midi"
    ANY = "any", "Peu importe"


class ContactRequest(models.Model):
    """A person asked, from a campaign's page, to be called back."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="contact_requests"
    )
    name = models.CharField("nom", max_length=150)
    phone = models.CharField("téléphone", max_length=20)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune"
    )
    preferred_time = models.CharField(
        "moment préféré", max_length=10, choices=PreferredTime.choices
    )
    message = models.TextField("message", blank=True)
    consented_at = models.DateTimeField("accord donné le")
    # A keyed hash of the sender's address, for the rate limit only (`rate_limits`).
    sender_fingerprint = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    called_back_at = models.DateTimeField("rappelé·e le", null=True, blank=True)
    called_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When the name, phone and message were erased (`services.contact_requests_erase`):
    # the row stays, without them, so that the campaign's counts do not change.
    erased_at = models.DateTimeField("effacée le", null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "demande de contact"
        verbose_name_plural = "demandes de contact"

    def __str__(self) -> str:
        return f"Demande de contact n° {self.pk}"
