"""Pages of a list: the total always told, a page out of range refused, never replaced.

Django's `Paginator.get_page` answers the last page for a page that does not exist;
a person reading page 16 of 15 would then believe they see alerts they have not
seen. Every list of patient data is cut here instead: `page_of` raises
`PageOutOfRange` (a `ValidationError` on the field « page », so the API answers its
usual 422 and a page shows the sentence).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

from oncolien.numbers import is_number

T = TypeVar("T")


class PageOutOfRange(ValidationError):
    """The page asked for does not exist; `message` says which pages do."""

    def __init__(self, message: str) -> None:
        super().__init__({"page": ValidationError(message, code="page_out_of_range")})
        self.message_text = message


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int
    pages: int
    count: int
    per_page: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    def as_fields(self) -> dict[str, Any]:
        """What an API response carries about the page besides its items."""
        return {"count": self.count, "page": self.number, "pages": self.pages}


def page_number(raw: object) -> int:
    """A page number typed in a URL (« ?page=2 »); PageOutOfRange when it is not one,
    or when it is beyond any page a list can have (`MAX_PAGE`): such a number would
    reach the database as an offset too large for it."""
    if raw in (None, ""):
        return 1
    text = str(raw).strip()
    if text.startswith("-") and is_number(text[1:]):
        raise PageOutOfRange(PAGE_RANGE)
    if not is_number(text):
        raise PageOutOfRange("Le numéro de page doit être un nombre entier.")
    number = int(text)
    if not 1 <= number <= MAX_PAGE:
        raise PageOutOfRange(PAGE_RANGE)
    return number


def page_of(queryset: QuerySet[Any] | Sequence[Any], number: int, per_page: int) -> Page[Any]:
    """Page `number` (from 1) of `queryset` (or a list), which must be ordered on a unique key."""
    paginator = Paginator(queryset, per_page)
    count = paginator.count
    pages = max(paginator.num_pages, 1)
    if number < 1 or number > pages:
        if pages == 1:
            message = f"La page {number} n'existe pas : la liste tient sur une seule page."
        else:
            message = f"La page {number} n'existe pas : la liste compte {pages} pages."
        raise PageOutOfRange(message)
    start = (number - 1) * per_page
    items = list(queryset[start : start + per_page])
    return Page(items=items, number=number, pages=pages, count=count, per_page=per_page)


# --- The API's one envelope for lists -------------------------------------------------

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# A page number beyond this names no page of any list the API or a page serves.
MAX_PAGE = 1_000_000
PAGE_RANGE = f"Le numéro de page va de 1 à {MAX_PAGE:,}.".replace(",", "\u202f")


class PageParams(Schema):
    """The page asked for: `page` from 1, `page_size` items a page (at most 100)."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="Numéro de page, à partir de 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Éléments par page (au plus {MAX_PAGE_SIZE}).",
    )


class PageOut(Schema, Generic[T]):
    count: int = Field(description="Nombre total d'éléments, toutes pages comprises.")
    page_size: int
    next: str | None = Field(description="Adresse de la page suivante ; null sur la dernière.")
    previous: str | None = Field(
        description="Adresse de la page précédente ; null sur la première."
    )
    results: list[T]


def _page_url(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def envelope(request: HttpRequest, page: Page[Any], results: list[Any]) -> dict[str, Any]:
    """A page as every list of the API answers it (`PageOut`)."""
    return {
        "count": page.count,
        "page_size": page.per_page,
        "next": _page_url(request, page.next_number) if page.has_next else None,
        "previous": _page_url(request, page.previous_number) if page.has_previous else None,
        "results": results,
    }
