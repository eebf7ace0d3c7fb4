import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from oncolien.accounts.models import User
from oncolien.web.http import user_of


def test_user_of_gives_the_signed_in_user():
    request = RequestFactory().get("/")
    request.user = User(username="nurse")
    assert user_of(request) is request.user


def test_user_of_an_anonymous_request_is_a_programming_error():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(TypeError, match="login_required"):
        user_of(request)
