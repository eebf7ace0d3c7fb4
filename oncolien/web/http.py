"""What every app's views share to refuse access.

Patient data and curation pages answer 404 to whoever may not see them, as for a
page that does not exist, so that their existence is not disclosed. The refusal
itself is in the audit trail: `authorize` wrote it, or left it for the HTTP
middleware when a rollback would have erased it (`audit.pending`). Nothing here
writes it a second time.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest

from oncolien.accounts.authorization import AccessDenied, authorize
from oncolien.accounts.models import User
from oncolien.audit.pending import record_refusal

NOT_FOUND = "Page introuvable."


def user_of(request: HttpRequest) -> User:
    """The signed-in user of a view behind `login_required`, typed as the services
    want it. An anonymous user here is a programming error (a missing decorator)."""
    user = request.user
    if not isinstance(user, User):
        raise TypeError("user_of: the view is not behind login_required")
    return user


@contextmanager
def denied_as_404() -> Iterator[None]:
    """A refusal raised by a service inside the block becomes a 404."""
    try:
        yield
    except AccessDenied:
        raise Http404(NOT_FOUND) from None


def authorized_or_404(user: User | AnonymousUser, permission: str, obj: object = None) -> None:
    """`authorize`, with a 404 for whoever is refused."""
    with denied_as_404():
        authorize(user, permission, obj)


def deny(user: User | AnonymousUser, permission: str) -> NoReturn:
    """Refuse a page to a user no rule grants it to (e.g. an empty scope), audited as
    `authorize` would."""
    record_refusal(
        {"actor": user, "action": "access.denied", "details": {"permission": permission}}
    )
    raise Http404(NOT_FOUND)
