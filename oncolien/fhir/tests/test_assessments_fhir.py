"""Needs assessments as FHIR Questionnaire (public) and QuestionnaireResponse (only for
users who may see the pathway), validated with the fhir.resources R4B models."""

from pathlib import Path

import pytest
from django.utils import timezone

from oncolien.assessments.loader import DATA_DIR, read_definition
from oncolien.assessments.models import InstrumentVersion
from oncolien.assessments.services import (
    assessment_complete,
    assessment_save_answers,
    assessment_start,
)
from oncolien.assessments.tests import conftest as assessment_data
from oncolien.audit.models import AuditEntry
from oncolien.fhir.resources_assessments import NOT_EXPORTED_CONDITION, questionnaire_resource
from oncolien.fhir.tests.conftest import validated

pytestmark = pytest.mark.django_db

instruments = assessment_data.instruments
pathway = assessment_data.pathway

SHIPPED = sorted(p.name for p in Path(DATA_DIR).glob("*.json"))


def _read(client, url):
    response = client.get(url)
    assert response["Content-Type"].startswith("application/fhir+json")
    return response, validated(response.json())


@pytest.mark.parametrize("filename", SHIPPED)
def test_every_shipped_instrument_is_a_valid_questionnaire(filename, instruments, client):
    definition = read_definition(Path(DATA_DIR) / filename)
    response, questionnaire = _read(
        client, f"/fhir/Questionnaire/{definition['code']}-{definition['version']}"
    )
    assert response.status_code == 200
    assert questionnaire.url == f"https://oncolien.fr/fhir/Questionnaire/{definition['code']}"
    assert questionnaire.version == definition["version"]
    assert questionnaire.status == "active"
    assert [i.linkId for i in questionnaire.item] == [i["id"] for i in definition["items"]]


def test_questionnaire_maps_types_and_conditions(instruments, client):
    _, questionnaire = _read(client, "/fhir/Questionnaire/sos-screening-patient-during-2026.2")
    items = {i.linkId: i for i in questionnaire.item}

    pain = items["pain_level"]
    assert pain.type == "integer" and pain.required is True
    bounds = {e.url.rsplit("/", 1)[1]: e.valueInteger for e in pain.extension}
    assert bounds == {"minValue": 0, "maxValue": 10}

    relieved = items["pain_relieved"]
    assert relieved.type == "boolean"
    (when,) = relieved.enableWhen
    assert (when.question, when.operator, when.answerInteger) == ("pain_level", ">=", 1)

    troubles = items["eating_troubles"]
    assert troubles.type == "choice" and troubles.repeats is True
    assert troubles.answerOption[0].valueCoding.code == "nausea"
    assert troubles.answerOption[0].valueCoding.display

    # "in" → one '=' per value, any of them enabling the question.
    fertility = items["fertility_informed"]
    assert fertility.enableBehavior == "any"
    assert [(w.operator, w.answerCoding.code) for w in fertility.enableWhen] == [
        ("=", "yes"),
        ("=", "maybe"),
    ]
    lifestyle = items["lifestyle_help_wish"]
    assert lifestyle.enableBehavior == "any"
    assert [(w.question, w.answerCoding.code) for w in lifestyle.enableWhen] == [
        ("tobacco", "yes"),
        ("alcohol", "daily"),
    ]
    carer = items["carer_state"]
    assert carer.enableWhen[0].answerBoolean is True and carer.enableBehavior is None
    assert items["other_needs"].type == "text"


def test_a_retired_version_says_so(instruments, client):
    InstrumentVersion.objects.filter(code="esas-r").update(active=False)
    _, questionnaire = _read(client, "/fhir/Questionnaire/esas-r-2011.fr1")
    assert questionnaire.status == "retired"


