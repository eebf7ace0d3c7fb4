"""A restart of PostgreSQL under a light workload: clean failures, recovery on its own,
no half-written record.

The test starts its own PostgreSQL cluster (the suite's cannot be stopped under it)
and gunicorn with two workers on it, as in production. Threads post monitoring sheets
through the API (each written with its alerts and its audit entry in one transaction)
and read the directory page, the FHIR directory and the API. In the middle PostgreSQL
is stopped (`pg_ctl stop -m fast`, which ends the open sessions as a restart does),
left down for a few seconds and started again; gunicorn is never restarted.

Then:
- every answer was a success or the 503 of its kind (French page, the API's JSON
  error, a FHIR OperationOutcome), never a 500 or a stack;
- each kind of request met the outage, and succeeded again once the database was
  back, with the same gunicorn process;
- every sheet answered 201 is in the database; a sheet answered 503 is absent or
  complete (its alert and its audit entry are there too); nothing else is there;
- the audit chain verifies (`manage.py audit_verify`).

PostgreSQL only: on SQLite there is no server to restart.
"""

import json
import os
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

import psycopg
import pytest

from tests.deployment.pg_restart import PYTHON, ROOT, Cluster, postgres_bin, prepare
from tests.deployment.pg_restart import server_env as make_server_env
from tests.deployment.servers import start_app_server, wait_until_serving

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres") or postgres_bin() is None,
    reason="Test de panne de PostgreSQL : il ne tourne que dans la passe PostgreSQL "
    "(make test-postgres), sur une grappe qu'il démarre et arrête lui-même.",
)

OUTAGE_SECONDS = 3.0
# Requests started this long after PostgreSQL answers again must all succeed.
RECOVERY_GRACE_SECONDS = 1.5
FRENCH_OUTAGE = "Le service est momentanément indisponible"
FEVER = 39.0


@dataclass
class Answer:
    kind: str
    started: float
    status: int
    body: str
    content_type: str
    marker: str = ""


@dataclass
class Workload:
    base_port: int
    token: str
    pathways: list[int]
    answers: list[Answer] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def request(self, kind: str, method: str, path: str, body=None, headers=None, marker=""):
        started = time.monotonic()
        connection = HTTPConnection("127.0.0.1", self.base_port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            answer = Answer(
                kind,
                started,
                response.status,
                response.read().decode("utf-8", "replace"),
                response.getheader("Content-Type", ""),
                marker,
            )
        except OSError as error:  # the server itself must stay up: a failure too
            answer = Answer(kind, started, 0, f"{type(error).__name__}: {error}", "", marker)
        finally:
            connection.close()
        with self.lock:
            self.answers.append(answer)

    def writer(self, number: int) -> None:
        """Monitoring sheets of one pathway, one in three with a fever (an alert)."""
        pathway = self.pathways[number]
        auth = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        sent = 0
        while not self.stop.is_set():
            marker = f"panne-{number}-{sent}"
            sheet = {
                "weight_kg": 70,
                "temperature_c": FEVER if sent % 3 == 0 else 37.0,
                "pain_score": 2,
                "observations": marker,
            }
            self.request(
                "écriture API",
                "POST",
                f"/api/v1/pathways/{pathway}/records",
                json.dumps(sheet),
                auth,
                marker,
            )
            sent += 1

    def reader(self) -> None:
        words = ["dieteticien", "psychologue", "douleur", "sophrologie", "activite"]
        auth = {"Authorization": f"Bearer {self.token}"}
        turn = 0
        while not self.stop.is_set():
            word = urllib.parse.quote(f"{words[turn % len(words)]} {turn}")
            self.request("page HTML", "GET", f"/annuaire/?q={word}")
            self.request("FHIR", "GET", f"/fhir/Organization?_id={turn + 1}")
            pathway = self.pathways[turn % len(self.pathways)]
            self.request("lecture API", "GET", f"/api/v1/pathways/{pathway}/records", None, auth)
            turn += 1


def is_clean_outage(answer: Answer) -> bool:
    """The 503 of its kind, in French, without a stack."""
    if answer.status != 503 or "Traceback" in answer.body:
        return False
    if answer.kind == "page HTML":
        return answer.content_type.startswith("text/html") and FRENCH_OUTAGE in answer.body
    try:
        body = json.loads(answer.body)
    except ValueError:
        return False
    if answer.kind == "FHIR":
        issue = body.get("issue", [{}])[0]
        return (
            body.get("resourceType") == "OperationOutcome"
            and issue.get("code") == "transient"
            and FRENCH_OUTAGE in issue.get("diagnostics", "")
        )
    return body.get("detail", "").startswith(FRENCH_OUTAGE) and body.get("errors") == []


def wait_for(condition, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.1)


def stored_sheets(database_url: str) -> dict[str, dict]:
    """Each stored test sheet by its marker, with its alerts and audit entries counted."""
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            """
            SELECT r.observations, r.id, r.temperature_c,
                   (SELECT count(*) FROM pathways_alert a WHERE a.record_id = r.id),
                   (SELECT count(*) FROM audit_auditentry e
                     WHERE e.action = 'monitoring.create' AND e.details->>'record' = r.id::text)
              FROM pathways_monitoringrecord r
             WHERE r.observations LIKE 'panne-%%'
            """
        ).fetchall()
    return {
        marker: {"id": pk, "fever": float(temperature) >= 38.5, "alerts": alerts, "audit": audit}
        for marker, pk, temperature, alerts, audit in rows
    }


