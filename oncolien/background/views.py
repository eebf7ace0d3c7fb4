from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from oncolien.background.selectors import consumer_health


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """The consumer's last heartbeat, for a supervisor: 503 when it is silent.

    Public on purpose (a load balancer or a monitoring probe has no account): it tells
    only whether background work runs, never anything about patients.
    """
    state = consumer_health()
    return JsonResponse(
        {
            "statut": state.status,
            "dernier_signal": (
                timezone.localtime(state.last_beat).isoformat() if state.last_beat else None
            ),
            "message": state.message,
        },
        status=200 if state.ok else 503,
        json_dumps_params={"ensure_ascii": False},
    )
