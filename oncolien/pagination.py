"""Pages of a list: the total always told, a page out of range refused, never replaced.

Django's `Paginator.get_page` answers the last page for a page that does not exist;
a person reading page 16 of 15 would then believe they see alerts they have not
seen. Every list of patient data is cut here instead: `page_of` raises
`PageOutOfRange` (a `ValidationError` on the field « page », so the API answers its
usual 422 and a page shows the sentence).
"""

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet

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
    """A page number typed in a URL (« ?page=2 »); PageOutOfRange when it is not one."""
    if raw in (None, ""):
        return 1
    try:
        return int(str(raw))
    except ValueError:
        raise PageOutOfRange("Le numéro de page doit être un nombre entier.") from None


def page_of(queryset: QuerySet[Any], number: int, per_page: int) -> Page[Any]:
    """Page `number` (from 1) of `queryset`, which must be ordered on a unique key."""
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
