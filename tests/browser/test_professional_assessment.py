"""The coordinating nurse fills the professional needs assessment during a visit, in a
real Chromium: conditional questions appear as she answers, each answer is saved as
she goes, errors are sentences and the questions are numbered 1, 2, 3… as shown.
axe-core checks every page she sees.
"""

import re

import pytest

from oncolien.assessments.loader import load_instruments
from oncolien.assessments.models import Assessment
from oncolien.assessments.services import (
    assessment_complete,
    assessment_save_answers,
    assessment_start,
)
from oncolien.pathways.tests.factories import make_pathway
from tests.browser.autosave import background_save
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAIN = "Douleur (EVA ou EN) : intensité maximale sur les 7 derniers jours"
UNCONTROLLED = "La douleur est-elle insuffisamment contrôlée par le traitement en cours ?"
WEIGHT = "Perte de poids involontaire depuis le début des traitements"
INTAKE = "Apports alimentaires estimés"


def question(page, text: str):
    return page.get_by_role("group", name=text)


def choose(page, text: str, answer: str) -> None:
    question(page, text).get_by_label(answer, exact=True).check()


def shown_numbers(page) -> list[int]:
    """The numbers in front of the questions a person sees, in page order."""
    titles = page.locator(
        "#questionnaire [data-item]:visible > legend, #questionnaire [data-item]:visible > label"
    ).all_inner_texts()
    numbers = []
    for title in titles:
        match = re.match(r"\s*(\d+)\.", title)
        assert match, f"question without a number: {title!r}"
        numbers.append(int(match.group(1)))
    return numbers


def test_a_nurse_fills_the_professional_assessment_as_she_goes(
    live_server, page, settings, coordinating_nurse
):
    # 2FA has its own browser test; here the nurse logs in with her password only.
    settings.ONCOLIEN_REQUIRE_2FA = False
    load_instruments()
    pathway = make_pathway(actor=coordinating_nurse)

    page.goto(f"{live_server.url}/compte/connexion/")
    assert_accessible(page)
    page.get_by_label("Identifiant").fill(coordinating_nurse.username)
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test-42")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Votre travail").wait_for()

    page.goto(f"{live_server.url}/parcours/{pathway.pk}/")
    page.get_by_role("link", name="Nouvelle évaluation", exact=True).click()
    page.get_by_role("heading", name="Nouvelle évaluation des besoins").wait_for()
    assert_accessible(page)
    # Filled by the professional, at diagnosis: the professional questionnaire is proposed.
    chosen = page.get_by_label("Questionnaire").locator("option:checked").inner_text()
    assert "questionnaire professionnel (pendant les traitements)" in chosen
    # Filled by the patient with her: the self-assessment of that phase; and back.
    instrument = page.get_by_label("Questionnaire")
    page.get_by_label("Rempli par").select_option(label="Patient")
    assert "auto-questionnaire (pendant" in instrument.locator("option:checked").inner_text()
    page.get_by_label("Rempli par").select_option(label="Professionnel·le")
    assert "professionnel (pendant" in instrument.locator("option:checked").inner_text()
    page.get_by_role("button", name="Commencer l'évaluation").click()
    page.get_by_role("heading", level=1, name="questionnaire professionnel").wait_for()
    assert_accessible(page)
    assessment = Assessment.objects.get(pathway=pathway)

    # The question on pain control is asked once some pain is reported, before « Terminer ».
    assert question(page, UNCONTROLLED).is_hidden()
    assert shown_numbers(page) == list(range(1, len(shown_numbers(page)) + 1))
    before = len(shown_numbers(page))
    with background_save(page, "pain_score", "4"):
        choose(page, PAIN, "4")
    question(page, UNCONTROLLED).wait_for(state="visible")
    assert shown_numbers(page) == list(range(1, before + 2))
    assert question(page, UNCONTROLLED).locator("legend").inner_text().startswith("2.")
    assert question(page, WEIGHT).locator("legend").inner_text().startswith("3.")
    assert_accessible(page)

    with background_save(page, "pain_uncontrolled", "yes"):
        choose(page, UNCONTROLLED, "Oui")
    with background_save(page, "weight_change", "lt5"):
        choose(page, WEIGHT, "Perte de moins de 5 %")
    page.get_by_text("Réponses enregistrées.").wait_for()
    assessment.refresh_from_db()
    assert assessment.answers == {
        "pain_score": 4,
        "pain_uncontrolled": "yes",
        "weight_change": "lt5",
    }

    # She reloads the page mid-way: her answers are there, the conditional question too.
    page.reload()
    assert question(page, PAIN).get_by_label("4", exact=True).is_checked()
    assert question(page, UNCONTROLLED).get_by_label("Oui", exact=True).is_checked()
    assert question(page, WEIGHT).get_by_label("Perte de moins de 5 %").is_checked()

    # Taking back the pain hides its follow-up again, and the numbers close up.
    with background_save(page, "pain_score", "0"):
        choose(page, PAIN, "0")
    question(page, UNCONTROLLED).wait_for(state="hidden")
    assert shown_numbers(page) == list(range(1, before + 1))

    # « Terminer » with questions left: a French sentence next to each of them.
    page.get_by_role("button", name="Terminer l'évaluation").click()
    page.get_by_role("alert").wait_for()
    intake = question(page, INTAKE)
    assert intake.get_by_text("Merci de répondre à cette question.", exact=True).is_visible()
    assert "['" not in page.locator("main").inner_text()
    assert shown_numbers(page) == list(range(1, before + 1))
    assert_accessible(page)
    assessment.refresh_from_db()
    assert assessment.status == "draft"
    assert assessment.answers["weight_change"] == "lt5"


def test_a_save_refused_because_a_colleague_finished_says_so(
    live_server, page, settings, coordinating_nurse
):
    settings.ONCOLIEN_REQUIRE_2FA = False
    load_instruments()
    pathway = make_pathway(actor=coordinating_nurse)
    assessment = assessment_start(
        actor=coordinating_nurse,
        pathway=pathway,
        instrument_code="distress-thermometer",
        respondent="professional",
    )
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Identifiant").fill(coordinating_nurse.username)
    page.get_by_label("Mot de passe").fill("mot-de-passe-de-test-42")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Votre travail").wait_for()
    page.goto(f"{live_server.url}/evaluations/{assessment.pk}/")
    page.get_by_role("heading", level=1, name="Thermomètre de détresse").wait_for()

    # Meanwhile the assessment is finished from another device.
    assessment_save_answers(
        assessment=assessment,
        answers={"distress": 2, "talk_wish": "no"},
        actor=coordinating_nurse,
    )
    assessment_complete(assessment=assessment, actor=coordinating_nurse)

    with background_save(page, "physical_problems", "pain"):
        choose(page, "Problèmes physiques", "Douleur")
    page.get_by_text(
        "Réponses non enregistrées : Cette évaluation est terminée : "
        "elle ne peut plus être modifiée."
    ).wait_for()
    assert not page.get_by_text("Réponses enregistrées.", exact=True).is_visible()
    assert_accessible(page)
    assessment.refresh_from_db()
    assert "physical_problems" not in assessment.answers
