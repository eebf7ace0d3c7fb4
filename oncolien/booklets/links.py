"""The patient's personal link to the booklet: a token in the address, a code apart.

The token is 32 random bytes (as the questionnaire links of assessments/links.py) and
only its SHA-256 is stored. The code is 6 digits, stored with Django's password
hasher: someone who intercepts the SMS holds the link but not the code, which was
told or handed to the patient. After `MAX_FAILED_CODES` wrong codes the link is
locked for good; the care team revokes it and issues a new one.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from oncolien.booklets.models import BookletLink

MAX_FAILED_CODES = 5
CODE_DIGITS = 6
DEFAULT_LINK_DAYS = 365


class LinkUnavailable(Exception):
    """A link that cannot be used: `status` is 404 (unknown) or 410 (no longer valid)."""

    def __init__(self, reason: str, status: int, link: BookletLink | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.link = link


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def normalise_code(typed: str) -> str:
    """What the patient typed, without the spaces and dashes people put in a code."""
    return "".join(ch for ch in (typed or "") if ch.isdigit())[: CODE_DIGITS + 1]


def link_lifetime() -> timedelta:
    return timedelta(days=getattr(settings, "ONCOLIEN_BOOKLET_LINK_DAYS", DEFAULT_LINK_DAYS))


def link_state(link: BookletLink, *, now=None) -> str:
    """ "open", "revoked", "locked" or "expired"."""
    now = now or timezone.now()
    if link.revoked_at is not None:
        return "revoked"
    if link.failed_attempts >= MAX_FAILED_CODES:
        return "locked"
    if link.expires_at <= now:
        return "expired"
    return "open"


def find_link(token: str) -> BookletLink:
    """The open link of `token`, or LinkUnavailable (the reason is for the audit trail)."""
    if not token or len(token) > 100:
        raise LinkUnavailable("unknown", 404)
    link = (
        BookletLink.objects.select_related("booklet", "booklet__pathway")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None:
        raise LinkUnavailable("unknown", 404)
    state = link_state(link)
    if state != "open":
        raise LinkUnavailable(state, 410, link)
    return link
