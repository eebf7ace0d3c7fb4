"""The PDF report through the task queue, read back as text; the result pages."""

import pytest
from django.urls import reverse

from oncolien.surveys.models import SurveyReportPdf
from oncolien.surveys.report_queue import report_render
from oncolien.surveys.tests import analysis_data
from tests.pdf import flat_pdf_text

pytestmark = pytest.mark.django_db


def test_the_report_is_rendered_by_the_queue_for_the_requester_only(
    regional, administrator, login, queue, django_capture_on_commit_callbacks
):
    survey = analysis_data.build()
    client = login(regional)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("surveys:report_request", args=[survey.pk]), {"filtre": "connait_sos:oui"}
        )
    pdf = SurveyReportPdf.objects.get()
    assert response.url == reverse("surveys:report_download", args=[pdf.pk])
    waiting = client.get(response.url)
    assert "Rapport en préparation" in waiting.content.decode()
    assert waiting["Cache-Control"] == "no-store"
    assert queue.pending_count() == 1
    task = queue.dequeue()  # the consumer's turn
    # A db_task closes the connection around it unless huey is in immediate mode,
    # which would end the test's transaction: flagged for the run only.
    queue._immediate = True
    try:
        queue.execute(task)
    finally:
        queue._immediate = False
    download = client.get(response.url)
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    text = flat_pdf_text(
        b"".join(download.streaming_content) if download.streaming else download.content
    )
    assert "Enquête SOS 2025" in text
    assert "Filtre : Connaissez-vous les SOS ? = Oui — 19 répondants sur 32" in text
    assert "6 sur 19 (32 %)" in text.replace("\u202f", " ")
    assert "Version comptée : 1" in text
    assert "Page 1 sur" in text
    # Another member of the regional team may not download it.
    assert login(administrator).get(response.url).status_code == 404


def test_the_shared_report_is_protected_and_holds_no_free_text(coordinator):
    survey = analysis_data.build(shared=True)
    pdf = SurveyReportPdf.objects.create(
        survey=survey, requested_by=coordinator, options={"filters": [], "protected": True}
    )
    text = flat_pdf_text(bytes(report_render(pdf.pk).content))
    assert "< 5" in text and "Protection des petits effectifs" in text
    assert "Attente numéro" not in text and "sophrologie" not in text


def test_analysis_page_shows_n_of_n_with_filters(regional, coordinator, login):
    survey = analysis_data.build()
    url = reverse("surveys:analysis", args=[survey.pk])
    page = login(regional).get(
        url, {"filtre": "connait_sos:oui", "croiser": "connait_sos", "par": "maturite"}
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Filtre : Connaissez-vous les SOS ? = Oui — 19 répondants sur 32" in body
    assert "6 sur 19 (32\u202f%)" in body
    assert "&lt; 1 an" in body and "<svg" in body
    assert login(coordinator).get(url).status_code == 404


def test_a_bad_filter_says_so_and_shows_everyone(regional, login):
    survey = analysis_data.build()
    page = login(regional).get(reverse("surveys:analysis", args=[survey.pk]), {"filtre": "x:y"})
    assert page.status_code == 400
    assert "Filtre inconnu" in page.content.decode()


def test_shared_results_only_when_shared_and_protected(coordinator, outsider, regional, login):
    survey = analysis_data.build()
    url = reverse("surveys:shared_results", args=[survey.pk])
    assert login(coordinator).get(url).status_code == 404
    survey.results_shared = True
    survey.save()
    body = login(coordinator).get(url).content.decode()
    assert "&lt; 5" in body and "Protection des petits effectifs" in body
    assert "Attente numéro" not in body and "sophrologie" not in body
    assert "6 sur 19" not in body
    # No cross-tab: its margins, protected apart, could be subtracted from the tables.
    assert "Pas de croisement dans les résultats partagés" in body
    assert "selon : Taille" not in body
