"""What a server needs to serve requests, each checked quickly (readiness probe).

Each check says only whether a component answers, and in French why not: the class of
the error, never its text (a connection error may quote a password in a URL).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from oncolien.background.selectors import consumer_health

# A probe must answer before the load balancer gives up on it.
REDIS_TIMEOUT_SECONDS = 2


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    message: str


def _database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        return Check(
            "base_de_donnees", False, f"La base de données ne répond pas ({type(error).__name__})."
        )
    return Check("base_de_donnees", True, "La base de données répond.")


def _consumer() -> Check:
    try:
        state = consumer_health()
    except Exception as error:  # noqa: BLE001 - the heartbeat is read from the database
        return Check(
            "file_de_taches", False, f"Signal du traitement illisible ({type(error).__name__})."
        )
    return Check("file_de_taches", state.ok, state.message)


def _redis(url: str) -> Check:
    import redis

    try:
        client = redis.Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        return Check("redis", False, f"Redis ne répond pas ({type(error).__name__}).")
    return Check("redis", True, "Redis répond.")


def readiness() -> list[Check]:
    checks = [_database(), _consumer()]
    if settings.REDIS_URL:
        checks.append(_redis(settings.REDIS_URL))
    return checks
