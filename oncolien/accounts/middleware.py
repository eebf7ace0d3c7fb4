import json
from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from oncolien.accounts.authorization import grant_decisions_kept
from oncolien.accounts.two_factor import confirmed_device, two_factor_required_for

# Paths an authenticated but not yet verified user may still reach: static files and
# the open data (no patient data there).
EXEMPT_PREFIXES = ("/static/", "/api/v1/health", "/hsds/")
# The attribute a view sets to say it serves no patient data and needs no second
# factor, as Django's `csrf_exempt` sets `csrf_exempt` (the FHIR directory resources
# do, through `oncolien.fhir.responses.public_resource`). Everything else is gated:
# a new route with patient data is protected without anyone having to list it.
EXEMPT_ATTRIBUTE = "two_factor_exempt"

API_PREFIX, FHIR_PREFIX = "/api/", "/fhir/"
REFUSAL = "Vérification en deux étapes requise : connectez-vous sur le site."


def _fhir_refusal() -> HttpResponse:
    # The OperationOutcome a FHIR client can read, built here rather than by the FHIR
    # app so that this gate depends on nothing it guards.
    outcome = {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": "security",
                "diagnostics": f"{REFUSAL} Saisissez le code de votre application "
                "d'authentification, puis recommencez.",
            }
        ],
    }
    return HttpResponse(
        json.dumps(outcome, ensure_ascii=False),
        status=403,
        content_type="application/fhir+json; charset=utf-8",
    )


def _declared_exempt(request) -> bool:
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return bool(getattr(match.func, EXEMPT_ATTRIBUTE, False))


class RequireTwoFactorMiddleware:
    """Sends a logged-in user to the second step before anything else.

    A user who has set up an authenticator must enter a code; a user whose roles
    require two-factor authentication and who has none must set one up first. The
    rule is the same for pages (a redirect), the API (a 403 in its JSON shape) and
    FHIR (a 403 OperationOutcome). An API token stands for a verified session (see
    `apitokens.auth`), so a Bearer request is never stopped here.

    The view is looked up here, before the middleware below get the request (the
    Idempotency-Key replay among them), so that a view may declare itself free of
    patient data (`EXEMPT_ATTRIBUTE`) and nothing answers before the gate.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        exempt = {
            reverse("accounts:login"),
            reverse("accounts:logout"),
            reverse("accounts:verify"),
            reverse("accounts:setup_2fa"),
        }
        if (
            request.path in exempt
            or request.path.startswith(EXEMPT_PREFIXES)
            or _declared_exempt(request)
        ):
            return None
        if confirmed_device(user) is not None:
            target = "accounts:verify"
        elif two_factor_required_for(user):
            target = "accounts:setup_2fa"
        else:
            return None
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": REFUSAL, "errors": []}, status=403)
        if request.path.startswith(FHIR_PREFIX):
            return _fhir_refusal()
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


class KeepGrantDecisionsMiddleware:
    """A request that changes nothing (GET, HEAD) asks each grant question once
    (`authorization.grant_decisions_kept`); any other request asks each time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with grant_decisions_kept():
            return self.get_response(request)
