"""notify: sent after commit only, each delivery recorded, failures recorded not raised."""

import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from oncolien.notifications import sms
from oncolien.notifications.models import Delivery
from oncolien.notifications.services import notify

pytestmark = pytest.mark.django_db

TOKEN = "jeton-secret-a-usage-unique"  # noqa: S105


class RefusingSmtpBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"jeanne@example.test": (550, b"refused")})


def _email(**overrides):
    fields = {
        "channel": "email",
        "to": "jeanne@example.test",
        "subject": "Votre questionnaire OncoLien",
        "body": f"Votre lien : https://oncolien.test/{TOKEN}/",
        "kind": "assessment.link",
    }
    return notify(**(fields | overrides))


class Rollback(Exception):
    pass


def test_an_email_queued_in_a_transaction_that_rolls_back_is_never_sent(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        _email()
        raise Rollback
    assert callbacks == []
    assert mail.outbox == []
    assert not Delivery.objects.exists()


def test_an_email_is_sent_only_after_commit_and_recorded_as_sent(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            delivery = _email()
            assert mail.outbox == []
            assert Delivery.objects.get().outcome == "pending"
        # Still inside the test's own transaction: nothing is committed yet.
        assert mail.outbox == []
    (message,) = mail.outbox
    assert message.to == ["jeanne@example.test"] and TOKEN in message.body
    delivery.refresh_from_db()
    assert (delivery.outcome, delivery.error) == ("sent", "")
    assert delivery.sent_at is not None and delivery.attempted_at is not None
    assert delivery.channel == "email" and delivery.kind == "assessment.link"


def test_an_smtp_failure_is_recorded_as_failed_and_not_raised(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingSmtpBackend"
    with (
        caplog.at_level(logging.INFO, logger="oncolien.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        delivery = _email()
    delivery.refresh_from_db()
    assert delivery.outcome == "failed" and delivery.sent_at is None
    assert delivery.error == "SMTPRecipientsRefused : L'envoi du courriel a échoué."
    assert "jeanne@example.test" not in caplog.text and TOKEN not in caplog.text
    assert "SMTPRecipientsRefused" in caplog.text


def test_the_default_sms_backend_sends_nothing_says_so_and_logs_neither_number_nor_token(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.ONCOLIEN_SMS_BACKEND = "oncolien.notifications.sms.LogOnlyBackend"
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        delivery = notify(
            channel="sms",
            to="0612345678",
            subject="Votre questionnaire OncoLien",
            body=f"Votre lien : https://oncolien.test/{TOKEN}/",
            kind="assessment.link",
        )
    delivery.refresh_from_db()
    assert delivery.outcome == "not_sent" and delivery.sent_at is None
    assert delivery.error == "Aucune passerelle SMS n'est configurée : le SMS n'a pas été envoyé."
    assert caplog.records  # the operator is told that nothing was sent
    assert "0612345678" not in caplog.text and TOKEN not in caplog.text
    assert "https://" not in caplog.text


def test_a_configured_sms_gateway_receives_the_message(
    settings, django_capture_on_commit_callbacks
):
    settings.ONCOLIEN_SMS_BACKEND = "oncolien.notifications.sms.LocmemBackend"
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        delivery = notify(
            channel="sms", to="0612345678", subject="", body="Bonjour", kind="assessment.link"
        )
    assert sms.outbox == [("0612345678", "Bonjour")]
    delivery.refresh_from_db()
    assert delivery.outcome == "sent"


def test_the_body_is_never_stored(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _email()
    row = Delivery.objects.values().get()
    assert not any(TOKEN in str(value) for value in row.values())


def test_the_target_is_recorded_like_an_audit_entry(
    coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _email(recipient_user=coordinator, target=coordinator)
    assert (delivery.target_type, delivery.target_id) == ("accounts.user", str(coordinator.pk))
    assert delivery.recipient_user == coordinator


@pytest.mark.parametrize(
    "overrides",
    [{"channel": "in_app"}, {"to": "  "}, {"channel": "sms", "attachments": [("a", b"", "x")]}],
)
def test_a_malformed_notification_is_a_programming_error_and_writes_nothing(overrides):
    with pytest.raises(ValueError):
        _email(**overrides)
    assert not Delivery.objects.exists()
