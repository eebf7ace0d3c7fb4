"""The consumer's heartbeat, in the database so that every app server reads the same one."""

from django.db import models
from django.utils import timezone


class Heartbeat(models.Model):
    # One row per beating process kind ("consumer" today), updated in place.
    name = models.CharField("processus", max_length=64, unique=True)
    beat_at = models.DateTimeField("dernier battement")

    class Meta:
        verbose_name = "battement du traitement en arrière-plan"
        verbose_name_plural = "battements du traitement en arrière-plan"

    def __str__(self) -> str:
        return f"{self.name} : {timezone.localtime(self.beat_at):%d/%m/%Y %H:%M:%S}"
