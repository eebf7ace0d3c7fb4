"""The SOS needs screening raises a pain alert, by the rules of its own file: pain
7/10 or more, or pain the patient says is not relieved (as ESAS-r pain ≥ 7 does)."""

import pytest

from oncolien.assessments import engine
from oncolien.assessments.models import InstrumentVersion
from oncolien.assessments.services import (
    assessment_complete,
    assessment_save_answers,
    assessment_start,
)
from oncolien.pathways.models import Alert

pytestmark = pytest.mark.django_db

NEUTRAL = {"pain_relieved": "yes"}


def _answers(definition: dict, **chosen) -> dict:
    """A patient's complete answers: the values chosen, a quiet answer elsewhere."""
    answers = dict(chosen)
    for item in definition["items"]:
        if item["id"] in answers or not item.get("required"):
            continue
        if item["id"] in NEUTRAL:
            answers[item["id"]] = NEUTRAL[item["id"]]
        elif item["type"] == "scale_0_10":
            answers[item["id"]] = 0
        elif item["type"] == "yes_no":
            answers[item["id"]] = "no"
        elif item["type"] == "single_choice":
            answers[item["id"]] = item["options"][-1]["value"]
        elif item["type"] == "multiple_choice":
            answers[item["id"]] = [item["options"][-1]["value"]]
    return answers


def _patient_answers(actor, pathway, code: str, **chosen):
    assessment = assessment_start(
        actor=actor, pathway=pathway, instrument_code=code, respondent="patient"
    )
    definition = assessment.instrument.definition
    answers = {
        k: v
        for k, v in _answers(definition, **chosen).items()
        if k in engine.enabled_ids(definition, _answers(definition, **chosen))
    }
    assessment_save_answers(assessment=assessment, answers=answers, actor=actor)
    return assessment_complete(assessment=assessment, actor=actor)


@pytest.mark.parametrize("code", ["sos-screening-patient-during", "sos-screening-patient-after"])
@pytest.mark.parametrize(
    "chosen, alerts",
    [
        ({"pain_level": 6, "pain_relieved": "yes"}, 0),
        ({"pain_level": 7, "pain_relieved": "yes"}, 1),
        ({"pain_level": 3, "pain_relieved": "no"}, 1),
        ({"pain_level": 9, "pain_relieved": "no"}, 1),
        ({"pain_level": 0}, 0),
    ],
)
def test_the_sos_screening_raises_one_pain_alert_from_seven_or_not_relieved(
    pathway, coordinating_nurse, code, chosen, alerts
):
    assessment = _patient_answers(coordinating_nurse, pathway, code, **chosen)
    raised = Alert.objects.filter(pathway=pathway, rule="sos_pain")
    assert raised.count() == alerts
    if alerts:
        alert = raised.get()
        assert alert.severity == "high"
        assert alert.source == f"assessment:{assessment.pk}"
        assert "douleur forte (7/10 ou plus) ou non soulagée" in alert.message


def test_the_pain_alert_is_in_the_instrument_file_not_in_code(instruments):
    definition = (
        InstrumentVersion.objects.filter(code="sos-screening-patient-during")
        .latest("loaded_at")
        .definition
    )
    assert [rule["rule"] for rule in definition["scoring"]["alerts"]] == ["sos_pain"]


def test_an_alert_rule_without_conditions_is_refused_in_french(instruments):
    definition = (
        InstrumentVersion.objects.filter(code="sos-screening-patient-during")
        .latest("loaded_at")
        .definition
    )
    broken = {
        **definition,
        "scoring": {**definition["scoring"], "alerts": [{"rule": "sos_pain", "message": "x"}]},
    }
    with pytest.raises(engine.InstrumentError) as error:
        engine.validate_definition(broken)
    assert "« when_any » doit être une liste non vide de conditions" in str(error.value.messages)
