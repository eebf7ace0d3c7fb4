"""When the database is out of reach, every request fails cleanly: a French page or a
JSON error (503, « Retry-After »), never a 500 page with a stack.

A restart of PostgreSQL, a failover or an exhausted connection pool make Django raise
`OperationalError` (the server closed the connection, refused it, or shut down) or
`InterfaceError` (a connection that was already closed). Such an error says nothing
about the request, it is the service that is briefly unavailable: the client should
try again, and the person should read that, in French.

Where the error is raised decides who sees it first:

- in a view, `process_exception` of `DatabaseOutageMiddleware` answers at once;
- in a middleware (the session read, the public cache's fingerprint, the audit
  context…), Django has already turned it into a 500 by the time it comes back here:
  the `got_request_exception` receiver below marks the request, and the middleware
  swaps that 500 for the 503 (or catches the error itself when the 500 page, which
  reads the session and the alert counts, failed too);
- in the JSON API, django-ninja catches every error itself: `oncolien.api` registers
  `api_outage_response` for these two classes.

The page does not extend `base.html`: its menus read the session, the user and the
open alerts, all in the database. It is rendered without the request (no context
processor runs) and reads nothing but the template.

No write is left half-done by the outage: each service writes in one transaction,
which PostgreSQL rolls back when the connection drops. Reconnecting needs nothing
either: with `CONN_HEALTH_CHECKS` (settings, issue 13) a persistent connection is
tested before its first use in a request and replaced when the server restarted.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

DATABASE_OUTAGE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
TITLE = "Service momentanément indisponible"
MESSAGE = (
    "Le service est momentanément indisponible : la base de données ne répond pas. "
    "Réessayez dans quelques instants. Une saisie envoyée à ce moment a pu ne pas être "
    "enregistrée (jamais à moitié) : vérifiez-la avant de la renvoyer."
)
# Seconds a client should wait before trying again: a PostgreSQL restart takes a few.
RETRY_AFTER_SECONDS = 5
# Paths answered in JSON: the API (its `ErrorOut` shape) and the HSDS export (the same
# `detail`); FHIR gets an OperationOutcome.
JSON_PREFIXES = ("/api/", "/hsds/")
FHIR_PREFIX = "/fhir/"
FHIR_CONTENT_TYPE = "application/fhir+json; charset=utf-8"
_MARK = "_oncolien_database_outage"

logger = logging.getLogger("oncolien.database")


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_OUTAGE_ERRORS)


def _json(body: dict[str, object], content_type: str) -> HttpResponse:
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=503, content_type=content_type)


def outage_response(request: HttpRequest) -> HttpResponse:
    """The 503 for `request`'s kind of client: OperationOutcome, JSON or French page."""
    path = request.path
    if path.startswith(FHIR_PREFIX):
        # The shape of oncolien/fhir/responses.py, written here because the shared web
        # layer may not import the FHIR app's internals; "transient": try again later.
        response = _json(
            {
                "resourceType": "OperationOutcome",
                "issue": [{"severity": "error", "code": "transient", "diagnostics": MESSAGE}],
            },
            FHIR_CONTENT_TYPE,
        )
    elif path.startswith(JSON_PREFIXES):
        # The API's one error shape (oncolien.api_errors.ErrorOut).
        response = _json({"detail": MESSAGE, "errors": []}, "application/json; charset=utf-8")
    else:
        html = render_to_string("web/database_outage.html", {"title": TITLE, "message": MESSAGE})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Never kept by a proxy or the browser: the next try must reach the server.
    response["Cache-Control"] = "no-store"
    return response


def api_outage_response(request: HttpRequest, error: object) -> HttpResponse:
    """django-ninja's handler of the outage errors (registered in oncolien/api.py)."""
    if isinstance(error, BaseException):
        _log(request, error)
    return outage_response(request)


def _log(request: HttpRequest, error: BaseException) -> None:
    # The class and the driver's message only: they hold no patient data.
    logger.warning(
        "Base de données indisponible (%s : %s) pour %s %s",
        type(error).__name__,
        str(error).strip().splitlines()[0] if str(error).strip() else "",
        request.method,
        request.path,
    )


@receiver(got_request_exception, dispatch_uid="oncolien.web.database_outage")
def _mark_outage(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """Django tells of an error it is about to turn into a 500: remember it was the
    database, so that the middleware answers 503 instead."""
    error = sys.exc_info()[1]
    if request is not None and is_outage(error):
        setattr(request, _MARK, True)


class DatabaseOutageMiddleware:
    """Placed before every middleware that reads the database (settings, issue 13)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except DATABASE_OUTAGE_ERRORS as error:
            # The 500 page itself could not be drawn (it reads the session).
            _log(request, error)
            return outage_response(request)
        if response.status_code >= 500 and getattr(request, _MARK, False):
            return outage_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_outage(exception):
            return None
        _log(request, exception)
        return outage_response(request)
