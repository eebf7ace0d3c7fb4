"""A request body over the limit is refused with a French 413 before it is read (issue 13)."""

from django.core.files.uploadedfile import SimpleUploadedFile

UPLOAD = "/enquetes/registres/importer/"


def test_an_oversized_upload_gets_a_french_413(client, settings):
    settings.ONCOLIEN_UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("registre.csv", b"x" * (2 * 1024 * 1024))
    response = client.post(UPLOAD, {"fichier": big})
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()


def test_an_oversized_api_body_gets_a_french_json_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post("/api/v1/x", b"{" + b" " * 4096 + b"}", content_type="application/json")
    assert response.status_code == 413
    assert "rien n'a été enregistré" in response.json()["detail"]


def test_a_body_within_the_limit_goes_through(client):
    response = client.post(UPLOAD, {"fichier": SimpleUploadedFile("a.csv", b"a")})
    assert response.status_code != 413
