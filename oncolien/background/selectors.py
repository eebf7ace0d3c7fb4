"""Reads of the background app: is the consumer alive, in words a person can act on."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from oncolien.background.models import Heartbeat
from oncolien.background.services import CONSUMER


@dataclass(frozen=True)
class Health:
    ok: bool
    status: str  # "ok", "silent" (beat too old) or "never" (no beat recorded)
    last_beat: datetime | None
    message: str


def consumer_health(*, now: datetime | None = None) -> Health:
    now = now or timezone.now()
    beat = Heartbeat.objects.filter(name=CONSUMER).values_list("beat_at", flat=True).first()
    if beat is None:
        return Health(
            ok=False,
            status="never",
            last_beat=None,
            message=(
                "Le traitement en arrière-plan n'a jamais signalé son activité : "
                "lancez « manage.py run_huey » (make run le démarre)."
            ),
        )
    shown = timezone.localtime(beat).strftime("%d/%m/%Y %H:%M:%S")
    if now - beat > timedelta(seconds=settings.ONCOLIEN_HEARTBEAT_STALE_SECONDS):
        return Health(
            ok=False,
            status="silent",
            last_beat=beat,
            message=f"Le traitement en arrière-plan ne répond plus depuis le {shown}.",
        )
    return Health(
        ok=True,
        status="ok",
        last_beat=beat,
        message=f"Le traitement en arrière-plan fonctionne (dernier signal : {shown}).",
    )
