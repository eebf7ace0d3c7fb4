"""Load test (locust): a mixed workload at 10, 25 and 50 users on the production setup,
and 25 users on SQLite.

The production setup, built here from nothing on 127.0.0.1: a throw-away PostgreSQL
cluster (as scripts/with-postgres.sh makes one), the migrations, `setup_demo` (the
reference data, the communes of Occitanie and PACA, the demo territory, directory,
accounts and pathways), then volume — 5,000 synthetic directory services, and in CPTS
Nord Aveyron 10 coordinating nurses with 150 pathways each and 30 monitoring sheets
per pathway (45,000 sheets and their alerts); gunicorn with (2 × cores) + 1 workers, as
scripts/serve.sh starts it, and the huey consumer beside it, the queue on Redis when
redis-server exists.

Each simulated user (locust `FastHttpUser`, driven as a library in a subprocess,
headless) waits 0.5 to 1.5 s between two requests, as a person or a polling client
does; three users in five are anonymous visitors, two are coordinating nurses:

- visitors: the directory page (`/annuaire/?q=…&commune=…`), the API search, HSDS
  listings and FHIR searches, with words, communes and pages drawn at random;
- nurses (logged in with the form, 2FA off, before the measure starts): the worklist,
  their pathways' pages, a monitoring sheet through the nurse's form (one-time token)
  or through the API (session and CSRF header), and its records in the API.

For each level: throughput, p50/p95/p99 and the error rate over 30 s after a ramp-up
and the log-ins (not measured), then the slowest pages by p95. Targets (issue 13):
PostgreSQL, 50 users: no error and p95 ≤ 200 ms; SQLite, 25 users: no « database is
locked » (in the answers or the server's log) and no error.

The machine is shared: the figures move with the other processes' load (printed) and
with the speed its processor is given that day. Two baselines measured in the same run
say which: a fixed pure-Python loop (the processor's speed right now), and an idle pass
(2 users without pauses, 20 s) on the same server, whose per-page p50 is printed beside
each slow page's p95 under load (the ratio is the waiting the load adds).

    .venv/bin/python bench/load.py [--seconds 30] [--levels 10,25,50] [--sqlite-users 25]
    .venv/bin/python bench/load.py --no-sqlite      # PostgreSQL levels only
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

# The ports given to this bench on the shared machine (app servers, Redis).
APP_PORTS = range(8870, 8890)
REDIS_PORTS = range(6400, 6410)
NURSES = 10
PATHWAYS_PER_NURSE = 150
SHEETS_PER_PATHWAY = 30
SERVICES = 5_000
# scripts/serve.sh's count, gunicorn's rule for sync workers: (2 × cores) + 1.
WORKERS = 2 * (os.cpu_count() or 1) + 1
MAX_P95_MS = 200.0
# A person's pause between two requests (seconds); the idle pass hardly pauses.
THINK = (0.5, 1.5)
IDLE_THINK = (0.0, 0.05)
IDLE_USERS, IDLE_SECONDS = 2, 20.0
LOCKED = "database is locked"
WORDS = [
    "diet", "dieteticien", "psychologue", "douleur", "sophrologie", "activite physique",
    "nutrition", "socio-esthetique", "kine", "yoga", "fertilite", "sexologie", "tabac",
    "aidants", "assistante sociale", "apa", "onco", "soutien",
]  # fmt: skip
CARE_TYPES = ["nutrition", "psychological", "pain", "social", "physical_activity"]


def thousands(number: float) -> str:
    return f"{number:,.0f}".replace(",", "\u202f")


def port_from(ports: range) -> int:
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"Aucun port libre entre {ports.start} et {ports.stop - 1}.")


# --- Preparation (in a subprocess with Django) ---------------------------------------------


def prepare_here(out: str) -> None:
    """setup_demo, then the volume, then what the load driver needs, written to `out`."""
    import django

    django.setup()
    from datetime import date, timedelta
    from decimal import Decimal
    from io import StringIO

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from bench.pathways_pages import sheet_values
    from bench.synthetic_directory import generate
    from oncolien.accounts.models import Membership, Role, User
    from oncolien.pathways import alerts as rules
    from oncolien.pathways.models import (
        Alert,
        CareTeamMember,
        Consent,
        MonitoringRecord,
        Pathway,
        Patient,
    )
    from oncolien.territories.models import Cpts

    started = time.perf_counter()
    call_command("setup_demo", stdout=StringIO())
    print(f"  setup_demo en {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    made = generate(SERVICES, seed=13, departments=["12", "31", "81"])
    print(
        f"  {thousands(made.services)} offres synthétiques en {time.perf_counter() - started:.0f} s",
        flush=True,
    )

    started = time.perf_counter()
    rng = random.Random(13)
    cpts = Cpts.objects.get(slug="cpts-nord-aveyron")
    communes = list(cpts.communes.all())
    password = "charge-" + os.urandom(6).hex()
    hashed = make_password(password)
    now = timezone.now()
    nurses = []
    sheets = alerts = 0
    for n in range(NURSES):
        with transaction.atomic():
            nurse = User.objects.create(
                username=f"idec.charge-{n:02d}",
                first_name="Infirmière",
                last_name=f"Charge {n:02d}",
                email=f"idec.charge-{n:02d}@x.invalid",
                password=hashed,
            )
            Membership.objects.create(user=nurse, role=Role.COORDINATING_NURSE, cpts=cpts)
            patients = Patient.objects.bulk_create(
                Patient(
                    last_name=f"Charge-{n}-{i}",
                    first_name=rng.choice(["Jeanne", "Paul", "Marie", "Louis", "Anne"]),
                    birth_date=date(1940, 1, 1) + timedelta(days=rng.randint(0, 365 * 45)),
                    sex=rng.choice("FM"),
                    commune=rng.choice(communes),
                )
                for i in range(PATHWAYS_PER_NURSE)
            )
            pathways = Pathway.objects.bulk_create(
                Pathway(
                    patient=patient,
                    cpts=cpts,
                    status=rng.choice(["included", "followed", "followed", "followed"]),
                    intake_channel=rng.choice(["phone_line", "gp", "oncologist"]),
                    first_contact_on=date(2025, 1, 1) + timedelta(days=rng.randint(0, 600)),
                    reference_weight_kg=Decimal(rng.randint(500, 900)) / 10,
                    created_by=nurse,
                )
                for patient in patients
            )
            CareTeamMember.objects.bulk_create(
                CareTeamMember(pathway=p, role="coordinating_nurse", user=nurse, name="IDEC")
                for p in pathways
            )
            Consent.objects.bulk_create(
                Consent(pathway=p, informed_on=p.first_contact_on, recorded_by=nurse)
                for p in pathways
            )
            records = MonitoringRecord.objects.bulk_create(
                MonitoringRecord(
                    pathway=p,
                    author=nurse,
                    recorded_at=now - timedelta(hours=rng.randint(1, 48) + 24 * 7 * i),
                    **sheet_values(rng, p.reference_weight_kg),
                )
                for p in pathways
                for i in range(SHEETS_PER_PATHWAY)
            )
            by_pk = {p.pk: p for p in pathways}
            raised = [
                Alert(
                    pathway_id=r.pathway_id,
                    record=r,
                    rule=rule.code,
                    severity=rule.severity,
                    message=rule.message(r, context),
                    raised_at=r.recorded_at,
                    acknowledged_at=r.recorded_at + timedelta(hours=2)
                    if now - r.recorded_at > timedelta(days=2)
                    else None,
                    acknowledged_by=nurse if now - r.recorded_at > timedelta(days=2) else None,
                )
                for r in records
                for context in [
                    rules.Context(reference_weight_kg=by_pk[r.pathway_id].reference_weight_kg)
                ]
                for rule in rules.breached_rules(r, context)
            ]
            Alert.objects.bulk_create(raised)
        sheets += len(records)
        alerts += len(raised)
        nurses.append({"username": nurse.username, "pathways": [p.pk for p in pathways]})
    print(
        f"  {NURSES} IDEC, {thousands(NURSES * PATHWAYS_PER_NURSE)} parcours, "
        f"{thousands(sheets)} fiches, {thousands(alerts)} alertes "
        f"en {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    # An INSEE code that is also a postal code shared by several communes is ambiguous
    # to the search (it answers 422 with the candidates): those are not typed here.
    from oncolien.territories.models import CommunePostalCode

    postal = set(CommunePostalCode.objects.values_list("code", flat=True))
    insee = [c.insee_code for c in communes if c.insee_code not in postal][:40]
    Path(out).write_text(
        json.dumps({"password": password, "nurses": nurses, "communes": insee}),
        encoding="utf-8",
    )


# --- The load driver (in a subprocess: locust patches the standard library with gevent) ---


def drive(
    host: str, data_file: str, users: int, seconds: float, out: str, think: tuple[float, float]
) -> None:
    import gevent
    from locust import FastHttpUser, between, task
    from locust.env import Environment

    data = json.loads(Path(data_file).read_text(encoding="utf-8"))
    nurses = list(data["nurses"])
    communes = data["communes"]
    token_field = re.compile(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"')
    paris = ZoneInfo("Europe/Paris")
    # Nurses who went through their log-in (refused or not): measured only once all have.
    logged_in = [0]

    class Visitor(FastHttpUser):
        weight = 3
        wait_time = between(*think)

        @task(4)
        def directory_page(self) -> None:
            word, commune = random.choice(WORDS), random.choice(communes)
            self.client.get(
                f"/annuaire/?q={word}&commune={commune}&radius=20", name="/annuaire/?q=…"
            )

        @task(3)
        def api_search(self) -> None:
            word, commune = random.choice(WORDS), random.choice(communes)
            self.client.get(
                f"/api/v1/directory/services?q={word}&commune={commune}&radius_km=20",
                name="/api/v1/directory/services?q=…",
            )

        @task(2)
        def hsds(self) -> None:
            self.client.get(f"/hsds/services?page={random.randint(1, 20)}", name="/hsds/services")

        @task(2)
        def fhir(self) -> None:
            code = random.choice(CARE_TYPES)
            self.client.get(
                f"/fhir/HealthcareService?service-category={code}",
                name="/fhir/HealthcareService?service-category=…",
            )

    class Nurse(FastHttpUser):
        weight = 2
        wait_time = between(*think)

        def on_start(self) -> None:
            self.account = nurses.pop(0) if nurses else random.choice(data["nurses"])
            page = self.client.get("/compte/connexion/", name="connexion")
            fields = dict(token_field.findall(page.text or ""))
            with self.client.post(
                "/compte/connexion/",
                data={
                    "username": self.account["username"],
                    "password": data["password"],
                    "csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", ""),
                },
                name="connexion",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                # A refused log-in shows the form again (200); a good one redirects.
                if response.status_code != 302:
                    response.failure(f"connexion refusée : HTTP {response.status_code}")
            logged_in[0] += 1

        def pathway(self) -> int:
            return int(random.choice(self.account["pathways"]))

        def csrf(self) -> str:
            for cookie in self.client.cookiejar:
                if cookie.name == "csrftoken":
                    return str(cookie.value)
            return ""

        @task(3)
        def worklist(self) -> None:
            self.client.get("/parcours/", name="/parcours/ (liste de travail)")

        @task(4)
        def pathway_page(self) -> None:
            self.client.get(f"/parcours/{self.pathway()}/", name="/parcours/<id>/")

        @task(1)
        def sheet_by_form(self) -> None:
            pk = self.pathway()
            url = f"/parcours/{pk}/fiches/nouvelle/"
            page = self.client.get(url, name="/parcours/<id>/fiches/nouvelle/ (formulaire)")
            fields = dict(token_field.findall(page.text or ""))
            with self.client.post(
                url,
                data={
                    **fields,
                    "recorded_at": datetime.now(paris).strftime("%Y-%m-%dT%H:%M"),
                    "weight_kg": "68.5",
                    "systolic_bp": "125",
                    "diastolic_bp": "80",
                    "pulse_bpm": "72",
                    "saturation_pct": "97",
                    "temperature_c": random.choice(["36.9", "37.2", "38.9"]),
                    "vomiting": "none",
                    "pain_score": str(random.randint(0, 7)),
                    "venous_access": "none",
                    "observations": "Passage de charge.",
                },
                name="/parcours/<id>/fiches/nouvelle/ (envoi)",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302:
                    response.failure(f"fiche refusée : HTTP {response.status_code}")

        @task(1)
        def sheet_by_api(self) -> None:
            self.client.post(
                f"/api/v1/pathways/{self.pathway()}/records",
                json={
                    "weight_kg": 69.0,
                    "temperature_c": random.choice([36.8, 37.4, 39.1]),
                    "pain_score": random.randint(0, 7),
                    "observations": "Passage de charge (API).",
                },
                headers={"X-CSRFToken": self.csrf(), "Referer": host + "/"},
                name="/api/v1/pathways/<id>/records",
            )

        @task(2)
        def records_api(self) -> None:
            self.client.get(
                f"/api/v1/pathways/{self.pathway()}/records",
                name="/api/v1/pathways/<id>/records",
            )

    env = Environment(user_classes=[Visitor, Nurse], host=host)
    runner = env.create_local_runner()
    ramp = max(2.0, users / 10)
    runner.start(users, spawn_rate=users / ramp)
    # The ramp-up and the log-ins (Argon2, on purpose slow) are not measured.
    gevent.sleep(ramp)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and (
        runner.spawning_greenlet is not None
        and not runner.spawning_greenlet.dead
        or logged_in[0] < runner.user_classes_count.get("Nurse", 0)
    ):
        gevent.sleep(0.5)
    gevent.sleep(2)
    before_reset = env.stats.total.num_requests
    env.stats.reset_all()
    measured_from = time.monotonic()
    gevent.sleep(seconds)
    elapsed = time.monotonic() - measured_from
    runner.stop()
    total = env.stats.total
    all_requests = total.num_requests + before_reset
    by_name = [
        {
            "name": f"{entry.method} {entry.name}" if entry.method != "GET" else entry.name,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50": entry.get_response_time_percentile(0.5),
            "p95": entry.get_response_time_percentile(0.95),
        }
        for entry in env.stats.entries.values()
        if entry.num_requests
    ]
    errors = [
        {"name": e.name, "error": str(e.error)[:200], "count": e.occurrences}
        for e in env.stats.errors.values()
    ]
    Path(out).write_text(
        json.dumps(
            {
                "requests": total.num_requests,
                "all_requests": all_requests,
                "failures": total.num_failures,
                "rps": total.num_requests / elapsed,
                "p50": total.get_response_time_percentile(0.5),
                "p95": total.get_response_time_percentile(0.95),
                "p99": total.get_response_time_percentile(0.99),
                "by_name": by_name,
                "errors": errors,
            }
        ),
        encoding="utf-8",
    )
    runner.quit()


# --- The production setup ------------------------------------------------------------------


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn s'est arrêté au démarrage.")
        try:
            with urllib.request.urlopen(f"{url}/api/v1/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn ne répond pas.")


@contextmanager
def redis_server(directory: str):
    """A Redis of our own for the task queue, when redis-server is installed."""
    if shutil.which("redis-server") is None:
        yield ""
        return
    port = port_from(REDIS_PORTS)
    pidfile = Path(directory) / "redis.pid"
    subprocess.run(
        [
            "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--daemonize", "yes", "--pidfile", str(pidfile),
            "--dir", directory,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        for _ in range(50):
            if pidfile.exists():
                break
            time.sleep(0.1)
        if pidfile.exists():
            os.kill(int(pidfile.read_text().strip()), 15)


@contextmanager
def serving(env: dict[str, str], log_path: Path, workers: int = WORKERS):
    """gunicorn (`workers` workers) and the huey consumer, as scripts/serve.sh runs them."""
    port = port_from(APP_PORTS)
    log = log_path.open("w")
    consumer = subprocess.Popen(
        [PYTHON, str(ROOT / "manage.py"), "run_huey"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"), "oncolien.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120",
            "--error-logfile", "-",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server)
        yield url, [server.pid, consumer.pid]
    finally:
        for process in (server, consumer):
            process.terminate()
        for process in (server, consumer):
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def prepare(env: dict[str, str], data_file: Path) -> None:
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    print(f"  migrations en {time.perf_counter() - started:.0f} s", flush=True)
    subprocess.run(
        [PYTHON, "-u", str(Path(__file__)), "--prepare", str(data_file)],
        env=env,
        cwd=ROOT,
        check=True,
    )


def cpu_seconds(roots: list[int]) -> float:
    """Processor time used so far by these processes and all their children."""
    import psutil

    total = 0.0
    for pid in roots:
        try:
            root = psutil.Process(pid)
            for process in [root, *root.children(recursive=True)]:
                times = process.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


# The request's line of the server log (oncolien/web/request_log.py).
REQUEST_LINE = re.compile(
    r"oncolien\.requests \[\w+\] (?P<method>[A-Z]+) (?P<path>\S+) \d+ (?P<wall>[\d.]+) ms "
    r"\(processeur (?P<cpu>[\d.]+) ms, (?P<queries>\d+) requêtes SQL (?P<db>[\d.]+) ms\)"
)


def server_side(log_path: Path, offset: int) -> dict[str, dict[str, float]]:
    """Per page, from the server's own lines written since `offset` (the level's ramp-up
    and log-ins included): the mean time in the worker, of which processor time, waiting
    for SQL answers (and how many queries), and the rest (waiting for a processor or a
    lock)."""
    pages: dict[str, list[tuple[float, ...]]] = {}
    with log_path.open(encoding="utf-8", errors="replace") as log:
        log.seek(offset)
        for line in log:
            found = REQUEST_LINE.search(line)
            # The health probe is the bench's own, while the server starts.
            if found is None or found["path"].startswith("/api/v1/health"):
                continue
            page = f"{found['method']} {re.sub(r'/[0-9]+', '/<id>', found['path'])}"
            values = (float(found["wall"]), float(found["cpu"]), float(found["db"]))
            pages.setdefault(page, []).append((*values, float(found["queries"])))
    return {
        page: {
            "count": len(rows),
            **{
                name: sum(row[i] for row in rows) / len(rows)
                for i, name in enumerate(("wall", "cpu", "db", "queries"))
            },
        }
        for page, rows in pages.items()
    }


def cpu_calibration_ms() -> float:
    """The best of five runs of a fixed pure-Python workload, in ms: how fast this
    shared machine's processor is right now. The same code's figures from two days are
    compared through it (docs/SCALING.md)."""
    import hashlib

    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        data, table = b"x" * 1024, {}
        for i in range(20_000):
            data = hashlib.sha256(data).digest() * 32
            table[str(i % 997)] = f"{i}:{len(data)}".split(":")
        best = min(best, time.process_time() - started)
    return 1000 * best


def run_level(
    url: str,
    data_file: Path,
    users: int,
    seconds: float,
    roots: list[int],
    log_path: Path,
    think: tuple[float, float] = THINK,
) -> dict:
    """One level; with the processor time the server side (gunicorn, huey, PostgreSQL)
    spent per request, a figure the other processes of a shared machine barely move,
    and the server's own account of its slowest pages."""
    out = data_file.with_name(f"level-{users}-{time.monotonic_ns()}.json")
    cpu_before = cpu_seconds(roots)
    log_offset = log_path.stat().st_size if log_path.exists() else 0
    subprocess.run(
        [
            PYTHON, str(Path(__file__)), "--drive", url, "--data", str(data_file),
            "--users", str(users), "--seconds", str(seconds), "--out", str(out),
            "--think", f"{think[0]},{think[1]}",
        ],
        cwd=ROOT,
        check=True,
    )  # fmt: skip
    result = dict(json.loads(out.read_text(encoding="utf-8")))
    # Includes the ramp-up and log-ins, so an upper bound of the cost of one request.
    result["cpu_ms"] = 1000 * (cpu_seconds(roots) - cpu_before) / max(result["all_requests"], 1)
    result["server"] = server_side(log_path, log_offset)
    return result


