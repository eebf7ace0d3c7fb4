"""The rate limit of the public forms (directory contributions, proposed practices):
a sender is known by a keyed hash of its address, and may send so many rows per
window; the rows themselves are the count, so nothing is kept in process memory
and every app server sees the same limit."""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone


def sender_fingerprint(ip_address: str | None) -> str:
    """A keyed hash of the client address: enough to count what it sent, not to find
    the address again (the key never leaves the server)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (ip_address or "").encode(), hashlib.sha256).hexdigest()


def seconds_before_next(sent: QuerySet, *, limit: int, window: timedelta) -> int | None:
    """Seconds before the sender of the rows `sent` (its own rows, each with a
    `created_at`) may send again, or None when it may now."""
    since = timezone.now() - window
    recent = list(
        sent.filter(created_at__gte=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    oldest_counted = recent[-1]
    return max(1, int((oldest_counted + window - timezone.now()).total_seconds()))
