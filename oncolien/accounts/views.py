from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from oncolien.accounts import psc, two_factor
from oncolien.accounts.authorization import AccessDenied, authorize
from oncolien.accounts.forms import LoginForm, TokenForm
from oncolien.accounts.selectors import cpts_members
from oncolien.territories.models import Cpts


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"psc_enabled": psc.enabled()}


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        # A session opened through Pro Santé Connect ends there too (read before the
        # local session is flushed); the provider sends the browser back home.
        at_provider = psc.provider_logout_url(
            request, return_to=request.build_absolute_uri(resolve_url("web:home"))
        )
        response = super().post(request, *args, **kwargs)
        return redirect(at_provider) if at_provider else response


def lockout(request, credentials=None, *args, **kwargs):
    """django-axes calls this when a client has failed too many log-ins."""
    return render(request, "accounts/locked_out.html", status=429)


def _safe_next(request, default: str = "web:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def verify(request):
    """Second step of the log-in: a code from the user's authenticator app."""
    if two_factor.confirmed_device(request.user) is None:
        return redirect("accounts:setup_2fa")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = two_factor.session_verify(request=request, token=form.cleaned_data["token"])
        if outcome is two_factor.CodeCheck.ACCEPTED:
            return redirect(_safe_next(request))
        form.add_error("token", two_factor.CODE_MESSAGES[outcome])
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request, "")})


@login_required
def setup_2fa(request):
    """Set up TOTP: scan the QR code, then confirm with a first code."""
    if two_factor.confirmed_device(request.user) is not None and request.user.is_verified():
        messages.info(request, "La vérification en deux étapes est déjà activée sur votre compte.")
        return redirect("accounts:security")
    device = two_factor.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        outcome = two_factor.device_confirm(request=request, device=device, token=token)
        if outcome is two_factor.CodeCheck.ACCEPTED:
            messages.success(request, "Vérification en deux étapes activée.")
            return redirect(_safe_next(request))
        form.add_error("token", two_factor.CODE_MESSAGES[outcome])
    return render(
        request,
        "accounts/setup_2fa.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_code_svg(device),
            "secret": two_factor.base32_secret(device),
            "required": two_factor.two_factor_required_for(request.user),
            "next": _safe_next(request, ""),
        },
    )


@login_required
def security(request):
    memberships = request.user.memberships.select_related("cpts").order_by("cpts__name", "role")
    return render(
        request,
        "accounts/security.html",
        {
            "memberships": memberships,
            "has_2fa": two_factor.confirmed_device(request.user) is not None,
            "required": two_factor.two_factor_required_for(request.user),
        },
    )


@login_required
def members(request, slug: str):
    cpts = get_object_or_404(Cpts, slug=slug)
    # The accounts app sits below the shared web seam (web/ imports it), so it
    # turns the refusal into a 404 itself; the refusal is audited by `authorize`.
    try:
        authorize(request.user, "cpts.members.view", cpts)
    except AccessDenied:
        raise Http404("Page introuvable.") from None
    return render(
        request, "accounts/members.html", {"cpts": cpts, "members": cpts_members(cpts=cpts)}
    )
