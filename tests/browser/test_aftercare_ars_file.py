"""A coordinator opens the post-cancer programme's report, chooses a semester and
downloads the ARS activity file as XLSX, then as PDF, in one click each (headless Chromium against a live
server; axe-core checks every page loaded)."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from oncolien.accounts.demo import demo_password, load_demo_accounts
from oncolien.accounts.models import User
from oncolien.aftercare import semesters
from oncolien.aftercare.tests.factories import (
    make_eligible_pathway,
    make_labelled_service,
    prescribe,
)
from tests.pdf import flat_pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_downloads_the_ars_file_of_a_semester(live_server, page, base_data):
    load_demo_accounts()
    coordinator = User.objects.get(username="coordination.nord-aveyron")
    device = TOTPDevice.objects.create(user=coordinator, confirmed=True, name="téléphone")
    coordinator.is_verified = lambda: True  # acting as after her full log-in
    service = make_labelled_service(name="Après cancer du Nord Aveyron")
    chosen = semesters.last_complete(timezone.localdate()).previous()
    prescribed_on = chosen.first_day + timedelta(days=10)
    pathway = make_eligible_pathway(
        actor=coordinator,
        end_of_treatment=prescribed_on - timedelta(days=30),
        last_name="Castanier",
    )
    prescribe(actor=coordinator, pathway=pathway, service=service, prescribed_on=prescribed_on)

    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Identifiant").fill("coordination.nord-aveyron")
    page.get_by_label("Mot de passe").fill(demo_password())
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/compte/verification/"))
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()

    page.get_by_role("link", name="Rapport du parcours après-cancer").click()
    page.get_by_role("heading", level=2, name="Fichier d'activité pour l'ARS").wait_for()
    semester = page.get_by_label("Semestre")
    # The last complete semester is chosen by default.
    assert semester.input_value() == semesters.last_complete(timezone.localdate()).code
    semester.select_option(chosen.code)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Fichier ARS (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == f"fichier-ars-apres-cancer-{chosen.code}.xlsx"
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    summary = {row[0]: row[1:] for row in workbook["Synthèse"].values}
    name = f"{service.organization.name} — {service.name}"
    assert summary[name][:2] == ("1", "1 sur 1 (100\u00a0%)")
    assert "Castanier" not in repr([list(sheet.values) for sheet in workbook])

    # The PDF is laid out by the task queue (at once in the tests), then downloaded.
    page.get_by_label("Semestre").select_option(chosen.code)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Fichier ARS (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"fichier-ars-apres-cancer-{chosen.code}.pdf"
    text = flat_pdf_text(Path(download.path()).read_bytes())
    assert name in text
    assert chosen.label in text
    assert "Castanier" not in text

    # A semester typed by hand that does not exist is refused on the same page.
    page.goto(f"{live_server.url}/apres-cancer/rapport/fichier-ars/?semestre=2026-S3&format=pdf")
    page.get_by_text("Semestre illisible « 2026-S3 »").wait_for()
