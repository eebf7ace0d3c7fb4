"""A coordinator asks for her CPTS's activity report (PDF) from the dashboard, sees it
« en préparation », then « prêt » once the task queue has laid it out, and downloads
it (headless Chromium against a live server; axe-core checks every page loaded)."""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from oncolien.accounts.demo import demo_password, load_demo_accounts
from oncolien.accounts.models import User
from oncolien.indicators import periods
from oncolien.pathways.tests.factories import make_pathway
from tests.pdf import flat_pdf_text
from tests.queue import run_the_queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_asks_for_the_report_waits_for_it_and_downloads_it(
    live_server, page, base_data, queue
):
    load_demo_accounts()
    coordinator = User.objects.get(username="coordination.nord-aveyron")
    device = TOTPDevice.objects.create(user=coordinator, confirmed=True, name="téléphone")
    coordinator.is_verified = lambda: True  # acting as after her full log-in
    make_pathway(actor=coordinator)  # one call, this month, that opened a pathway
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Identifiant").fill("coordination.nord-aveyron")
    page.get_by_label("Mot de passe").fill(demo_password())
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/compte/verification/"))
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()

    page.get_by_role("link", name="Indicateurs d'activité").click()
    this_month = periods.month(timezone.localdate())
    page.get_by_role("heading", level=2, name=this_month.label.capitalize()).wait_for()
    page.get_by_role("button", name="Préparer le rapport d'activité (PDF)").click()

    page.get_by_role("heading", level=1, name=re.compile("Rapports d'activité")).wait_for()
    row = page.get_by_role("row", name=re.compile(this_month.label.capitalize()))
    assert "en préparation" in row.inner_text()
    assert row.get_by_role("link").count() == 0  # nothing to download yet
    assert "est en préparation" in page.get_by_role("status").inner_text()

    assert run_the_queue(queue) == 1  # the consumer lays the PDF out

    page.get_by_role("link", name="Actualiser la liste").click()
    page.get_by_role("heading", level=1, name=re.compile("Rapports d'activité")).wait_for()
    row = page.get_by_role("row", name=re.compile(this_month.label.capitalize()))
    assert "prêt — télécharger" in row.inner_text()
    assert "en préparation" not in row.inner_text()
    screenshot = os.environ.get("ONCOLIEN_SCREENSHOTS")
    if screenshot:  # to look at the page, as the persona saw it
        page.screenshot(path=f"{screenshot}/indicators-reports.png", full_page=True)

    with page.expect_download() as download_info:
        row.get_by_role("link", name=re.compile("^télécharger")).click()
    download = download_info.value
    slug_period = f"cpts-nord-aveyron-{this_month.code}"
    assert download.suggested_filename == f"rapport-activite-{slug_period}.pdf"
    text = flat_pdf_text(Path(download.path()).read_bytes())
    assert "CPTS Nord Aveyron" in text
    assert f"Période : {this_month.label}" in text
    assert "Appels reçus et patients inclus 1 sur 1 (100 %)" in text
    assert f"Indicateurs exprimés en part, {this_month.label} : les valeurs du graphique" in text
