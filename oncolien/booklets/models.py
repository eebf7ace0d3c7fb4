"""The patient's follow-up booklet (« dossier oncologique de suivi du patient »).

A booklet belongs to one pathway and is always rendered from the pathway's current
data (care team, contacts, appointments, treatments, supportive care, alert signs):
nothing of its content is copied here. What is kept is what happened to it: each
printed edition (number, date, who printed it, format), and the patient's personal
links to read it (a long-lived, revocable link, opened with a code given apart).
"""

from django.conf import settings
from django.db import models


class Booklet(models.Model):
    pathway = models.OneToOneField(
        "pathways.Pathway", on_delete=models.CASCADE, related_name="booklet"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "livret de suivi"
        verbose_name_plural = "livrets de suivi"

    def __str__(self) -> str:
        return f"Livret du parcours n° {self.pathway_id}"


class PageFormat(models.TextChoices):
    A4 = "a4", "A4"
    A5 = "a5", "A5 (livret plié)"


class BookletEdition(models.Model):
    """One printing of the booklet: « Édition n° 3 du 2 décembre 2026 »."""

    booklet = models.ForeignKey(Booklet, on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveIntegerField("numéro d'édition")
    page_format = models.CharField("format", max_length=2, choices=PageFormat.choices)
    printed_at = models.DateTimeField("imprimée le")
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = "édition du livret"
        verbose_name_plural = "éditions du livret"
        constraints = [
            models.UniqueConstraint(fields=["booklet", "number"], name="one_edition_number")
        ]


class LinkChannel(models.TextChoices):
    SMS = "sms", "SMS"
    EMAIL = "email", "Courriel"
    PRINT = "print", "Imprimé (code QR remis en main propre)"


class BookletLink(models.Model):
    """The patient's personal link to read the booklet, with no account.

    Only hashes are stored: of the token (in the address) and of the code (given by
    another way). A link opens until it expires or is revoked; after too many wrong
    codes it is locked, and the care team issues a new one.
    """

    booklet = models.ForeignKey(Booklet, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=128)
    channel = models.CharField("envoi du lien", max_length=8, choices=LinkChannel.choices)
    expires_at = models.DateTimeField("valable jusqu'au")
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    failed_attempts = models.PositiveSmallIntegerField("codes erronés", default=0)
    last_opened_at = models.DateTimeField("dernière ouverture", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "lien patient du livret"
        verbose_name_plural = "liens patient du livret"
