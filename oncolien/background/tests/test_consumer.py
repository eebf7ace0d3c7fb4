"""End to end: a real consumer escalates an overdue alert, sends the e-mail, and beats."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from oncolien.background.models import Heartbeat
from oncolien.background.tests.conftest import real_queue, running_consumer, wait_for
from oncolien.notifications.models import Delivery
from oncolien.notifications.services import notify
from oncolien.pathways.models import Alert
from oncolien.pathways.services import monitoring_record_add
from oncolien.pathways.tests.factories import make_pathway

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.consumer]


def test_the_health_page_says_when_no_consumer_ever_beat(client):
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["statut"] == "never"


def test_a_silent_consumer_is_reported_with_its_last_beat_in_paris_time(client):
    Heartbeat.objects.create(
        name="consumer", beat_at=timezone.now().replace(microsecond=0) - timedelta(minutes=10)
    )
    beat = Heartbeat.objects.get().beat_at
    response = client.get("/sante/")
    assert response.status_code == 503
    body = response.json()
    assert body["statut"] == "silent"
    shown = timezone.localtime(beat).strftime("%d/%m/%Y %H:%M:%S")
    assert body["message"] == f"Le traitement en arrière-plan ne répond plus depuis le {shown}."
    assert body["dernier_signal"].endswith(("+01:00", "+02:00"))


def test_a_running_consumer_escalates_an_overdue_alert_and_beats(
    coordinating_nurse, coordinator, client, sqlite_storage
):
    pathway = make_pathway(actor=coordinating_nurse)
    monitoring_record_add(actor=coordinating_nurse, pathway=pathway, values={"temperature_c": 39})
    Alert.objects.update(raised_at=timezone.now() - timedelta(hours=5))
    mail.outbox.clear()  # the pathway's creation queued nothing for the coordinator

    with real_queue(sqlite_storage) as huey, running_consumer(huey):
        # No cron: the consumer's scheduler runs the every-minute tasks at its start; the
        # e-mail is queued by the escalation, so once it has left both periodic tasks ran.
        assert wait_for(lambda: len(mail.outbox) == 1)
        assert wait_for(lambda: huey.pending_count() == 0)

    assert Alert.objects.get().escalated_at is not None
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    delivery = Delivery.objects.get(kind="alert.escalated")
    assert (delivery.attempts, delivery.recipient_user) == (1, coordinator)
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json()["statut"] == "ok"
    assert response.json()["message"].startswith("Le traitement en arrière-plan fonctionne")


def test_a_message_queued_through_redis_waits_there_until_a_consumer_sends_it(
    coordinator, redis_url
):
    from huey.storage import RedisStorage

    mail.outbox.clear()
    with real_queue(RedisStorage("oncolien-test", url=redis_url)) as huey:
        delivery = notify(
            channel="email",
            to=coordinator.email,
            subject="Essai",
            body="Bonjour",
            kind="test.redis",
            recipient_user=coordinator,
        )
        # Committed (no test transaction here): the task is in Redis, nothing has left.
        assert huey.pending_count() == 1
        delivery.refresh_from_db()
        assert delivery.outcome == "pending" and mail.outbox == []

        with running_consumer(huey):
            assert wait_for(lambda: len(mail.outbox) == 1)
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    delivery.refresh_from_db()
    assert (delivery.outcome, delivery.attempts) == ("sent", 1)
