"""Real headless Chromium against a live server: what a coordinator does on day one."""

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from oncolien.accounts.demo import demo_password, load_demo_accounts
from oncolien.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(key_bytes: bytes) -> str:
    return f"{totp(key_bytes):06d}"


def _log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/compte/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(demo_password())
    page.get_by_role("button", name="Se connecter").click()


def test_a_demo_coordinator_logs_in_and_reads_her_cpts_page(live_server, page, base_data):
    load_demo_accounts()
    coordinator = User.objects.get(username="coordination.nord-aveyron")
    device = TOTPDevice.objects.create(user=coordinator, confirmed=True, name="téléphone")
    _log_in(page, live_server.url, "coordination.nord-aveyron")

    page.wait_for_url(re.compile(r"/compte/verification/"))
    page.get_by_label("Code à 6 chiffres").fill(_code(device.bin_key))
    page.get_by_role("button", name="Valider").click()

    page.get_by_role("heading", name="Votre travail").wait_for()
    page.get_by_role("link", name=re.compile(r"Page de la CPTS Nord Aveyron")).click()
    page.get_by_role("heading", level=1).filter(has_text="Nord Aveyron").wait_for()
    body = page.locator("main").inner_text()
    assert "Taille 1" in body
    assert "Espalion" in body


def test_a_new_coordinator_sets_up_two_factor_from_the_page(live_server, page, base_data):
    load_demo_accounts()
    _log_in(page, live_server.url, "coordination.sud-tarn")

    page.wait_for_url(re.compile(r"/compte/double-authentification/"))
    assert page.locator("svg").count() >= 1
    shown_key = page.locator("figcaption code").inner_text().replace(" ", "")
    key = base64.b32decode(shown_key + "=" * (-len(shown_key) % 8))
    page.get_by_label("Code à 6 chiffres").fill(_code(key))
    page.get_by_role("button", name="Activer").click()
    page.get_by_text("Vérification en deux étapes activée.").wait_for()


def test_the_skip_link_is_the_first_stop_of_the_keyboard(live_server, page, base_data):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Aller au contenu"
