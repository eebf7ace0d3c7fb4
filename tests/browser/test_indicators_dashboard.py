"""A coordinator opens her CPTS's indicators, changes the period and downloads the XLSX
(headless Chromium against a live server; axe-core checks every page loaded)."""

import io
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from oncolien.accounts.demo import load_demo_accounts
from oncolien.accounts.models import User
from oncolien.indicators import periods
from oncolien.pathways.models import Visit
from oncolien.pathways.tests.factories import make_pathway
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_reads_changes_the_period_and_downloads(live_server, page, base_data):
    load_demo_accounts()
    coordinator = User.objects.get(username="coordination.nord-aveyron")
    coordinator.is_verified = lambda: True  # acting as after her full log-in
    pathway = make_pathway(actor=coordinator)  # one call, this month, that opened a pathway
    Visit.objects.create(
        pathway=pathway, kind="phone", occurred_at=timezone.now(), author=coordinator
    )
    log_in(page, live_server, "coordination.nord-aveyron", with_device=True)

    page.get_by_role("link", name="Indicateurs d'activité").click()
    page.get_by_role("heading", level=1, name=re.compile("Indicateurs d'activité")).wait_for()
    this_month = periods.month(timezone.localdate())
    page.get_by_role("heading", level=2, name=this_month.label.capitalize()).wait_for()
    inclusion = page.get_by_role("article", name="Appels reçus et patients inclus")
    assert "1 sur 1 (100\u202f%)" in inclusion.inner_text()
    assert "Définition" in inclusion.inner_text()
    # A breakdown: its table, its bars and the table of the bars' values.
    visits = page.get_by_role("article", name="Répartition des patients selon le nombre de visites")
    first_row = visits.get_by_role("table", name=re.compile(r"nombre de visites, ")).get_by_role(
        "row", name=re.compile("^1 visite")
    )
    assert "1 sur 1 (100\u202f%)" in first_row.inner_text()
    values = visits.get_by_role("table", name=re.compile("les valeurs du graphique"))
    assert values.is_visible() and "1 visite" in values.inner_text()
    assert visits.get_by_role("img", name=re.compile("^Graphique : ")).is_visible()

    earlier = this_month.previous()
    page.get_by_label("Période").select_option(earlier.code)
    page.get_by_role("button", name="Afficher").click()
    page.get_by_role("heading", level=2, name=earlier.label.capitalize()).wait_for()
    assert (
        "aucun cas sur la période"
        in page.get_by_role("article", name="Appels reçus et patients inclus").inner_text()
    )

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger en XLSX").click()
    download = download_info.value
    assert download.suggested_filename == f"indicateurs-cpts-nord-aveyron-{earlier.code}.xlsx"
    content = Path(download.path()).read_bytes()  # no extension there: read as bytes
    rows = list(load_workbook(io.BytesIO(content)).active.values)
    assert rows[0][:4] == ("CPTS", "Période", "Code", "Indicateur")
    assert {row[1] for row in rows[1:]} == {earlier.label}
    screenshot = os.environ.get("ONCOLIEN_SCREENSHOTS")
    if screenshot:  # to look at the page, as the persona saw it
        page.screenshot(path=f"{screenshot}/indicators-dashboard.png", full_page=True)

    page.get_by_role("link", name=re.compile("Couverture de l'offre")).click()
    page.get_by_role("heading", level=1, name=re.compile("Couverture de l'offre")).wait_for()
    assert "à vol d'oiseau" in page.locator("main").inner_text()
    # Each care type's map: the CPTS's communes drawn, one point each, with a legend.
    first_map = page.get_by_role("img", name=re.compile("Distance à l'offre de ")).first
    assert first_map.is_visible()
    assert first_map.locator("circle").count() > 10
    assert page.locator(".map-legend").first.inner_text().count("commune") == 4
    if screenshot:
        page.screenshot(path=f"{screenshot}/indicators-coverage.png", full_page=True)
        page.locator("figure.coverage-map").nth(1).screenshot(
            path=f"{screenshot}/indicators-coverage-map.png"
        )


def test_regional_staff_see_protected_counts_and_no_name(live_server, page, base_data):
    load_demo_accounts()
    coordinator = User.objects.get(username="coordination.nord-aveyron")
    coordinator.is_verified = lambda: True
    for number in range(2):  # two calls this month: a small count
        make_pathway(actor=coordinator, last_name=f"Castanier{number}")
    log_in(page, live_server, "regional.occitanie")
    page.get_by_role("link", name="Activité des CPTS de la région").click()
    page.get_by_role("heading", level=1, name="Activité des CPTS de la région").wait_for()
    row = page.get_by_role("row", name=re.compile("CPTS Nord Aveyron"))
    assert row.get_by_role("cell").first.inner_text() == "< 5"
    body = page.locator("main").inner_text()
    assert "Castanier" not in body and "Protection des petits effectifs" in body
    screenshot = os.environ.get("ONCOLIEN_SCREENSHOTS")
    if screenshot:
        page.screenshot(path=f"{screenshot}/indicators-regional.png", full_page=True)
