"""Where the current request comes from, for the audit trail.

The request middleware stores the client's address and browser here so that
domain services can write audit entries without passing the request around.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None = None
    user_agent: str = ""


UNKNOWN_ORIGIN = RequestOrigin()
_current_origin: ContextVar[RequestOrigin | None] = ContextVar("audit_origin", default=None)


def current_origin() -> RequestOrigin:
    """The origin of the request being served; unknown outside a request (commands)."""
    return _current_origin.get() or UNKNOWN_ORIGIN


def set_origin(origin: RequestOrigin):
    return _current_origin.set(origin)


def reset_origin(token) -> None:
    _current_origin.reset(token)
