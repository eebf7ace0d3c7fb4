"""Answers to anonymous reads of the public data (the directory, its HSDS and FHIR
exports, the reference data, the CPTS list), kept for a short while and dropped as
soon as the data they show change.

Aggregators and integrators poll the same public listings again and again; building
each answer (query, validation, serialisation of dozens of resources) costs ten to
fifty times what Django needs to answer at all. An answer is kept under a key made of:

- the path and query string, and the `Accept` and `Accept-Language` headers;
- a fingerprint of the data: one SQL query reading the latest change id of each
  model the apps registered (django-simple-history ids of the directory, the
  reference data's version). Any recorded change gives a new fingerprint, so the
  next request is answered afresh.

`ONCOLIEN_PUBLIC_CACHE_SECONDS` bounds how long an answer is kept at all, for the
changes no history records (a bulk update, a commune loaded): 0 turns the cache off.

Only what anyone may read is kept: a GET under a registered path, with no cookie
but the CSRF one and no `Authorization` header, answered 200 without a cookie being
set (a page carrying a form's CSRF token sets one, so it is never kept).
Patient data is never under a registered path (`register_public_paths` takes exact
prefixes, e.g. "/fhir/HealthcareService", never "/fhir/").
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

_PATHS: list[str] = []
_EXACT_PATHS: set[str] = set()
# (table, column) whose maximum changes with every recorded change of a model.
_CHANGES: list[tuple[str, str]] = []


def register_public_paths(*prefixes: str) -> None:
    """Paths whose anonymous answers hold public data only (AppConfig.ready)."""
    for prefix in prefixes:
        if prefix not in _PATHS:
            _PATHS.append(prefix)


def register_public_pages(*paths: str) -> None:
    """Exact paths (not prefixes) whose anonymous answers hold public data only."""
    _EXACT_PATHS.update(paths)


def register_changes(model: type[models.Model], column: str = "") -> None:
    """A model whose latest row (by `column`, its primary key by default) changes
    with each change of the public data: a historical model, a version table."""
    change = (model._meta.db_table, column or model._meta.pk.column)
    if change not in _CHANGES:
        _CHANGES.append(change)


def fingerprint() -> str:
    """The latest change ids of the registered models, in one query."""
    if not _CHANGES:
        return ""
    quote = connection.ops.quote_name
    # Table and column names come from the registered models, never from a request.
    parts = ", ".join(
        f"(SELECT MAX({quote(column)}) FROM {quote(table)})"  # noqa: S608
        for table, column in _CHANGES
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        row = cursor.fetchone()
    return ":".join(str(value) for value in row)


def is_public_path(path: str) -> bool:
    """Whether an anonymous answer at this path holds public data only."""
    return path in _EXACT_PATHS or any(path.startswith(prefix) for prefix in _PATHS)


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.ONCOLIEN_PUBLIC_CACHE_SECONDS > 0
        and request.method == "GET"
        # No cookie but the CSRF one: a session, or a message waiting to be shown
        # (messages cookie), makes the answer this person's.
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}
        and "HTTP_AUTHORIZATION" not in request.META
        and is_public_path(request.path)
    )


def _key(request: HttpRequest) -> str:
    parts = [
        request.path,
        request.META.get("QUERY_STRING", ""),
        request.META.get("HTTP_ACCEPT", ""),
        request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
        fingerprint(),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"oncolien:public:{digest}"


class PublicResponseCacheMiddleware:
    """Serves a kept answer to an anonymous read of public data (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable(request):
            return self.get_response(request)
        key = _key(request)
        # The cache (Redis with several servers) only saves work: when it cannot be
        # reached the answer is built as if nothing were kept, never a server error.
        try:
            kept: Any = cache.get(key)
        except Exception:  # the backend's own errors (redis-py ConnectionError…)
            logger.warning("Cache des réponses publiques injoignable : réponse construite.")
            return self.get_response(request)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
        ):
            headers = list(response.items())
            try:
                cache.set(key, (response.content, headers), settings.ONCOLIEN_PUBLIC_CACHE_SECONDS)
            except Exception:
                logger.warning("Cache des réponses publiques injoignable : réponse non gardée.")
        return response
