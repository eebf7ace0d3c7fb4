"""One-time links for a patient (or relative) to fill an assessment without an account.

The token is 32 random bytes shown once (in the message, or the printed QR code); only
its SHA-256 is stored, so the database alone never gives a working link. A link opens
until its assessment is completed, it expires or it is revoked.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from oncolien.assessments.models import AccessLink


class LinkUnavailable(Exception):
    """A link that cannot be used: `status` is 404 (unknown) or 410 (no longer valid)."""

    def __init__(self, reason: str, status: int, link: AccessLink | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.link = link


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_lifetime() -> timedelta:
    return timedelta(days=settings.ONCOLIEN_ASSESSMENT_LINK_DAYS)


def link_state(link: AccessLink, *, now=None) -> str:
    """ "open", "used", "revoked" or "expired"."""
    now = now or timezone.now()
    if link.used_at is not None:
        return "used"
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at <= now:
        return "expired"
    return "open"


def find_link(token: str) -> AccessLink:
    """The open link of `token`, or LinkUnavailable (the reason is for the audit trail)."""
    if not token or len(token) > 100:
        raise LinkUnavailable("unknown", 404)
    link = (
        AccessLink.objects.select_related("assessment", "assessment__instrument")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None:
        raise LinkUnavailable("unknown", 404)
    state = link_state(link)
    if state != "open":
        raise LinkUnavailable(state, 410, link)
    return link
