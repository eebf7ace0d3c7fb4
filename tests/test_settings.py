"""The settings' readers of environment variables."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from oncolien.settings import env_bool, env_int


def test_an_integer_variable_is_read(monkeypatch):
    monkeypatch.setenv("ONCOLIEN_TEST_DAYS", "21")
    assert env_int("ONCOLIEN_TEST_DAYS", 14) == 21


def test_an_unset_or_empty_integer_variable_gives_the_default(monkeypatch):
    monkeypatch.delenv("ONCOLIEN_TEST_DAYS", raising=False)
    assert env_int("ONCOLIEN_TEST_DAYS", 14) == 14
    monkeypatch.setenv("ONCOLIEN_TEST_DAYS", "")
    assert env_int("ONCOLIEN_TEST_DAYS", 14) == 14


def test_a_misspelt_integer_variable_stops_start_up_with_its_name(monkeypatch):
    monkeypatch.setenv("ONCOLIEN_TEST_DAYS", "deux")
    with pytest.raises(ImproperlyConfigured, match="ONCOLIEN_TEST_DAYS.*nombre entier"):
        env_int("ONCOLIEN_TEST_DAYS", 14)


def test_a_boolean_variable_accepts_oui(monkeypatch):
    monkeypatch.setenv("ONCOLIEN_TEST_FLAG", "oui")
    assert env_bool("ONCOLIEN_TEST_FLAG", False) is True
