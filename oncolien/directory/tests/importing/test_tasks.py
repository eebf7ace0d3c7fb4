"""Imports run as huey tasks: the request queues the work and shows its progress at once.

With a real queue (not the suite's immediate mode) the upload and the apply return
before anything is validated or written; the task runs later, as the user who asked,
and the status page follows it (without JavaScript: a refresh link) until the verdicts
or the outcome, or a French error when it failed.
"""

import os
import time
from html import unescape

import pytest
from django.urls import resolve, reverse

from oncolien.accounts.models import Membership
from oncolien.audit.models import AuditEntry
from oncolien.background.tests.conftest import real_queue, running_consumer, wait_for
from oncolien.directory import tasks
from oncolien.directory.importing import storage
from oncolien.directory.models import Service
from oncolien.directory.tests.importing.files import csv_data, numbered_rows, row
from oncolien.directory.tests.importing.test_views import UPLOAD, token_of, upload, url


@pytest.fixture
def task_storage(tmp_path):
    from huey.storage import SqliteStorage

    return SqliteStorage("oncolien-imports", filename=str(tmp_path / "tasks.sqlite3"))


def token_in(address: str) -> str:
    return resolve(address).kwargs["token"]


def workspace_of(token: str, user) -> storage.Workspace:
    workspace = storage.open_workspace(token, user=user)
    assert workspace is not None
    return workspace


def run_queued(huey) -> None:
    """What a consumer does with the one queued task, in the test's thread."""
    task = huey.dequeue()
    assert task is not None
    getattr(tasks, task.name.rsplit(".", 1)[-1]).call_local(*task.args, **task.kwargs)


@pytest.mark.django_db
def test_the_upload_queues_the_check_and_shows_the_waiting_page_at_once(
    login, coordinator, task_storage
):
    client = login(coordinator)
    with real_queue(task_storage) as huey:
        started = time.monotonic()
        response = upload(client, csv_data(numbered_rows(300)))
        assert time.monotonic() - started < 5
        token = token_in(response.url)
        assert response.url == url("import_status", token)
        workspace = workspace_of(token, coordinator)
        # Nothing is validated in the request: the task waits in the queue.
        assert workspace.verdicts() is None
        assert huey.pending_count() == 1
        [queued] = huey.pending()
        # Only the workspace's name and the job's id travel, never the file or a name in it.
        assert queued.kwargs in (None, {})
        assert all(isinstance(arg, str) and len(arg) < 80 for arg in queued.args)
        assert workspace.path.name in queued.args
        assert "annuaire" not in repr(queued.args)

        page = client.get(response.url)
        html = page.content.decode()
        assert page.status_code == 200
        assert "En attente du traitement en arrière-plan" in html
        assert f'href="{response.url}"' in html  # the refresh link, for a page without script
        assert 'http-equiv="refresh"' not in html  # axe-core refuses a timed refresh
        # The preview is not there yet: it sends back to the status page.
        assert client.get(url("import_preview", token)).url == response.url

        run_queued(huey)

    assert workspace.verdicts() is not None
    done = client.get(response.url)
    assert done.status_code == 302 and done.url == url("import_preview", token)
    assert "Offres — créées : 300" in client.get(done.url).content.decode()


@pytest.mark.django_db
def test_the_status_page_says_how_many_lines_are_done(login, coordinator, task_storage):
    client = login(coordinator)
    with real_queue(task_storage):
        token = token_in(upload(client, csv_data(numbered_rows(3))).url)
        workspace = workspace_of(token, coordinator)
        workspace.claim_job(workspace.job()["id"])
        workspace.write_progress("validation", 120, 400)
        html = client.get(url("import_status", token)).content.decode()
    assert "En cours : 120 lignes sur 400 vérifiées." in html
    assert 'value="30"' in html
    progress = client.get(url("import_progress", token)).json()
    assert (progress["active"], progress["percent"]) == (True, 30)


