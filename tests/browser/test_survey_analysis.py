"""Regional staff read a survey's results: « n sur N » beside every share, a filter
(« only those who know SOS ») stated above the tables, a cross-tab by maturity, and the
PDF report downloaded in one click (headless Chromium against a live server; axe-core
checks every page loaded)."""

import re
from pathlib import Path

import pytest

from oncolien.accounts.demo import load_demo_accounts
from oncolien.surveys.tests import analysis_data
from tests.browser.login import log_in
from tests.pdf import flat_pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_regional_staff_filter_cross_and_download_the_report(live_server, page, base_data):
    load_demo_accounts()
    survey = analysis_data.build()
    log_in(page, live_server, "regional.occitanie", with_device=True)

    page.goto(f"{live_server.url}/enquetes/{survey.pk}/resultats/")
    phases = page.locator("#question-trois_phases")
    assert "6 sur 32 (19\u202f%)" in phases.inner_text()
    assert "6 sur 19 (32\u202f%)" in phases.inner_text()

    page.get_by_role("group", name="Connaissez-vous les SOS ?").get_by_label("Oui").check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    statement = "Filtre : Connaissez-vous les SOS ? = Oui — 19 répondants sur 32"
    assert statement in page.locator("#question-trois_phases").inner_text()

    page.get_by_label("Question", exact=True).select_option("trois_phases")
    page.get_by_label("selon").select_option("maturite")
    page.get_by_role("button", name="Croiser").click()
    table = page.get_by_role("table", name=re.compile("selon : Ancienneté"))
    assert "< 1 an" in table.inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile("Demander le rapport PDF")).click()
    download = download_info.value
    assert download.suggested_filename == f"enquete-{survey.code}.pdf"
    text = flat_pdf_text(Path(download.path()).read_bytes()).replace("\u202f", " ")
    assert statement in text and "6 sur 19 (32 %)" in text
