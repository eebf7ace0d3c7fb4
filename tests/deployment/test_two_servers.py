"""Two app servers, one PostgreSQL, one Redis: the servers keep no state of their own.

Two gunicorn servers (two worker processes each, each server with its own var/
directory, as two machines would have) and one huey consumer run against the test's
PostgreSQL database and one Redis, with pooled connections, as deploy/ runs them. A
mixed workload goes alternately to both: log in on one and give the second factor on
the other, use the session on both, retry an API write on the other server with the
same Idempotency-Key, post monitoring sheets and referrals from both (in sequence and
concurrently), fail log-ins on both until django-axes locks the account, read the
public directory through the shared cache. Counts then show that nothing was lost or
done twice, and the consumer sent each alert's e-mail exactly once.

PostgreSQL only: SQLite is the single-server engine (one file on one disk).
"""

from __future__ import annotations

import json
import os
import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from tests.deployment import servers

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="plusieurs serveurs d'application demandent PostgreSQL (DATABASE_URL) ; "
        "SQLite est le moteur d'un seul serveur",
    ),
    # Sorted with the tests that start a consumer: last, on committed data.
    pytest.mark.consumer,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "Mot-de-passe-des-deux-serveurs-13"
JSON = "application/json"
FEVER = {"temperature_c": 38.6, "saturation_pct": 97, "pain_score": 2}
CALM = {"temperature_c": 36.8, "saturation_pct": 98, "pain_score": 1}


