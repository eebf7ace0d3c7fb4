"""Reads of the reference data, shaped for the public page and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from .loader import CAUTION_NOTICE_CODE
from .models import (
    CareType,
    CareTypeProfession,
    Notice,
    Phase,
    PhaseDescription,
    Profession,
    ReferenceDataVersion,
)


def care_types_for_display() -> QuerySet[CareType]:
    """Active care types in display order, each with its active professions (2 queries).

    Professions come in the order of the INCa table, kept on the link rows.
    """
    return (
        CareType.objects.filter(active=True)
        .order_by("position", "code")
        .prefetch_related(
            Prefetch(
                "professions",
                queryset=Profession.objects.filter(active=True).order_by(
                    "care_type_links__position"
                ),
            )
        )
    )


def care_types_in_order() -> list[CareType]:
    """Every care type, active or not, in display order (one query): what the parts of
    a pathway page share through `pathways.extensions.read_once`."""
    return list(CareType.objects.order_by("position", "code"))


def care_types_for_api() -> list[dict]:
    """As care_types_for_display, as plain values shaped like the API's CareTypeOut (2 queries)."""
    care_types = list(
        CareType.objects.filter(active=True)
        .order_by("position", "code")
        .values(
            "id", "code", "name", "short_description", "basket", "is_core", "position", "active"
        )
    )
    professions: dict[int, list[dict]] = {care_type["id"]: [] for care_type in care_types}
    links = (
        CareTypeProfession.objects.filter(care_type_id__in=professions, profession__active=True)
        .order_by("position", "profession__code")
        .values_list("care_type_id", "profession__code", "profession__name")
    )
    for care_type_id, code, name in links:
        professions[care_type_id].append({"code": code, "name": name})
    return [
        {key: value for key, value in care_type.items() if key != "id"}
        | {"professions": professions[care_type["id"]]}
        for care_type in care_types
    ]


def care_type_by_code(*, code: str) -> CareType | None:
    """One care type with its professions, active or not, so that old codes still resolve."""
    return (
        CareType.objects.filter(code=code)
        .prefetch_related(
            Prefetch(
                "professions",
                queryset=Profession.objects.filter(active=True).order_by(
                    "care_type_links__position"
                ),
            )
        )
        .first()
    )


def professions_for_display() -> QuerySet[Profession]:
    """Active professions by name, each with the active care types it may deliver."""
    return (
        Profession.objects.filter(active=True)
        .order_by("name", "code")
        .prefetch_related(
            Prefetch(
                "care_types",
                queryset=CareType.objects.filter(active=True).order_by("position", "code"),
            )
        )
    )


@dataclass(frozen=True)
class PhaseInfo:
    code: str
    label: str
    title: str
    description: str


def phases_for_display() -> list[PhaseInfo]:
    """The three pathway phases in order, with the texts of the loaded data file."""
    texts = {row.phase: row for row in PhaseDescription.objects.all()}
    phases = []
    for phase in Phase:
        row = texts.get(phase.value)
        phases.append(
            PhaseInfo(
                code=phase.value,
                label=phase.label,
                title=row.title if row else phase.label,
                description=row.description if row else "",
            )
        )
    return phases


def notices_by_code() -> dict[str, Notice]:
    return {notice.code: notice for notice in Notice.objects.all()}


def caution_notice() -> Notice | None:
    """The warning on non-conventional practices (MIVILUDES referral)."""
    return Notice.objects.filter(code=CAUTION_NOTICE_CODE).first()


def current_reference_version() -> ReferenceDataVersion | None:
    """The most recently loaded version of the data file, if any."""
    return ReferenceDataVersion.objects.order_by("-loaded_at").first()
