from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from oncolien.accounts.two_factor import confirmed_device, two_factor_required_for

# Paths an authenticated but not yet verified user may still reach: static files and
# the open data (no patient data there).
EXEMPT_PREFIXES = ("/static/", "/api/v1/health", "/hsds/", "/fhir/")


class RequireTwoFactorMiddleware:
    """Sends a logged-in user to the second step before anything else.

    A user who has set up an authenticator must enter a code; a user whose roles
    require two-factor authentication and who has none must set one up first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        exempt = {
            reverse("accounts:login"),
            reverse("accounts:logout"),
            reverse("accounts:verify"),
            reverse("accounts:setup_2fa"),
        }
        if request.path in exempt or request.path.startswith(EXEMPT_PREFIXES):
            return self.get_response(request)
        if confirmed_device(user) is not None:
            target = "accounts:verify"
        elif two_factor_required_for(user):
            target = "accounts:setup_2fa"
        else:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": "Vérification en deux étapes requise : connectez-vous sur le site.",
                    "errors": [],
                },
                status=403,
            )
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
