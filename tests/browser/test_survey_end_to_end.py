"""A regional survey end to end, as the issue walks it: regional staff build a short
survey with a conditional question in the browser and send a personal link; a CPTS
contact answers it on a phone; the analyst reads « n sur N » and downloads the PDF
report (headless Chromium against a live server; axe-core checks every page loaded)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from oncolien.accounts.demo import load_demo_accounts
from oncolien.surveys.models import CptsRegister, CptsRegisterEntry, Response, Survey
from tests.axe import AxeChecker
from tests.browser.login import log_in
from tests.pdf import flat_pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def add_question(page, section: str, kind: str, label: str, **more):
    page.locator(f"#section-{section}").get_by_role("link", name="Ajouter une question").click()
    page.get_by_label("Type de question").select_option(label=kind)
    page.get_by_label("Intitulé").fill(label)
    page.get_by_label("Réponse obligatoire").check()
    if "choices" in more:
        page.get_by_label("Choix (choix unique").fill(more["choices"])
    if "condition" in more:
        question, value = more["condition"]
        page.get_by_label("Afficher seulement si la question").select_option(value=question)
        page.get_by_label("a pour réponse").fill(value)
    page.get_by_role("button", name="Enregistrer la question").click()
    page.get_by_text(re.compile(r"Questionnaire enregistré")).wait_for()


def test_a_survey_built_sent_answered_on_a_phone_and_analysed(
    live_server, page, browser, base_data
):
    load_demo_accounts()
    register = CptsRegister.objects.create(title="Registre des CPTS (test)", region="Occitanie")
    CptsRegisterEntry.objects.create(
        register=register, name="CPTS Nord Aveyron", department="12", size_class=1
    )
    log_in(page, live_server, "regional.occitanie", with_device=True)

    # 1. Build: a blank survey, one section, a yes / no question and one shown only
    # to those who answered « Oui ».
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=re.compile("Enquêtes régionales")).click()
    page.get_by_role("link", name="Créer une enquête").click()
    page.get_by_label("Code de l'enquête").fill("courte-2026")
    page.locator("#id_title").fill("Enquête courte 2026")
    today = timezone.localdate()
    page.get_by_label("Ouverture").fill(today.isoformat())
    page.get_by_label("Clôture").fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Créer l'enquête").click()
    page.get_by_text("Enquête créée.").wait_for()
    survey = Survey.objects.get(code="courte-2026")

    page.get_by_role("link", name="Ajouter une section").click()
    page.get_by_label("Titre de la section").fill("Connaissance")
    page.get_by_role("button", name="Enregistrer la section").click()
    page.get_by_text(re.compile(r"Questionnaire enregistré")).wait_for()
    section = page.locator("section[id^=section-]").first.get_attribute("id")
    section_code = section.removeprefix("section-")
    add_question(page, section_code, "Oui / non / ne sait pas", "Connaissez-vous les SOS ?")
    add_question(
        page,
        section_code,
        "Choix unique",
        "Les SOS peuvent-ils être proposés aux trois temps du parcours ?",
        choices="Oui\nNon",
        condition=("connaissez-vous-les-sos", "Oui"),
    )

    page.get_by_role("link", name=re.compile("Paramètres")).click()
    page.get_by_label("Registre des CPTS de référence").select_option(label=register.title)
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("button", name="Ouvrir l'enquête").click()
    page.get_by_text(re.compile("Enquête ouverte")).wait_for()

    # 2. Send a personal link to the CPTS's contact.
    page.get_by_role("link", name=re.compile("Diffusion : liens personnels")).click()
    page.get_by_role("combobox", name=re.compile("^CPTS")).select_option(label="CPTS Nord Aveyron")
    page.get_by_label("Adresse électronique").fill("claire@cpts.test")
    page.get_by_role("button", name="Créer et envoyer le lien personnel").click()
    page.get_by_text("claire@cpts.test").first.wait_for()
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/enquetes/r/\S+/", message.body).group(0)

    # 3. The contact answers on a phone (its own browser, no account): « Oui » opens
    # the conditional question.
    phone = browser.new_context(**PHONE)
    mobile = phone.new_page()
    axe = AxeChecker(mobile)
    mobile.on("load", lambda _page: axe.check())
    mobile.goto(link.replace("http://testserver", live_server.url))
    mobile.get_by_text("Vous répondez pour la CPTS Nord Aveyron.").wait_for()
    mobile.get_by_label("Équipe de coordination (salarié·e)").check()
    mobile.get_by_role("button", name="Commencer").click()
    mobile.get_by_role("group", name=re.compile("Connaissez-vous les SOS")).get_by_label(
        "Oui"
    ).check()
    mobile.get_by_role("button", name="Enregistrer et continuer", exact=True).click()
    if mobile.get_by_role("heading", level=1, name="Relire mes réponses").count() == 0:
        mobile.get_by_role("group", name=re.compile("trois temps")).get_by_label("Oui").check()
        mobile.get_by_role("button", name="Enregistrer et continuer", exact=True).click()
    mobile.get_by_role("heading", level=1, name="Relire mes réponses").wait_for()
    mobile.get_by_role("button", name="Envoyer mes réponses").click()
    mobile.get_by_text("Merci, vos réponses ont été enregistrées le").wait_for()
    axe.finish()
    assert axe.checked and not axe.violations, axe.report()
    phone.close()
    response = Response.objects.get(survey=survey)
    assert response.status == "submitted" and len(response.answers) == 2

    # 4. The analyst reads « n sur N » and downloads the PDF report.
    page.goto(f"{live_server.url}/enquetes/{survey.pk}/")
    page.get_by_role("link", name=re.compile("Résultats : tableaux")).click()
    results = page.locator("main").inner_text().replace("\u202f", " ")
    assert "1 sur 1 (100 %)" in results
    assert "Représentativité des répondants" in results
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile("Demander le rapport PDF")).click()
    text = flat_pdf_text(Path(download_info.value.path()).read_bytes()).replace("\u202f", " ")
    assert "Enquête courte 2026" in text and "1 sur 1 (100 %)" in text
