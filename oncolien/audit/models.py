"""The append-only, hash-chained audit trail.

Each entry stores the SHA-256 of its own content and of the previous entry's
hash, so that changing, removing or inserting an entry anywhere breaks the
chain from that point on (see `oncolien.audit.chain.verify_chain`). Database
triggers (migrations 0002, 0003) refuse UPDATE and DELETE on the table, and the
model refuses them too, so that the application itself cannot rewrite history.

One change only is let through, by the triggers too: the erasure of an entry's
personal content (its details, and the address and browser of a patient who used
a link) when the patient's data are anonymised (right to erasure, end of the
retention period). Since version 2 of the hash (new entries), the hash covers a
salted digest of that content, not the content itself: the erased entry keeps its
digests and its hash, and the chain still verifies. An erasure is itself an entry
(`audit.redact`) naming the entries it erased; see `audit.chain`.
"""

from django.conf import settings
from django.db import models

GENESIS_HASH = "0" * 64
# The entries written before the content digests (migration 0003) hash their content
# itself (version 1); the new ones hash its salted digests (version 2).
HASH_V1 = 1
HASH_V2 = 2
# Version 3 (PostgreSQL): the chain link — previous hash, sequence and the digest of
# the rest — is hashed by the database in the one statement that appends the entry.
HASH_V3 = 3
REDACT_ACTION = "audit.redact"


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
    hash_version = models.PositiveSmallIntegerField(default=HASH_V1, editable=False)
    # Version 2: a random salt per part, so that an erased content cannot be found
    # again by hashing guesses (a needs score, an address) against its digest. The
    # salt is erased with the content; the digest stays and the hash still matches.
    details_salt = models.CharField(max_length=32, blank=True, editable=False)
    details_digest = models.CharField(max_length=64, blank=True, editable=False)
    origin_salt = models.CharField(max_length=32, blank=True, editable=False)
    origin_digest = models.CharField(max_length=64, blank=True, editable=False)
    # The sequence of the `audit.redact` entry that erased this entry's content.
    redacted_in = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

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
