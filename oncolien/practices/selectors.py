"""Reads of shared practices: the public ones, searched by theme and territory."""

from dataclasses import dataclass

from django.db.models import QuerySet

from oncolien.practices.models import STEP_SLUGS, Practice, Status
from oncolien.territories.models import Department


def practices_published() -> QuerySet[Practice]:
    return (
        Practice.objects.filter(status=Status.PUBLISHED)
        .select_related("cpts")
        .prefetch_related("care_types")
    )


@dataclass(frozen=True)
class PracticeSearch:
    theme: str = ""  # a care type code
    step: str = ""  # a slug of STEP_SLUGS
    department: str = ""  # a department code
    region: str = ""  # a region code


def practices_search(search: PracticeSearch) -> QuerySet[Practice]:
    """Published practices matching every criterion given; the territory of a
    practice is that of its CPTS's communes."""
    queryset = practices_published()
    if search.theme:
        queryset = queryset.filter(care_types__code=search.theme)
    if search.step in STEP_SLUGS:
        queryset = queryset.exclude(**{STEP_SLUGS[search.step]: ""})
    if search.department:
        queryset = queryset.filter(cpts__communes__department__code=search.department)
    if search.region:
        queryset = queryset.filter(cpts__communes__department__region_code=search.region)
    return queryset.distinct()


def territories_with_practices() -> tuple[list[Department], list[tuple[str, str]]]:
    """The departments and regions that hold a published practice (for the filters)."""
    departments = list(
        Department.objects.filter(communes__cpts_set__practices__status=Status.PUBLISHED).distinct()
    )
    regions = sorted({(d.region_code, d.region_name) for d in departments}, key=lambda r: r[1])
    return departments, regions
