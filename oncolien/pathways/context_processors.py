"""The number of open alerts waiting for the signed-in user, in the header of every page.

Counted through `visible()` on the acknowledgement permission: the alerts this person
may take into account, by the same rule the acknowledgement checks.
"""

from django.http import HttpRequest

from oncolien.accounts.authorization import is_allowed
from oncolien.accounts.models import User
from oncolien.pathways.access import CPTS_WORKLIST
from oncolien.pathways.selectors import open_alerts_count_for


def open_alerts(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not is_allowed(user, CPTS_WORKLIST):
        return {}
    return {"open_alerts": open_alerts_count_for(user=user)}
