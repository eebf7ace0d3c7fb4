from django.conf import settings

from oncolien.audit.context import RequestOrigin, reset_origin, set_origin
from oncolien.audit.pending import refusals_flushed


def client_ip(request) -> str | None:
    """The client address; X-Forwarded-For is trusted only behind a declared proxy."""
    if settings.ONCOLIEN_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Records the request's origin for the audit trail and, once the response is
    built and every transaction of the request is over, writes the refusals that a
    rollback would have erased (see `audit.pending`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_origin(
            RequestOrigin(
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
            )
        )
        try:
            with refusals_flushed():
                return self.get_response(request)
        finally:
            reset_origin(token)
