"""Every message of the other apps goes through notify: one Delivery per message, with
the right kind, channel, recipient and outcome, and nothing sent when the change fails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oncolien.assessments.models import AccessLink
from oncolien.assessments.services import link_issue
from oncolien.directory.tests.factories import make_service
from oncolien.notifications import sms
from oncolien.notifications.models import Delivery
from oncolien.pathways.models import Alert
from oncolien.pathways.reports import report_create, report_send
from oncolien.pathways.services import (
    alerts_escalate,
    care_team_add,
    monitoring_record_add,
    visit_add,
)
from oncolien.pathways.tests.factories import make_pathway
from oncolien.reference.models import CareType
from oncolien.referrals.services import referral_create, referral_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def pathway(coordinating_nurse):
    return make_pathway(actor=coordinating_nurse)


def _issue(actor, pathway, **kwargs):
    return link_issue(
        actor=actor,
        pathway=pathway,
        instrument_code="distress-thermometer",
        build_url=lambda token: f"https://oncolien.test/evaluations/lien/{token}/",
        **kwargs,
    )


def test_an_email_link_is_recorded_and_sent_after_commit(
    pathway, coordinating_nurse, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = _issue(coordinating_nurse, pathway, channel="email", email="jeanne@example.test")
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.channel, delivery.recipient_address, delivery.outcome) == (
        "assessment.link",
        "email",
        "jeanne@example.test",
        "sent",
    )
    assert (delivery.target_type, delivery.target_id) == (
        "assessments.accesslink",
        str(issued.link.pk),
    )
    assert issued.delivery == delivery


def test_an_sms_link_without_gateway_is_refused_and_no_delivery_is_recorded(
    settings, pathway, coordinating_nurse
):
    # Without a gateway SMS is not offered at all (see assessments/tests/test_sms_offer.py).
    from django.core.exceptions import ValidationError

    settings.ONCOLIEN_SMS_BACKEND = "oncolien.notifications.sms.LogOnlyBackend"
    with pytest.raises(ValidationError):
        _issue(coordinating_nurse, pathway, channel="sms", phone="0612345678")
    assert not Delivery.objects.exists()


def test_an_sms_link_goes_to_the_configured_gateway(
    settings, pathway, coordinating_nurse, django_capture_on_commit_callbacks
):
    settings.ONCOLIEN_SMS_BACKEND = "oncolien.notifications.sms.LocmemBackend"
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issued = _issue(coordinating_nurse, pathway, channel="sms", phone="0612345678")
    assert sms.outbox == [("0612345678", sms.outbox[0][1])]
    assert issued.url in sms.outbox[0][1]
    assert Delivery.objects.get().outcome == "sent"


def test_a_link_issued_in_a_failing_transaction_sends_nothing_and_records_nothing(
    pathway, coordinating_nurse, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _issue(coordinating_nurse, pathway, channel="email", email="jeanne@example.test")
        raise RuntimeError("a later step of the same change fails")
    assert callbacks == [] and mail.outbox == []
    assert not Delivery.objects.exists() and not AccessLink.objects.exists()


def test_a_print_link_sends_nothing(
    pathway, coordinating_nurse, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = _issue(coordinating_nurse, pathway, channel="print")
    assert issued.delivery is None and not Delivery.objects.exists()


def test_a_sent_referral_is_recorded(
    pathway, coordinating_nurse, django_capture_on_commit_callbacks
):
    service = make_service(
        cpts="cpts-nord-aveyron",
        name="Consultation diététique",
        care_types=["nutrition"],
        commune="12096",
        email="dietetique@exemple.invalid",
    )
    referral = referral_create(
        actor=coordinating_nurse,
        pathway=pathway,
        care_type=CareType.objects.get(code="nutrition"),
        service=service,
    )
    with django_capture_on_commit_callbacks(execute=True):
        referral_send(
            actor=coordinating_nurse, referral=referral, link="https://oncolien.test/r/x/"
        )
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.channel, delivery.recipient_address, delivery.outcome) == (
        "referral.sent",
        "email",
        "dietetique@exemple.invalid",
        "sent",
    )
    assert (delivery.target_type, delivery.target_id) == ("referrals.referral", str(referral.pk))
    assert len(mail.outbox) == 1


def test_a_sent_visit_report_is_recorded_for_each_recipient_reached(
    pathway, coordinating_nurse, community_nurse, django_capture_on_commit_callbacks
):
    # No secure messaging configured: the PDF goes to no one; the OncoLien user gets a
    # notice with a link, the external contacts get nothing.
    gp = care_team_add(
        actor=coordinating_nurse,
        pathway=pathway,
        role="gp",
        name="Dr Paul Roux",
        email="paul.roux@medecin.invalid",
        mssante_address="paul.roux@medecin.mssante.fr",
    )
    nurse = care_team_add(
        actor=coordinating_nurse, pathway=pathway, role="community_nurse", user=community_nurse
    )
    no_email = care_team_add(
        actor=coordinating_nurse, pathway=pathway, role="oncologist", name="Dr Anne Vidal"
    )
    visit = visit_add(
        actor=coordinating_nurse,
        pathway=pathway,
        kind="home",
        occurred_at=timezone.now() - timedelta(hours=2),
        duration_minutes=30,
    )
    report = report_create(actor=coordinating_nurse, visit=visit, recipients=[gp, nurse, no_email])
    with django_capture_on_commit_callbacks(execute=True):
        report_send(actor=coordinating_nurse, report=report, report_url="https://o.test/cr/1/")
    [delivery] = Delivery.objects.all()
    assert (delivery.kind, delivery.channel, delivery.outcome) == (
        "visit_report.notice",
        "app",
        "sent",
    )
    assert delivery.recipient_user == community_nurse
    assert delivery.target_id == str(report.pk)
    assert delivery.link == "/cr/1/"
    assert mail.outbox == []


def test_a_refused_visit_report_records_nothing(pathway, coordinating_nurse):
    no_email = care_team_add(
        actor=coordinating_nurse, pathway=pathway, role="oncologist", name="Dr Anne Vidal"
    )
    visit = visit_add(
        actor=coordinating_nurse,
        pathway=pathway,
        kind="home",
        occurred_at=timezone.now() - timedelta(hours=2),
        duration_minutes=30,
    )
    report = report_create(actor=coordinating_nurse, visit=visit, recipients=[no_email])
    with pytest.raises(ValidationError):
        report_send(actor=coordinating_nurse, report=report, report_url="https://o.test/cr/1/")
    assert not Delivery.objects.exists()


def test_an_escalated_alert_is_recorded_for_each_coordinator(
    pathway, coordinating_nurse, coordinator, outsider, django_capture_on_commit_callbacks
):
    monitoring_record_add(actor=coordinating_nurse, pathway=pathway, values={"temperature_c": 39})
    with django_capture_on_commit_callbacks(execute=True):
        alerts_escalate(now=timezone.now() + timedelta(hours=5))
    delivery = Delivery.objects.get(kind="alert.escalated")
    assert (delivery.kind, delivery.channel, delivery.recipient_address, delivery.outcome) == (
        "alert.escalated",
        "email",
        coordinator.email,
        "sent",
    )
    assert delivery.recipient_user == coordinator
    assert (delivery.target_type, delivery.target_id) == (
        "pathways.alert",
        str(Alert.objects.get().pk),
    )