@pytest.mark.django_db
def test_a_check_that_fails_shows_a_french_error_not_a_page_stuck_in_progress(
    login, coordinator, task_storage, monkeypatch
):
    from oncolien.directory.importing import runs

    def broken(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(runs, "validate", broken)
    client = login(coordinator)
    with real_queue(task_storage) as huey:
        token = token_in(upload(client, csv_data([row()])).url)
        run_queued(huey)
    page = client.get(url("import_status", token))
    html = unescape(page.content.decode())
    assert page.status_code == 200
    assert "La vérification du fichier a échoué à cause d'une erreur inattendue" in html
    assert "En cours" not in html and "En attente" not in html
    assert "disque plein" not in html
    assert reverse("directory:import_upload", kwargs={"slug": "cpts-nord-aveyron"}) in html
    assert client.get(url("import_progress", token)).json()["active"] is False


@pytest.mark.django_db
def test_a_task_whose_worker_died_is_reported_as_interrupted(login, coordinator, task_storage):
    client = login(coordinator)
    with real_queue(task_storage):
        token = token_in(upload(client, csv_data([row()])).url)
    workspace = workspace_of(token, coordinator)
    workspace.claim_job(workspace.job()["id"])  # a worker took it, then vanished
    long_ago = time.time() - storage.STALE_SECONDS - 60
    for name in ("job.json", "progress.json"):
        path = workspace.path / name
        if path.exists():
            os.utime(path, (long_ago, long_ago))
    html = unescape(client.get(url("import_status", token)).content.decode())
    assert "s'est interrompu" in html
    assert "En cours" not in html


@pytest.mark.django_db
def test_the_apply_is_queued_then_written_as_the_user_who_asked(login, coordinator, task_storage):
    client = login(coordinator)
    token = token_of(upload(client, csv_data([row(), row(offre_nom="Deuxième offre")])))
    with real_queue(task_storage) as huey:
        response = client.post(url("import_apply", token))
        assert response.url == url("import_status", token)
        assert not Service.objects.exists()
        assert "En attente" in client.get(response.url).content.decode()
        # A second click does not queue the import twice.
        client.post(url("import_apply", token))
        assert huey.pending_count() == 1
        run_queued(huey)
    assert Service.objects.count() == 2
    assert {record.history_user for record in Service.history.all()} == {coordinator}
    done = client.get(response.url, follow=True)
    assert done.redirect_chain[-1][0] == UPLOAD
    assert "Import appliqué. Offres — créées : 2" in done.content.decode()
    assert client.get(url("import_status", token)).status_code == 404


@pytest.mark.django_db
def test_the_apply_task_refuses_a_user_who_lost_the_right_and_records_it(
    login, coordinator, task_storage
):
    client = login(coordinator)
    token = token_of(upload(client, csv_data([row()])))
    with real_queue(task_storage) as huey:
        client.post(url("import_apply", token))
        Membership.objects.filter(user=coordinator).delete()
        run_queued(huey)
    assert not Service.objects.exists()
    assert AuditEntry.objects.filter(
        action="access.denied", actor_id=coordinator.pk, details__permission="directory.edit"
    ).exists()
    job = workspace_of(token, coordinator).job()
    assert job["state"] == storage.FAILED
    assert "rien n'a été modifié" in job["message"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.consumer
def test_a_running_consumer_checks_then_applies_the_file(login, coordinator, task_storage):
    client = login(coordinator)
    with real_queue(task_storage) as huey:
        response = upload(client, csv_data(numbered_rows(40)))
        token = token_in(response.url)
        workspace = workspace_of(token, coordinator)
        assert workspace.verdicts() is None
        with running_consumer(huey):
            # The test thread watches the file system only while the consumer runs.
            assert wait_for(lambda: (workspace.job() or {}).get("state") == storage.DONE)
        preview = client.get(client.get(response.url).url)
        assert "Offres — créées : 40" in preview.content.decode()

        applying = client.post(url("import_apply", token))
        assert not Service.objects.exists()
        with running_consumer(huey):
            assert wait_for(lambda: (workspace.job() or {}).get("state") == storage.DONE)
    done = client.get(applying.url, follow=True)
    assert "Import appliqué. Offres — créées : 40" in done.content.decode()
    assert Service.objects.count() == 40


@pytest.mark.django_db
def test_a_queue_out_of_reach_is_said_in_french(login, coordinator, monkeypatch):
    def unreachable(*args):
        raise ConnectionError("Redis ne répond pas")

    monkeypatch.setattr(tasks, "check_import", unreachable)
    client = login(coordinator)
    response = upload(client, csv_data([row()]))
    page = client.get(response.url)
    html = unescape(page.content.decode())
    assert page.status_code == 200
    assert "Le traitement en arrière-plan est indisponible pour le moment" in html
    assert "En attente" not in html and "Redis" not in html