def test_a_nested_condition_is_flagged_not_exported():
    definition = {
        "items": [
            {"id": "a", "type": "yes_no", "text": "A ?"},
            {"id": "b", "type": "scale_0_10", "text": "B ?"},
            {
                "id": "c",
                "type": "text",
                "text": "C ?",
                "enable_when": {
                    "all": [
                        {"item": "a", "equals": "yes"},
                        {"any": [{"item": "b", "gte": 4}, {"item": "b", "lte": 1}]},
                    ]
                },
            },
        ]
    }
    version = InstrumentVersion(
        code="essai", version="1", title="Essai", definition=definition, loaded_at=timezone.now()
    )
    questionnaire = validated(questionnaire_resource(version))
    item = questionnaire.item[2]
    assert item.enableWhen is None
    assert item.extension[0].url == NOT_EXPORTED_CONDITION


def test_unknown_questionnaire_is_404(instruments, client):
    response, outcome = _read(client, "/fhir/Questionnaire/esas-r-9999")
    assert response.status_code == 404
    assert outcome.issue[0].code == "not-found"


def test_completed_response_carries_typed_answers(pathway, coordinating_nurse, login):
    assessment = assessment_start(
        actor=coordinating_nurse,
        pathway=pathway,
        instrument_code="distress-thermometer",
        respondent="professional",
    )
    answers = {"distress": 5, "practical_problems": ["work", "housing"], "talk_wish": "yes"}
    assessment_save_answers(assessment=assessment, answers=answers, actor=coordinating_nurse)
    assessment_complete(assessment=assessment, actor=coordinating_nurse)

    response, qr = _read(login(coordinating_nurse), f"/fhir/QuestionnaireResponse/{assessment.pk}")
    assert response.status_code == 200
    assert qr.status == "completed"
    assert qr.questionnaire == (
        "https://oncolien.fr/fhir/Questionnaire/distress-thermometer|2024.fr1"
    )
    assert qr.subject.display == f"Parcours n° {pathway.pk}"
    assert pathway.patient.last_name not in response.content.decode()
    got = {i.linkId: i.answer for i in qr.item}
    assert got["distress"][0].valueInteger == 5
    assert sorted(a.valueCoding.code for a in got["practical_problems"]) == ["housing", "work"]
    assert got["talk_wish"][0].valueBoolean is True
    assert "family_problems" not in got
    assert AuditEntry.objects.filter(
        actor_id=coordinating_nurse.pk, action="assessment.fhir_read"
    ).exists()


def test_draft_response_is_in_progress_with_its_answers_so_far(pathway, coordinating_nurse, login):
    assessment = assessment_start(
        actor=coordinating_nurse,
        pathway=pathway,
        instrument_code="sos-screening-patient-during",
        respondent="patient",
    )
    assessment_save_answers(
        assessment=assessment,
        answers={"pain_level": 3, "pain_relieved": "no", "weight_loss": "lt5"},
        actor=coordinating_nurse,
    )
    _, qr = _read(login(coordinating_nurse), f"/fhir/QuestionnaireResponse/{assessment.pk}")
    assert qr.status == "in-progress"
    got = {i.linkId: i.answer[0] for i in qr.item}
    assert got["pain_level"].valueInteger == 3
    assert got["pain_relieved"].valueBoolean is False
    assert got["weight_loss"].valueCoding.code == "lt5"
    assert len(got) == 3


def test_outsiders_and_anonymous_get_404(pathway, coordinating_nurse, outsider, login, client):
    assessment = assessment_start(
        actor=coordinating_nurse, pathway=pathway, instrument_code="esas-r", respondent="patient"
    )
    url = f"/fhir/QuestionnaireResponse/{assessment.pk}"
    anonymous, _ = _read(client, url)
    assert anonymous.status_code == 404
    response, outcome = _read(login(outsider), url)
    assert response.status_code == 404
    assert outcome.issue[0].code == "not-found"
    assert AuditEntry.objects.filter(actor_id=outsider.pk, action="access.denied").exists()
    for unknown in ("999999", "abc"):
        missing, _ = _read(login(coordinating_nurse), f"/fhir/QuestionnaireResponse/{unknown}")
        assert missing.status_code == 404
