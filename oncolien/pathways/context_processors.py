"""The number of open alerts on the signed-in user's patients, in the header of every
page: the same total as the worklist's (« N alertes ouvertes »), counted on the pathways
`visible()` lets them see. Whether they may acknowledge them is the worklist's to say.
"""

from django.http import HttpRequest

from oncolien.accounts.authorization import is_allowed
from oncolien.accounts.models import User
from oncolien.pathways.access import CPTS_WORKLIST
from oncolien.pathways.selectors import open_alerts_count_for

_COUNTED = "_oncolien_open_alerts_count"


def remember_open_alerts(request: HttpRequest, count: int) -> None:
    """The worklist has just counted the same open alerts for this request's user: the
    header shows that total instead of counting them again."""
    setattr(request, _COUNTED, count)


def open_alerts(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not is_allowed(user, CPTS_WORKLIST):
        return {}
    counted = getattr(request, _COUNTED, None)
    if counted is None:
        counted = open_alerts_count_for(user=user)
    return {"open_alerts": counted}
