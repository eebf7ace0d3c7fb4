"""One row per message OncoLien tries to deliver: who, how, why, and what happened.

The body is not kept: it may carry a one-time link token or health data. It waits in
PendingMessage only until the message is sent or has failed for good. The Delivery row
is the proof that a message left (or did not leave) the server, not a copy of it.
"""

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    # Stored as short codes wide enough for the channels the next issue adds
    # ("in_app", "secure_messaging"): adding a choice then needs no column change.
    EMAIL = "email", "Courriel"
    SMS = "sms", "SMS"
    # Secure health messaging (MSSanté): the only channel that may carry health data.
    MSS = "mss", "Messagerie sécurisée de santé"
    # A notification shown in OncoLien itself (« Notifications »), read by its recipient.
    APP = "app", "Notification dans OncoLien"


class Outcome(models.TextChoices):
    PENDING = "pending", "En attente"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec"
    # No gateway is configured for the channel: nothing left the server.
    NOT_SENT = "not_sent", "Non envoyé"


class Delivery(models.Model):
    created_at = models.DateTimeField("créé le", auto_now_add=True, db_index=True)
    channel = models.CharField("canal", max_length=32, choices=Channel.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="destinataire (compte)",
    )
    recipient_address = models.CharField("adresse utilisée", max_length=254)
    kind = models.CharField("type de message", max_length=64, db_index=True)
    # Like audit entries: a model label and a primary key, kept as text.
    target_type = models.CharField("type d'objet", max_length=64, blank=True)
    target_id = models.CharField("identifiant de l'objet", max_length=64, blank=True)
    subject = models.CharField("objet", max_length=255, blank=True)
    outcome = models.CharField(
        "résultat", max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    error = models.TextField("erreur", blank=True)
    attempted_at = models.DateTimeField("tenté le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("essais", default=0)
    # Set while a failed message waits for its next attempt; empty once it is final.
    next_attempt_at = models.DateTimeField("prochain essai", null=True, blank=True)
    # In-app notifications: where the notification leads (a path inside OncoLien, never
    # a token) and when its recipient read it.
    link = models.CharField("lien", max_length=300, blank=True)
    read_at = models.DateTimeField("lu le", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "envoi de message"
        verbose_name_plural = "envois de messages"
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["recipient_user", "channel", "read_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_channel_display()}) : {self.get_outcome_display()}"


class PendingMessage(models.Model):
    """The body of a message waiting to leave, kept in the database, not in the queue.

    A body may carry a one-time link token and an attachment health data (a visit
    report): the task queue (a SQLite file or Redis) is not protected like the database,
    so only the delivery's id goes through it. The row, and its attachments, are deleted
    once the message is sent or has failed for good.
    """

    delivery = models.OneToOneField(
        Delivery, on_delete=models.CASCADE, related_name="pending", primary_key=True
    )
    body = models.TextField("texte")

    class Meta:
        verbose_name = "message en attente"
        verbose_name_plural = "messages en attente"

    def __str__(self) -> str:
        return f"message en attente n° {self.pk}"


class PendingAttachment(models.Model):
    """A file waiting to leave with its e-mail (see PendingMessage)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField("nom du fichier", max_length=255)
    content = models.BinaryField("contenu")
    mimetype = models.CharField("type MIME", max_length=128)

    class Meta:
        ordering = ["pk"]
        verbose_name = "pièce jointe en attente"
        verbose_name_plural = "pièces jointes en attente"

    def __str__(self) -> str:
        return self.filename
