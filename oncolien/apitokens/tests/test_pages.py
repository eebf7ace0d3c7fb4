"""The « Jetons d'accès à l'API » page: create (secret shown once), list, revoke."""

import hashlib
import re

import pytest
from django.test import override_settings

from oncolien.apitokens.models import ApiToken
from oncolien.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PAGE = "/compte/jetons-api/"


def _form(cpts, **changes):
    return {
        "name": "Tableur de suivi",
        "scope": "read",
        "cpts": cpts.pk,
        "lifetime_days": 30,
        **changes,
    }


def _secret_in(html: str) -> str:
    match = re.search(r'id="created-secret"[^>]*value="(onco_[^"]+)"', html)
    assert match, "the page shows the new token"
    return match.group(1)


def test_the_secret_is_shown_once_and_only_its_hash_is_stored(login, coordinator, nord_aveyron):
    client = login(coordinator)
    response = client.post(PAGE, _form(nord_aveyron))
    html = response.content.decode()
    secret = _secret_in(html)
    assert "il ne sera plus jamais affiché" in html
    assert "no-store" in response["Cache-Control"]

    token = ApiToken.objects.get(user=coordinator)
    assert token.lookup_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret) // 3
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert secret not in stored
    entry = AuditEntry.objects.get(action="api_token.create")
    assert secret not in str(entry.details) and entry.details["prefix"] == token.prefix

    again = client.get(PAGE).content.decode()
    assert secret not in again
    assert "created-secret" not in again
    assert f"{token.prefix}…" in again and "Tableur de suivi" in again and "jamais" in again


def test_a_token_cannot_be_created_without_a_verified_second_factor(
    login, coordinator, nord_aveyron
):
    # Required for her role, the second factor first: the middleware sends her there.
    client = login(coordinator, verified=False)
    response = client.post(PAGE, _form(nord_aveyron))
    assert response.status_code == 302 and "/compte/double-authentification/" in response.url
    assert not ApiToken.objects.exists()


@override_settings(ONCOLIEN_REQUIRE_2FA=False)
def test_the_page_itself_refuses_an_unverified_session(login, coordinator, nord_aveyron):
    """Even where the second factor is not required, a token needs a verified session."""
    client = login(coordinator, verified=False)
    response = client.post(PAGE, _form(nord_aveyron))
    html = response.content.decode()
    assert "aucun jeton n&#x27;a été créé" in html
    assert "Activer ou valider la vérification en deux étapes" in html
    assert "created-secret" not in html
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lifetime_days": 365}, "La durée de validité doit être comprise entre 1 et 90 jours."),
        ({"lifetime_days": 0}, "La durée de validité doit être comprise entre 1 et 90 jours."),
        ({"name": "  "}, "Donnez un nom au jeton."),
        ({"scope": "admin"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_values_are_refused_in_french_and_create_nothing(
    login, coordinator, nord_aveyron, changes, message
):
    html = login(coordinator).post(PAGE, _form(nord_aveyron, **changes)).content.decode()
    assert message in html.replace("&#x27;", "'")
    assert "created-secret" not in html
    assert not ApiToken.objects.exists()


def test_a_token_is_only_for_a_cpts_of_the_users_memberships(login, coordinator, sud_tarn):
    html = login(coordinator).post(PAGE, _form(sud_tarn)).content.decode()
    assert "Choisissez une CPTS dont vous êtes membre." in html
    assert not ApiToken.objects.exists()


def test_revoking_from_the_page(login, coordinator, nord_aveyron, make_token):
    token, _ = make_token(coordinator, nord_aveyron)
    client = login(coordinator)
    response = client.post(f"{PAGE}{token.pk}/revoquer/", follow=True)
    html = response.content.decode()
    assert "Le jeton « Logiciel de la CPTS »" in html and "est révoqué" in html
    assert "révoqué le" in html
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert (
        AuditEntry.objects.filter(action="api_token.revoke", target_id=str(token.pk)).count() == 1
    )


def test_another_users_token_cannot_be_revoked(login, coordinator, outsider, sud_tarn, make_token):
    token, _ = make_token(outsider, sud_tarn)
    response = login(coordinator).post(f"{PAGE}{token.pk}/revoquer/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
