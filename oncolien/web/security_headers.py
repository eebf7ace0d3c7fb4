"""Headers every answer of OncoLien carries besides Django's own and the CSP.

- `Permissions-Policy`: the browser features no page uses (camera, microphone,
  location, payment…) are refused, so that an injected frame or script cannot ask for
  them either (ONCOLIEN_PERMISSIONS_POLICY).
- `Cache-Control: no-store`: a browser, a shared computer's disk or a proxy must not
  keep a page or a JSON answer that may show a patient. The sound rule is the simple
  one: every answer gets it, except an anonymous read of the public data (the paths
  registered with `public_cache`), which shows no patient and may be kept. A patient's
  self-assessment link is anonymous but under no public path: it gets `no-store`.
  Static files are answered by whitenoise before this middleware, with their own
  long-lived caching.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from oncolien.web import public_cache

NO_STORE = "no-store, private"


def _anonymous(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return not getattr(user, "is_authenticated", False) and "HTTP_AUTHORIZATION" not in request.META


def may_be_kept(request: HttpRequest) -> bool:
    """Whether the answer to this request holds public data only."""
    return _anonymous(request) and public_cache.is_public_path(request.path)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.ONCOLIEN_PERMISSIONS_POLICY)
        if not may_be_kept(request) and "no-store" not in response.get("Cache-Control", ""):
            # Replaces any weaker directive a view set (e.g. "public, max-age=300" on a
            # page a signed-in user asked for): what a user sees is theirs.
            response["Cache-Control"] = NO_STORE
            if "Expires" in response:
                del response["Expires"]
        return response
