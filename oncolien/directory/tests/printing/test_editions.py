"""The printable directory is rendered by the task queue and kept: a public download
serves the kept edition at once and never lays out a PDF in the request."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from oncolien.directory.models import PrintedEdition, Service
from oncolien.directory.printing import editions_refresh
from oncolien.directory.services import service_save
from oncolien.directory.tests.factories import curator, make_service
from oncolien.territories.services import cpts_create
from tests.pdf import flat_pdf_text
from tests.queue import run_the_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def cpts(base_data):
    cpts = cpts_create(name="CPTS Test Édition", commune_codes=["12096", "12119"])
    make_service(
        cpts=cpts,
        name="Consultations diététiques en oncologie",
        organization="Cabinet de diététique du Lot",
        care_types=["nutrition"],
        commune="12096",
    )
    return cpts


def download(client, cpts):
    return client.get(reverse("directory:cpts_pdf", kwargs={"slug": cpts.slug}))


def test_before_the_first_edition_the_download_says_it_is_being_prepared_and_queues_it(
    client, cpts, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = download(client, cpts)

    # Nothing was laid out in the request: a French page, and a render waits in the queue.
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Édition en préparation" in response.text
    assert response["Retry-After"] == "10"
    assert not PrintedEdition.objects.get(cpts=cpts).is_ready
    assert queue.pending_count() == 1

    # A second download while it waits queues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert "Édition en préparation" in download(client, cpts).text
    assert queue.pending_count() == 1

    assert run_the_queue(queue) == 1
    response = download(client, cpts)
    assert response["Content-Type"] == "application/pdf"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'inline; filename="annuaire-soins-de-support-{cpts.slug}-{today:%Y-%m-%d}.pdf"'
    )
    text = flat_pdf_text(response.content)
    assert "CPTS Test Édition" in text
    assert "Consultations diététiques en oncologie" in text
    assert "Last-Modified" in response


def test_a_download_serves_the_kept_file_without_rendering_it_again(
    client, cpts, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        download(client, cpts)
    run_the_queue(queue)
    edition = PrintedEdition.objects.get(cpts=cpts)

    with django_capture_on_commit_callbacks(execute=True):
        responses = [download(client, cpts) for _ in range(3)]

    assert all(response.content == bytes(edition.content) for response in responses)
    assert queue.pending_count() == 0
    edition.refresh_from_db()
    assert edition.render_seconds is not None and edition.page_count >= 2


def test_a_change_of_the_directory_queues_a_new_edition_and_the_kept_one_is_served_meanwhile(
    client, cpts, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        download(client, cpts)
    run_the_queue(queue)
    service = Service.objects.get(name="Consultations diététiques en oncologie")
    service_save(
        actor=curator(),
        organization=service.organization,
        service=service,
        name="Consultations de diététique près de chez vous",
        care_types=list(service.care_types.all()),
        locations=list(service.locations.all()),
    )

    with django_capture_on_commit_callbacks(execute=True):
        meanwhile = download(client, cpts)

    # The kept edition still answers at once, and a new one waits in the queue.
    assert "Consultations diététiques en oncologie" in flat_pdf_text(meanwhile.content)
    assert queue.pending_count() == 1
    run_the_queue(queue)
    text = flat_pdf_text(download(client, cpts).content)
    assert "Consultations de diététique près de chez vous" in text
    assert "Consultations diététiques en oncologie" not in text


def test_the_periodic_pass_renders_only_the_editions_that_are_behind(cpts):
    from oncolien.directory.tasks import render_edition

    render_edition(cpts.pk)  # immediate mode: rendered now
    assert editions_refresh() == []

    # A new day: the kept edition is dated before it.
    assert editions_refresh(today=timezone.localdate() + timedelta(days=1)) == [cpts.pk]

    make_service(
        cpts=cpts,
        name="Atelier d'activité physique adaptée",
        organization="Association Sport Santé",
        care_types=["physical_activity"],
        commune="12119",
    )
    assert editions_refresh() == [cpts.pk]
    edition = PrintedEdition.objects.get(cpts=cpts)
    assert "Atelier d'activité physique adaptée" in flat_pdf_text(bytes(edition.content))
    assert editions_refresh() == []
