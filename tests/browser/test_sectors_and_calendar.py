"""The coordinator's sectors, the intake that proposes the nurse of the patient's
sector with each nurse's workload, and the public calendar with its feeds, in a real
Chromium (axe-core checks every page)."""

import re

import pytest

from oncolien.accounts.demo import load_demo_accounts
from oncolien.pathways.models import CareTeamRole, Pathway
from oncolien.sectors.demo import load_demo_sectors
from oncolien.trainings.demo import load_demo_trainings
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_public_calendar_needs_no_account(live_server, page, base_data):
    load_demo_accounts()
    load_demo_trainings()
    page.goto(f"{live_server.url}/agenda/")
    page.get_by_role("heading", level=1, name="Agenda des formations et événements").wait_for()
    main = page.locator("main")
    assert "Jeudi Onco-Occitanie" in main.inner_text()
    assert "(heure de Paris)" in main.inner_text()
    # The private meeting of the CPTS's nurses is not on the public page.
    assert "Réunion des infirmières coordinatrices" not in main.inner_text()
    page.get_by_label("CPTS").select_option(label="CPTS Nord Aveyron")
    page.get_by_role("button", name="Afficher").click()
    page.get_by_role("heading", name="Prochains événements de la CPTS Nord Aveyron").wait_for()
    assert page.get_by_role("link", name=re.compile(r"Agenda de la CPTS Nord Aveyron \(\.ics\)"))


def test_sectors_and_the_intake_proposal(live_server, page, base_data, settings):
    settings.ONCOLIEN_REQUIRE_2FA = False
    load_demo_accounts()
    load_demo_sectors()
    log_in(page, live_server, "coordination.nord-aveyron")

    page.goto(f"{live_server.url}/secteurs/")
    page.get_by_role("heading", level=1, name="Secteurs de la CPTS Nord Aveyron").wait_for()
    assert page.get_by_role("heading", level=2, name="Aubrac").is_visible()
    page.get_by_role("link", name=re.compile(r"communes? sans secteur")).click()
    page.get_by_role("heading", level=1, name=re.compile("Communes sans secteur")).wait_for()
    assert "Entraygues-sur-Truyère" in page.locator("main").inner_text()

    page.goto(f"{live_server.url}/parcours/nouveau/")
    page.get_by_label("Commune de résidence").fill("Laguiole")
    page.get_by_label("Canal d'entrée").select_option(label="Ligne téléphonique dédiée")
    page.get_by_role("button", name="Vérifier la commune").click()
    proposal = page.get_by_role("group", name="Infirmier·ère de coordination")
    proposal.wait_for()
    assert "Laguiole est dans le secteur « Aubrac »" in proposal.inner_text()
    first = proposal.get_by_role("radio").first
    assert first.is_checked()
    assert re.search(
        r"Hélène Fabre \(fictive\) \(secteur « Aubrac »\) — 0 parcours ouvert, 0 alerte",
        proposal.inner_text(),
    )
    page.get_by_label(re.compile(r"^Nom\b")).fill("Bernard")
    page.get_by_label("Prénom").fill("Lucie")
    page.get_by_label("Date de naissance").fill("1961-05-20")
    page.get_by_label("Sexe").select_option(label="Femme")
    page.get_by_role("button", name="Créer le parcours").click()
    page.get_by_role("heading", level=2, name="Infirmier·ère de coordination").wait_for()
    assert "Parcours coordonné par Hélène Fabre (fictive)" in page.locator("main").inner_text()
    pathway = Pathway.objects.get(patient__last_name="Bernard")
    assert pathway.care_team.get(
        role=CareTeamRole.COORDINATING_NURSE, active=True
    ).user.username == ("idec2.nord-aveyron")
