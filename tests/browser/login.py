"""Logging a demo account in through the log-in form, as a person does, with the
two-step code when the page asks for it (one copy for every browser test)."""

import re

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from oncolien.accounts.demo import demo_password
from oncolien.accounts.models import User

ASKED_FOR_A_CODE = ("/compte/verification/", "/compte/double-authentification/")


def log_in(page, live_server, username: str, *, with_device: bool = False) -> None:
    """With `with_device`, an authenticator app is set up before, so the code is always
    asked (and the test waits for that page); otherwise one is set up only if the page
    asks (2FA required for the role)."""
    user = User.objects.get(username=username)
    device = (
        TOTPDevice.objects.create(user=user, confirmed=True, name="téléphone")
        if with_device
        else None
    )
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(demo_password())
    page.get_by_role("button", name="Se connecter").click()
    if with_device:
        page.wait_for_url(re.compile(r"/compte/verification/"))
    if not any(path in page.url for path in ASKED_FOR_A_CODE):
        return
    if device is None:
        device = TOTPDevice.objects.create(user=user, confirmed=True, name="téléphone")
    if "/compte/verification/" not in page.url:
        page.goto(f"{live_server.url}/compte/verification/")
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()
    page.wait_for_load_state()
