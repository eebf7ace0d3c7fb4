"""Reads of booklets. The booklet is rendered from the pathway's current data: a
pathway obtained through `pathways.selectors.pathway_for` (authorised, audited), or
through the patient's link (audited by `services.link_viewed`)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format

from oncolien.booklets.extensions import BookletSection, booklet_sections_for
from oncolien.booklets.models import BookletEdition, BookletLink
from oncolien.pathways.models import Pathway

NOTES_LINES = 14


@dataclass(frozen=True)
class BookletContent:
    pathway: Pathway
    patient_name: str
    birth_date: date
    cpts_name: str
    sections: list[BookletSection]
    # « 2 décembre 2026 », the day it was rendered (Europe/Paris).
    rendered_on: str
    notes_lines: int = NOTES_LINES


def french_day(moment: datetime | date) -> str:
    """« 2 décembre 2026 » (« 1er » for the first), in Europe/Paris for a moment."""
    day = timezone.localdate(moment) if isinstance(moment, datetime) else moment
    text = date_format(day, "j F Y")
    return f"1er{text[1:]}" if day.day == 1 else text


def booklet_content(pathway: Pathway, *, now: datetime | None = None) -> BookletContent:
    patient = pathway.patient
    return BookletContent(
        pathway=pathway,
        patient_name=f"{patient.first_name} {patient.last_name.upper()}"
        + (" (fictif)" if patient.is_fictitious else ""),
        birth_date=patient.birth_date,
        cpts_name=pathway.cpts.name,
        sections=booklet_sections_for(pathway),
        rendered_on=french_day(now or timezone.now()),
    )


def edition_label(edition: BookletEdition) -> str:
    return f"Édition n° {edition.number} du {french_day(edition.printed_at)}"


def editions_of(pathway: Pathway, *, limit: int = 20) -> list[BookletEdition]:
    return list(
        BookletEdition.objects.filter(booklet__pathway=pathway)
        .select_related("printed_by")
        .order_by("-number")[:limit]
    )


def links_of(pathway: Pathway, *, limit: int = 20) -> list[BookletLink]:
    return list(
        BookletLink.objects.filter(booklet__pathway=pathway)
        .select_related("created_by", "revoked_by")
        .order_by("-created_at", "-pk")[:limit]
    )
