"""`Authorization: Bearer <jeton>` for the JSON API, beside the session cookie.

A valid token authenticates as its owner, narrowed to the token's CPTS: every
endpoint still goes through `authorize()` and `visible()`, which then see only the
owner's memberships in that CPTS. A read-only token is refused any method that is
not safe. CSRF does not apply (a browser never adds this header on its own); the
session cookie keeps its CSRF check, in `django_auth`.

The token is checked once per request, by `BearerTokenMiddleware` before the
middleware that need the user (the second-factor gate, Idempotency-Key), and the
API's auth class reads that outcome, so that a use is audited once.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.errors import HttpError
from ninja.security import HttpBearer

from oncolien.accounts.authorization import restrict_to_cpts
from oncolien.accounts.models import User
from oncolien.apitokens import services
from oncolien.apitokens.models import ApiToken

API_PREFIX = "/api/v1/"
_OUTCOME = "_oncolien_api_token"


def bearer_secret(request: HttpRequest) -> str | None:
    """The secret of an `Authorization: Bearer` header; None for another scheme or none."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret if scheme.lower() == "bearer" else None


def token_outcome(request: HttpRequest, secret: str) -> ApiToken | services.TokenRefused:
    """The request's token, checked and audited on first call, or why it is refused."""
    outcome: ApiToken | services.TokenRefused | None = getattr(request, _OUTCOME, None)
    if outcome is not None:
        return outcome
    try:
        outcome = services.token_use(
            secret=secret, method=request.method or "GET", route=request.path
        )
    except services.TokenRefused as refused:
        outcome = refused
    else:
        user = outcome.user
        restrict_to_cpts(user, outcome.cpts_id)
        # The token was created from a session verified by the second factor, and
        # stands for it: patient-data permissions are not refused for want of one.
        user.is_verified = lambda: True  # type: ignore[attr-defined]
        user.otp_device = None  # type: ignore[attr-defined]
        request.user = user
    setattr(request, _OUTCOME, outcome)
    return outcome


class BearerTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        secret = bearer_secret(request)
        if secret is not None and request.path.startswith(API_PREFIX):
            token_outcome(request, secret)
        return self.get_response(request)


class ApiTokenAuth(HttpBearer):
    openapi_description = (
        "Jeton d'accès personnel, créé depuis « Mon compte » › « Jetons d'accès à l'API » "
        "(lecture seule ou lecture et écriture, pour une CPTS, avec une date d'expiration)."
    )

    def __call__(self, request: HttpRequest) -> Any:
        # Another scheme (or none) is not ours: the session may still authenticate.
        secret = bearer_secret(request)
        return None if secret is None else self.authenticate(request, secret)

    def authenticate(self, request: HttpRequest, token: str) -> User:
        outcome = token_outcome(request, token)
        if isinstance(outcome, services.TokenRefused):
            raise HttpError(outcome.status, outcome.message)
        return outcome.user


api_token_auth = ApiTokenAuth()
