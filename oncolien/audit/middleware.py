from django.conf import settings

from oncolien.audit.context import RequestOrigin, reset_origin, set_origin


def client_ip(request) -> str | None:
    """The client address; X-Forwarded-For is trusted only behind a declared proxy."""
    if settings.ONCOLIEN_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Records the request's origin for the audit trail and writes audited denials.

    A denial raised inside a database transaction cannot be written there (the
    rollback would erase it): `authorize` leaves it pending on the exception and
    it is written here, once the transaction is over.
    """

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
            return self.get_response(request)
        finally:
            reset_origin(token)

    def process_exception(self, request, exception):
        from oncolien.accounts.authorization import AccessDenied

        if isinstance(exception, AccessDenied):
            exception.write_pending_audit()
        return None
