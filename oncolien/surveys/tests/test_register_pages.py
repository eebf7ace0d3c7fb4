"""The register pages, as regional staff use them; refused (404) to a coordinator."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from oncolien.accounts.authorization import AccessDenied
from oncolien.audit.models import AuditEntry
from oncolien.surveys.demo_register import DEMO_TITLE, load_demo_register
from oncolien.surveys.models import CptsRegister
from oncolien.surveys.register_import import COLUMN_HEADINGS, register_import, template_rows
from oncolien.surveys.tests.register_files import csv_file
from oncolien.table_reading import read_table
from oncolien.tables import csv_bytes

pytestmark = pytest.mark.django_db

LIST, IMPORT = "/enquetes/registres/", "/enquetes/registres/importer/"


def _upload(client, data: bytes, filename: str):
    return client.post(
        IMPORT,
        {
            "title": "Registre des CPTS d'Occitanie, 2026",
            "region": "Occitanie",
            "fichier": _named(data, filename),
        },
    )


def _named(data: bytes, filename: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(filename, data)


def test_a_coordinator_gets_404_on_every_register_page(login, coordinator, base_data):
    register = load_demo_register()
    client = login(coordinator)
    for url in (
        LIST,
        IMPORT,
        f"/enquetes/registres/{register.pk}/",
        "/enquetes/registres/modele.csv",
        "/enquetes/registres/modele.xlsx",
    ):
        assert client.get(url).status_code == 404, url
    response = _upload(client, csv_file([["CPTS A", "12", "", "", "20000"]]), "r.csv")
    assert response.status_code == 404
    assert CptsRegister.objects.count() == 1
    with pytest.raises(AccessDenied):
        register_import(user=coordinator, data=b"", filename="r.csv", title="t", region="r")


def test_regional_staff_import_a_register_and_read_its_cpts(login, regional, base_data):
    client = login(regional)
    assert "Importer un registre" in client.get(LIST).content.decode()
    data = csv_file(
        [
            ["CPTS du Causse", "12", "01/12/2020", "12096, 12033", ""],
            ["CPTS du Piémont", "09", "15/03/2022", "", "45000"],
        ]
    )
    response = _upload(client, data, "registre.csv")
    register = CptsRegister.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/enquetes/registres/{register.pk}/"
    assert AuditEntry.objects.filter(action="surveys.register_imported").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Registre des CPTS d&#x27;Occitanie, 2026" in page
    assert "CPTS du Piémont" in page and "09 - Ariège" in page
    assert "45\u202f000 (déclarée)" in page and "Taille 2" in page
    assert "(calculée, 2 communes)" in page and "15/03/2022" in page
    assert "Registre fictif" not in page
    listing = client.get(LIST).content.decode()
    assert "registre.csv" in listing


def test_a_bad_file_shows_every_rows_verdict_and_creates_nothing(login, regional, base_data):
    client = login(regional)
    data = csv_file(
        [
            ["CPTS du Causse", "12", "01/12/2020", "", "30000"],
            ["CPTS du Piémont", "99", "15/03/2022", "", "45000"],
            ["CPTS des Rives", "31", "hier", "", "45000"],
        ]
    )
    response = _upload(client, data, "registre.csv")
    assert response.status_code == 200
    page = response.content.decode()
    assert not CptsRegister.objects.exists()
    assert "2 ligne(s) en erreur sur 3 : aucun registre n'a été créé" in page
    assert "Département inconnu : « 99 »" in page
    assert "Date de signature de l&#x27;ACI illisible : « hier »" in page
    assert page.count("Correcte") == 1 and page.count(">Erreur<") == 2


def test_the_template_files_hold_the_columns(login, regional, base_data):
    client = login(regional)
    response = client.get("/enquetes/registres/modele.csv")
    assert response["Content-Disposition"] == 'attachment; filename="modele-registre-cpts.csv"'
    table = read_table(response.content, "modele.csv")
    assert table.headers == COLUMN_HEADINGS and len(table.rows) == 2
    workbook = load_workbook(io.BytesIO(client.get("/enquetes/registres/modele.xlsx").content))
    assert [cell.value for cell in next(workbook.active.iter_rows())] == COLUMN_HEADINGS
    assert client.get("/enquetes/registres/modele.pdf").status_code == 404


def test_the_template_file_imports_as_is(regional, base_data):
    register, check = register_import(
        user=regional, data=csv_bytes(template_rows()), filename="m.csv", title="t", region="r"
    )
    assert register is not None, [row.errors for row in check.rows]


def test_the_demo_register_is_marked_fictitious_on_its_pages(login, regional, base_data):
    register = load_demo_register()
    client = login(regional)
    listing = client.get(LIST).content.decode()
    assert DEMO_TITLE.replace("'", "&#x27;") in listing and "fictif (démonstration)" in listing
    page = client.get(f"/enquetes/registres/{register.pk}/").content.decode()
    assert "Registre fictif (démonstration)" in page
    assert "Les 86 CPTS du registre (fictives)" in page
    # Its distribution, as document 004's « CPTS en région »: 31 / 40 / 28 / 1 %.
    for share in ("27 sur 86 (31\u00a0%)", "34 sur 86 (40\u00a0%)", "24 sur 86 (28\u00a0%)"):
        assert share in page
    assert "1 sur 86 (1\u00a0%)" in page and "16 sur 86 (19\u00a0%)" in page
