"""The activity report (PDF): asked for from the dashboard, laid out by the task queue,
listed with its true state, downloaded by the CPTS's coordination team only."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.accounts.models import Membership
from oncolien.audit.models import AuditEntry
from oncolien.indicators import periods
from oncolien.indicators.models import ActivityReport, ReportStatus
from oncolien.indicators.report import NO_LONGER_ALLOWED, report_request
from oncolien.pathways.models import IntakeCall
from oncolien.pathways.tests.factories import make_pathway
from tests.pdf import flat_pdf_text

pytestmark = pytest.mark.django_db
SLUG = "cpts-nord-aveyron"
DASHBOARD = f"/indicateurs/{SLUG}/"
REQUEST = reverse("indicators:report_request", kwargs={"slug": SLUG})
REPORTS = reverse("indicators:reports", kwargs={"slug": SLUG})


def run_queued(huey, capture) -> int:
    """Run what waits in the queue as a consumer would; return how many tasks ran."""
    count = 0
    while (task := huey.dequeue()) is not None:
        with capture(execute=True):
            # A db_task closes the connection around it unless huey is in immediate
            # mode, which would end the test's transaction: flag it for the run only.
            huey._immediate = True
            try:
                huey.execute(task)
            finally:
                huey._immediate = False
        count += 1
    return count


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def november(coordinator, nord_aveyron):
    """Three calls in November 2026 (Paris time), each of which opened a pathway, and
    one that did not: 3 of 4 included."""
    for number in range(3):
        pathway = make_pathway(actor=coordinator, last_name=f"Patient{number}")
        IntakeCall.objects.filter(pathway=pathway).update(
            called_at=datetime(2026, 11, 10 + number, 10, tzinfo=ZoneInfo("Europe/Paris"))
        )
    call = IntakeCall.objects.filter(pathway__isnull=False).first()
    assert call is not None
    call.pk, call.pathway, call.outcome = None, None, "not_included"
    call.called_at = datetime(2026, 11, 20, 9, tzinfo=ZoneInfo("Europe/Paris"))
    call.save()
    return nord_aveyron


def test_the_coordinator_asks_for_the_report_sees_it_prepared_then_downloads_it(
    login, coordinator, november, queue, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    dashboard = client.get(DASHBOARD, {"periode": "2026-11"}).content.decode()
    assert "Préparer le rapport d'activité (PDF)" in dashboard
    assert 'name="periode" value="2026-11"' in dashboard

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REQUEST, {"periode": "2026-11"})
    assert response.status_code == 302 and response.url == REPORTS
    page = flat(client.get(REPORTS).content.decode())
    assert "Le rapport d&#x27;activité (novembre 2026) est en préparation." in page
    assert "Novembre 2026" in page and "en préparation" in page
    assert "prêt — " not in page and "télécharger" not in page
    report = ActivityReport.objects.get()
    assert report.status == ReportStatus.REQUESTED and not report.content
    # Not ready: the download says so instead of serving anything.
    download_url = reverse("indicators:report_download", kwargs={"slug": SLUG, "pk": report.pk})
    assert client.get(download_url).url == REPORTS

    # Asked again while in preparation (a double click): the same report, one render.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REQUEST, {"periode": "2026-11"})
    assert "déjà en préparation" in flat(client.get(REPORTS).content.decode())
    assert ActivityReport.objects.count() == 1
    assert queue.pending_count() == 1

    assert run_queued(queue, django_capture_on_commit_callbacks) == 1

    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.finished_at is not None
    page = flat(client.get(REPORTS).content.decode())
    assert "prêt — <a href" in page and "en préparation" not in page
    response = client.get(download_url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="rapport-activite-cpts-nord-aveyron-2026-11.pdf"'
    )
    assert response["Cache-Control"] == "no-store, private"
    text = flat_pdf_text(response.content)
    assert "CPTS Nord Aveyron" in text
    assert "Rapport d'activité des parcours de soins oncologiques de support" in text
    assert "Période : novembre 2026" in text
    assert "Du 01/11/2026 au 30/11/2026 inclus, heure de Paris." in text
    edited = timezone.localtime(report.edited_at, ZoneInfo("Europe/Paris"))
    day = "1er" if edited.day == 1 else str(edited.day)
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"]
    months += ["septembre", "octobre", "novembre", "décembre"]
    edited_text = f"{day} {months[edited.month - 1]} {edited:%Y} à {edited:%H:%M}"
    assert f"Édité le {edited_text} (heure de Paris)" in text
    assert f"chiffres lus le {edited_text.replace('1er', '1')}" in page
    # The figure, with what it counts over what.
    # (flat_pdf_text makes the narrow no-break space before « % » a plain space)
    assert "Appels reçus et patients inclus 3 sur 4 (75 %)" in text
    assert "appels ayant ouvert un parcours : 3" in text and "appels reçus : 4" in text
    # The chart's table of values, beside it.
    assert "Indicateurs exprimés en part, novembre 2026 : les valeurs du graphique" in text
    assert "Part (%) Appels reçus et patients inclus 75" in text
    # A share with no case on the period is no bar and « — », never 0 %.
    assert "Alertes escaladées — " in text
    # The breakdowns of the dashboard, in the report too (the same partial).
    assert "Répartitions" in text and "Répartition des patients selon le nombre de visites" in text
    # The method note, and the page numbers.
    assert "chiffres exacts de la CPTS, petits effectifs compris" in text
    assert "Protection des petits effectifs" in text
    assert report.page_count > 1
    for number in range(1, report.page_count + 1):
        assert f"Page {number} sur {report.page_count}" in text

    actions = set(
        AuditEntry.objects.filter(actor_id=coordinator.pk).values_list("action", flat=True)
    )
    assert {"indicators.report_request", "indicators.reports", "indicators.report_download"} <= (
        actions
    )
    entry = AuditEntry.objects.filter(action="indicators.report_download").get()
    assert entry.details == {"period": "2026-11", "report": report.pk}


def test_a_custom_period_is_asked_for_by_its_dates(login, coordinator, november, queue):
    client = login(coordinator)
    dashboard = client.get(DASHBOARD, {"du": "2026-11-01", "au": "2026-11-15"}).content.decode()
    assert (
        'name="du" value="2026-11-01"' in dashboard and 'name="au" value="2026-11-15"' in dashboard
    )
    client.post(REQUEST, {"du": "2026-11-01", "au": "2026-11-15"})
    report = ActivityReport.objects.get()
    assert report.period_code == "2026-11-01..2026-11-15"
    assert "Du 01/11/2026 au 15/11/2026" in client.get(REPORTS).content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"periode": "2026-13"}, "Sélectionnez un choix valide"),
        ({"du": "2026-11-01"}, "indiquez la date de début et la date de fin"),
        ({}, "Choisissez la période du rapport."),
    ],
)
def test_a_bad_period_is_refused_in_french_and_asks_for_nothing(
    login, coordinator, nord_aveyron, queue, data, error
):
    response = login(coordinator).post(REQUEST, data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Aucun rapport n'a été demandé" in text and error in text
    assert not ActivityReport.objects.exists()
    assert queue.pending_count() == 0


@pytest.mark.parametrize("persona", ["outsider", "regional", "physician"])
def test_others_get_a_404_and_ask_for_nothing(
    login, request, persona, coordinator, nord_aveyron, queue
):
    report, _ = report_request(
        cpts=nord_aveyron, period=periods.parse("2026-11"), actor=coordinator
    )
    ActivityReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.READY, content=b"%PDF-1.7 secret", filename="r.pdf"
    )
    client = login(request.getfixturevalue(persona))
    download = reverse("indicators:report_download", kwargs={"slug": SLUG, "pk": report.pk})
    assert client.get(REPORTS).status_code == 404
    assert client.get(download).status_code == 404
    assert client.post(REQUEST, {"periode": "2026-10"}).status_code == 404
    assert ActivityReport.objects.count() == 1
    # Another CPTS's coordinator, through her own CPTS's address: still nothing.
    if persona == "outsider":
        own = reverse(
            "indicators:report_download", kwargs={"slug": "cpts-sud-tarn", "pk": report.pk}
        )
        assert client.get(own).status_code == 404
    assert AuditEntry.objects.filter(action="access.denied").exists()


def test_a_requester_who_lost_access_meanwhile_gets_a_failure_that_says_why(
    login, coordinator, coordinating_nurse, nord_aveyron, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(coordinator).post(REQUEST, {"periode": "2026-11"})
    Membership.objects.filter(user=coordinator).delete()
    run_queued(queue, django_capture_on_commit_callbacks)
    report = ActivityReport.objects.get()
    assert report.status == ReportStatus.FAILED and not report.content
    page = flat(login(coordinating_nurse).get(REPORTS).content.decode())
    assert "échec : la personne qui l&#x27;a demandé n&#x27;a plus accès" in page
    assert "prêt — " not in page
    assert NO_LONGER_ALLOWED.startswith("la personne")
    # A failed report does not block a new one.
    with django_capture_on_commit_callbacks(execute=True):
        login(coordinating_nurse).post(REQUEST, {"periode": "2026-11"})
    assert ActivityReport.objects.filter(status=ReportStatus.REQUESTED).count() == 1
    assert run_queued(queue, django_capture_on_commit_callbacks) == 1
    assert ActivityReport.objects.filter(status=ReportStatus.READY).count() == 1


def test_a_render_lost_with_a_stopped_consumer_is_handed_again_once(
    coordinator, nord_aveyron, queue, django_capture_on_commit_callbacks
):
    period = periods.parse("2026-11")
    with django_capture_on_commit_callbacks(execute=True):
        report, queued = report_request(cpts=nord_aveyron, period=period, actor=coordinator)
    assert queued and queue.pending_count() == 1
    queue.storage.flush_all()  # the consumer stopped, the task is lost
    with django_capture_on_commit_callbacks(execute=True):
        assert report_request(cpts=nord_aveyron, period=period, actor=coordinator) == (
            report,
            False,
        )
    assert queue.pending_count() == 0
    ActivityReport.objects.filter(pk=report.pk).update(
        queued_at=timezone.now() - timedelta(minutes=11)
    )
    with django_capture_on_commit_callbacks(execute=True):
        again, queued = report_request(cpts=nord_aveyron, period=period, actor=coordinator)
        report_request(cpts=nord_aveyron, period=period, actor=coordinator)
    assert again == report and queued and queue.pending_count() == 1
    # The same task run twice (a retry) renders once: the second finds it done.
    task = queue.dequeue()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            queue._immediate = True
            try:
                queue.execute(task)
            finally:
                queue._immediate = False
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.content.startswith(b"%PDF")
