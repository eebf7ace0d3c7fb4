"""The satisfaction figures for the indicators, on known data: sent, answered of sent,
reasons of what was not sent, reminders, and each question's distribution and mean."""

from datetime import timedelta

import pytest
from django.utils import timezone

from oncolien.aftercare.tests.factories import (
    make_eligible_pathway,
    make_labelled_service,
    prescribe,
)
from oncolien.assessments.models import SatisfactionSurvey
from oncolien.assessments.selectors import satisfaction_for_programmes, satisfaction_summary
from oncolien.assessments.services import assessment_complete, assessment_save_answers
from oncolien.assessments.tests.satisfaction_helpers import GATEWAY, MOBILE, at, close, run
from oncolien.notifications import sms
from oncolien.pathways.tests.factories import make_pathway
from oncolien.territories.models import Cpts

pytestmark = pytest.mark.django_db


def _answer(pathway, **answers):
    survey = SatisfactionSurvey.objects.get(
        pathway=pathway, moment="end_of_follow_up", recipient_key="patient"
    )
    assessment_save_answers(assessment=survey.assessment, answers=answers)
    assessment_complete(assessment=survey.assessment)


BASE = {"knew_whom": "yes", "needs_met": "fully", "team_together": "yes"}


@pytest.fixture
def known_data(settings, coordinating_nurse, instruments, django_capture_on_commit_callbacks):
    """Nord Aveyron: four pathways closed today, three with a mobile (two answer, one
    with a comment), one without a number; the unanswered one is reminded."""
    settings.ONCOLIEN_SMS_BACKEND = GATEWAY
    pathways = [make_pathway(actor=coordinating_nurse, phone=MOBILE) for _ in range(3)]
    pathways.append(make_pathway(actor=coordinating_nurse))
    for pathway in pathways:
        close(coordinating_nurse, pathway)
    run(django_capture_on_commit_callbacks)
    _answer(pathways[0], **BASE, overall="very", recommend=10, improve="Rien à redire.")
    _answer(pathways[1], **{**BASE, "knew_whom": "no"}, overall="rather", recommend=7)
    run(django_capture_on_commit_callbacks, at(days=8))
    sms.outbox.clear()
    return pathways


def _by_code(figures):
    return {f.code: f for f in figures}


def test_the_summary_counts_sent_answered_not_sent_and_reminders(known_data):
    today = timezone.localdate()
    figures = _by_code(
        satisfaction_summary(
            cpts=Cpts.objects.get(slug="cpts-nord-aveyron"), start=today, end=today
        )
    )
    assert list(figures) == [
        "satisfaction-patient-end-of-follow-up",
        "satisfaction-patient-programme-year",
        "satisfaction-professional-care-team",
    ]
    patient = figures["satisfaction-patient-end-of-follow-up"]
    assert (patient.due, patient.sent, patient.answered, patient.reminders) == (4, 3, 2, 1)
    assert patient.not_sent == 1 and patient.not_sent_reasons == {"no_phone": 1}
    assert patient.pending == 0
    assert patient.answer_rate == pytest.approx(2 / 3)
    questions = {q.id: q for q in patient.questions}
    overall = {a.value: a.count for a in questions["overall"].distribution}
    assert overall == {"very": 1, "rather": 1, "little": 0, "not": 0}
    assert [(a.label, a.count) for a in questions["knew_whom"].distribution] == [
        ("Oui", 1),
        ("Non", 1),
    ]
    recommend = questions["recommend"]
    assert recommend.mean == 8.5 and recommend.answered == 2
    assert [a.count for a in recommend.distribution if a.count] == [1, 1]
    # Free text is counted, never quoted.
    assert questions["improve"].answered == 1 and questions["improve"].distribution == []
    assert "Rien à redire" not in repr(figures)
    # The care team: the coordinating nurse of each of the four pathways, by e-mail.
    team = figures["satisfaction-professional-care-team"]
    assert (team.due, team.sent, team.answered) == (4, 4, 0)
    programme = figures["satisfaction-patient-programme-year"]
    assert (programme.due, programme.sent, programme.answer_rate) == (0, 0, None)


def test_another_cpts_or_another_period_counts_nothing(known_data):
    today = timezone.localdate()
    other = satisfaction_summary(
        cpts=Cpts.objects.get(slug="cpts-sud-tarn"), start=today, end=today
    )
    assert all(f.due == 0 for f in other)
    before = satisfaction_summary(
        cpts=Cpts.objects.get(slug="cpts-nord-aveyron"),
        start=today - timedelta(days=60),
        end=today - timedelta(days=1),
    )
    assert all(f.due == f.sent == f.answered == 0 for f in before)


def test_the_programmes_variant_counts_only_the_pathways_of_those_programmes(
    settings, coordinating_nurse, base_data, instruments, django_capture_on_commit_callbacks
):
    settings.ONCOLIEN_SMS_BACKEND = GATEWAY
    service, other_service = make_labelled_service(), make_labelled_service(name="Autre")
    year_ago = timezone.localdate() - timedelta(days=365)
    programmes = []
    for chosen in (service, service, other_service):
        pathway = make_eligible_pathway(
            actor=coordinating_nurse, end_of_treatment=year_ago - timedelta(days=30), phone=MOBILE
        )
        programmes.append(
            prescribe(
                actor=coordinating_nurse, pathway=pathway, service=chosen, prescribed_on=year_ago
            )
        )
    run(django_capture_on_commit_callbacks)
    answered = SatisfactionSurvey.objects.get(
        pathway=programmes[0].pathway, moment="programme_year"
    )
    assessment_save_answers(
        assessment=answered.assessment,
        answers={
            "overall": "very",
            "quality_of_life": "a_lot",
            "sessions_done": "some",
            "why_not": ["transport", "delay"],
            "recommend": 9,
        },
    )
    assessment_complete(assessment=answered.assessment)
    ours = _by_code(satisfaction_for_programmes([p.pk for p in programmes[:2]]))
    year = ours["satisfaction-patient-programme-year"]
    assert (year.due, year.sent, year.answered) == (2, 2, 1)
    why_not = next(q for q in year.questions if q.id == "why_not")
    counts = {a.value: a.count for a in why_not.distribution}
    assert counts["transport"] == counts["delay"] == 1 and counts["cost"] == 0
    theirs = _by_code(satisfaction_for_programmes([programmes[2].pk]))
    assert theirs["satisfaction-patient-programme-year"].sent == 1
    assert theirs["satisfaction-patient-programme-year"].answered == 0
