"""TOTP two-factor authentication, on top of django-otp."""

from enum import Enum

import segno
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from oncolien.accounts.models import PATIENT_DATA_ROLES, User
from oncolien.audit.services import audit_record


def two_factor_required_for(user: User | AnonymousUser) -> bool:
    """Whether this user must use a second factor (a setting, for patient-data roles)."""
    if not settings.ONCOLIEN_REQUIRE_2FA or not user.is_authenticated:
        return False
    return bool(set(user.memberships.values_list("role", flat=True)) & PATIENT_DATA_ROLES)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up, created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Application d'authentification", confirmed=False
        )
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG QR code for authenticator apps."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, title="Code QR à scanner")


def base32_secret(device: TOTPDevice) -> str:
    import base64

    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class CodeCheck(Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    # django-otp doubles the wait after each wrong code; the code is not even checked.
    THROTTLED = "throttled"


CODE_MESSAGES = {
    CodeCheck.WRONG: "Ce code n'est pas valide ou a expiré. Saisissez le code actuel.",
    CodeCheck.THROTTLED: (
        "Trop de codes erronés : patientez quelques secondes avant de réessayer."
    ),
}


def _check(device: TOTPDevice, token: str) -> CodeCheck:
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return CodeCheck.THROTTLED
    return CodeCheck.ACCEPTED if device.verify_token(token) else CodeCheck.WRONG


def device_confirm(*, request, device: TOTPDevice, token: str) -> CodeCheck:
    """Confirm a new device with a first valid code; verify the session with it."""
    outcome = _check(device, token)
    if outcome is not CodeCheck.ACCEPTED:
        audit_record(
            actor=request.user, action="auth.2fa_setup_failed", details={"outcome": outcome.value}
        )
        return outcome
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    audit_record(actor=request.user, action="auth.2fa_enabled", target=request.user)
    return CodeCheck.ACCEPTED


def session_verify(*, request, token: str) -> CodeCheck:
    """Check a code against the user's confirmed device (django-otp throttles retries)."""
    device = confirmed_device(request.user)
    outcome = CodeCheck.WRONG if device is None else _check(device, token)
    if outcome is not CodeCheck.ACCEPTED:
        audit_record(
            actor=request.user, action="auth.2fa_failed", details={"outcome": outcome.value}
        )
        return outcome
    otp_login(request, device)
    audit_record(actor=request.user, action="auth.2fa_verified")
    return CodeCheck.ACCEPTED