@pytest.fixture
def served(tmp_path: Path):
    cluster = Cluster()
    server = None
    try:
        cluster.start()
        cluster.create_database()
        env = make_server_env(cluster.url, str(tmp_path))
        data = prepare(env)
        server = start_app_server("gunicorn", env=env, directory=tmp_path, workers=2)
        wait_until_serving(server)
        yield cluster, server, env, data
    finally:
        if server is not None:
            server.stop()
        cluster.remove()


def test_a_restart_of_postgresql_fails_cleanly_and_loses_nothing(served):
    cluster, server, env, data = served
    workload = Workload(
        int(urllib.parse.urlsplit(server.url).port or 0), str(data["token"]), list(data["pathways"])
    )
    threads = [threading.Thread(target=workload.writer, args=(n,)) for n in range(3)]
    threads.append(threading.Thread(target=workload.reader))
    kinds = ["écriture API", "lecture API", "page HTML", "FHIR"]

    def succeeded_since(moment: float):
        def check():
            with workload.lock:
                done = {a.kind for a in workload.answers if a.started >= moment and a.status < 400}
            return done >= set(kinds)

        return check

    gunicorn_pid = server.popen.pid
    for thread in threads:
        thread.start()
    try:
        wait_for(succeeded_since(0), 120, "la charge n'a pas démarré")
        cluster.stop("fast")
        stopped_at = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        cluster.start()
        back_at = time.monotonic()
        wait_for(
            succeeded_since(back_at + RECOVERY_GRACE_SECONDS),
            30,
            "le service ne s'est pas rétabli seul après le redémarrage de PostgreSQL",
        )
        time.sleep(1.0)
    finally:
        workload.stop.set()
        for thread in threads:
            thread.join(timeout=40)

    answers = list(workload.answers)
    unclean = [a for a in answers if a.status >= 400 and not is_clean_outage(a)]
    assert not unclean, "réponses qui ne sont pas une erreur propre :\n" + "\n".join(
        f"{a.kind} {a.status} {a.content_type} {a.body[:300]!r}" for a in unclean[:5]
    )
    during = [a for a in answers if stopped_at <= a.started <= back_at]
    for kind in kinds:
        assert any(a.kind == kind and a.status == 503 for a in during), (
            f"{kind} : aucune requête n'a rencontré la panne"
        )
    late_failures = [
        a for a in answers if a.started >= back_at + RECOVERY_GRACE_SECONDS and a.status >= 400
    ]
    assert not late_failures, f"{len(late_failures)} échec(s) une fois la base revenue"
    assert server.popen.poll() is None and server.popen.pid == gunicorn_pid

    # No half-written sheet: each answered 201 is whole; each answered 503 is absent or
    # whole; nothing was stored that was not sent.
    writes = [a for a in answers if a.kind == "écriture API"]
    accepted = {a.marker for a in writes if a.status == 201}
    refused = {a.marker for a in writes if a.status == 503}
    stored = stored_sheets(cluster.url)
    assert accepted and refused
    assert accepted <= set(stored), "une fiche acceptée (201) manque en base"
    assert set(stored) <= accepted | refused, "une fiche jamais envoyée est en base"
    for marker, sheet in stored.items():
        assert sheet["audit"] == 1, f"{marker} : {sheet['audit']} entrée(s) d'audit"
        assert sheet["alerts"] == (1 if sheet["fever"] else 0), f"{marker} : alertes"
    verified = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "audit_verify"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Journal d'audit intègre" in verified.stdout
