"""Validation of instrument files and of answers; conditional and required items."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError

from oncolien.assessments.engine import (
    InstrumentError,
    clean_answers,
    missing_required,
    validate_definition,
)
from oncolien.assessments.loader import DATA_DIR

DEFINITION = {
    "code": "mini",
    "version": "1",
    "title": "Mini",
    "audience": "patient",
    "phase": "any",
    "sources": [{"title": "Test"}],
    "items": [
        {"id": "smoker", "type": "yes_no", "text": "Fumez-vous ?", "required": True},
        {
            "id": "help",
            "type": "yes_no",
            "text": "Aide ?",
            "required": True,
            "enable_when": {"item": "smoker", "equals": "yes"},
        },
        {"id": "pain", "type": "scale_0_10", "text": "Douleur", "required": False},
        {
            "id": "topics",
            "type": "multiple_choice",
            "text": "Sujets",
            "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
        },
        {"id": "note", "type": "text", "text": "Remarque"},
    ],
    "scoring": {
        "needs": [
            {"care_type": "healthy_lifestyle", "priority_if": [{"item": "help", "equals": "yes"}]}
        ],
        "scales": [{"key": "p", "label": "Douleur", "sum_of": ["pain"]}],
    },
}
CARE_TYPES = {"healthy_lifestyle", "pain"}


def test_shipped_files_are_valid():
    for path in DATA_DIR.glob("*.json"):
        validate_definition(
            json.loads(path.read_text()),
            care_types=CARE_TYPES
            | {
                "nutrition",
                "psychological",
                "social",
                "physical_activity",
                "fertility",
                "sexual_health",
                "carer_support",
            },
        )


def test_an_invalid_file_lists_every_problem_in_french():
    broken = copy.deepcopy(DEFINITION)
    broken["sources"] = []
    broken["items"][1]["enable_when"] = {"item": "unknown", "equals": "yes"}
    broken["items"][2]["score"] = {"key": "p", "label": "P", "kind": "mood"}
    broken["items"][3]["options"] = []
    broken["scoring"]["needs"][0]["care_type"] = "astrologie"
    with pytest.raises(InstrumentError) as raised:
        validate_definition(broken, care_types=CARE_TYPES)
    text = "\n".join(raised.value.messages)
    assert "au moins une source citée" in text
    assert "la question « unknown » n'existe pas" in text
    assert "score.kind" in text
    assert "Question « topics »" in text
    assert "type de soin inconnu du référentiel" in text


def test_a_condition_on_a_later_item_is_refused():
    broken = copy.deepcopy(DEFINITION)
    broken["items"][0]["enable_when"] = {"item": "pain", "gte": 3}
    with pytest.raises(InstrumentError, match="doit précéder"):
        validate_definition(broken, care_types=CARE_TYPES)


@pytest.mark.parametrize(
    "answers, item, message",
    [
        ({"pain": 11}, "pain", "nombre entier de 0 à 10"),
        ({"pain": 3.5}, "pain", "nombre entier de 0 à 10"),
        ({"pain": True}, "pain", "nombre entier de 0 à 10"),
        ({"smoker": "peut-être"}, "smoker", "oui ou par non"),
        ({"topics": ["a", "z"]}, "topics", "parmi les réponses proposées"),
        ({"ghost": "x"}, "ghost", "n'existe pas"),
    ],
)
def test_impossible_answers_are_refused(answers, item, message):
    with pytest.raises(ValidationError) as raised:
        clean_answers(DEFINITION, answers)
    assert message in raised.value.message_dict[item][0]


def test_answers_are_stored_in_their_typed_form():
    cleaned = clean_answers(
        DEFINITION, {"smoker": "no", "pain": "7", "topics": ["b", "a", "b"], "note": "  ok "}
    )
    assert cleaned == {"smoker": "no", "pain": 7, "topics": ["a", "b"], "note": "ok"}


def test_a_disabled_item_is_dropped_and_not_required():
    answers = clean_answers(DEFINITION, {"smoker": "yes", "help": "yes"})
    assert answers == {"smoker": "yes", "help": "yes"}
    answers = clean_answers(DEFINITION, {"smoker": "no"}, previous=answers)
    assert answers == {"smoker": "no"}
    assert missing_required(DEFINITION, answers) == {}


def test_an_enabled_required_item_is_missing_until_answered():
    answers = clean_answers(DEFINITION, {"smoker": "yes"})
    assert missing_required(DEFINITION, answers) == {"help": "Merci de répondre à cette question."}
    assert missing_required(DEFINITION, {}) == {"smoker": "Merci de répondre à cette question."}


def test_an_empty_value_takes_an_answer_back():
    answers = clean_answers(DEFINITION, {"pain": 4, "note": "x"})
    assert clean_answers(DEFINITION, {"pain": "", "note": ""}, previous=answers) == {}
