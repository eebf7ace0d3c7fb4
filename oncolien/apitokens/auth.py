"""`Authorization: Bearer <jeton>` for the JSON API, beside the session cookie.

A valid token authenticates as its owner, narrowed to the token's CPTS: every
endpoint still goes through `authorize()` and `visible()`, which then see only the
owner's memberships in that CPTS. A read-only token is refused any method that is
not safe. CSRF does not apply (a browser never adds this header on its own); the
session cookie keeps its CSRF check, in `django_auth`.
"""

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from oncolien.accounts.authorization import restrict_to_cpts
from oncolien.accounts.models import User
from oncolien.apitokens import services


class ApiTokenAuth(HttpBearer):
    openapi_description = (
        "Jeton d'accès personnel, créé depuis « Mon compte » › « Jetons d'accès à l'API » "
        "(lecture seule ou lecture et écriture, pour une CPTS, avec une date d'expiration)."
    )

    def __call__(self, request: HttpRequest) -> Any:
        # Another scheme (or none) is not ours: the session may still authenticate.
        value = request.headers.get(self.header, "")
        scheme, _, secret = value.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None
        return self.authenticate(request, secret)

    def authenticate(self, request: HttpRequest, token: str) -> User:
        try:
            api_token = services.token_use(
                secret=token, method=request.method or "GET", route=request.path
            )
        except services.TokenRefused as refused:
            raise HttpError(refused.status, refused.message) from None
        user = api_token.user
        restrict_to_cpts(user, api_token.cpts_id)
        # The token was created from a session verified by the second factor, and
        # stands for it: patient-data permissions are not refused for want of one.
        user.is_verified = lambda: True  # type: ignore[attr-defined]
        user.otp_device = None  # type: ignore[attr-defined]
        request.user = user
        request.api_token = api_token  # type: ignore[attr-defined]
        return user


api_token_auth = ApiTokenAuth()
