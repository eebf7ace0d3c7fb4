"""The PDF of a visit report is laid out by the task queue, never in a request; it is
kept until the report changes, and a sending by secure messaging waits for it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from oncolien.audit.models import AuditEntry
from oncolien.notifications.models import Delivery
from oncolien.pathways.models import ReportPdf
from oncolien.pathways.reports import report_create
from oncolien.pathways.services import monitoring_record_add
from oncolien.pathways.tests.test_reports import GP_MSS, members, visit  # noqa: F401
from tests.mss_server import configured_server, make_certificates
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def run_queued(huey, capture) -> int:
    """Run what waits in the queue as a consumer would, each task's transaction
    committing (so that what it queues in turn is run too); return how many ran."""
    count = 0
    while (task := huey.dequeue()) is not None:
        with capture(execute=True):
            _execute_in_the_test_transaction(huey, task)
        count += 1
    return count


def _execute_in_the_test_transaction(huey, task) -> None:
    # A db_task closes the database connection around it unless huey is in immediate
    # mode, which would end the test's transaction (PostgreSQL): flag immediate mode
    # for the run only, without the setter, which would replace the storage.
    huey._immediate = True
    try:
        huey.execute(task)
    finally:
        huey._immediate = False


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def report(visit, coordinating_nurse):  # noqa: F811
    return report_create(
        actor=coordinating_nurse,
        visit=visit,
        recipients=members(visit, "gp"),
        conclusion="Fièvre à surveiller, revoir dans 48 heures.",
    )


def test_the_report_page_says_the_pdf_is_being_prepared_then_links_it_with_its_edition_time(
    report, coordinating_nurse, login, queue, django_capture_on_commit_callbacks
):
    client = login(coordinating_nurse)
    page_url = reverse("pathways:report_detail", args=[report.pk])
    pdf_url = reverse("pathways:report_pdf", args=[report.pk])
    status_url = reverse("pathways:report_pdf_status", args=[report.pk])

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(page_url)
        # Asked again (a reload, the PDF link): no second render is queued, and the
        # PDF link answers a page, not a PDF laid out in the request.
        again = client.get(pdf_url)
    assert "PDF en préparation" in page.text
    assert "Télécharger le PDF" not in page.text
    assert again.status_code == 200 and again["Content-Type"].startswith("text/html")
    assert "PDF en préparation" in again.text
    assert client.get(status_url).json() == {"ready": False, "edited_at": ""}
    assert queue.pending_count() == 1

    assert run_queued(queue, django_capture_on_commit_callbacks) == 1

    kept = ReportPdf.objects.get(report=report)
    edited = date_format(timezone.localtime(kept.rendered_at), "j F Y à H:i")
    page = flat(client.get(page_url).text)
    assert "Télécharger le PDF" in page
    assert f"PDF édité le {edited}" in page
    assert client.get(status_url).json() == {"ready": True, "edited_at": edited}
    response = client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private"
    text = flat(pdf_text(response.content))
    assert "MARTIN Jeanne" in text
    assert f"PDF édité le {edited}" in text
    assert queue.pending_count() == 0
    assert AuditEntry.objects.filter(action="report.pdf", actor_id=coordinating_nurse.pk).exists()
    assert AuditEntry.objects.filter(
        action="report.render", actor_id=coordinating_nurse.pk
    ).exists()


def test_a_report_that_changed_is_rendered_again_before_its_pdf_is_served(
    report,
    visit,  # noqa: F811 - the fixture of test_reports
    coordinating_nurse,
    login,
    queue,
    django_capture_on_commit_callbacks,
):
    client = login(coordinating_nurse)
    pdf_url = reverse("pathways:report_pdf", args=[report.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(pdf_url)
    run_queued(queue, django_capture_on_commit_callbacks)
    assert client.get(pdf_url)["Content-Type"] == "application/pdf"

    monitoring_record_add(
        actor=coordinating_nurse,
        pathway=visit.pathway,
        visit=visit,
        values={"temperature_c": "37,2", "observations": "Fièvre tombée le lendemain."},
    )

    with django_capture_on_commit_callbacks(execute=True):
        stale = client.get(pdf_url)
    # The kept file no longer shows the report: it is not served, a new one is queued.
    assert stale["Content-Type"].startswith("text/html")
    assert "PDF en préparation" in stale.text
    assert queue.pending_count() == 1
    run_queued(queue, django_capture_on_commit_callbacks)
    assert "Fièvre tombée le lendemain." in flat(pdf_text(client.get(pdf_url).content))


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("mss-certificates"))


def test_a_secure_sending_renders_in_the_task_and_the_page_never_says_sent_before_it_is(
    report, coordinating_nurse, login, queue, certificates, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client = login(coordinating_nurse)
    with configured_server(certificates, settings) as server:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("pathways:report_send", args=[report.pk]))
        page = flat(client.get(response.url).text)

        # Queued, not sent: nothing has left and the page says so.
        assert (
            f"Dr Paul Roux : par messagerie sécurisée ({GP_MSS}) : PDF en préparation, "
            "pas encore envoyé." in page
        )
        assert "Envoi en préparation" in page
        assert "Envoyé le" not in page
        assert server.received == []
        assert not Delivery.objects.filter(channel="mss").exists()

        run_queued(queue, django_capture_on_commit_callbacks)

        [received] = server.received
        assert received.rcpt_tos == [GP_MSS]
        [attachment] = list(received.message.iter_attachments())
        text = flat(pdf_text(attachment.get_content()))
        assert "MARTIN Jeanne" in text
        assert "Fièvre à surveiller, revoir dans 48 heures." in text
    page = flat(client.get(reverse("pathways:report_detail", args=[report.pk])).text)
    assert f"Dr Paul Roux : par messagerie sécurisée ({GP_MSS})." in page
    assert "Envoyé le" in page
    assert Delivery.objects.get(channel="mss").outcome == "sent"
    # The PDF sent is kept: the download needs no second render.
    assert ReportPdf.objects.get(report=report).rendered_at > timezone.now() - timedelta(minutes=5)


def test_an_objection_recorded_while_the_pdf_is_prepared_stops_the_sending(
    report, visit, coordinating_nurse, login, queue, certificates, settings,  # noqa: F811
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from datetime import date

    from oncolien.pathways.services import consent_record

    client = login(coordinating_nurse)
    with configured_server(certificates, settings) as server:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("pathways:report_send", args=[report.pk]))
        consent_record(
            actor=coordinating_nurse,
            pathway=visit.pathway,
            informed_on=date.today(),
            objects_to_sharing=True,
        )
        run_queued(queue, django_capture_on_commit_callbacks)
        assert server.received == []
    page = flat(client.get(reverse("pathways:report_detail", args=[report.pk])).text)
    assert (
        f"Dr Paul Roux : par messagerie sécurisée ({GP_MSS}) : non envoyé, le patient "
        "s&#x27;est opposé au partage." in page
    )
    assert "Envoyé le" not in page
    assert not Delivery.objects.filter(channel="mss").exists()
