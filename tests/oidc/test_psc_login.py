"""Log-in through Pro Santé Connect against a real OpenID Connect provider.

The browser is played by Django's test client on OncoLien's side and by `requests`
on the provider's (its log-in page, its redirects): every exchange OncoLien has with
the provider — discovery, code for tokens, keys, userinfo — really happens over HTTP.
The same flow in Chromium is in test_psc_browser.py.
"""

import html
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import pytest
import requests
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from oncolien.accounts.models import ProSanteConnectDevice
from oncolien.audit.models import AuditEntry
from tests.oidc.conftest import KNOWN_RPPS, UNKNOWN_RPPS, psc_settings, running_provider

CALLBACK = "http://testserver/compte/pro-sante-connect/retour/"


@pytest.fixture(scope="module")
def op():
    """The provider as PSC is usually registered: userinfo as a signed JWT."""
    with running_provider(
        redirect_uris=[CALLBACK], logout_uris=["http://testserver/"], signed_userinfo=True
    ) as provider:
        yield provider


@pytest.fixture(scope="module")
def op_json_userinfo():
    with running_provider(
        redirect_uris=[CALLBACK], logout_uris=["http://testserver/"], signed_userinfo=False
    ) as provider:
        yield provider


def at_provider(authorization_url: str, login: str) -> str:
    """What the professional does at PSC (here: types their test login); returns the
    URL of OncoLien's callback the provider sends the browser back to."""
    browser = requests.Session()
    url = authorization_url
    response = browser.get(url, allow_redirects=False, timeout=10)
    for _ in range(20):
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if url.startswith("http://testserver/"):
                return url
            response = browser.get(url, allow_redirects=False, timeout=10)
        elif response.status_code == 200 and "/interaction/" in url:
            url = url.rstrip("/") + "/login"
            response = browser.post(url, data={"login": login}, allow_redirects=False, timeout=10)
        else:
            raise AssertionError(f"{response.status_code} {url}: {response.text[:300]}")
    raise AssertionError("Le fournisseur n'a pas renvoyé vers OncoLien.")


def start(client, next_url: str = "") -> str:
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    response = client.get(reverse("accounts:psc_login") + query)
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def back_at_oncolien(client, callback_url: str):
    parts = urlparse(callback_url)
    return client.get(parts.path, parse_qs(parts.query))


def psc_log_in(client, login: str, next_url: str = ""):
    return back_at_oncolien(client, at_provider(start(client, next_url), login))


def text(response) -> str:
    return html.unescape(response.content.decode())


def refusals(reason: str) -> int:
    return AuditEntry.objects.filter(action="auth.psc_refused", details__reason=reason).count()


def test_a_known_rpps_opens_the_session_of_its_account_with_the_second_factor_met(
    client, op, coordinator
):
    coordinator.rpps = KNOWN_RPPS
    coordinator.save()
    with psc_settings(op):
        authorization = start(client, next_url="/parcours/")
        query = parse_qs(urlparse(authorization).query)
        assert query["acr_values"] == ["eidas1"]
        assert query["scope"] == ["openid scope_all"]
        assert query["code_challenge_method"] == ["S256"]
        response = back_at_oncolien(client, at_provider(authorization, "dr.connue"))
        assert response.status_code == 302
        assert response["Location"] == "/parcours/"
        # The 2FA rule holds for a coordinator (patient data): the worklist opens, no
        # code is asked, because the PSC log-in is the session's second factor.
        worklist = client.get("/parcours/")
        assert worklist.status_code == 200
        assert worklist.wsgi_request.user == coordinator
        assert worklist.wsgi_request.user.is_verified()
        home = client.get("/")
        assert "Votre travail" in text(home)
        security = text(client.get(reverse("accounts:security")))
        assert "Coordinateur·rice de CPTS" in security
    device = ProSanteConnectDevice.objects.get(user=coordinator)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert device.verify_token("123456") is False
    actions = list(
        AuditEntry.objects.filter(actor_id=coordinator.pk).values_list("action", flat=True)
    )
    assert "auth.login" in actions and "auth.psc_verified" in actions


def test_a_plain_json_userinfo_works_too(client, op_json_userinfo, coordinator):
    coordinator.rpps = KNOWN_RPPS
    coordinator.save()
    with psc_settings(op_json_userinfo):
        response = psc_log_in(client, "dr.connue")
        assert response.status_code == 302
        assert client.get("/parcours/").status_code == 200


def test_an_unknown_rpps_is_refused_in_french_and_nothing_is_opened(client, op, coordinator):
    coordinator.rpps = KNOWN_RPPS
    coordinator.save()
    with psc_settings(op):
        response = psc_log_in(client, "dr.inconnue")
        assert response.status_code == 403
        page = text(response)
        assert "n'est rattaché à aucun compte OncoLien" in page
        assert "coordination de votre CPTS" in page
        assert not response.wsgi_request.user.is_authenticated
        assert client.get("/parcours/").status_code == 302  # to the log-in page
    entry = AuditEntry.objects.get(action="auth.psc_refused")
    assert entry.details == {"reason": "unknown_rpps", "rpps": UNKNOWN_RPPS}
    assert not ProSanteConnectDevice.objects.exists()


