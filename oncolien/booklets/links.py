"""The patient's personal link to the booklet: a token in the address, a code apart.

The token and its stored hash are those of every personal link
(`oncolien.link_tokens`, as the questionnaire links). The code is 6 digits, stored with Django's password
hasher: someone who intercepts the SMS holds the link but not the code, which was
told or handed to the patient. After `MAX_FAILED_CODES` wrong codes the link is
locked for good; the care team revokes it and issues a new one.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from oncolien.booklets.models import BookletLink
from oncolien.link_tokens import find_open

MAX_FAILED_CODES = 5
CODE_DIGITS = 6
DEFAULT_LINK_DAYS = 365


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
    links = BookletLink.objects.select_related("booklet", "booklet__pathway")
    return find_open(links, token, link_state)
