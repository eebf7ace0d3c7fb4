"""Regional staff import the register of the region's CPTS: a file with a bad row is
refused whole with every row's verdict, the corrected file creates the register; the
demo register is marked fictitious (headless Chromium; axe-core checks every page)."""

import pytest

from oncolien.accounts.demo import load_demo_accounts
from oncolien.surveys.demo_register import load_demo_register
from oncolien.surveys.models import CptsRegister
from oncolien.tables import csv_bytes
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = [
    "Nom",
    "Département",
    "Date de signature de l'ACI",
    "Communes (codes INSEE)",
    "Population déclarée",
]


def _upload(page, rows, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(csv_bytes([HEADINGS, *rows]))
    page.get_by_label("Intitulé du registre").fill("Registre des CPTS d'Occitanie, 2026")
    page.get_by_label("Fichier du registre (.csv ou .xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Vérifier et importer").click()


def test_regional_staff_import_a_register_after_correcting_a_bad_row(
    live_server, page, base_data, tmp_path
):
    load_demo_accounts()
    load_demo_register()
    log_in(page, live_server, "regional.occitanie")
    page.goto(f"{live_server.url}/enquetes/registres/")
    page.get_by_text("fictif (démonstration)").first.wait_for()
    page.get_by_role("link", name="Importer un registre").click()

    rows = [
        ["CPTS du Causse", "12", "01/12/2020", "12096, 12033", ""],
        ["CPTS du Piémont", "99", "15/03/2022", "", "45000"],
    ]
    _upload(page, rows, tmp_path, "registre.csv")
    main = page.locator("main")
    main.get_by_text("1 ligne(s) en erreur sur 2").wait_for()
    assert "Département inconnu : « 99 »" in main.inner_text()
    assert CptsRegister.objects.count() == 1  # the demo register only

    rows[1][1] = "09"
    _upload(page, rows, tmp_path, "registre-corrige.csv")
    page.get_by_role("heading", level=1, name="Registre des CPTS d'Occitanie, 2026").wait_for()
    text = page.locator("main").inner_text()
    assert "09 - Ariège" in text and "45\u202f000 (déclarée)" in text and "Taille 2" in text
    assert "Registre fictif" not in text

    page.goto(f"{live_server.url}/enquetes/registres/")
    page.get_by_role("link", name="Registre fictif des CPTS d'Occitanie (démonstration)").click()
    page.get_by_text("Registre fictif (démonstration)").first.wait_for()
    assert "Les 86 CPTS du registre (fictives)" in page.locator("main").inner_text()
