"""The import pages as a coordinator: upload, preview, progress, report, apply; outsiders get 404."""

import csv
import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oncolien.audit.models import AuditEntry
from oncolien.directory.importing import storage
from oncolien.directory.models import Service
from oncolien.directory.tests.importing.files import csv_data, numbered_rows, row, xlsx_data

pytestmark = pytest.mark.django_db

UPLOAD = reverse("directory:import_upload", kwargs={"slug": "cpts-nord-aveyron"})


def upload(client, data: bytes, name: str = "annuaire.csv"):
    """Show the upload page, then send the file with the page's token; the response."""
    page = client.get(UPLOAD)
    token = page.context["form"]["jeton"].value()
    return client.post(UPLOAD, {"fichier": SimpleUploadedFile(name, data), "jeton": token})


def token_of(response) -> str:
    return response.url.rstrip("/").split("/")[-1]


def url(name: str, token: str) -> str:
    return reverse(f"directory:{name}", kwargs={"token": token})


def test_the_upload_page_documents_the_columns(login, coordinator):
    client = login(coordinator)
    page = client.get(UPLOAD)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert "Importer des offres dans l'annuaire de la CPTS Nord Aveyron" in html
    for column in ("structure_nom", "soins", "lieu_commune_insee", "verifiee_le"):
        assert f"<code>{column}</code>" in html
    assert reverse("directory:import_template") in html


def test_upload_preview_report_then_apply(login, coordinator, import_storage):
    client = login(coordinator)
    response = upload(client, csv_data([row(), row(offre_nom="Deuxième offre")]))
    assert response.status_code == 302
    token = token_of(response)

    preview = client.get(response.url)
    html = preview.content.decode()
    assert "Aperçu de l'import" in html
    assert "Appliquer l'import" in html
    assert "créée" in html
    assert "Offres — créées : 2, mises à jour : 0, inchangées : 0." in html
    assert not Service.objects.exists()

    progress = client.get(url("import_progress", token)).json()
    assert (progress["phase"], progress["percent"], progress["message"]) == ("fin", 100, "Terminé.")

    report = client.get(url("import_report", token))
    assert report["Content-Disposition"].startswith('attachment; filename="rapport-import-')
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:6] == [
        "rapport_ligne",
        "rapport_verdict",
        "rapport_structure",
        "rapport_lieu",
        "rapport_offre",
        "rapport_messages",
    ]
    assert [line[:5] for line in lines[1:]] == [
        ["2", "OK", "créée", "créé", "créée"],
        ["3", "OK", "créée", "créé", "créée"],
    ]
    assert lines[1][6] == "Association Bien-être Aveyron"

    done = client.post(url("import_apply", token), follow=True)
    assert done.redirect_chain[-1][0] == UPLOAD
    assert "Import appliqué. Offres — créées : 2" in done.content.decode()
    assert Service.objects.count() == 2
    # The uploaded file is not kept once applied.
    assert list(import_storage.iterdir()) == []
    assert client.get(url("import_preview", token)).status_code == 404


def test_a_file_with_an_error_shows_it_and_cannot_be_applied(login, coordinator):
    client = login(coordinator)
    rows = [row(), row(offre_nom="Autre", soins="reiki")]
    token = token_of(upload(client, xlsx_data(rows), "annuaire.xlsx"))
    html = client.get(url("import_preview", token)).content.decode()
    assert "soins : soin de support inconnu : « reiki »." in html
    assert "1 ligne(s) en erreur" in html
    assert "Appliquer l&#x27;import" not in html and "Appliquer l'import" not in html

    refused = client.post(url("import_apply", token), follow=True)
    assert "Import refusé" in refused.content.decode()
    assert not Service.objects.exists()


def test_an_unreadable_file_is_explained_on_the_preview(login, coordinator):
    client = login(coordinator)
    token = token_of(upload(client, b"pas un classeur", "annuaire.xlsx"))
    html = client.get(url("import_preview", token)).content.decode()
    assert "Le fichier .xlsx ne peut pas être lu" in html


def test_a_large_preview_lists_the_problems_and_a_sample_of_the_rest(login, coordinator):
    client = login(coordinator)
    rows = numbered_rows(400)
    rows[350]["cout"] = "cher"
    token = token_of(upload(client, csv_data(rows)))
    page = client.get(url("import_preview", token))
    shown = [verdict.line for verdict in page.context["rows"]]
    assert 352 in shown and len(shown) == 201
    assert "199 ligne(s) sans remarque non affichées" in page.content.decode()


def test_the_progress_endpoint_answers_before_the_upload_arrives(login, coordinator):
    client = login(coordinator)
    token = client.get(UPLOAD).context["form"]["jeton"].value()
    progress = client.get(url("import_progress", token)).json()
    assert (progress["phase"], progress["message"]) == ("envoi", "Envoi du fichier…")


def test_an_outsider_gets_404_everywhere(login, coordinator, outsider):
    client = login(coordinator)
    token = token_of(upload(client, csv_data([row()])))
    client.logout()
    client = login(outsider)

    def denials() -> int:
        return AuditEntry.objects.filter(action="access.denied", actor_id=outsider.pk).count()

    # Each refused request writes exactly one audit entry: none lost, none twice.
    requests = [
        ("get", UPLOAD),
        ("post", UPLOAD),
        *[
            ("get", url(name, token))
            for name in ("import_preview", "import_report", "import_progress")
        ],
        ("post", url("import_apply", token)),
    ]
    for method, address in requests:
        before = denials()
        assert getattr(client, method)(address).status_code == 404, address
        assert denials() == before + 1, address
    assert not Service.objects.exists()


def test_a_forged_token_gets_404(login, coordinator):
    client = login(coordinator)
    for token in ("abc", storage.new_signed_token(user=coordinator) + "x"):
        assert client.get(url("import_preview", token)).status_code == 404
    assert client.get("/annuaire/import/fichier/..%2F..%2Fsecret_key/").status_code == 404


def test_the_import_pages_need_a_log_in(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert "/connexion" in response.url or "login" in response.url


def test_a_coordinator_goes_straight_to_her_cpts(login, coordinator):
    response = login(coordinator).get(reverse("directory:import_index"))
    assert response.url == UPLOAD


def test_an_administrator_chooses_the_cpts(login, administrator):
    page = login(administrator).get(reverse("directory:import_index"))
    html = page.content.decode()
    for slug in ("cpts-nord-aveyron", "cpts-sud-tarn", "cpts-volvestre-coeur-de-garonne"):
        assert reverse("directory:import_upload", kwargs={"slug": slug}) in html


def test_someone_who_edits_no_directory_gets_404_on_the_index(login, regional):
    assert login(regional).get(reverse("directory:import_index")).status_code == 404


def test_uploads_older_than_a_day_are_purged(login, coordinator, import_storage):
    client = login(coordinator)
    upload(client, csv_data([row()]))
    [old] = list(import_storage.iterdir())
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    upload(client, csv_data([row()]))
    assert old not in list(import_storage.iterdir())
    assert len(list(import_storage.iterdir())) == 1


def test_the_model_file_downloads_without_log_in(client):
    response = client.get(reverse("directory:import_template"))
    assert response.status_code == 200
    assert (
        b"".join(response.streaming_content)
        .decode("utf-8-sig")
        .startswith("structure_nom;structure_type;")
    )
