"""What other apps may add to a patient's follow-up booklet: its sections.

An app declares its sections in its own `booklet_parts.py` and registers each in
`AppConfig.ready()`:

    from oncolien.booklets.extensions import BookletSection, register_booklet_section

    def my_section(pathway: Pathway) -> BookletSection | None:
        return BookletSection("Votre titre", ["une ligne", "une autre"], "Rien pour l'instant.")

    register_booklet_section(my_section, order=60)

A source receives a pathway the booklets app already authorised (care team or CPTS
coordinators, `pathway.read`) and must keep to it: it reads that pathway's rows only.
It returns one section, or None to leave the booklet without it (e.g. an app for
patients on hormone therapy, for a pathway without one). The lines are plain text,
in the patient's words (the booklet is read by the patient); they are shown on the
page, in the PDF and through the patient's link alike. Sections appear by `order`
(then by registration): the booklets app uses 5 (the pathway's dates), 10 (care team), 20 (contacts after
the announcement), 30 (appointments), 40 (treatments), 50 (supportive care),
80 (alert signs); 60–79 are free for other apps; the notes page always comes last.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from oncolien.pathways.models import Pathway


@dataclass(frozen=True)
class BookletSection:
    """A section of the booklet: a title and lines of plain text.

    `empty_text` is shown when `lines` is empty. `intro`, when given, is a sentence
    shown under the title (e.g. « En cas de doute, appelez… »)."""

    title: str
    lines: list[str]
    empty_text: str = "Rien pour l'instant."
    intro: str = ""


class BookletSource(Protocol):
    def __call__(self, pathway: Pathway) -> BookletSection | None: ...


@dataclass(frozen=True)
class _Registered:
    order: int
    rank: int
    source: BookletSource


_SOURCES: list[_Registered] = []


def register_booklet_section(source: BookletSource, *, order: int = 70) -> None:
    """Add `source` to every booklet, at `order` (see the module's docstring)."""
    # AppConfig.ready() may run more than once (tests, management commands).
    if any(known.source is source for known in _SOURCES):
        return
    _SOURCES.append(_Registered(order, len(_SOURCES), source))


def booklet_sources() -> list[BookletSource]:
    return [known.source for known in sorted(_SOURCES, key=lambda r: (r.order, r.rank))]


def booklet_sections_for(pathway: Pathway) -> list[BookletSection]:
    """Every registered section of `pathway`'s booklet, in order, the absent ones left out."""
    sections = []
    for source in booklet_sources():
        section = source(pathway)
        if section is not None:
            sections.append(section)
    return sections
