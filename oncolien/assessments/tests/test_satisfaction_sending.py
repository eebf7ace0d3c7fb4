"""The satisfaction questionnaires sent by the task queue at their moments: once per
moment, one reminder, and a recorded reason when nothing could be sent."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from oncolien.aftercare.tests.factories import (
    make_eligible_pathway,
    make_labelled_service,
    prescribe,
)
from oncolien.assessments.models import Assessment, SatisfactionSurvey
from oncolien.assessments.selectors import assessments_of, instruments_in_use
from oncolien.assessments.tests.satisfaction_helpers import (
    GATEWAY,
    MOBILE,
    at,
    close,
    link_path,
    run,
)
from oncolien.audit.models import AuditEntry
from oncolien.notifications import sms
from oncolien.notifications.models import Delivery
from oncolien.pathways.services import care_team_add, consent_record
from oncolien.pathways.tests.factories import make_pathway

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway(settings):
    settings.ONCOLIEN_SMS_BACKEND = GATEWAY
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def _patient_surveys(moment="end_of_follow_up"):
    return SatisfactionSurvey.objects.filter(moment=moment, recipient_key="patient")


def test_a_pathway_closed_at_the_end_of_follow_up_sends_one_sms_even_run_twice(
    gateway, coordinating_nurse, instruments, django_capture_on_commit_callbacks
):
    pathway = close(coordinating_nurse, make_pathway(actor=coordinating_nurse, phone=MOBILE))
    first = run(django_capture_on_commit_callbacks)
    again = run(django_capture_on_commit_callbacks)
    survey = _patient_surveys().get()
    assert survey.pathway == pathway and survey.due_on == pathway.closed_on
    assert len(gateway) == 1 and first.sent >= 1 and again.sent == 0
    to, body = gateway[0]
    assert to == "0612345678"
    assert "Martin" not in body and "cancer" not in body.lower()
    assert survey.delivery.outcome == "sent" and survey.delivery.kind == "satisfaction.survey"
    # The audit trail records the send without the token or the number.
    entry = AuditEntry.objects.get(action="satisfaction.send", target_id=str(survey.pk))
    assert link_path(body).split("/")[-2] not in str(entry.details)
    assert "0612345678" not in str(entry.details)


def test_the_patient_answers_through_the_link_and_the_answers_stay_out_of_the_pathway_page(
    client, gateway, coordinating_nurse, instruments, django_capture_on_commit_callbacks
):
    pathway = close(coordinating_nurse, make_pathway(actor=coordinating_nurse, phone=MOBILE))
    run(django_capture_on_commit_callbacks)
    url = link_path(gateway[0][1])
    page = html.unescape(client.get(url).content.decode())
    assert "Votre avis sur l'accompagnement de la CPTS" in page and "Martin" not in page
    done = client.post(
        url,
        {
            "overall": "very",
            "knew_whom": "yes",
            "needs_met": "partly",
            "team_together": "yes",
            "recommend": "9",
            "action": "complete",
        },
    )
    assert "Merci pour votre avis" in html.unescape(done.content.decode())
    assessment = _patient_surveys().get().assessment
    assessment.refresh_from_db()
    assert assessment.status == "completed" and assessment.answers["recommend"] == 9
    assert client.get(url).status_code == 410
    # One person's opinion is read as aggregates only, not on the pathway's page.
    assert assessment not in assessments_of(pathway)


def test_one_reminder_after_seven_days_with_a_new_link_then_none(
    client, gateway, coordinating_nurse, instruments, django_capture_on_commit_callbacks
):
    close(coordinating_nurse, make_pathway(actor=coordinating_nurse, phone=MOBILE))
    run(django_capture_on_commit_callbacks)
    run(django_capture_on_commit_callbacks, at(days=3))
    assert len(gateway) == 1  # not yet
    run(django_capture_on_commit_callbacks, at(days=8))
    run(django_capture_on_commit_callbacks, at(days=9))
    assert len(gateway) == 2  # one reminder, then none
    first, reminder = (link_path(body) for _, body in gateway)
    assert gateway[1][1].startswith("Rappel")
    survey = _patient_surveys().get()
    assert survey.reminder_delivery.outcome == "sent"
    # The reminder's link replaces the first one.
    assert client.get(first).status_code == 404
    assert client.get(reminder).status_code == 200


def test_no_reminder_to_a_patient_who_answered(
    client, gateway, coordinating_nurse, instruments, django_capture_on_commit_callbacks
):
    close(coordinating_nurse, make_pathway(actor=coordinating_nurse, phone=MOBILE))
    run(django_capture_on_commit_callbacks)
    answers = {"overall": "rather", "knew_whom": "no", "needs_met": "fully"}
    client.post(link_path(gateway[0][1]), {**answers, "team_together": "no", "action": "complete"})
    run(django_capture_on_commit_callbacks, at(days=8))
    assert len(gateway) == 1
    assert _patient_surveys().get().reminded_at is None


@pytest.mark.parametrize(
    ("phone", "objects", "reason"),
    [
        ("", False, "no_phone"),
        ("05 65 44 00 00", False, "not_mobile"),
        (MOBILE, True, "objection"),
    ],
)
def test_a_patient_without_channel_or_who_objected_is_recorded_as_not_sent(
    gateway,
    coordinating_nurse,
    instruments,
    django_capture_on_commit_callbacks,
    phone,
    objects,
    reason,
):
    pathway = make_pathway(actor=coordinating_nurse, phone=phone)
    if objects:
        consent_record(
            actor=coordinating_nurse,
            pathway=pathway,
            informed_on=timezone.localdate(),
            objects_to_sharing=True,
        )
    close(coordinating_nurse, pathway)
    report = run(django_capture_on_commit_callbacks)
    survey = _patient_surveys().get()
    assert (survey.outcome, survey.reason) == ("not_sent", reason)
    assert survey.assessment is None and survey.delivery is None
    assert gateway == [] and report.not_sent >= 1
    assert not Delivery.objects.filter(kind="satisfaction.survey", channel="sms").exists()
    # Recorded once: the next run neither sends nor records it again.
    run(django_capture_on_commit_callbacks)
    assert _patient_surveys().count() == 1


def test_without_an_sms_gateway_nothing_is_claimed_sent(
    coordinating_nurse, instruments, django_capture_on_commit_callbacks
):
    close(coordinating_nurse, make_pathway(actor=coordinating_nurse, phone=MOBILE))
    run(django_capture_on_commit_callbacks)
    survey = _patient_surveys().get()
    assert (survey.outcome, survey.reason) == ("not_sent", "no_sms_gateway")
    assert not Assessment.objects.filter(satisfaction_survey=survey).exists()


def test_no_patient_questionnaire_after_a_death_or_a_refusal_nor_for_old_closings(
    gateway, coordinating_nurse, instruments, django_capture_on_commit_callbacks
):
    close(coordinating_nurse, make_pathway(actor=coordinating_nurse, phone=MOBILE), "deceased")
    close(coordinating_nurse, make_pathway(actor=coordinating_nurse, phone=MOBILE), "declined")
    old = close(coordinating_nurse, make_pathway(actor=coordinating_nurse, phone=MOBILE))
    old.closed_on = timezone.localdate() - timedelta(days=60)
    old.save(update_fields=["closed_on"])
    run(django_capture_on_commit_callbacks)
    assert not _patient_surveys().exists() and gateway == []


def test_nothing_leaves_at_night(
    gateway, coordinating_nurse, instruments, django_capture_on_commit_callbacks
):
    close(coordinating_nurse, make_pathway(actor=coordinating_nurse, phone=MOBILE))
    assert run(django_capture_on_commit_callbacks, at(hour=3)).sent == 0
    assert not SatisfactionSurvey.objects.exists()


def test_each_professional_of_the_care_team_gets_a_link_by_email(
    client, coordinating_nurse, coordinator, instruments, django_capture_on_commit_callbacks
):
    pathway = make_pathway(actor=coordinating_nurse)
    care_team_add(
        actor=coordinating_nurse,
        pathway=pathway,
        role="pharmacist",
        name="Pharmacie du Lot",
        email="pharmacie@exemple.invalid",
    )
    no_address = care_team_add(
        actor=coordinating_nurse, pathway=pathway, role="other", name="Kiné sans courriel"
    )
    close(coordinating_nurse, pathway)
    mail.outbox.clear()
    run(django_capture_on_commit_callbacks)
    run(django_capture_on_commit_callbacks)
    surveys = SatisfactionSurvey.objects.filter(moment="care_team")
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([coordinating_nurse.email, "pharmacie@exemple.invalid"])
    assert surveys.filter(outcome="queued").count() == 2
    missing = surveys.get(care_team_member=no_address)
    assert (missing.outcome, missing.reason) == ("not_sent", "no_email")
    nurse_mail = next(m for m in mail.outbox if m.to == [coordinating_nurse.email])
    assert "Martin" not in nurse_mail.body
    page = client.get(link_path(nurse_mail.body))
    text = html.unescape(page.content.decode())
    assert "Votre avis sur la coordination d'un parcours par la CPTS" in text
    survey = surveys.get(care_team_member__user=coordinating_nurse)
    assert survey.assessment.respondent == "professional"
    assert survey.assessment.filled_by == coordinating_nurse


def test_one_year_after_the_programme_started_the_patient_gets_the_questionnaire(
    gateway, coordinating_nurse, base_data, instruments, django_capture_on_commit_callbacks
):
    service = make_labelled_service()
    today = timezone.localdate()
    year_ago, months_ago = today - timedelta(days=365), today - timedelta(days=330)
    for prescribed_on in (year_ago, months_ago):
        pathway = make_eligible_pathway(
            actor=coordinating_nurse,
            end_of_treatment=prescribed_on - timedelta(days=30),
            phone=MOBILE,
        )
        prescribe(
            actor=coordinating_nurse, pathway=pathway, service=service, prescribed_on=prescribed_on
        )
    run(django_capture_on_commit_callbacks)
    run(django_capture_on_commit_callbacks)
    survey = _patient_surveys("programme_year").get()
    assert survey.pathway.post_cancer_programme.prescribed_on == year_ago
    assert survey.due_on == today
    assert len(gateway) == 1 and "il y a un an" in gateway[0][1]


def test_satisfaction_questionnaires_are_not_offered_by_hand(instruments):
    codes = {v.code for v in instruments_in_use()}
    assert "sos-screening-patient-during" in codes
    assert not any(code.startswith("satisfaction-") for code in codes)


def test_the_consumer_runs_the_sending_every_hour_and_running_it_twice_sends_once(
    gateway, coordinating_nurse, instruments, django_capture_on_commit_callbacks
):
    from huey.contrib.djhuey import HUEY

    from oncolien.assessments.tasks import send_satisfaction_surveys

    hourly = [t for t in HUEY._registry.periodic_tasks if t.name == send_satisfaction_surveys.name]
    when = timezone.now().replace(minute=20, second=0, microsecond=0)
    assert hourly and hourly[0].validate_datetime(when)
    assert not hourly[0].validate_datetime(when.replace(minute=21))
    close(coordinating_nurse, make_pathway(actor=coordinating_nurse, phone=MOBILE))
    in_the_day = 9 <= timezone.localtime().hour < 19
    with django_capture_on_commit_callbacks(execute=True):
        send_satisfaction_surveys.call_local()
        send_satisfaction_surveys.call_local()
    # The task sends only in the day (Paris time), and once whatever the hour.
    assert len(gateway) == (1 if in_the_day else 0)
    assert _patient_surveys().count() == (1 if in_the_day else 0)


def test_one_persons_answers_are_not_readable_from_the_assessment_page(
    login, gateway, coordinating_nurse, instruments, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    close(coordinating_nurse, make_pathway(actor=coordinating_nurse, phone=MOBILE))
    run(django_capture_on_commit_callbacks)
    assessment = _patient_surveys().get().assessment
    page = login(coordinating_nurse).get(reverse("assessments:fill", kwargs={"pk": assessment.pk}))
    assert page.status_code == 404
