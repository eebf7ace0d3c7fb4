"""The two steps of a log-in through Pro Santé Connect: off to the provider, and back.

Both answer 404 while PSC is not configured (settings.ONCOLIEN_PSC_ENABLED).
"""

import requests
from django.contrib import auth
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from oncolien.accounts import psc
from oncolien.audit.services import audit_record


def _refused(request, reason: psc.Refusal, details: dict | None = None):
    """The French page of a refused PSC log-in; audited like the other refused log-ins."""
    audit_record(
        actor=None, action="auth.psc_refused", details={"reason": reason.value, **(details or {})}
    )
    status = 503 if reason is psc.Refusal.PROVIDER_UNREACHABLE else 403
    return render(
        request,
        "accounts/psc_refused.html",
        {"message": psc.REFUSAL_MESSAGES[reason], "reason": reason.value},
        status=status,
    )


class PscLoginView(OIDCAuthenticationRequestView):
    """Sends the browser to PSC with a fresh state, nonce and PKCE challenge."""

    def __init__(self, **kwargs):
        # mozilla-django-oidc reads a fixed endpoint here; ours may come from discovery.
        View.__init__(self, **kwargs)

    def get(self, request):
        if not psc.enabled():
            raise Http404("Page introuvable.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = psc.provider().authorization_endpoint
        except (requests.RequestException, ValueError, ImproperlyConfigured):
            return _refused(request, psc.Refusal.PROVIDER_UNREACHABLE)
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class PscCallbackView(OIDCAuthenticationCallbackView):
    """Where PSC sends the browser back: checks everything, then opens the session of
    the account with this RPPS, or explains in French why not."""

    def get(self, request):
        if not psc.enabled():
            raise Http404("Page introuvable.")
        try:
            return super().get(request)
        except SuspiciousOperation:
            # mozilla-django-oidc raises this when the state is not one this session
            # sent; nothing was exchanged with the provider.
            return _refused(request, psc.Refusal.STATE_MISMATCH)

    def login_failure(self):
        request = self.request
        reason, details = getattr(request, "psc_refusal", None) or (self._unexplained(), {})
        return _refused(request, reason, details)

    def _unexplained(self) -> psc.Refusal:
        if self.request.GET.get("error"):
            return psc.Refusal.CANCELLED
        if "oidc_states" not in self.request.session:
            return psc.Refusal.STATE_MISMATCH
        return psc.Refusal.INVALID_RESPONSE

    def login_success(self):
        auth.login(self.request, self.user)
        # After auth.login (which renews the session key), so the mark stays with it.
        psc.session_mark_strong(request=self.request, user=self.user)
        audit_record(actor=self.user, action="auth.psc_verified", target=self.user)
        return HttpResponseRedirect(self.success_url)
