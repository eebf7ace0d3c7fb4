"""Each shipped instrument scored on worked examples (expected levels written by hand)."""

import pytest

from oncolien.assessments.engine import clean_answers, score
from oncolien.assessments.services import latest_version

pytestmark = pytest.mark.django_db


def scored(code: str, answers: dict) -> dict:
    definition = latest_version(code).definition
    return score(definition, clean_answers(definition, answers))


PATIENT_DURING_NUTRITION = {
    "pain_level": 2,
    "pain_relieved": "yes",
    "weight_loss": "gte5",
    "eating_less": "half_or_less",
    "eating_troubles": ["taste"],
    "worry_level": 3,
    "psychologist_wish": "no",
    "social_difficulties": ["none"],
    "activity_level": "reduced",
    "fatigue_level": 5,
    "activity_wish": "no",
    "child_project": "not_concerned",
    "intimacy_effects": "no",
    "tobacco": "never",
    "alcohol": "sometimes",
    "has_carer": "yes",
    "carer_state": "sometimes",
    "carer_support_wish": "no",
}


def test_patient_during_weight_loss_makes_nutrition_a_priority(instruments):
    results = scored("sos-screening-patient-during", PATIENT_DURING_NUTRITION)
    assert results["needs"] == {
        "pain": "none",
        "nutrition": "priority",
        "psychological": "none",
        "social": "none",
        "physical_activity": "to_discuss",
        "fertility": "none",
        "sexual_health": "none",
        "healthy_lifestyle": "none",
        "carer_support": "to_discuss",
    }
    assert results["scores"] == []


def test_patient_during_covers_the_nine_basket_cares(instruments):
    answers = {
        **PATIENT_DURING_NUTRITION,
        "pain_level": 5,
        "pain_relieved": "no",  # moderate pain not relieved: priority
        "weight_loss": "none",
        "eating_less": "normal",
        "eating_troubles": [],
        "worry_level": 8,
        "social_difficulties": ["money", "work"],
        "social_worker_wish": "no",
        "activity_level": "very_reduced",
        "child_project": "maybe",
        "fertility_informed": "no",
        "intimacy_effects": "a_lot",
        "intimacy_talk_wish": "yes",
        "tobacco": "yes",
        "lifestyle_help_wish": "no",
        "carer_state": "yes",
    }
    assert scored("sos-screening-patient-during", answers)["needs"] == {
        "pain": "priority",
        "nutrition": "none",
        "psychological": "priority",
        "social": "to_discuss",
        "physical_activity": "priority",
        "fertility": "priority",
        "sexual_health": "priority",
        "healthy_lifestyle": "to_discuss",
        "carer_support": "priority",
    }


def test_patient_after_fear_of_relapse_and_return_to_work(instruments):
    answers = {
        "pain_level": 0,
        "weight_loss": "lt5",
        "eating_less": "normal",
        "worry_level": 6,
        "psychologist_wish": "no",
        "social_difficulties": ["work"],
        "social_worker_wish": "yes",
        "activity_level": "usual",
        "fatigue_level": 2,
        "activity_wish": "yes",
        "child_project": "no",
        "intimacy_effects": "a_bit",
        "intimacy_talk_wish": "no",
        "tobacco": "former",
        "alcohol": "daily",
        "lifestyle_help_wish": "yes",
        "has_carer": "no",
    }
    assert scored("sos-screening-patient-after", answers)["needs"] == {
        "pain": "none",
        "nutrition": "to_discuss",
        "psychological": "to_discuss",
        "social": "priority",
        "physical_activity": "to_discuss",
        "fertility": "none",
        "sexual_health": "to_discuss",
        "healthy_lifestyle": "priority",
        "carer_support": "none",
    }


def test_professional_during_visit(instruments):
    answers = {
        "pain_score": 6,
        "pain_uncontrolled": "yes",
        "weight_change": "lt5",
        "intake": "reduced",
        "psychological_state": "mild",
        "psychiatric_history": "yes",
        "social_situation": ["home_help"],
        "isolation": "yes",
        "performance_status": "2",
        "deconditioning": "no",
        "child_project": "not_concerned",
        "sexual_concern": "prefer_not",
        "tobacco": "never",
        "alcohol": "never",
        "has_carer": "no",
    }
    assert scored("sos-screening-professional-during", answers)["needs"] == {
        "pain": "priority",
        "nutrition": "to_discuss",
        "psychological": "priority",
        "social": "priority",
        "physical_activity": "to_discuss",
        "fertility": "none",
        "sexual_health": "none",
        "healthy_lifestyle": "none",
        "carer_support": "none",
    }


def test_professional_after_weight_gain_and_exhausted_carer(instruments):
    answers = {
        "pain_score": 3,
        "pain_uncontrolled": "no",
        "weight_change": "gain",
        "intake": "normal",
        "psychological_state": "none",
        "social_situation": ["none"],
        "isolation": "no",
        "performance_status": "1",
        "deconditioning": "yes",
        "child_project": "yes",
        "fertility_addressed": "yes",
        "sexual_concern": "a_bit",
        "tobacco": "yes",
        "alcohol": "sometimes",
        "addiction_support_wish": "no",
        "has_carer": "yes",
        "carer_state": "yes",
    }
    assert scored("sos-screening-professional-after", answers)["needs"] == {
        "pain": "none",
        "nutrition": "to_discuss",
        "psychological": "none",
        "social": "none",
        "physical_activity": "to_discuss",
        "fertility": "to_discuss",
        "sexual_health": "to_discuss",
        "healthy_lifestyle": "to_discuss",
        "carer_support": "priority",
    }


ESAS = {
    "pain": 7,
    "tiredness": 5,
    "drowsiness": 2,
    "nausea": 4,
    "appetite": 3,
    "shortness_of_breath": 0,
    "depression": 1,
    "anxiety": 6,
    "wellbeing": 4,
}


def test_esas_r_scores_and_needs(instruments):
    results = scored("esas-r", ESAS)
    assert results["scales"] == {"esas_total": 32, "esas_physical": 21, "esas_emotional": 7}
    assert results["needs"] == {
        "pain": "priority",
        "nutrition": "to_discuss",
        "psychological": "to_discuss",
        "physical_activity": "to_discuss",
    }
    assert {s["key"]: s["value"] for s in results["scores"]}["esas_pain"] == 7
    assert {s["kind"] for s in results["scores"]} == {"symptom"}
    assert len(results["scores"]) == 9


def test_distress_thermometer_with_problem_list(instruments):
    answers = {
        "distress": 5,
        "practical_problems": ["work", "transport"],
        "family_problems": ["partner"],
        "emotional_problems": [],
        "physical_problems": ["fatigue", "sexuality"],
        "talk_wish": "yes",
    }
    results = scored("distress-thermometer", answers)
    assert results["needs"] == {
        "psychological": "priority",
        "social": "to_discuss",
        "carer_support": "to_discuss",
        "pain": "none",
        "nutrition": "none",
        "physical_activity": "to_discuss",
        "sexual_health": "to_discuss",
    }
    assert results["scales"] == {"distress_score": 5}
    assert results["scores"] == [
        {
            "key": "distress_thermometer",
            "label": "Thermomètre de détresse",
            "kind": "distress",
            "value": 5,
        }
    ]


def test_distress_below_four_without_problems_is_no_need(instruments):
    results = scored("distress-thermometer", {"distress": 3, "talk_wish": "no"})
    assert set(results["needs"].values()) == {"none"}
