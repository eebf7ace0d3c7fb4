"""End to end: a real huey consumer runs the reminder task and the nurse's e-mail
leaves, its delivery recorded."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from oncolien.adherence.models import AdherenceContact
from oncolien.adherence.tasks import send_reminders
from oncolien.adherence.tests.helpers import make_plan
from oncolien.background.tests.conftest import real_queue, running_consumer, wait_for
from oncolien.notifications.models import Delivery
from oncolien.pathways.tests.factories import make_pathway

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.consumer]


@pytest.fixture
def sqlite_storage(tmp_path):
    from huey.storage import SqliteStorage

    return SqliteStorage("oncolien-adherence", filename=str(tmp_path / "tasks.sqlite3"))


def test_the_reminder_task_is_scheduled_every_hour_of_the_day():
    from huey.contrib.djhuey import HUEY

    [task] = [t for t in HUEY._registry.periodic_tasks if t.name == send_reminders.name]
    morning = timezone.now().replace(hour=6, minute=5, second=0, microsecond=0)
    assert task.validate_datetime(morning)
    assert not task.validate_datetime(morning.replace(minute=6))
    assert not task.validate_datetime(morning.replace(hour=3))


def test_a_running_consumer_reminds_the_nurse_of_a_contact_in_two_days(
    coordinating_nurse, sqlite_storage
):
    pathway = make_pathway(actor=coordinating_nurse, last_name="Durand")
    plan = make_plan(actor=coordinating_nurse, pathway=pathway)
    first = AdherenceContact.objects.filter(plan=plan).order_by("planned_on").first()
    AdherenceContact.objects.filter(pk=first.pk).update(
        planned_on=timezone.localdate() + timedelta(days=2)
    )
    mail.outbox.clear()
    with real_queue(sqlite_storage) as huey:
        # The hourly task, queued now rather than waiting for 5 past the hour.
        send_reminders()
        assert huey.pending_count() == 1
        with running_consumer(huey):
            # The test thread watches the outbox only while the consumer runs.
            assert wait_for(lambda: len(mail.outbox) == 1)
            assert wait_for(lambda: huey.pending_count() == 0)
    [message] = mail.outbox
    assert message.to == [coordinating_nurse.email]
    assert message.subject.startswith("[OncoLien] Suivi de l'hormonothérapie : contact prévu le ")
    assert "Durand" not in message.body
    email = Delivery.objects.get(kind="adherence.reminder", channel="email")
    assert (email.outcome, email.attempts, email.recipient_user) == ("sent", 1, coordinating_nurse)
    assert Delivery.objects.filter(kind="adherence.reminder", channel="app").count() == 1
    first.refresh_from_db()
    assert first.reminded_at is not None
