import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from oncolien.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "mot-de-passe-de-test-42"
LOGIN = "/compte/connexion/"


def _post_login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def _current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _wait_out_throttling(device: TOTPDevice) -> None:
    """As if the user had waited: move the last failure back in time."""
    from datetime import timedelta

    device.refresh_from_db()
    device.throttling_failure_timestamp -= timedelta(minutes=5)
    device.save(update_fields=["throttling_failure_timestamp"])


def test_the_login_page_is_in_french(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Identifiant" in html and "Mot de passe" in html


def test_a_wrong_password_gets_a_french_error_and_changes_nothing(client, regional):
    response = _post_login(client, regional.username, "pas-le-bon")
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()
    regional.refresh_from_db()
    assert regional.last_login is None
    assert "_auth_user_id" not in client.session
    failed = AuditEntry.objects.filter(action="auth.login_failed").latest("sequence")
    assert failed.details == {"username": regional.username}
    assert "pas-le-bon" not in str(failed.details)


def test_a_disabled_account_is_told_so_and_not_logged_in(client, regional):
    regional.is_active = False
    regional.save()
    response = _post_login(client, regional.username, PASSWORD)
    assert "Ce compte est désactivé" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_disabled_account_with_a_wrong_password_gets_the_generic_message(client, regional):
    regional.is_active = False
    regional.save()
    response = _post_login(client, regional.username, "pas-le-bon")
    html = response.content.decode()
    assert "Ce compte est désactivé" not in html
    assert "Identifiant ou mot de passe incorrect" in html


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, regional):
    for _ in range(5):
        _post_login(client, regional.username, "pas-le-bon")
    response = _post_login(client, regional.username, PASSWORD)
    assert response.status_code == 429
    assert "Connexion temporairement suspendue" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.locked_out").exists()


def test_a_successful_login_is_audited(client, regional):
    response = _post_login(client, regional.username, PASSWORD)
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="auth.login", actor_id=regional.pk).exists()


def test_logout_is_audited_and_ends_the_session(client, regional):
    _post_login(client, regional.username, PASSWORD)
    client.post("/compte/deconnexion/")
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.logout", actor_id=regional.pk).exists()


def test_a_patient_data_role_must_set_up_two_factor_before_anything_else(client, coordinator):
    _post_login(client, coordinator.username, PASSWORD)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/double-authentification/")


def test_setting_up_two_factor_with_a_valid_code_opens_the_session(client, coordinator):
    _post_login(client, coordinator.username, PASSWORD)
    page = client.get("/compte/double-authentification/")
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)

    wrong = client.post("/compte/double-authentification/", {"token": "000000"})
    assert "Ce code n&#x27;est pas valide ou a expiré" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    # Right after a wrong code, even the right one waits: django-otp's throttling.
    throttled = client.post("/compte/double-authentification/", {"token": _current_code(device)})
    assert "Trop de codes erronés" in throttled.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    _wait_out_throttling(device)
    response = client.post("/compte/double-authentification/", {"token": _current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.2fa_enabled", actor_id=coordinator.pk).exists()


def test_a_user_with_an_authenticator_must_enter_a_code(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, confirmed=True, name="app")
    _post_login(client, coordinator.username, PASSWORD)
    response = client.get("/cpts/")
    assert response["Location"].startswith("/compte/verification/")

    response = client.post("/compte/verification/?next=/cpts/", {"token": "12345a"})
    assert "que des chiffres" in response.content.decode()
    response = client.post(
        "/compte/verification/", {"token": _current_code(device), "next": "/cpts/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/cpts/"
    assert client.get("/cpts/").status_code == 200


def test_the_verification_page_refuses_to_redirect_off_site(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, confirmed=True, name="app")
    _post_login(client, coordinator.username, PASSWORD)
    response = client.post(
        "/compte/verification/", {"token": _current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_regional_staff_see_no_patient_data_and_need_no_second_factor(client, regional):
    _post_login(client, regional.username, PASSWORD)
    assert client.get("/").status_code == 200


@override_settings(ONCOLIEN_REQUIRE_2FA=False)
def test_the_two_factor_requirement_is_a_setting(client, coordinator):
    _post_login(client, coordinator.username, PASSWORD)
    assert client.get("/").status_code == 200


def test_the_api_asks_an_unverified_session_to_finish_logging_in(client, coordinator):
    _post_login(client, coordinator.username, PASSWORD)
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 403
    assert "deux étapes" in response.json()["detail"]
