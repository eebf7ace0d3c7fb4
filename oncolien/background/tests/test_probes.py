"""Liveness and readiness probes (issue 13): public JSON, 200 or 503, no patient data."""

import os
import shutil
import socket
import subprocess
import time

import pytest
from django.utils import timezone

from oncolien.background.models import Heartbeat
from oncolien.background.services import CONSUMER

pytestmark = pytest.mark.django_db


@pytest.fixture
def beating(db):
    Heartbeat.objects.update_or_create(name=CONSUMER, defaults={"beat_at": timezone.now()})


def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/sante/vivant/")
    assert response.status_code == 200
    assert response.json()["statut"] == "ok"
    assert "no-store" in response["Cache-Control"]


def test_ready_when_the_database_answers_and_the_consumer_beats(client, beating, settings):
    settings.REDIS_URL = ""
    response = client.get("/sante/pret/")
    assert response.status_code == 200
    body = response.json()
    assert body["statut"] == "ok"
    assert set(body["verifications"]) == {"base_de_donnees", "file_de_taches"}


def test_not_ready_when_the_consumer_never_beat(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/sante/pret/")
    assert response.status_code == 503
    body = response.json()
    assert body["statut"] == "indisponible"
    assert body["verifications"]["file_de_taches"]["statut"] == "erreur"
    assert body["verifications"]["base_de_donnees"]["statut"] == "ok"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_not_ready_when_redis_does_not_answer(client, beating, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_free_port()}/0"  # nothing listens there
    response = client.get("/sante/pret/")
    assert response.status_code == 503
    assert response.json()["verifications"]["redis"] == {
        "statut": "erreur",
        "message": "Redis ne répond pas (ConnectionError).",
    }


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_ready_with_a_real_redis(client, beating, settings, tmp_path):
    port = _free_port()
    pidfile = tmp_path / "redis.pid"
    subprocess.run(
        [
            "redis-server",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--pidfile",
            str(pidfile),
            "--dir",
            str(tmp_path),
        ],
        check=True,
    )
    try:
        for _ in range(50):
            if pidfile.exists():
                break
            time.sleep(0.1)
        settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
        for _ in range(50):
            response = client.get("/sante/pret/")
            if response.status_code == 200:
                break
            time.sleep(0.1)
        assert response.status_code == 200
        assert response.json()["verifications"]["redis"]["statut"] == "ok"
    finally:
        if pidfile.exists():
            os.kill(int(pidfile.read_text()), 15)


def test_probes_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/sante/vivant/").status_code == 200
    assert client.get("/annuaire/").status_code == 301
