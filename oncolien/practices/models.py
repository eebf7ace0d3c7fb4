"""A shared practice (retour d'expérience) of a CPTS, its radar and its documents.

A practice is written by the coordination of its CPTS, or proposed by anyone
through the public form; regional staff review it. Only a published practice is
public (`selectors.practices_published`).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from oncolien.reference.models import CareType
from oncolien.territories.models import Cpts


class Status(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "En relecture"
    CHANGES_REQUESTED = "changes_requested", "Modifications demandées"
    PUBLISHED = "published", "Publiée"
    REFUSED = "refused", "Refusée"


# The four steps of a pathway, as « CPTS en pratique » lays out every practice.
STEPS = (
    ("step_screening", "Repérage et orientation"),
    ("step_care", "Prise en charge"),
    ("step_support", "Soutien"),
    ("step_follow_up", "Suivi et accompagnement"),
)
STEP_SLUGS = {
    "reperage": "step_screening",
    "prise-en-charge": "step_care",
    "soutien": "step_support",
    "suivi": "step_follow_up",
}


class Practice(models.Model):
    cpts = models.ForeignKey(
        Cpts, on_delete=models.PROTECT, related_name="practices", verbose_name="CPTS"
    )
    title = models.CharField("titre", max_length=200)
    care_types = models.ManyToManyField(
        CareType, blank=True, related_name="practices", verbose_name="soins de support"
    )
    summary = models.TextField("l'action en bref")
    origin = models.TextField("naissance du projet", blank=True)
    step_screening = models.TextField("repérage et orientation", blank=True)
    step_care = models.TextField("prise en charge", blank=True)
    step_support = models.TextField("soutien", blank=True)
    step_follow_up = models.TextField("suivi et accompagnement", blank=True)
    # [{"value": "9", "label": "infirmières formées"}, …]: a figure as the CPTS gives it.
    key_figures = models.JSONField("chiffres clés", default=list, blank=True)
    partners = models.TextField("partenaires", blank=True)
    costs_funding = models.TextField("coûts et financement", blank=True)
    obstacles_levers = models.TextField("freins et leviers", blank=True)
    perspectives = models.TextField("perspectives", blank=True)
    contact = models.CharField("contact", max_length=300, blank=True)

    # The action radar: {axis code: scale value or None}, against `radar_version`.
    radar = models.JSONField("radar de l'action", default=dict, blank=True)
    radar_version = models.CharField("version du radar", max_length=20, blank=True)
    radar_note = models.TextField("précision sur le radar", blank=True)

    status = models.CharField("statut", max_length=20, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField("commentaire de relecture", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A public proposal: who sent it (never published) and a keyed hash of the
    # sender's address, for the rate limit.
    proposer_name = models.CharField("nom de la personne qui propose", max_length=150, blank=True)
    proposer_email = models.EmailField("courriel de la personne qui propose", blank=True)
    sender_fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = "pratique partagée"
        verbose_name_plural = "pratiques partagées"

    def __str__(self) -> str:
        return f"{self.title} ({self.cpts.name})"

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", kwargs={"pk": self.pk})

    @property
    def steps(self) -> list[tuple[str, str]]:
        """(label, text) of each step the practice describes."""
        return [(label, getattr(self, name)) for name, label in STEPS if getattr(self, name)]


class DocumentKind(models.TextChoices):
    FLYER = "flyer", "Flyer"
    POSTER = "poster", "Affiche"
    FORM = "form", "Fiche ou formulaire"
    OTHER = "other", "Autre document"


class Document(models.Model):
    """A document attached to a practice, kept in the database (both engines, one
    backup) and served as an attachment, never inline."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("type", max_length=10, choices=DocumentKind.choices)
    title = models.CharField("titre", max_length=200)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "document"

    def __str__(self) -> str:
        return self.title
