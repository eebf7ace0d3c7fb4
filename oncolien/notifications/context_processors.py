"""The unread-notification count shown in the header of every page."""

from django.http import HttpRequest

from oncolien.accounts.models import User
from oncolien.notifications.inbox import unread_count_for


def unread_notifications(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    return {"unread_notifications": unread_count_for(user=user)}
