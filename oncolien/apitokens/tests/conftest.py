import pytest

from oncolien.apitokens.services import token_create


@pytest.fixture
def make_token():
    """A token of `user` through the real service; returns (token, secret)."""

    def _make(user, cpts, *, scope="read", days=30, name="Logiciel de la CPTS"):
        created = token_create(user=user, name=name, scope=scope, cpts=cpts, lifetime_days=days)
        return created.token, created.secret

    return _make
