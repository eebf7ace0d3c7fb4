from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from oncolien.audit.models import AuditEntry
from oncolien.pathways.models import Alert
from oncolien.pathways.services import monitoring_record_add
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db


def test_an_alert_raised_five_hours_ago_is_escalated_once_to_the_coordinators(
    coordinating_nurse, coordinator, outsider, call, django_capture_on_commit_callbacks
):
    pathway = make_pathway(actor=coordinating_nurse)
    monitoring_record_add(actor=coordinating_nurse, pathway=pathway, values={"temperature_c": 39})
    Alert.objects.update(raised_at=timezone.now() - timedelta(hours=5))

    with django_capture_on_commit_callbacks(execute=True):
        out, _ = call("escalate_alerts")

    assert out.strip() == "1 alerte non prise en compte transmise aux coordinateur·rices."
    alert = Alert.objects.get()
    assert alert.escalated_at is not None
    # Only the coordinators of the pathway's CPTS are told, never those of another CPTS.
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    assert "Martin" not in mail.outbox[0].body
    assert (
        AuditEntry.objects.filter(action="alert.escalate", target_id=str(pathway.pk)).count() == 1
    )

    with django_capture_on_commit_callbacks(execute=True):
        out, _ = call("escalate_alerts")

    assert out.strip() == "Aucune alerte à transmettre aux coordinateur·rices."
    assert len(mail.outbox) == 1
    assert Alert.objects.get().escalated_at == alert.escalated_at


def test_a_recent_or_acknowledged_alert_is_not_escalated(
    coordinating_nurse, coordinator, call, django_capture_on_commit_callbacks
):
    pathway = make_pathway(actor=coordinating_nurse)
    monitoring_record_add(actor=coordinating_nurse, pathway=pathway, values={"pain_score": 8})
    monitoring_record_add(actor=coordinating_nurse, pathway=pathway, values={"saturation_pct": 85})
    old = timezone.now() - timedelta(hours=5)
    Alert.objects.filter(rule="desaturation").update(raised_at=old, acknowledged_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        out, _ = call("escalate_alerts", "--quiet")

    assert out == ""
    assert mail.outbox == []
    assert not Alert.objects.filter(escalated_at__isnull=False).exists()


def test_several_alerts_are_counted_in_french(coordinating_nurse, coordinator, call):
    pathway = make_pathway(actor=coordinating_nurse)
    monitoring_record_add(
        actor=coordinating_nurse, pathway=pathway, values={"temperature_c": 39, "pain_score": 9}
    )
    Alert.objects.update(raised_at=timezone.now() - timedelta(hours=5))

    out, _ = call("escalate_alerts")

    assert out.strip() == "2 alertes non prises en compte transmises aux coordinateur·rices."


def test_the_escalation_email_gives_the_alerts_time_in_paris(
    coordinating_nurse, coordinator, call, django_capture_on_commit_callbacks
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    pathway = make_pathway(actor=coordinating_nurse)
    monitoring_record_add(actor=coordinating_nurse, pathway=pathway, values={"temperature_c": 39})
    # 05:58 in Paris is 04:58 UTC in November.
    Alert.objects.update(raised_at=datetime(2026, 11, 24, 5, 58, tzinfo=ZoneInfo("Europe/Paris")))

    with django_capture_on_commit_callbacks(execute=True):
        call("escalate_alerts")

    (message,) = mail.outbox
    assert "depuis 24/11/2026 05:58." in message.body
