"""Pro Santé Connect in Chromium: a professional clicks the button, authenticates at a
real OpenID Connect provider (tests/oidc/provider.mjs), and comes back logged in —
or refused in French. axe-core checks every page, the provider's included."""

import re
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from tests.oidc.conftest import KNOWN_RPPS, psc_settings, running_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def op(live_server):
    with running_provider(
        redirect_uris=[live_server.url + reverse("accounts:psc_callback")],
        logout_uris=[live_server.url + "/"],
        signed_userinfo=True,
    ) as provider:
        yield provider


@pytest.fixture
def professional(coordinator):
    coordinator.rpps = KNOWN_RPPS
    coordinator.save()
    return coordinator


def authenticate_at_provider(page, live_server, login: str) -> None:
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_role("link", name="Se connecter avec Pro Santé Connect").click()
    page.get_by_label("Identifiant e-CPS").fill(login)
    page.get_by_role("button", name="S'authentifier").click()


def test_a_known_professional_logs_in_and_out_through_psc(live_server, page, op, professional):
    with psc_settings(op):
        authenticate_at_provider(page, live_server, "dr.connue")
        page.get_by_role("heading", name="Votre travail").wait_for()
        # A coordinator sees patient data: the worklist opens with no code asked.
        page.goto(f"{live_server.url}/parcours/")
        assert "/compte/" not in page.url
        page.goto(f"{live_server.url}/compte/securite/")
        assert "Coordinateur·rice de CPTS" in page.locator("main").inner_text()

        page.get_by_role("button", name=re.compile("Se déconnecter")).click()
        page.get_by_role("button", name="Oui, me déconnecter").click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.get_by_role("button", name=re.compile("Se déconnecter")).count() == 0
        page.get_by_role("link", name="Se connecter", exact=True).first.wait_for()


def test_an_unknown_professional_is_refused_in_french(live_server, page, op, professional):
    with psc_settings(op):
        authenticate_at_provider(page, live_server, "dr.inconnue")
        page.get_by_role("heading", name="Connexion par Pro Santé Connect refusée").wait_for()
        assert "coordination de votre CPTS" in page.get_by_role("alert").inner_text()
        page.goto(f"{live_server.url}/parcours/")
        assert "/compte/connexion/" in page.url


def test_a_tampered_state_is_refused(live_server, page, op, professional):
    with psc_settings(op):
        page.goto(f"{live_server.url}/compte/connexion/")
        page.get_by_role("link", name="Se connecter avec Pro Santé Connect").click()
        page.get_by_label("Identifiant e-CPS").wait_for()
        # The browser's own requests (its cookies) through the provider's redirects,
        # stopped before the callback, whose state is then altered.
        url = page.url.rstrip("/") + "/login"
        response = page.request.post(url, form={"login": "dr.connue"}, max_redirects=0)
        url = urljoin(url, response.headers["location"])
        while not url.startswith(live_server.url):
            response = page.request.get(url, max_redirects=0)
            url = urljoin(url, response.headers["location"])
        assert "state=" in url and "code=" in url

        page.goto(url.replace("state=", "state=0", 1))
        page.get_by_role("heading", name="Connexion par Pro Santé Connect refusée").wait_for()
        page.goto(f"{live_server.url}/parcours/")
        assert "/compte/connexion/" in page.url
