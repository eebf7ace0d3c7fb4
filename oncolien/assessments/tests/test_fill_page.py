"""The questionnaire pages, professional and patient alike: answers saved as they are
given, errors shown as sentences, questions numbered as shown, and the questionnaire
proposed first chosen by the instruments' data from the respondent and the phase."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from oncolien.assessments.engine import InstrumentError, validate_definition
from oncolien.assessments.models import Assessment, Respondent
from oncolien.assessments.selectors import default_instrument, instruments_in_use
from oncolien.assessments.services import (
    assessment_complete,
    assessment_save_answers,
    assessment_start,
    link_issue,
)
from oncolien.pathways.models import Pathway
from oncolien.reference.models import Phase

pytestmark = pytest.mark.django_db

PRO_DURING = "sos-screening-professional-during"
AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}


@pytest.fixture
def assessment(pathway, coordinating_nurse):
    return assessment_start(
        actor=coordinating_nurse,
        pathway=pathway,
        instrument_code=PRO_DURING,
        respondent="professional",
    )


@pytest.fixture
def patient_url(pathway, coordinating_nurse):
    issued = link_issue(
        actor=coordinating_nurse,
        pathway=pathway,
        instrument_code="sos-screening-patient-during",
        channel="print",
        build_url=lambda token: reverse("assessments:patient_fill", kwargs={"token": token}),
    )
    return issued.url


def fill_url(assessment):
    return reverse("assessments:fill", kwargs={"pk": assessment.pk})


def numbers(html: str) -> list[int]:
    """The numbers of the questions shown (not hidden), in page order."""
    shown = []
    for attributes, number in re.findall(
        r'<(?:fieldset|div) ([^>]*data-item="[^"]+"[^>]*)>\s*<(?:legend|label)[^>]*>'
        r'<span class="item-number">(\d*)\.?</span>',
        html,
    ):
        if " hidden" not in attributes:
            shown.append(int(number))
    return shown


def test_the_professional_page_saves_each_answer_in_the_background(
    assessment, coordinating_nurse, login
):
    response = login(coordinating_nurse).post(
        fill_url(assessment), {"pain_score": "4", "action": "save"}, **AUTOSAVE
    )
    assert response.status_code == 200
    reply = response.json()
    assert reply["saved"] is True
    # The follow-up on pain control is now asked: the page shows it at once.
    assert reply["enabled"][:3] == ["pain_score", "pain_uncontrolled", "weight_change"]
    assessment.refresh_from_db()
    assert assessment.answers == {"pain_score": 4}
    page = login(coordinating_nurse).get(fill_url(assessment)).content.decode()
    # The page loads the script (a static file: no inline script under the CSP) that
    # posts each change with the header the view answers in JSON.
    assert 'id="save-status"' in page and "/static/js/questionnaire-autosave.js" in page
    script = finders.find("js/questionnaire-autosave.js")
    assert script and '"X-Autosave": "1"' in Path(script).read_text()


def test_a_refused_background_save_changes_nothing_and_says_so(
    assessment, coordinating_nurse, login
):
    response = login(coordinating_nurse).post(
        fill_url(assessment), {"pain_score": "12", "action": "save"}, **AUTOSAVE
    )
    assert response.status_code == 400
    assert response.json() == {
        "saved": False,
        "errors": {"pain_score": "La réponse doit être un nombre entier de 0 à 10."},
        "general": [],
    }
    assessment.refresh_from_db()
    assert assessment.answers == {}


def test_a_missing_answer_is_a_sentence_on_the_professional_page(
    assessment, coordinating_nurse, login
):
    response = login(coordinating_nurse).post(
        fill_url(assessment), {"pain_score": "0", "action": "complete"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        '<p class="item-error" id="erreur-weight_change">Merci de répondre à cette question.</p>'
        in page
    )
    assert "[&#x27;" not in page and "['" not in page
    # What she gave before « Terminer » is kept.
    assessment.refresh_from_db()
    assert assessment.answers == {"pain_score": 0}


def test_a_missing_answer_is_a_sentence_on_the_patient_page(client, patient_url):
    response = client.post(patient_url, {"pain_level": "0", "action": "complete"})
    assert response.status_code == 400
    page = response.content.decode()
    assert ">Merci de répondre à cette question.</p>" in page
    assert "[&#x27;" not in page


def test_questions_are_numbered_as_shown(assessment, coordinating_nurse, login):
    client = login(coordinating_nurse)
    asked = len(assessment.instrument.definition["items"]) - 4  # four conditional questions
    page = client.get(fill_url(assessment)).content.decode()
    assert numbers(page) == list(range(1, asked + 1))
    client.post(fill_url(assessment), {"pain_score": "3", "has_carer": "yes", "action": "save"})
    page = client.get(fill_url(assessment)).content.decode()
    assert numbers(page) == list(range(1, asked + 3))
    assert '<span class="item-number">2.</span> La douleur est-elle insuffisamment' in page


def test_the_patient_page_is_numbered_as_shown(client, patient_url):
    page = client.get(patient_url).content.decode()
    asked = 23 - 7  # seven questions are asked only on an earlier answer
    assert numbers(page) == list(range(1, asked + 1))


# --- The questionnaire proposed first ----------------------------------------------------


def proposed(client, url: str) -> str:
    page = client.get(url).content.decode()
    found = re.search(r'<option value="([^"]+)" selected>', page)
    assert found, "no questionnaire proposed"
    return found.group(1)


def test_a_professional_is_proposed_the_professional_questionnaire_of_the_phase(
    pathway, coordinating_nurse, login
):
    client = login(coordinating_nurse)
    url = reverse("assessments:new", kwargs={"pathway_pk": pathway.pk})
    # A new pathway is at diagnosis: the questionnaire for during the treatments.
    assert proposed(client, url) == PRO_DURING
    page = client.get(url).content.decode()
    assert json.loads(
        re.search(r'id="default-instruments" type="application/json">(.*?)</script>', page).group(1)
    ) == {
        "professional": PRO_DURING,
        "patient": "sos-screening-patient-during",
        "relative": "sos-screening-patient-during",
    }
    Pathway.objects.filter(pk=pathway.pk).update(phase_override=Phase.AFTER_TREATMENT)
    assert proposed(client, url) == "sos-screening-professional-after"
    link_url = reverse("assessments:link_new", kwargs={"pathway_pk": pathway.pk})
    assert proposed(client, link_url) == "sos-screening-patient-after"
    response = client.post(url, {"instrument": PRO_DURING, "respondent": "professional"})
    assert response.status_code == 302
    assert Assessment.objects.get(pathway=pathway).instrument.code == PRO_DURING


def test_each_respondent_has_exactly_one_shipped_questionnaire_per_phase(instruments):
    shipped = instruments_in_use()
    for respondent in Respondent.values:
        for phase in Phase.values:
            claims = [
                v.code
                for v in shipped
                if respondent in v.definition.get("default_for", {}).get("respondents", [])
                and phase in v.definition["default_for"]["phases"]
            ]
            assert len(claims) == 1, (respondent, phase, claims)
            found = default_instrument(shipped, respondent=respondent, phase=phase)
            assert found.audience == ("professional" if respondent == "professional" else "patient")


def test_a_wrong_default_for_is_refused_in_french(instruments):
    definition = dict(instruments_in_use()[0].definition)
    definition["default_for"] = {"respondents": ["doctor"], "phases": ["treatment"]}
    with pytest.raises(InstrumentError) as refused:
        validate_definition(definition)
    assert refused.value.messages == [
        "« default_for » : « respondents » doit lister des valeurs parmi "
        "professional, patient, relative."
    ]


def test_a_post_on_a_finished_assessment_is_refused_with_its_reason(
    pathway, coordinating_nurse, login
):
    finished = assessment_start(
        actor=coordinating_nurse,
        pathway=pathway,
        instrument_code="distress-thermometer",
        respondent="professional",
    )
    assessment_save_answers(
        assessment=finished, answers={"distress": 2, "talk_wish": "no"}, actor=coordinating_nurse
    )
    assessment_complete(assessment=finished, actor=coordinating_nurse)
    client = login(coordinating_nurse)
    background = client.post(fill_url(finished), {"distress": "9", "action": "save"}, **AUTOSAVE)
    assert background.status_code == 400
    assert background.json()["general"] == [
        "Cette évaluation est terminée : elle ne peut plus être modifiée."
    ]
    button = client.post(fill_url(finished), {"distress": "9", "action": "save"})
    assert button.status_code == 400
    assert "Cette évaluation est terminée : elle ne peut plus être modifiée." in (
        button.content.decode()
    )
    finished.refresh_from_db()
    assert finished.answers == {"distress": 2, "talk_wish": "no"}
