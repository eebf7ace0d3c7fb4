"""The answers kept for an `Idempotency-Key`, so that a retried write is not done twice."""

from django.conf import settings
from django.db import models


class IdempotentRequest(models.Model):
    """One write of the API under a client's key: its fingerprint, then its answer.

    A row without `status_code` is a write under way: a second request with the same
    key is refused until it ends (it would otherwise run the write a second time).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField("clé", max_length=255)
    # sha256 of the method, the path and the body: the same key for another request is refused.
    fingerprint = models.CharField("empreinte de la requête", max_length=64)
    status_code = models.PositiveSmallIntegerField("statut HTTP de la réponse", null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField("corps de la réponse", default=b"")
    created_at = models.DateTimeField("reçue le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le", db_index=True)

    class Meta:
        verbose_name = "requête idempotente"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status_code or 'en cours'})"
