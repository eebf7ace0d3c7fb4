"""Health data leaves only by secure health messaging (MSSanté), tested against a real
local SMTP server over TLS that requires the operator's client certificate."""

import smtplib
import ssl

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from oncolien.notifications.models import Delivery
from oncolien.notifications.secure_messaging import is_secure_address, validate_secure_address
from oncolien.notifications.services import notify
from tests.mss_server import SENDER, configured_server, make_certificates

pytestmark = pytest.mark.django_db

PDF = ("compte-rendu.pdf", b"%PDF-1.7 contenu de test", "application/pdf")


def _secure(to="paul.roux@medecin.mssante.fr", **overrides):
    fields = {
        "channel": "mss",
        "to": to,
        "subject": "[OncoLien] Compte-rendu de visite",
        "body": "Compte-rendu ci-joint.",
        "kind": "visit_report.sent",
        "attachments": [PDF],
    }
    return notify(**(fields | overrides))


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("mss-certificates"))


@pytest.fixture(params=["starttls", "tls"])
def mss_server(request, certificates, settings):
    with configured_server(certificates, settings, security=request.param) as server:
        yield server


def test_a_plain_email_cannot_carry_a_document():
    with pytest.raises(ValueError, match="Seule la messagerie sécurisée de santé"):
        notify(
            channel="email",
            to="paul.roux@medecin.invalid",
            subject="Compte-rendu",
            body="Ci-joint.",
            kind="visit_report.sent",
            attachments=[PDF],
        )
    assert not Delivery.objects.exists()


def test_the_secure_channel_takes_only_an_mssante_address():
    with pytest.raises(ValueError, match="MSSanté"):
        _secure(to="paul.roux@gmail.com")
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    ("address", "secure"),
    [
        ("paul.roux@medecin.mssante.fr", True),
        ("PAUL.ROUX@Pro.MSSante.fr", True),
        ("secretariat@ch-rodez.mssante.fr", True),
        ("paul.roux@mssante.fr", True),
        ("paul.roux@gmail.com", False),
        ("paul.roux@mssante.fr.example.com", False),
        ("paul.roux@faux-mssante.fr", False),
        ("mssante.fr", False),
    ],
)
def test_an_mssante_address_is_recognised_by_its_domain(address, secure):
    assert is_secure_address(address) is secure


def test_a_typed_address_outside_mssante_gets_a_french_error():
    with pytest.raises(ValidationError) as error:
        validate_secure_address("paul.roux@gmail.com")
    assert error.value.messages == [
        "Cette adresse n'est pas une adresse de messagerie sécurisée de santé (MSSanté) : "
        "son domaine doit se terminer par mssante.fr."
    ]


def test_the_domains_come_from_settings(settings):
    settings.ONCOLIEN_MSS_DOMAINS = ["mssante.fr", "test-mss.example"]
    assert is_secure_address("a@b.test-mss.example")


def test_without_secure_messaging_nothing_leaves_and_the_delivery_says_so(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _secure()
    delivery.refresh_from_db()
    assert (delivery.channel, delivery.outcome) == ("mss", "not_sent")
    assert "Aucune messagerie sécurisée de santé n'est configurée" in delivery.error
    assert mail.outbox == []


def test_the_message_reaches_the_mssante_server_with_its_document(
    mss_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _secure()

    delivery.refresh_from_db()
    assert delivery.outcome == "sent", delivery.error
    [received] = mss_server.received
    assert received.mail_from == SENDER
    assert received.rcpt_tos == ["paul.roux@medecin.mssante.fr"]
    # The operator's certificate was presented and checked by the server.
    assert received.client_certificate is not None
    assert ((("commonName", "OncoLien CPTS Nord Aveyron"),)) in received.client_certificate[
        "subject"
    ]
    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_filename() == "compte-rendu.pdf"
    assert attachment.get_content() == PDF[1]
    assert mail.outbox == []  # nothing went through the ordinary e-mail backend


def test_a_client_without_the_operator_certificate_is_refused(mss_server, certificates):
    context = ssl.create_default_context(cafile=certificates.path("ca.crt"))
    with pytest.raises((ssl.SSLError, smtplib.SMTPException, ConnectionError)):
        if mss_server.security == "tls":
            smtp = smtplib.SMTP_SSL("localhost", mss_server.port, timeout=5, context=context)
        else:
            smtp = smtplib.SMTP("localhost", mss_server.port, timeout=5)
        with smtp:
            if mss_server.security == "starttls":
                smtp.starttls(context=context)
            smtp.sendmail(SENDER, ["paul.roux@medecin.mssante.fr"], b"Subject: test\r\n\r\nx")
    assert mss_server.received == []


def test_a_certificate_from_another_authority_is_refused_and_recorded_as_failed(
    mss_server, certificates, settings, django_capture_on_commit_callbacks
):
    settings.ONCOLIEN_MSS_CLIENT_CERT = certificates.path("stranger.crt")
    settings.ONCOLIEN_MSS_CLIENT_KEY = certificates.path("stranger.key")
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _secure()
    delivery.refresh_from_db()
    assert delivery.outcome == "failed"
    assert "L'envoi par messagerie sécurisée de santé a échoué." in delivery.error
    assert mss_server.received == []


def test_a_server_whose_certificate_is_not_trusted_gets_nothing(
    mss_server, certificates, settings, django_capture_on_commit_callbacks
):
    settings.ONCOLIEN_MSS_CA_FILE = certificates.path("other-ca.crt")
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _secure()
    delivery.refresh_from_db()
    assert delivery.outcome == "failed"
    assert mss_server.received == []
