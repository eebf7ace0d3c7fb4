"""Starting, saving and completing assessments; alerts from scores; authorisation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from oncolien.assessments.models import Assessment, AssessmentStatus
from oncolien.assessments.services import (
    assessment_complete,
    assessment_save_answers,
    assessment_start,
)
from oncolien.audit.models import AuditEntry
from oncolien.audit.pending import flush_pending_refusals
from oncolien.pathways.models import Alert

pytestmark = pytest.mark.django_db

ESAS_ITEMS = [
    "pain",
    "tiredness",
    "drowsiness",
    "nausea",
    "appetite",
    "shortness_of_breath",
    "depression",
    "anxiety",
    "wellbeing",
]


def _complete(actor, pathway, code, answers):
    assessment = assessment_start(
        actor=actor, pathway=pathway, instrument_code=code, respondent="professional"
    )
    assessment_save_answers(assessment=assessment, answers=answers, actor=actor)
    return assessment_complete(assessment=assessment, actor=actor)


@pytest.mark.parametrize("value, alerts", [(6, 0), (7, 1)])
def test_an_esas_symptom_alerts_from_seven(pathway, coordinating_nurse, value, alerts):
    answers = {**dict.fromkeys(ESAS_ITEMS, 2), "nausea": value}
    assessment = _complete(coordinating_nurse, pathway, "esas-r", answers)
    raised = Alert.objects.filter(pathway=pathway)
    assert raised.count() == alerts
    if alerts:
        alert = raised.get()
        assert alert.source == f"assessment:{assessment.pk}:esas_nausea"
        assert alert.message == "ESAS-r nausées : 7/10 (alerte à partir de 7)."


@pytest.mark.parametrize("value, alerts", [(3, 0), (4, 1)])
def test_the_distress_thermometer_alerts_from_four(pathway, coordinating_nurse, value, alerts):
    _complete(
        coordinating_nurse, pathway, "distress-thermometer", {"distress": value, "talk_wish": "no"}
    )
    assert Alert.objects.filter(pathway=pathway, rule="distress").count() == alerts


def test_completion_requires_the_required_items_and_changes_nothing(pathway, coordinating_nurse):
    assessment = assessment_start(
        actor=coordinating_nurse, pathway=pathway, instrument_code="esas-r", respondent="patient"
    )
    assessment_save_answers(assessment=assessment, answers={"pain": 3}, actor=coordinating_nurse)
    with pytest.raises(ValidationError) as raised:
        assessment_complete(assessment=assessment, actor=coordinating_nurse)
    assert raised.value.message_dict["tiredness"] == ["Merci de répondre à cette question."]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.answers == {"pain": 3}
    assert assessment.results == {}


def test_a_bad_answer_changes_nothing(pathway, coordinating_nurse):
    assessment = assessment_start(
        actor=coordinating_nurse, pathway=pathway, instrument_code="esas-r", respondent="patient"
    )
    assessment_save_answers(assessment=assessment, answers={"pain": 3}, actor=coordinating_nurse)
    with pytest.raises(ValidationError):
        assessment_save_answers(
            assessment=assessment, answers={"pain": 5, "nausea": 12}, actor=coordinating_nurse
        )
    assessment.refresh_from_db()
    assert assessment.answers == {"pain": 3}


def test_a_completed_assessment_cannot_change(pathway, coordinating_nurse):
    assessment = _complete(
        coordinating_nurse, pathway, "distress-thermometer", {"distress": 1, "talk_wish": "no"}
    )
    with pytest.raises(ValidationError, match="terminée"):
        assessment_save_answers(
            assessment=assessment, answers={"distress": 9}, actor=coordinating_nurse
        )


def test_the_outsider_cannot_start_or_answer_and_is_audited(pathway, coordinating_nurse, outsider):
    with pytest.raises(PermissionDenied):
        assessment_start(
            actor=outsider, pathway=pathway, instrument_code="esas-r", respondent="professional"
        )
    # Refused inside the service's transaction: the edge writes the pending entry.
    flush_pending_refusals()
    assessment = assessment_start(
        actor=coordinating_nurse, pathway=pathway, instrument_code="esas-r", respondent="patient"
    )
    with pytest.raises(PermissionDenied):
        assessment_save_answers(assessment=assessment, answers={"pain": 1}, actor=outsider)
    flush_pending_refusals()
    assert AuditEntry.objects.filter(actor=outsider, action="access.denied").count() == 2
    assert Assessment.objects.get().answers == {}


def test_without_account_only_an_open_link_allows_writing(pathway, coordinating_nurse):
    assessment = assessment_start(
        actor=coordinating_nurse, pathway=pathway, instrument_code="esas-r", respondent="patient"
    )
    with pytest.raises(ValidationError, match="plus valide"):
        assessment_save_answers(assessment=assessment, answers={"pain": 1})


def test_each_step_is_audited(pathway, coordinating_nurse):
    assessment = _complete(
        coordinating_nurse, pathway, "distress-thermometer", {"distress": 2, "talk_wish": "no"}
    )
    actions = list(
        AuditEntry.objects.filter(
            target_type="assessments.assessment", target_id=str(assessment.pk)
        )
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == ["assessment.start", "assessment.save", "assessment.complete"]
