"""Production mode (ONCOLIEN_ENV=production): `check --deploy` clean, and no start
without what a real deployment needs (issue 13). Each run is a fresh process, as a
server starts: settings are read once, from the environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _manage(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "ONCOLIEN_", "DATABASE_URL", "REDIS_URL"))
    }
    environment |= {
        "ONCOLIEN_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "oncolien.settings",
    }
    environment |= env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "ONCOLIEN_ENV": "production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "oncolien.example.fr",
}


def test_check_deploy_is_clean_in_production(tmp_path):
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "W0" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_turns_on_https_hsts_secure_cookies_and_json_logs(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.ONCOLIEN_LOG_FORMAT)"
    )
    result = _manage(tmp_path, "shell", "--no-imports", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "31536000 True True True ('HTTP_X_FORWARDED_PROTO', 'https') True True json"
    )


def test_each_production_setting_can_be_set_from_the_environment(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_PROXY_SSL_HEADER, s.ONCOLIEN_LOG_FORMAT)"
    )
    result = _manage(
        tmp_path,
        "shell",
        "--no-imports",
        "-c",
        code,
        **PRODUCTION,
        DJANGO_SECURE_HSTS_SECONDS="3600",
        DJANGO_SECURE_HSTS_PRELOAD="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Scheme: https",
        ONCOLIEN_LOG_FORMAT="text",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3600 False False ('HTTP_X_SCHEME', 'https') text"


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_secret_key_or_host_names(tmp_path, missing):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = _manage(tmp_path, "check", **env)
    assert result.returncode != 0
    assert f"définissez {missing}" in result.stderr


def test_development_stays_on_plain_http(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, "
        "s.SESSION_COOKIE_SECURE, s.ONCOLIEN_LOG_FORMAT)"
    )
    result = _manage(tmp_path, "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0 False None False text"


def test_a_misspelt_environment_name_stops_start_up(tmp_path):
    result = _manage(tmp_path, "check", ONCOLIEN_ENV="prod")
    assert result.returncode != 0 and "ONCOLIEN_ENV" in result.stderr


def test_with_pro_sante_connect_log_out_may_leave_for_the_provider(tmp_path):
    # Log-out posts a form to OncoLien, which redirects to PSC's end-session page; the
    # browser refuses that redirect unless PSC's origin is in the page's form-action.
    code = (
        "from django.conf import settings as s; "
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    )
    without = _manage(tmp_path, "shell", "--no-imports", "-c", code, **PRODUCTION)
    assert without.returncode == 0, without.stderr
    assert without.stdout.strip() == "[\"'self'\"]"
    with_psc = _manage(
        tmp_path,
        "shell",
        "--no-imports",
        "-c",
        code,
        **PRODUCTION,
        ONCOLIEN_PSC_CLIENT_ID="oncolien-test",
        ONCOLIEN_PSC_END_SESSION_ENDPOINT="https://logout.psc.example/realms/x/logout",
    )
    assert with_psc.returncode == 0, with_psc.stderr
    assert with_psc.stdout.strip() == (
        "[\"'self'\", 'https://auth.esw.esante.gouv.fr', 'https://logout.psc.example']"
    )
