"""The ARS activity file as a user downloads it: the XLSX opened with openpyxl, the PDF
read back as text, the one-click form on the report page, and who gets what."""

import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from oncolien.aftercare import semesters
from oncolien.aftercare.ars_exports import ars_pdf, ars_xlsx
from oncolien.aftercare.ars_file import ars_file
from oncolien.aftercare.models import ArsFilePdf
from oncolien.aftercare.tests.ars_world import TOTAL, A, B, C
from oncolien.aftercare.tests.factories import make_labelled_service
from oncolien.audit.models import AuditEntry
from tests.pdf import flat_pdf_text

pytestmark = pytest.mark.django_db

S1 = semesters.Semester(2026, 1)
NBSP = "\u00a0"


def sheets(content: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def test_the_xlsx_has_one_sheet_per_section_with_the_exact_figures(coordinator, world):
    book = sheets(ars_xlsx(ars_file(coordinator, S1)))
    assert list(book) == [
        "Fichier",
        "Synthèse",
        "Tranches d'âge",
        "Sexe",
        "Localisations",
        "Types de traitement",
        "Actes",
        "Satisfaction",
    ]
    about = {row[0]: row[1] for row in book["Fichier"] if row[0]}
    assert about["Semestre"] == "1er semestre 2026 (du 01/01/2026 au 30/06/2026)"
    assert "heure de Paris" in about["Édité le"]
    assert "File active" in about
    summary = {row[0]: row[1:] for row in book["Synthèse"][1:]}
    assert summary[A] == ("3", "2 sur 3 (67\u00a0%)", "1 sur 3 (33\u00a0%)", "5", "2", "67,50")
    assert summary[B] == ("1", "0 sur 1 (0\u00a0%)", "1 sur 1 (100\u00a0%)", "0", "0", "0,00")
    assert summary[TOTAL][0] == "4"
    ages = {(row[0], row[1]): row[2:] for row in book["Tranches d'âge"][1:]}
    assert ages[(A, "80 ans et plus")] == ("1", "3", "33\u00a0%")
    assert ages[(TOTAL, "Moins de 18 ans")] == ("1", "4", "25\u00a0%")
    acts = {(row[0], row[1]): row[2:] for row in book["Actes"][1:]}
    assert acts[(A, "Consultation de suivi diététique")] == ("2", "45,00", "1", "22,50")
    assert acts[(A, "Total")] == ("5", "157,50", "2", "67,50")
    satisfaction = {row[0]: row[1] for row in book["Satisfaction"][1:]}
    assert satisfaction[TOTAL] == "aucun questionnaire à un an dû sur le semestre"
    # Aggregates only.
    text = repr(book)
    for name in ("Martin", "Roques", "Vidal", "Bessière", "1958"):
        assert name not in text


def test_a_structure_named_like_a_formula_stays_text_in_the_xlsx(coordinator, world):
    make_labelled_service(name='=HYPERLINK("https://example.invalid","x")')
    workbook = load_workbook(io.BytesIO(ars_xlsx(ars_file(coordinator, S1))))
    cells = [cell for row in workbook["Synthèse"].iter_rows() for cell in row]
    named = [cell for cell in cells if "HYPERLINK" in str(cell.value)]
    assert named and all(cell.data_type == "s" for cell in named)


def test_the_pdf_shows_the_semester_the_structures_a_chart_and_its_values(coordinator, world):
    now = timezone.make_aware(datetime(2026, 7, 1, 0, 30))  # Paris time
    rendered = ars_pdf(ars_file(coordinator, S1, now=now))
    assert rendered.content.startswith(b"%PDF")
    text = flat_pdf_text(rendered.content)
    assert "1er semestre 2026 (du 01/01/2026 au 30/06/2026)" in text
    assert "édité le 01/07/2026 à 00:30 (heure de Paris)" in text
    for name in (A, B):
        assert name in text
    assert C not in text
    assert "Patients par tranche d'âge (sur 4)" in text
    assert "les valeurs du graphique" in text
    assert f"2 sur 3 (67{NBSP}%)".replace(NBSP, " ") in text.replace(NBSP, " ")
    assert "aucun questionnaire à un an dû sur le semestre" in text
    # The profile tables: each structure's count and share of its own file active.
    assert "1 (33 %)" in text.replace(NBSP, " ")
    assert "Martin" not in text


# --- The one click ------------------------------------------------------------------------


def download(client, **query):
    return client.get(reverse("aftercare:ars_file"), query)


def test_the_report_page_offers_the_semesters_and_the_two_buttons(login, coordinator, world):
    html = login(coordinator).get(reverse("aftercare:report")).content.decode()
    last = semesters.last_complete(timezone.localdate())
    assert f'<option value="{last.code}" selected>' in html
    assert "Fichier ARS (PDF)" in html
    assert "Fichier ARS (XLSX)" in html


def test_one_click_downloads_the_xlsx_and_is_audited(login, coordinator, world):
    response = download(login(coordinator), semestre="2026-S1", format="xlsx")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert "fichier-ars-apres-cancer-2026-S1.xlsx" in response["Content-Disposition"]
    entry = AuditEntry.objects.get(action="aftercare.ars_file", actor_id=coordinator.pk)
    assert entry.details["semestre"] == "2026-S1"


def test_the_pdf_is_laid_out_by_the_queue_and_offered_to_whoever_asked(
    login, coordinator, world, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    # The queue has not run yet: the page says the file is being prepared.
    with django_capture_on_commit_callbacks(execute=False):
        asked = download(client, semestre="2026-S1", format="pdf")
    assert asked.status_code == 302
    waiting = client.get(asked["Location"])
    assert "Fichier en préparation" in waiting.content.decode()
    # Once the task ran (immediate mode in the tests), the same address gives the PDF.
    with django_capture_on_commit_callbacks(execute=True):
        asked = download(client, semestre="2026-S1", format="pdf")
    response = client.get(asked["Location"])
    assert response["Content-Type"] == "application/pdf"
    assert "fichier-ars-apres-cancer-2026-S1.pdf" in response["Content-Disposition"]
    assert A in flat_pdf_text(response.content)
    pdf = ArsFilePdf.objects.get(pk=int(asked["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert pdf.render_seconds is not None


def test_another_user_gets_a_404_for_a_pdf_asked_by_someone_else(
    login, coordinator, regional, world
):
    pdf = ArsFilePdf.objects.create(requested_by=coordinator, semester="2026-S1")
    response = login(regional).get(reverse("aftercare:ars_file_pdf", kwargs={"pk": pdf.pk}))
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", actor_id=regional.pk).count() == 1


def test_the_coordinator_of_another_cpts_downloads_only_its_own_structures(login, outsider, world):
    book = sheets(download(login(outsider), semestre="2026-S1", format="xlsx").content)
    names = {row[0] for row in book["Synthèse"][1:]}
    assert names == {C, TOTAL}


@pytest.mark.parametrize("persona", ["physician", "community_nurse"])
def test_others_get_a_404_and_the_refusal_is_audited(request, login, world, persona):
    user = request.getfixturevalue(persona)
    response = download(login(user), semestre="2026-S1", format="xlsx")
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", actor_id=user.pk).count() == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"semestre": "2026-S3", "format": "pdf"}, "Semestre illisible « 2026-S3 »"),
        ({"semestre": "2099-S1", "format": "pdf"}, "hors de la plage du parcours"),
        ({"semestre": "2026-S1", "format": "doc"}, "Choisissez le format du fichier"),
    ],
)
def test_a_bad_choice_is_refused_in_french(login, coordinator, world, query, message):
    response = download(login(coordinator), **query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditEntry.objects.filter(action="aftercare.ars_file").exists()