def show(label: str, result: dict, idle: dict | None = None) -> None:
    """A level's figures; with `idle` (the idle pass on the same server), each slow
    page's p95 under load beside its p50 with hardly anyone else: the ratio is the
    waiting the load adds, whatever the machine's speed that day."""
    rate = 100 * result["failures"] / max(result["requests"], 1)
    print(
        f"  {label:<22} {result['rps']:6.1f} req/s  p50 {result['p50']:5.0f} ms  "
        f"p95 {result['p95']:5.0f} ms  p99 {result['p99']:5.0f} ms  "
        f"erreurs {result['failures']}/{result['requests']} ({rate:.2f} %)  "
        f"charge machine {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    print(
        f"      processeur côté serveur : {result['cpu_ms']:.1f} ms par requête, soit au plus "
        f"≈ {2000 / max(result['cpu_ms'], 0.1):.0f} req/s sur 2 cœurs libres"
    )
    slowest = sorted(result["by_name"], key=lambda entry: -entry["p95"])[:4]
    alone = {entry["name"]: entry for entry in (idle or {}).get("by_name", [])}
    for entry in slowest:
        baseline = alone.get(entry["name"])
        print(
            f"      {entry['name']:<48} p50 {entry['p50']:5.0f} ms  p95 {entry['p95']:5.0f} ms"
            f"  ({entry['requests']} req., {entry['failures']} err.)"
            + (
                f"  à vide p50 {baseline['p50']:4.0f} ms (p95 × "
                f"{entry['p95'] / max(baseline['p50'], 1):.1f})"
                if baseline
                else ""
            )
        )
    # The server's account (its log) of the pages that took its workers longest in all.
    heaviest = sorted(
        result.get("server", {}).items(), key=lambda item: -item[1]["wall"] * item[1]["count"]
    )[:3]
    if heaviest:
        print("      côté serveur (moyennes par page, journal du serveur) :")
    for page, mean in heaviest:
        print(
            f"      {page:<48} {mean['wall']:5.0f} ms = processeur {mean['cpu']:4.0f} + "
            f"SQL {mean['db']:4.0f} ({mean['queries']:.0f} req.) + "
            f"attente {mean['wall'] - mean['cpu'] - mean['db']:4.0f}"
        )
    for error in result["errors"][:5]:
        print(f"      erreur ×{error['count']} {error['name']} : {error['error']}")


