"""The regional view: every CPTS's activity for a period, as protected aggregates.

The rows counted are the dashboard's own (figures.py), per CPTS. Regional staff
see counts only — no patient, no identifier, no free text — and every count
goes through disclosure control (disclosure.py): the table's CPTS
rows and its regional total row are one set of relations, so that no small
count of a CPTS can be recovered from the region's total.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from oncolien.disclosure import RULE, TOTAL, Relation, Shown, protect
from oncolien.territories.models import Cpts

from .figures import (
    ESCALATED,
    EVER_FOLLOWED,
    INCLUDED_CALL,
    alerts_in,
    calls_in,
    caseload_on,
    opened_in,
    visits_in,
)
from .periods import Period

Counter = Callable[[Period], QuerySet]


@dataclass(frozen=True)
class Measure:
    """A count per CPTS: the rows of `rows` (those matching `only`), by `cpts_path`.
    Measures of the same rows are counted in one pass."""

    code: str
    label: str
    rows: Counter
    cpts_path: str
    only: Q | None = None


MEASURES = (
    Measure("calls", "Appels reçus", calls_in, "cpts"),
    Measure("calls_included", "Appels ayant ouvert un parcours", calls_in, "cpts", INCLUDED_CALL),
    Measure("opened", "Parcours ouverts", opened_in, "cpts"),
    Measure("followed", "dont passés en suivi", opened_in, "cpts", EVER_FOLLOWED),
    Measure("caseload", "File active au dernier jour", caseload_on, "cpts"),
    Measure("visits", "Visites", visits_in, "pathway__cpts"),
    Measure("alerts", "Alertes levées", alerts_in, "pathway__cpts"),
    Measure("escalated", "Alertes escaladées", alerts_in, "pathway__cpts", ESCALATED),
)


def _counts_per_cpts(period: Period) -> dict[tuple[object, str], int]:
    """{(CPTS id, measure code): count}, one query per kind of rows."""
    sources: dict[tuple[Counter, str], list[Measure]] = {}
    for measure in MEASURES:
        sources.setdefault((measure.rows, measure.cpts_path), []).append(measure)
    counts: dict[tuple[object, str], int] = {}
    for (rows, cpts_path), measures in sources.items():
        grouped = (
            rows(period)
            .order_by()
            .values(cpts_path)
            .annotate(**{m.code: Count("pk", filter=m.only) for m in measures})
        )
        for row in grouped:
            for measure in measures:
                counts[(row[cpts_path], measure.code)] = row[measure.code]
    return counts


# Counts that hold others: their difference (calls that opened nothing, pathways
# not followed, alerts not escalated) is never shown, but a reader can subtract, so
# it is protected as a count of its own.
NESTED = (("calls", "calls_included"), ("opened", "followed"), ("alerts", "escalated"))


@dataclass(frozen=True)
class RegionalRow:
    name: str
    cells: list[Shown]


@dataclass(frozen=True)
class RegionalTable:
    period: Period
    measures: tuple[Measure, ...]
    rows: list[RegionalRow]
    total: RegionalRow
    rule: str = RULE


def regional_table(period: Period) -> RegionalTable:
    """One row per CPTS (all of the region's, with or without activity) and the region's."""
    cpts_list = list(Cpts.objects.order_by("name").values_list("pk", "name"))
    found = _counts_per_cpts(period)
    counts: dict = {}
    for measure in MEASURES:
        for pk, _ in cpts_list:
            counts[(pk, measure.code)] = found.get((pk, measure.code), 0)
        counts[(TOTAL, measure.code)] = sum(counts[(pk, measure.code)] for pk, _ in cpts_list)
    codes = [m.code for m in MEASURES]
    row_keys: list[object] = [pk for pk, _ in cpts_list] + [TOTAL]
    for whole, part in NESTED:
        rest = f"{whole}-{part}"
        codes.append(rest)
        for row_key in row_keys:
            counts[(row_key, rest)] = counts[(row_key, whole)] - counts[(row_key, part)]
    relations = [
        Relation((TOTAL, code), tuple((pk, code) for pk, _ in cpts_list)) for code in codes
    ]
    relations += [
        Relation((pk, whole), ((pk, part), (pk, f"{whole}-{part}")))
        for pk in row_keys
        for whole, part in NESTED
    ]
    shown = protect(counts, relations)
    rows = [RegionalRow(name, [shown[(pk, m.code)] for m in MEASURES]) for pk, name in cpts_list]
    total = RegionalRow("Région", [shown[(TOTAL, m.code)] for m in MEASURES])
    return RegionalTable(period, MEASURES, rows, total)
