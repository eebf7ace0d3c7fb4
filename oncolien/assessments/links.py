"""One-time links for a patient (or relative) to fill an assessment without an account.

The token and its stored hash are those of every personal link (`oncolien.link_tokens`).
A link opens until its assessment is completed, it expires or it is revoked.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from oncolien.assessments.models import AccessLink
from oncolien.link_tokens import find_open


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
    links = AccessLink.objects.select_related("assessment", "assessment__instrument")
    return find_open(links, token, link_state)
