"""A coordinator creates a personal API token, sees it once, uses it, then revokes it;
the page fits a 390 px phone."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from oncolien.accounts.models import Membership, User
from oncolien.territories.models import Cpts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "jetons-api-2026-test"


def _fits(page, width: int) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"la page déborde : {overflow} px pour {width} px"


def test_a_token_is_created_shown_once_used_and_revoked(live_server, page, base_data):
    user = User.objects.create_user(
        username="coordination.jetons", password=PASSWORD, first_name="Anne", last_name="Roux"
    )
    Membership.objects.create(
        user=user, role="coordinator", cpts=Cpts.objects.get(slug="cpts-nord-aveyron")
    )
    device = TOTPDevice.objects.create(user=user, confirmed=True, name="téléphone")

    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/compte/verification/"))
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("heading", name="Votre travail").wait_for()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/compte/securite/")
    page.get_by_role("link", name="Jetons d'accès à l'API").click()
    page.get_by_role("heading", level=1, name="Jetons d'accès à l'API").wait_for()
    _fits(page, 390)
    page.get_by_label("Nom du jeton").fill("Tableur de la coordination")
    page.get_by_label("Lecture seule").check()
    page.get_by_label("Durée de validité (jours)").fill("30")
    page.get_by_role("button", name="Créer le jeton").click()

    page.get_by_text("il ne sera plus jamais affiché").wait_for()
    secret = page.get_by_label("Votre jeton").input_value()
    assert secret.startswith("onco_")
    _fits(page, 390)
    me = page.request.get(
        f"{live_server.url}/api/v1/accounts/me",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert me.status == 200 and me.json()["username"] == user.username

    page.goto(f"{live_server.url}/compte/jetons-api/")
    assert secret not in page.content()
    card = page.get_by_role("listitem").filter(has_text="Tableur de la coordination")
    assert secret[:13] in card.inner_text()
    assert "Lecture seule" in card.inner_text()
    card.get_by_role("button", name="Révoquer le jeton « Tableur de la coordination »").click()
    page.get_by_text("est révoqué").wait_for()
    _fits(page, 390)

    refused = page.request.get(
        f"{live_server.url}/api/v1/accounts/me",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert refused.status == 401
    assert refused.json()["detail"] == "Ce jeton d'accès a été révoqué."
