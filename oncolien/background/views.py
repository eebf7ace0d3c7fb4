"""Health pages for supervisors and load balancers: public, JSON, no patient data.

- `/sante/`: the task consumer's last heartbeat (503 when it is silent).
- `/sante/vivant/`: liveness, the process answers; touches nothing else, so that a
  database outage does not get every app server restarted.
- `/sante/pret/`: readiness, whether this server can serve: a database query, the
  consumer's heartbeat, and Redis answering PING when REDIS_URL is set. 503 when one
  fails, with which one; a load balancer stops sending requests until it is back.

Public on purpose (a load balancer or a monitoring probe has no account), exempt from
the HTTPS redirection (probes reach an app server directly), never cached.
"""

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from oncolien.background.readiness import readiness
from oncolien.background.selectors import consumer_health


def _json(data: dict, *, ok: bool) -> JsonResponse:
    return JsonResponse(data, status=200 if ok else 503, json_dumps_params={"ensure_ascii": False})


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """The consumer's last heartbeat, for a supervisor: 503 when it is silent."""
    state = consumer_health()
    return _json(
        {
            "statut": state.status,
            "dernier_signal": (
                timezone.localtime(state.last_beat).isoformat() if state.last_beat else None
            ),
            "message": state.message,
        },
        ok=state.ok,
    )


@never_cache
@require_GET
def alive(request: HttpRequest) -> JsonResponse:
    return _json({"statut": "ok", "message": "Le serveur d'application répond."}, ok=True)


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    checks = readiness()
    ok = all(check.ok for check in checks)
    return _json(
        {
            "statut": "ok" if ok else "indisponible",
            "verifications": {
                check.name: {"statut": "ok" if check.ok else "erreur", "message": check.message}
                for check in checks
            },
        },
        ok=ok,
    )
