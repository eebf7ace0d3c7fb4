"""A visitor tells the CPTS's action through « Parlez-nous de vos actions », regional
staff review and publish it, the public list finds it by theme, and its radar is
compared with a demo practice's (headless Chromium; axe-core checks every page)."""

import re

import pytest

from oncolien.accounts.demo import load_demo_accounts
from oncolien.practices.demo import load_demo_practices
from oncolien.practices.models import Practice, Status
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Un café-rencontre des aidants à Espalion"


def test_a_proposed_practice_is_reviewed_published_found_and_compared(live_server, page, base_data):
    load_demo_accounts()
    load_demo_practices()

    # A visitor, without an account, tells the action.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Lire les retours d'expérience").click()
    page.get_by_role("heading", level=1, name="Retours d'expérience des CPTS").wait_for()
    page.get_by_role("link", name="Parlez-nous de vos actions").click()
    page.get_by_label("La CPTS qui mène l'action").select_option(label="CPTS Nord Aveyron")
    page.get_by_label("Titre de l'action").fill(TITLE)
    page.get_by_label("Soutien psychologique des proches et des aidants").check()
    page.get_by_label("L'action en bref").fill("Un après-midi par mois, les aidants se retrouvent.")
    page.get_by_label("Chiffres clés").fill("12 : aidants venus la première année")
    page.get_by_role("button", name="Envoyer l'action").click()
    page.get_by_role("heading", level=1, name="Merci pour votre action").wait_for()
    practice = Practice.objects.get(title=TITLE)
    assert practice.status == Status.SUBMITTED

    # Not public yet.
    page.goto(f"{live_server.url}/pratiques/?theme=carer_support")
    assert TITLE not in page.locator("main").inner_text()

    # Regional staff review it, then publish it.
    log_in(page, live_server, "regional.occitanie")
    page.get_by_role("link", name="Retours d'expérience (rédiger, relire)").click()
    page.get_by_role("link", name=f"Relire « {TITLE} »").click()
    page.get_by_role("heading", level=1, name=re.compile("Relire")).wait_for()
    assert "12 aidants venus la première année" in page.locator("main").inner_text()
    page.get_by_label("Publier").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_role("heading", level=1, name=TITLE).wait_for()
    practice.refresh_from_db()
    assert practice.status == Status.PUBLISHED

    # The public list finds it by its theme.
    page.goto(f"{live_server.url}/pratiques/")
    page.get_by_label("Soin de support").select_option(
        label="Soutien psychologique des proches et des aidants"
    )
    page.get_by_role("button", name="Rechercher").click()
    main = page.locator("main")
    main.get_by_role("link", name=TITLE).wait_for()
    assert "La coordination en cancérologie" not in main.inner_text()

    # Its radar beside a demo practice's.
    page.get_by_role("link", name="Comparer les radars de plusieurs actions").click()
    page.get_by_label(re.compile(re.escape(TITLE))).check()
    page.get_by_label(re.compile("La coordination en cancérologie")).check()
    page.get_by_role("button", name="Comparer").click()
    page.get_by_role("heading", level=2, name="Les radars côte à côte").wait_for()
    table = page.get_by_role("table", name=re.compile("Radars des actions comparées"))
    assert table.get_by_role("row", name=re.compile("Délai")).inner_text().count("non évalué") == 2
