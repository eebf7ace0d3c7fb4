"""The append-only, hash-chained audit trail.

Each entry stores the SHA-256 of its own content and of the previous entry's
hash, so that changing, removing or inserting an entry anywhere breaks the
chain from that point on (see `oncolien.audit.chain.verify_chain`). Database
triggers (migration 0002) refuse UPDATE and DELETE on the table, and the model
refuses them too, so that the application itself cannot rewrite history.
"""

from django.conf import settings
from django.db import models

GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    # The sequence number is the chain order: unique, gap-free, assigned under the
    # chain-head lock (see services.audit_record).
    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    at = models.DateTimeField("date", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
        verbose_name="auteur",
    )
    # Kept as text so that the entry stays readable if the account is later removed.
    actor_label = models.CharField("auteur (libellé)", max_length=150, blank=True)
    action = models.CharField("action", max_length=64, db_index=True)
    target_type = models.CharField("type d'objet", max_length=64, blank=True)
    target_id = models.CharField("identifiant de l'objet", max_length=64, blank=True)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=255, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["sequence"]
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "journal d'audit"
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditTrailIsAppendOnly("Le journal d'audit ne peut pas être modifié.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("Le journal d'audit ne peut pas être effacé.")


class AuditChainHead(models.Model):
    """One row holding the last sequence number and hash: the lock that orders appends."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = "tête de chaîne d'audit"

    def __str__(self) -> str:
        return f"#{self.last_sequence} {self.last_hash[:12]}"


class AuditTrailIsAppendOnly(Exception):
    pass
