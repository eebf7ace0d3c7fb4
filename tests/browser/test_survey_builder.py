"""Regional staff build a survey in the browser: from the SOS 2025 template, a
conditional question added, an impossible condition refused, the preview read
(headless Chromium; axe-core checks every page)."""

import re

import pytest

from oncolien.accounts.demo import load_demo_accounts
from oncolien.surveys import services
from oncolien.surveys.models import Survey
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_regional_staff_build_a_survey_from_the_sos_template(live_server, page, base_data):
    load_demo_accounts()
    log_in(page, live_server, "regional.occitanie")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=re.compile("Enquêtes régionales")).click()
    page.get_by_role("heading", level=1, name="Enquêtes régionales").wait_for()
    page.get_by_role("link", name="Créer une enquête").click()
    page.get_by_label("Code de l'enquête").fill("sos-2026")
    page.get_by_label("Questionnaire de départ").select_option(value="sos-2025")
    page.get_by_role("button", name="Créer l'enquête").click()
    page.get_by_text("Enquête créée.").wait_for()
    survey = Survey.objects.get(code="sos-2026")

    # A question shown only to those who have not engaged actions.
    section = page.locator("#section-attentes")
    section.get_by_role("link", name="Ajouter une question").click()
    page.get_by_label("Type de question").select_option(label="Choix unique")
    page.get_by_label("Intitulé").fill("Souhaitez-vous être accompagnés ?")
    page.get_by_label("Choix (choix unique").fill("Oui, rapidement\nPlus tard")
    page.get_by_label("Afficher seulement si la question").select_option(value="actions_engagees")
    page.get_by_label("a pour réponse").fill("sans objet")
    page.get_by_role("button", name="Enregistrer la question").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "la condition attend « sans objet »" in alert.inner_text()
    assert "souhaitez" not in str(services.latest_version(survey).definition)

    page.get_by_label("a pour réponse").fill("Non")
    page.get_by_role("button", name="Enregistrer la question").click()
    page.get_by_text("Questionnaire enregistré (version 1).").wait_for()
    added = page.locator("#question-souhaitez-vous-etre-accompagnes")
    assert "Affichée si « actions_engagees » a pour réponse : Non" in added.inner_text()

    page.get_by_role("link", name="Aperçu du questionnaire").click()
    page.get_by_role("heading", level=1, name=re.compile("Enquête Guichet CPTS")).wait_for()
    main = page.locator("main").inner_text()
    assert "Connaissez-vous les soins oncologiques de support (SOS) ?" in main
    assert "Souhaitez-vous être accompagnés ?" in main
