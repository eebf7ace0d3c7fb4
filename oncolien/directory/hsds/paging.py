"""The paging envelope of the HSDS API reference (`Page` in its openapi.json).

`total_items`, `total_pages`, `page_number` (from 1), `size` (the number of
entities in this page), `first_page`, `last_page`, `empty`, then `contents`.
A page past the last one is empty, not an error: a client walking the pages
while entries are withdrawn must not fail on its last request.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from oncolien.directory.hsds.params import BadParameter

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 1000
# `minimal` asks for every service in one call; its items are four short fields.
MINIMAL_PER_PAGE = 10_000


@dataclass(frozen=True)
class PageRequest:
    number: int
    per_page: int

    @property
    def start(self) -> int:
        return (self.number - 1) * self.per_page


def _integer(params, name: str, default: int, low: int, high: int) -> int:
    value = params.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise BadParameter(
            f"Le paramètre « {name} » attend un nombre entier de {low} à {high}, pas « {value} »."
        )
    return number


def page_request(
    params, *, default: int = DEFAULT_PER_PAGE, maximum: int = MAX_PER_PAGE
) -> PageRequest:
    return PageRequest(
        number=_integer(params, "page", 1, 1, 10**9),
        per_page=_integer(params, "per_page", default, 1, maximum),
    )


def page(
    items: list[Any] | QuerySet[Any],
    request: PageRequest,
    serialize: Callable[[Any], dict],
) -> dict:
    """One page of `items` (a queryset is counted and sliced in SQL), serialised."""
    total = len(items) if isinstance(items, list) else items.count()
    contents = [serialize(item) for item in items[request.start : request.start + request.per_page]]
    total_pages = math.ceil(total / request.per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": request.number,
        "size": len(contents),
        "first_page": request.number == 1,
        "last_page": request.number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
