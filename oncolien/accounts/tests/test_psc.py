"""The parts of the Pro Santé Connect log-in that need no provider (the flow itself is
tested against a real one in tests/oidc/)."""

import socket

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from oncolien.accounts import psc
from oncolien.accounts.models import User
from oncolien.audit.models import AuditEntry


@pytest.mark.parametrize(
    ("claims", "rpps"),
    [
        ({"SubjectNameID": "810003381430"}, "10003381430"),  # idNatPs: « 8 » + RPPS
        ({"preferred_username": "810003381430"}, "10003381430"),
        ({"SubjectNameID": " 10003381430 "}, "10003381430"),
        ({"SubjectNameID": "ANS20231122132732"}, None),  # a PSC test account
        ({"SubjectNameID": "012345678901"}, None),  # ADELI-based: no RPPS
        ({"SubjectNameID": 810003381430}, None),
        ({}, None),
    ],
)
def test_the_rpps_is_read_from_the_national_identifier(claims, rpps):
    assert psc.rpps_from_claims(claims) == rpps


def test_two_accounts_never_share_an_rpps_but_many_have_none(coordinator, physician):
    physician.rpps = ""
    physician.save()
    coordinator.rpps = "10003381430"
    coordinator.save()
    physician.rpps = "10003381430"
    with pytest.raises(IntegrityError), transaction.atomic():
        physician.save()
    assert User.objects.filter(rpps="").count() >= 1


def test_an_rpps_has_eleven_digits(coordinator):
    coordinator.rpps = "1234"
    with pytest.raises(ValidationError, match="11 chiffres"):
        coordinator.full_clean()


def test_an_unreachable_provider_gets_a_french_page_and_nothing_else(client, db):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    psc._DISCOVERED.clear()
    with override_settings(
        ONCOLIEN_PSC_ENABLED=True,
        OIDC_RP_CLIENT_ID="x",
        ONCOLIEN_PSC_DISCOVERY_URL=f"http://127.0.0.1:{port}/.well-known/openid-configuration",
        OIDC_TIMEOUT=2,
    ):
        response = client.get(reverse("accounts:psc_login"))
    assert response.status_code == 503
    assert "Pro Santé Connect ne répond pas" in response.content.decode()
    assert AuditEntry.objects.filter(
        action="auth.psc_refused", details__reason="provider_unreachable"
    ).exists()
