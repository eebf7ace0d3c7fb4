"""Production hashes passwords with Argon2; the rest of the suite uses a fast hasher
(see the root conftest.py), so this is the one place that proves it."""

import importlib

from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def _production_hashers() -> list[str]:
    # The settings module's own value, not the test override held by django.conf.settings.
    return list(importlib.import_module("oncolien.settings").PASSWORD_HASHERS)


def test_production_settings_put_argon2_first():
    assert _production_hashers()[0] == ARGON2


def test_a_password_hashed_with_production_settings_is_argon2(settings):
    settings.PASSWORD_HASHERS = _production_hashers()
    assert make_password("mot-de-passe-de-test-42").startswith("argon2$")


def test_the_suite_uses_a_fast_hasher():
    assert django_settings.PASSWORD_HASHERS[0] != ARGON2
