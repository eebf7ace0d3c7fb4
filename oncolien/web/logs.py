"""Log lines an operator can search, that never carry patient data.

- `JsonFormatter`: one JSON object per line (time in ISO 8601 UTC, level, logger,
  message, request id, and the request's method, path, status, duration and user id
  when the line is the request's own). `ONCOLIEN_LOG_FORMAT=json|text` chooses it;
  JSON is the default in production.
- `RequestContextFilter`: adds the current request's id to every record written while
  the request runs (a context variable set by `request_log.RequestLogMiddleware`), and
  rewrites the path in Django's own request records (« Not Found: /… ») with
  `loggable_path`.
- `loggable_path`: the path without its query string, and with every value of the URL
  that is not a plain number replaced by its name: a one-time link's token, a signed
  referral link, a slug become `<token>`, `<signed>`… A path no route matched has its
  long, token-like segments hidden.

An exception is written with its traceback (file, line, code) but only the class of
the exception: its message may quote the values of a query.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import traceback
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "oncolien_request_id", default=None
)

# Record attributes the request's own line carries (request_log.RequestLogMiddleware).
REQUEST_FIELDS = (
    "method",
    "path",
    "status",
    "duration_ms",
    "cpu_ms",
    "db_queries",
    "db_ms",
    "user_id",
)

_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
# A segment that looks like a token, a signature or an identifier someone was given.
# (20 characters or more, with a digit or a capital: French words in slugs have neither.)
_TOKEN_LIKE = re.compile(r"/(?=[^/]*[0-9A-Z])[A-Za-z0-9_\-:.=~%]{20,}")


def loggable_path(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    route = getattr(match, "route", "") if match is not None else ""
    if route and not any(sign in route for sign in ("^", "(?", "$", "\\")):
        kwargs = match.kwargs if match is not None else {}

        def shown(found: re.Match[str]) -> str:
            name = found.group("name")
            value = kwargs.get(name)
            if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
                return str(value)
            return f"<{name}>"

        prefix = request.path[: len(request.path) - len(request.path_info)]
        return prefix.rstrip("/") + "/" + _CONVERTER.sub(shown, route).lstrip("/")
    return _TOKEN_LIKE.sub("/…", request.path)


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        # Django writes its « Not Found » line once the middleware are done: the id is
        # then read on the request itself.
        record.request_id = request_id.get() or getattr(request, "request_id", None)
        if isinstance(request, HttpRequest) and isinstance(record.args, tuple):
            # Django's « Not Found: %s » and the like quote request.path as it came.
            record.args = tuple(
                loggable_path(request) if arg == request.path else arg for arg in record.args
            )
        return True


def _exception(exc_info: Any) -> dict[str, str]:
    kind, _value, tb = exc_info
    return {
        "exc_type": kind.__name__ if kind else "",
        "stack": "".join(traceback.format_tb(tb)),
    }


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry |= _exception(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The same facts in one readable line, for a developer's terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        exc_info, record.exc_info, record.exc_text = record.exc_info, None, None
        try:
            line = super().format(record)
        finally:
            record.exc_info = exc_info
        if exc_info:
            details = _exception(exc_info)
            line += f"\n{details['stack']}{details['exc_type']}"
        return line