class Outbox:
    """A real SMTP server (aiosmtpd) that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((tuple(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp():
    outbox = Outbox()
    controller = Controller(outbox, hostname="127.0.0.1", port=servers.free_port())
    controller.start()
    try:
        yield controller.port, outbox
    finally:
        controller.stop()


def _database_url() -> str:
    # The test database itself: its rows are committed (transactional test), so the
    # servers see them; the flush at the end removes what they wrote.
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _environment(*, redis_url: str, smtp_port: int, var_dir: Path, secret: str) -> dict:
    var_dir.mkdir()
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "ONCOLIEN_", "PYTEST", "DATABASE_", "REDIS_"))
    }
    return inherited | {
        "DJANGO_SETTINGS_MODULE": "oncolien.settings",
        # One key for every server: sessions and signed links must verify on all.
        "DJANGO_SECRET_KEY": secret,
        "DATABASE_URL": _database_url(),
        "DATABASE_POOL_MAX_SIZE": "2",
        "REDIS_URL": redis_url,
        # Each server's own local disk: nothing of a request may depend on it.
        "ONCOLIEN_VAR_DIR": str(var_dir),
        "ONCOLIEN_PUBLIC_CACHE_SECONDS": "60",
        "ONCOLIEN_TASK_WORKERS": "2",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp_port),
        "ONCOLIEN_LOG_LEVEL": "WARNING",
    }


def _set_password(user) -> None:
    # The suite hashes with MD5 (conftest); the servers know Argon2 and PBKDF2 only.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])


def _totp_code(device) -> str:
    from django_otp.oath import TOTP

    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


def _csrf(session: requests.Session) -> str:
    return session.cookies.get("csrftoken", "")


def _log_in(session: requests.Session, server: str, username: str, password: str):
    session.get(f"{server}/compte/connexion/", timeout=30)
    return session.post(
        f"{server}/compte/connexion/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": _csrf(session)},
        allow_redirects=False,
        timeout=30,
    )


def _post_json(session, url: str, payload: dict, *, key: str | None = None):
    headers = {"X-CSRFToken": _csrf(session), "Content-Type": JSON}
    if key is not None:
        headers["Idempotency-Key"] = key
    return session.post(url, data=json.dumps(payload), headers=headers, timeout=30)


def test_two_app_servers_share_everything_through_postgresql_and_redis(
    tmp_path, smtp, coordinator, coordinating_nurse, community_nurse
):
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from oncolien.audit.models import AuditEntry
    from oncolien.notifications.models import Channel, Delivery, Outcome
    from oncolien.pathways.models import Alert, MonitoringRecord
    from oncolien.pathways.tests.factories import add_to_team, make_pathway
    from oncolien.referrals.models import Referral

    smtp_port, outbox = smtp
    pathway = make_pathway(actor=coordinating_nurse)
    add_to_team(
        actor=coordinating_nurse, pathway=pathway, user=community_nurse, role="community_nurse"
    )
    for user in (coordinator, community_nurse):
        _set_password(user)
    device = TOTPDevice.objects.create(user=community_nurse, name="téléphone", confirmed=True)

    secret = secrets.token_urlsafe(50)
    with servers.redis_server(tmp_path) as redis:
        env = {
            name: _environment(
                redis_url=redis.url, smtp_port=smtp_port, var_dir=tmp_path / name, secret=secret
            )
            for name in ("a", "b", "consumer")
        }
        a = servers.start_app_server("a", env=env["a"], directory=tmp_path)
        b = servers.start_app_server("b", env=env["b"], directory=tmp_path)
        consumer = servers.start_consumer("consumer", env=env["consumer"], directory=tmp_path)
        try:
            servers.wait_until_serving(a)
            servers.wait_until_serving(b)
            _workload(
                a=a.url,
                b=b.url,
                redis=redis,
                outbox=outbox,
                pathway=pathway,
                nurse=community_nurse,
                coordinator=coordinator,
                device=device,
            )
            assert consumer.popen.poll() is None, consumer.output()[-3000:]
        finally:
            for process in (a, b, consumer):
                process.stop()
        logs = "\n".join(p.output() for p in (a, b, consumer))
        assert "Traceback" not in logs, logs[-5000:]

    # Nothing lost, nothing twice: 1 (then retried) + 1 (raced) + 16 (concurrent) sheets.
    records = MonitoringRecord.objects.filter(pathway=pathway)
    assert records.count() == 18
    assert AuditEntry.objects.filter(action="monitoring.create").count() == 18
    assert Alert.objects.filter(pathway=pathway, rule="fever").count() == 1 + 1 + 8
    alerts = Alert.objects.filter(pathway=pathway).count()
    assert Referral.objects.filter(pathway=pathway).count() == 6
    # Every alert's e-mail left once, through the consumer, at its first attempt.
    mails = Delivery.objects.filter(channel=Channel.EMAIL, kind="alert.raised")
    assert mails.count() == alerts
    assert set(mails.values_list("outcome", "attempts")) == {(Outcome.SENT, 1)}
    assert len(outbox.messages) == alerts
    assert {rcpt for rcpts, _ in outbox.messages for rcpt in rcpts} == {coordinating_nurse.email}
    # django-axes counted the failures of both servers against one account: the five
    # wrong passwords (3 on A, 2 on B), then the right one tried on each while locked.
    attempt = AccessAttempt.objects.get(username=coordinator.username)
    assert attempt.failures_since_start == 5 + 2


def _workload(*, a, b, redis, outbox, pathway, nurse, coordinator, device) -> None:
    from oncolien.pathways.models import Alert

    records = f"/api/v1/pathways/{pathway.pk}/records"
    referrals = f"/api/v1/referrals/pathways/{pathway.pk}"
    page = reverse("pathways:pathway_detail", kwargs={"pk": pathway.pk})

    # Log in on A, give the second factor on B, use the session on both.
    nurse_session = requests.Session()
    logged = _log_in(nurse_session, a, nurse.username, PASSWORD)
    assert logged.status_code == 302, logged.text[:2000]
    nurse_session.get(f"{b}/compte/verification/", timeout=30)
    verified = nurse_session.post(
        f"{b}/compte/verification/",
        data={"token": _totp_code(device), "csrfmiddlewaretoken": _csrf(nurse_session)},
        allow_redirects=False,
        timeout=30,
    )
    assert verified.status_code == 302, verified.text[:2000]
    for server in (a, b):
        shown = nurse_session.get(f"{server}{page}", allow_redirects=False, timeout=30)
        assert shown.status_code == 200, (server, shown.status_code, shown.headers)
        assert "martin" in shown.text.lower(), shown.text[:3000]

    # An API write on A, lost by the client, retried on B with the same key: the first
    # answer again, nothing written twice.
    key = str(uuid.uuid4())
    first = _post_json(nurse_session, f"{a}{records}", FEVER, key=key)
    assert first.status_code == 201, first.text
    again = _post_json(nurse_session, f"{b}{records}", FEVER, key=key)
    assert again.status_code == 201, again.text
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()

    # The same key sent to both servers at the same moment: one write at most.
    raced = str(uuid.uuid4())
    with ThreadPoolExecutor(2) as pool:
        answers = list(
            pool.map(
                lambda server: _post_json(nurse_session, f"{server}{records}", FEVER, key=raced),
                (a, b),
            )
        )
    assert sorted(r.status_code for r in answers) in ([201, 201], [201, 409]), answers
    fresh = [
        r
        for r in answers
        if r.status_code == 201 and r.headers.get("Idempotent-Replayed") != "true"
    ]
    assert len(fresh) == 1, [(r.status_code, r.text) for r in answers]

    # Sixteen sheets from four threads, alternately on A and B, half of them feverish.
    def post_sheet(number: int):
        server = (a, b)[number % 2]
        values = FEVER if number % 4 < 2 else CALM
        return _post_json(nurse_session, f"{server}{records}", values, key=str(uuid.uuid4()))

    with ThreadPoolExecutor(4) as pool:
        sheets = list(pool.map(post_sheet, range(16)))
    assert [r.status_code for r in sheets] == [201] * 16, [
        r.text for r in sheets if r.status_code != 201
    ]

    # Referrals proposed alternately on both servers.
    for number in range(6):
        server = (a, b)[number % 2]
        made = _post_json(
            nurse_session,
            f"{server}{referrals}",
            {"care_type": "nutrition", "external_name": f"Diététicienne n° {number + 1}"},
            key=str(uuid.uuid4()),
        )
        assert made.status_code == 201, made.text

    # Failed log-ins on both servers count against one account: locked on both.
    intruder = requests.Session()
    for number in range(5):
        refused = _log_in(intruder, (a, b)[number % 2], coordinator.username, "mauvais")
        assert refused.status_code in (200, 429), refused.status_code
    for server in (a, b):
        locked = _log_in(requests.Session(), server, coordinator.username, PASSWORD)
        assert locked.status_code == 429, (server, locked.status_code)

    # The public answer built on A is kept in Redis and served by B from there.
    listing = "/api/v1/directory/services?page_size=5"
    assert requests.get(f"{a}{listing}", timeout=30).status_code == 200
    hits = _keyspace_hits(redis)
    from_b = requests.get(f"{b}{listing}", timeout=30)
    assert from_b.status_code == 200
    assert _keyspace_hits(redis) > hits
    assert redis.cli("--scan", "--pattern", "oncolien:*:oncolien:public:*").split()

    # The consumer sends each alert's e-mail; then nothing more arrives.
    expected = Alert.objects.filter(pathway=pathway).count()
    assert servers.wait_for(lambda: len(outbox.messages) >= expected, seconds=30), (
        len(outbox.messages),
        expected,
    )
    servers.wait_for(lambda: len(outbox.messages) > expected, seconds=2)


def _keyspace_hits(redis) -> int:
    for line in redis.cli("info", "stats").splitlines():
        if line.startswith("keyspace_hits:"):
            return int(line.split(":")[1])
    raise AssertionError("redis-cli info stats sans keyspace_hits")