def test_an_identity_without_rpps_is_refused(client, op, coordinator):
    with psc_settings(op):
        response = psc_log_in(client, "sans.rpps")
    assert response.status_code == 403
    assert "pas transmis de numéro RPPS" in text(response)
    assert refusals("no_rpps") == 1


def test_a_disabled_account_is_refused_even_with_its_rpps(client, op, coordinator):
    coordinator.rpps = KNOWN_RPPS
    coordinator.is_active = False
    coordinator.save()
    with psc_settings(op):
        response = psc_log_in(client, "dr.connue")
    assert response.status_code == 403
    assert "est désactivé" in text(response)
    assert refusals("inactive") == 1


def test_a_tampered_state_is_refused_and_the_code_never_used(client, op, coordinator):
    coordinator.rpps = KNOWN_RPPS
    coordinator.save()
    with psc_settings(op):
        callback = at_provider(start(client), "dr.connue")
        tampered = callback.replace("state=", "state=x", 1)
        response = back_at_oncolien(client, tampered)
        assert response.status_code == 403
        assert "ne correspond à aucune demande de connexion" in text(response)
        assert not response.wsgi_request.user.is_authenticated
        assert refusals("state_mismatch") == 1


def test_a_callback_replayed_from_another_browser_is_refused(client, op, coordinator, db):
    from django.test import Client

    coordinator.rpps = KNOWN_RPPS
    coordinator.save()
    with psc_settings(op):
        callback = at_provider(start(client), "dr.connue")
        # Someone who got hold of the callback URL (a shared link, a log) has not the
        # session that sent the request: refused, and the owner's session still works.
        response = back_at_oncolien(Client(), callback)
        assert response.status_code == 403
        assert back_at_oncolien(client, callback).status_code == 302
        # Used once: the same URL again is refused (the state is spent).
        again = back_at_oncolien(client, callback)
        assert again.status_code == 403


def test_an_id_token_from_another_issuer_is_refused(client, op, coordinator):
    coordinator.rpps = KNOWN_RPPS
    coordinator.save()
    with psc_settings(op, ONCOLIEN_PSC_ISSUER="https://auth.esw.esante.gouv.fr/auth/realms/x"):
        response = psc_log_in(client, "dr.connue")
    assert response.status_code == 403
    assert "n'a pas pu être vérifiée" in text(response)
    assert refusals("invalid_response") == 1


def test_a_weaker_authentication_level_than_asked_is_refused(client, op, coordinator):
    coordinator.rpps = KNOWN_RPPS
    coordinator.save()
    # The provider authenticates at eidas1; a deployment that asks for more refuses it.
    with psc_settings(op, ONCOLIEN_PSC_ACR_VALUES="eidas3"):
        response = psc_log_in(client, "dr.connue")
    assert response.status_code == 403
    assert refusals("invalid_response") == 1


def test_a_cancelled_log_in_at_the_provider_is_refused(client, op, coordinator):
    with psc_settings(op):
        state = parse_qs(urlparse(start(client)).query)["state"][0]
        response = client.get(
            reverse("accounts:psc_callback"), {"error": "access_denied", "state": state}
        )
    assert response.status_code == 403
    assert "annulée ou refusée" in text(response)


def test_password_log_in_and_its_lock_out_still_work_beside_psc(client, op, coordinator):
    with psc_settings(op):
        assert psc_log_in(client, "dr.inconnue").status_code == 403
        login = reverse("accounts:login")
        page = text(client.get(login))
        assert "Se connecter avec Pro Santé Connect" in page
        # A password log-in with a code and state in its query string never reaches
        # the provider, and a right password still logs in.
        response = client.post(
            login + "?code=x&state=y",
            {"username": coordinator.username, "password": "mot-de-passe-de-test-42"},
        )
        assert response.status_code == 302
        assert client.get("/").wsgi_request.user == coordinator
        client.logout()
        for _ in range(5):
            client.post(login, {"username": coordinator.username, "password": "faux"})
        locked = client.post(
            login, {"username": coordinator.username, "password": "mot-de-passe-de-test-42"}
        )
        assert locked.status_code == 429


def test_log_out_ends_the_psc_session_too(client, op, coordinator):
    coordinator.rpps = KNOWN_RPPS
    coordinator.save()
    with psc_settings(op):
        psc_log_in(client, "dr.connue")
        response = client.post(reverse("accounts:logout"))
        assert response.status_code == 302
        target = urlparse(response["Location"])
        assert f"{target.scheme}://{target.netloc}" == op.issuer
        query = parse_qs(target.query)
        assert query["post_logout_redirect_uri"] == ["http://testserver/"]
        assert query["id_token_hint"]
        # The provider accepts this request (it knows the token and the return address);
        # the browser test goes through its confirmation page.
        at_op = requests.get(response["Location"], allow_redirects=False, timeout=10)
        assert at_op.status_code == 200, at_op.text[:300]
        assert "Erreur du fournisseur" not in at_op.text
        assert not client.get("/").wsgi_request.user.is_authenticated


def test_without_configuration_there_is_no_button_and_the_routes_are_404(client, coordinator):
    page = text(client.get(reverse("accounts:login")))
    assert "Pro Santé Connect" not in page
    assert client.get(reverse("accounts:psc_login")).status_code == 404
    assert (
        client.get(reverse("accounts:psc_callback"), {"code": "x", "state": "y"}).status_code == 404
    )
