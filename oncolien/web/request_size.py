"""Refusing a request body that is too large before it is read (HTTP 413).

Django bounds the fields it parses (DATA_UPLOAD_MAX_MEMORY_SIZE) but not an uploaded
file: an upload of any size is received and written to a temporary file before a form
can say it is too large. This middleware, near the top of the stack, answers 413 from
the declared length alone: an upload (multipart) may declare ONCOLIEN_UPLOAD_MAX_BYTES,
any other body DATA_UPLOAD_MAX_MEMORY_SIZE. A body with no declared length is not read
by Django at all (WSGI), so it needs no check here.

The answer is French: a page for a browser, the API's error shape (`{"detail": …}`)
for the API, FHIR and HSDS paths and for a client that asks for JSON.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

TITLE = "Envoi trop volumineux"
MESSAGE = (
    "Ce que vous envoyez dépasse {size} : rien n'a été enregistré. Envoyez un fichier "
    "plus petit (ou découpez-le en plusieurs fichiers)."
)
JSON_PATHS = ("/api/", "/fhir/", "/hsds/")


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.0f} Mo"
    return f"{max(limit // 1024, 1)} ko"


def limit_for(request: HttpRequest) -> int | None:
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/"):
        return settings.ONCOLIEN_UPLOAD_MAX_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(JSON_PATHS) or "json" in request.META.get("HTTP_ACCEPT", "")


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = MESSAGE.format(size=_size(limit))
    if _wants_json(request):
        response: HttpResponse = JsonResponse({"detail": message, "errors": []}, status=413)
    else:
        html = render_to_string(
            "web/error.html", {"title": TITLE, "message": message}, request=request
        )
        response = HttpResponse(html, status=413)
    # The body is left unread: the server closes the connection (WSGI forbids the
    # application to say so with a Connection header).
    return response


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = limit_for(request)
        if limit is not None and declared_length(request) > limit:
            return too_large(request, limit)
        return self.get_response(request)
