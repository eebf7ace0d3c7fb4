"""A request id and one log line per request, with its timing.

The id comes from the reverse proxy's `X-Request-ID` when it looks like one (letters,
digits, `-`, `_`, `.`, `:`, 8 to 128 characters), so that the proxy's and our lines
match; otherwise one is made here. It is sent back in the `X-Request-ID` header and
set on every log line written while the request runs (logs.RequestContextFilter).

The request's line (logger `oncolien.requests`, level INFO) gives the method, the path
as `logs.loggable_path` shows it (no query string, no token), the status, the duration
in milliseconds and the user's id: never a name, a query string or a body. Beside the
duration, what it was made of: the worker's processor time (`cpu_ms`), the number of
SQL queries and the time spent waiting for their answers (`db_queries`, `db_ms`); under
load, the rest is time spent waiting for a processor or a lock.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse

from oncolien.web import logs

logger = logging.getLogger("oncolien.requests")

_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
HEADER = "X-Request-ID"


def request_id_for(request: HttpRequest) -> str:
    given = request.headers.get(HEADER, "")
    if _VALID_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


class _DatabaseTime:
    """Counts the queries of the request and the time their answers took (an
    `execute_wrapper`, on the default database: the one OncoLien uses)."""

    def __init__(self) -> None:
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries += 1
            self.seconds += time.perf_counter() - started


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started, cpu_started = time.perf_counter(), time.thread_time()
        rid = request_id_for(request)
        request.request_id = rid  # type: ignore[attr-defined]
        token = logs.request_id.set(rid)
        database = _DatabaseTime()
        try:
            with connection.execute_wrapper(database):
                response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            cpu_ms = round((time.thread_time() - cpu_started) * 1000, 1)
            db_ms = round(database.seconds * 1000, 1)
            response[HEADER] = rid
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else None
            path = logs.loggable_path(request)
            logger.info(
                "%s %s %s %s ms (processeur %s ms, %s requêtes SQL %s ms)",
                request.method,
                path,
                response.status_code,
                duration_ms,
                cpu_ms,
                database.queries,
                db_ms,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "cpu_ms": cpu_ms,
                    "db_queries": database.queries,
                    "db_ms": db_ms,
                    "user_id": user_id,
                },
            )
            return response
        finally:
            logs.request_id.reset(token)
