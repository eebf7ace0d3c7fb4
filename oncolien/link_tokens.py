"""Personal links opened without an account (a questionnaire, a booklet): the token
in the address and what the database keeps of it.

The token is 32 random bytes shown once (in the message, or a printed QR code); only
its SHA-256 is stored, so the database alone never gives a working link. Each kind of
link says when it is open (`state_of`); this module finds it and refuses the rest the
same way: 404 for a token nobody issued, 410 for a link that no longer works.
"""

import hashlib
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

L = TypeVar("L", bound=Model)

# Longer than any token we issue: refused without a query.
MAX_TOKEN_LENGTH = 100


class LinkUnavailable(Exception):
    """A link that cannot be used: `status` is 404 (unknown) or 410 (no longer valid)."""

    def __init__(self, reason: str, status: int, link: Any = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.link = link


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_open(links: QuerySet[L], token: str, state_of: Callable[[L], str]) -> L:
    """The link of `links` whose token is `token` if `state_of` says "open"; otherwise
    LinkUnavailable, whose reason (unknown, or the link's state) is for the audit trail."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkUnavailable("unknown", 404)
    link = links.filter(token_hash=hash_token(token)).first()
    if link is None:
        raise LinkUnavailable("unknown", 404)
    state = state_of(link)
    if state != "open":
        raise LinkUnavailable(state, 410, link)
    return link
