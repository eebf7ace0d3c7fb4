"""Attached documents: PDF or PNG by their content, size-limited, served as attachments."""

import pytest

from oncolien.practices.documents import MAX_DOCUMENT_BYTES
from oncolien.practices.models import Document, Status
from oncolien.practices.tests.factories import make_practice

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _upload(client, practice, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/pratiques/gestion/{practice.pk}/documents/",
        {"kind": "flyer", "title": "Flyer", "file": SimpleUploadedFile(name, content)},
    )


def test_a_pdf_and_a_png_are_kept_and_served_as_attachments(
    login, coordinator, client, nord_aveyron
):
    practice = make_practice(nord_aveyron)
    owner = login(coordinator)
    assert _upload(owner, practice, "flyer du parcours.pdf", PDF).status_code == 302
    assert _upload(owner, practice, "affiche.png", PNG).status_code == 302
    pdf, png = Document.objects.order_by("pk")
    assert (pdf.content_type, pdf.filename) == ("application/pdf", "flyer-du-parcours.pdf")
    assert png.content_type == "image/png"
    practice.status = Status.PUBLISHED
    practice.save()
    client.logout()
    response = client.get(f"/pratiques/{practice.pk}/documents/{pdf.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == PDF


def test_html_named_pdf_is_refused(login, coordinator, nord_aveyron):
    practice = make_practice(nord_aveyron)
    response = _upload(
        login(coordinator), practice, "flyer.pdf", b"<html><script>alert(1)</script></html>"
    )
    assert response.status_code == 400
    assert "ni un PDF ni une image PNG" in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_too_large_is_refused(login, coordinator, nord_aveyron):
    practice = make_practice(nord_aveyron)
    response = _upload(login(coordinator), practice, "gros.pdf", PDF + b"0" * MAX_DOCUMENT_BYTES)
    assert response.status_code == 400
    assert "dépasse 5 Mo" in response.content.decode()
    assert not Document.objects.exists()


def test_a_draft_document_is_not_public(client, login, coordinator, nord_aveyron):
    practice = make_practice(nord_aveyron)
    _upload(login(coordinator), practice, "flyer.pdf", PDF)
    document = Document.objects.get()
    client.logout()
    assert client.get(f"/pratiques/{practice.pk}/documents/{document.pk}/").status_code == 404
