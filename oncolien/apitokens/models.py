"""Personal API tokens: a user's key to the JSON API, for one CPTS, read-only or not."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    READ = "read", "Lecture seule"
    WRITE = "write", "Lecture et écriture"


class ApiToken(models.Model):
    """A token is stored only as the SHA-256 of its secret (never the secret itself),
    with its first characters kept apart so that its owner can tell tokens apart."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    cpts = models.ForeignKey(
        "territories.Cpts", on_delete=models.PROTECT, related_name="+", verbose_name="CPTS"
    )
    name = models.CharField("nom", max_length=100)
    scope = models.CharField("droits", max_length=8, choices=Scope.choices)
    prefix = models.CharField("début du jeton", max_length=16)
    lookup_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    expires_at = models.DateTimeField("expire le")
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'accès à l'API"
        verbose_name_plural = "jetons d'accès à l'API"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def read_only(self) -> bool:
        return self.scope == Scope.READ

    def is_active(self, at: datetime | None = None) -> bool:
        now = at or timezone.now()
        return self.revoked_at is None and self.expires_at > now
