"""Reads of CPTS with their computed figures, in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce

from .models import SIZE_CLASS_BOUNDS, Commune, Cpts, size_class_for

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class CptsTotals(TypedDict):
    commune_total: int
    population_total: int


@dataclass(frozen=True)
class DepartmentLabel:
    code: str
    name: str

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


@dataclass(frozen=True)
class CptsSummary:
    """A CPTS with its population and size class, computed from its communes."""

    cpts: Cpts
    commune_count: int
    population: int
    departments: tuple[DepartmentLabel, ...]

    @property
    def size_class(self) -> int:
        return size_class_for(self.population)


def cpts_with_totals(
    cpts: QuerySet[Cpts] | None = None,
) -> "QuerySet[WithAnnotations[Cpts, CptsTotals]]":
    """CPTS annotated with ``commune_total`` and ``population_total`` (0 when empty)."""
    cpts = Cpts.objects.all() if cpts is None else cpts
    if not cpts.query.order_by:
        # Django leaves Meta.ordering out of aggregate (GROUP BY) queries.
        cpts = cpts.order_by(*(Cpts._meta.ordering or ()))
    # Distinct names from the model's `population` property, which would shadow them.
    return cpts.annotate(
        commune_total=Count("communes"),
        population_total=Coalesce(Sum("communes__population"), 0),
    )


def cpts_summaries(*, cpts: QuerySet[Cpts] | None = None) -> list[CptsSummary]:
    """Summaries of these CPTS (all by default), in two queries whatever their number."""
    rows = list(cpts_with_totals(cpts))
    departments: dict[int, set[DepartmentLabel]] = defaultdict(set)
    links = (
        Cpts.communes.through.objects.filter(cpts_id__in=[row.pk for row in rows])
        .values_list("cpts_id", "commune__department__code", "commune__department__name")
        .distinct()
    )
    for cpts_id, code, name in links:
        departments[cpts_id].add(DepartmentLabel(code=code, name=name))
    return [
        CptsSummary(
            cpts=row,
            commune_count=row.commune_total,
            population=row.population_total,
            departments=tuple(sorted(departments[row.pk], key=lambda label: label.code)),
        )
        for row in rows
    ]


def cpts_summary(*, cpts: Cpts) -> CptsSummary:
    return cpts_summaries(cpts=Cpts.objects.filter(pk=cpts.pk))[0]


def cpts_communes(*, cpts: Cpts) -> QuerySet[Commune]:
    """The communes of a CPTS with their department and postal codes, by name."""
    return (
        cpts.communes.select_related("department")
        .prefetch_related("postal_codes")
        .order_by("search_name", "insee_code")
    )


@dataclass(frozen=True)
class SizeClassRange:
    size_class: int
    minimum: int
    maximum: int | None  # inclusive; None for the last class


def size_class_ranges() -> list[SizeClassRange]:
    """The population range of each ACI size class, for pages that explain them."""
    ranges, minimum = [], 0
    for size_class, largest in SIZE_CLASS_BOUNDS:
        ranges.append(SizeClassRange(size_class, minimum, largest))
        minimum = largest + 1
    ranges.append(SizeClassRange(SIZE_CLASS_BOUNDS[-1][0] + 1, minimum, None))
    return ranges
