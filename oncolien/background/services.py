"""Writes of the background app: the consumer records that it is alive."""

from datetime import datetime

from django.utils import timezone

from oncolien.background.models import Heartbeat

CONSUMER = "consumer"


def heartbeat_record(*, name: str = CONSUMER, now: datetime | None = None) -> Heartbeat:
    beat, _ = Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": now or timezone.now()}
    )
    return beat
