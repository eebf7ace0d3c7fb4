"""A failed e-mail is retried after growing delays, every attempt recorded and shown.

The mail server is a real one (aiosmtpd) on a local port; before it starts, nothing
listens there and the connection is refused, as when a mail relay is down.
"""

import socket
from datetime import datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from django.template.loader import render_to_string
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from oncolien.notifications.models import Delivery, PendingAttachment, PendingMessage
from oncolien.notifications.selectors import deliveries_for
from oncolien.notifications.services import notify

pytestmark = pytest.mark.django_db


class Collect:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_port(settings):
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.ONCOLIEN_NOTIFY_RETRY_SECONDS = [60, 120, 240]
    HUEY.flush()
    yield port
    HUEY.flush()


def run_due_retries() -> int:
    """What the consumer's scheduler does when the retry's time has come."""
    later = datetime.utcnow() + timedelta(days=1)  # noqa: DTZ003 (huey keeps naive UTC)
    due = HUEY.read_schedule(later)
    for task in due:
        HUEY.execute(task, timestamp=later)
    return len(due)


def _send(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return notify(
            channel="email",
            to=coordinator.email,
            subject="Alerte",
            body="Consultez votre liste de travail.",
            kind="alert.escalated",
            recipient_user=coordinator,
            target=coordinator,
        )


def test_an_email_refused_at_first_is_retried_and_finally_sent(
    coordinator, smtp_port, django_capture_on_commit_callbacks
):
    delivery = _send(coordinator, django_capture_on_commit_callbacks)

    assert (delivery.outcome, delivery.attempts) == ("failed", 1)
    retry_at = delivery.next_attempt_at
    assert retry_at is not None
    assert timedelta(seconds=55) < retry_at - delivery.attempted_at <= timedelta(seconds=61)
    assert delivery.error == (
        "ConnectionRefusedError : L'envoi du courriel a échoué. "
        f"Nouvel essai à {timezone.localtime(retry_at):%H:%M}."
    )
    page = render_to_string(
        "notifications/_deliveries.html", {"deliveries": deliveries_for(coordinator)}
    )
    assert "Coordinatrice Test" in page and coordinator.email not in page
    assert f"nouvel essai à {timezone.localtime(retry_at):%H:%M}" in page

    handler = Collect()
    server = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        assert run_due_retries() == 1
    finally:
        server.stop()

    (envelope,) = handler.envelopes
    assert envelope.rcpt_tos == [coordinator.email]
    assert (
        b"Consultez votre liste de travail." in envelope.content
    )  # the body waited in the database
    delivery.refresh_from_db()
    assert (delivery.outcome, delivery.attempts, delivery.error) == ("sent", 2, "")
    assert delivery.next_attempt_at is None and delivery.sent_at is not None
    assert not PendingMessage.objects.exists() and not PendingAttachment.objects.exists()


def test_an_email_that_keeps_failing_is_retried_three_times_then_given_up(
    coordinator, smtp_port, django_capture_on_commit_callbacks
):
    delivery = _send(coordinator, django_capture_on_commit_callbacks)
    delays = []
    while (delivery := Delivery.objects.get(pk=delivery.pk)).next_attempt_at:
        delays.append(round((delivery.next_attempt_at - delivery.attempted_at).total_seconds()))
        assert run_due_retries() == 1

    assert delays == [60, 120, 240]
    assert (delivery.outcome, delivery.attempts) == ("failed", 4)
    assert delivery.error == (
        "ConnectionRefusedError : L'envoi du courriel a échoué. Abandon après 4 essais."
    )
    assert run_due_retries() == 0
    assert not PendingMessage.objects.exists() and not PendingAttachment.objects.exists()
    page = render_to_string(
        "notifications/_deliveries.html", {"deliveries": deliveries_for(coordinator)}
    )
    assert "Échec — abandon après 4 essais" in page


def test_a_delivery_in_an_outer_transaction_not_yet_committed_reads_pending(
    coordinator, smtp_port, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        with transaction.atomic():
            delivery = notify(
                channel="email",
                to=coordinator.email,
                subject="Alerte",
                body="Bonjour",
                kind="alert.escalated",
                recipient_user=coordinator,
                target=coordinator,
            )
        # The inner block is done, the outer one is not: nothing has left.
        delivery.refresh_from_db()
        assert (delivery.outcome, delivery.attempts, delivery.sent_at) == ("pending", 0, None)
        page = render_to_string(
            "notifications/_deliveries.html", {"deliveries": deliveries_for(coordinator)}
        )
        assert "En attente" in page and "Envoyé" not in page
    assert len(callbacks) == 1


def test_a_queue_that_cannot_be_reached_fails_the_delivery_at_once_and_keeps_no_body(
    coordinator, tmp_path, django_capture_on_commit_callbacks
):
    from huey.storage import RedisStorage

    from oncolien.background.tests.conftest import real_queue

    # Nothing listens on port 1: Redis is down.
    down = RedisStorage("oncolien-test", url="redis://127.0.0.1:1/0")
    with real_queue(down), django_capture_on_commit_callbacks(execute=True):
        delivery = notify(
            channel="email",
            to=coordinator.email,
            subject="Alerte",
            body="Bonjour",
            kind="alert.escalated",
        )
    assert delivery.outcome == "failed"
    assert delivery.error == (
        "ConnectionError : La file d'attente des envois est indisponible : "
        "le message n'a pas été envoyé."
    )
    assert not PendingMessage.objects.exists()