def base_env(var_dir: str, database_url: str, redis_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "ONCOLIEN_VAR_DIR": var_dir,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "oncolien.settings",
        "DJANGO_SECRET_KEY": "bench-load-" + "x" * 50,
        "ONCOLIEN_REQUIRE_2FA": "0",
        "ONCOLIEN_SITE_URL": "http://127.0.0.1",
        "ONCOLIEN_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--levels", default="10,25,50")
    parser.add_argument("--sqlite-users", type=int, default=25)
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    # gunicorn's worker count; a list (« 3,5 ») measures each in turn on the same data,
    # the verdicts on the last one.
    parser.add_argument("--workers", default=str(WORKERS))
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--users", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--think", default=f"{THINK[0]},{THINK[1]}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare_here(args.prepare)
        return
    if args.drive:
        low, high = (float(bound) for bound in args.think.split(","))
        drive(args.drive, args.data, args.users, args.seconds, args.out, (low, high))
        return

    from bench.verdicts import Verdicts
    from tests.deployment.pg_restart import Cluster

    verdicts = Verdicts("load")
    levels = [int(level) for level in args.levels.split(",")]
    worker_counts = [int(count) for count in args.workers.split(",")]
    workers = worker_counts[-1]
    calibration = cpu_calibration_ms()
    print(
        f"Étalonnage du processeur : {calibration:.0f} ms pour une boucle Python fixe "
        "(plus c'est long, plus la machine partagée est lente en ce moment)."
    )
    print(
        f"Charge mixte (locust), {args.seconds:.0f} s mesurées par palier, gunicorn "
        f"{args.workers} workers + consommateur huey, {os.cpu_count()} cœurs partagés "
        f"(charge de la machine au départ : {os.getloadavg()[0]:.1f}) : chiffres bruités."
    )
    if not args.no_postgres:
        with tempfile.TemporaryDirectory(prefix="oncolien-load-") as var_dir:
            cluster = Cluster()
            try:
                cluster.start()
                cluster.create_database()
                with redis_server(var_dir) as redis_url:
                    env = base_env(var_dir, cluster.url, redis_url)
                    print(
                        f"\nPostgreSQL (grappe jetable), file de tâches "
                        f"{'Redis' if redis_url else 'SQLite'} — préparation :"
                    )
                    data_file = Path(var_dir) / "load-data.json"
                    prepare(env, data_file)
                    for count in worker_counts:
                        results = {}
                        log = Path(var_dir) / f"server-{count}.log"
                        with serving(env, log, count) as (url, pids):
                            roots = [*pids, cluster.postmaster_pid()]
                            idle = run_level(
                                url, data_file, IDLE_USERS, IDLE_SECONDS, roots, log, IDLE_THINK
                            )
                            show(f"À vide ({IDLE_USERS} util. sans pause)", idle)
                            for users in levels:
                                results[users] = run_level(
                                    url, data_file, users, args.seconds, roots, log
                                )
                                show(
                                    f"PostgreSQL {users} util., {count} workers",
                                    results[users],
                                    idle,
                                )
            finally:
                cluster.remove()
        top = max(levels)
        verdicts.check(
            f"PostgreSQL, {top} utilisateurs, {workers} workers, erreurs",
            f"{results[top]['failures']} sur {results[top]['requests']}",
            "0",
            results[top]["failures"] == 0,
        )
        verdicts.check(
            f"PostgreSQL, {top} utilisateurs, {workers} workers, p95",
            f"{results[top]['p95']:.0f} ms",
            f"≤ {MAX_P95_MS:.0f} ms",
            results[top]["p95"] <= MAX_P95_MS,
        )
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="oncolien-load-sqlite-") as var_dir:
            env = base_env(var_dir, "", "")
            print("\nSQLite (base embarquée, file de tâches SQLite) — préparation :")
            data_file = Path(var_dir) / "load-data.json"
            prepare(env, data_file)
            log_path = Path(var_dir) / "server.log"
            with serving(env, log_path, workers) as (url, pids):
                result = run_level(url, data_file, args.sqlite_users, args.seconds, pids, log_path)
                show(f"SQLite {args.sqlite_users} util.", result)
            locked_in_log = log_path.read_text(errors="replace").count(LOCKED)
            locked_answers = sum(e["count"] for e in result["errors"] if LOCKED in e["error"])
        verdicts.check(
            f"SQLite, {args.sqlite_users} utilisateurs, « {LOCKED} »",
            f"{locked_in_log} dans le journal du serveur, {locked_answers} dans les réponses",
            "0",
            locked_in_log == 0 and locked_answers == 0,
        )
        verdicts.check(
            f"SQLite, {args.sqlite_users} utilisateurs, erreurs",
            f"{result['failures']} sur {result['requests']}",
            "0",
            result["failures"] == 0,
        )
    verdicts.finish()


if __name__ == "__main__":
    main()
