"""The pathway's phase, derived from its dates unless a professional chose one.

The rule is written once, in `RULE`: each step pairs the test on a pathway in memory
(the pathway page) with the same test as a SQL condition (the patient list's filter),
side by side, so that what a list finds and what the pathway shows cannot drift apart
(tests/test_phases.py compares them on every kind of pathway).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import Case, When

from oncolien.pathways.models import Pathway, Phase, Treatment


@dataclass(frozen=True)
class Step:
    """« The phase is `phase` when … », tested in memory (`holds`) and in SQL (`condition`)."""

    phase: str
    holds: Callable[[Pathway, date, list[date]], bool]
    condition: Callable[[date], Q | Exists]


# Derived from the dates, in order: the first step that holds gives the phase;
# when none does, the pathway is still at diagnosis.
RULE: tuple[Step, ...] = (
    # After treatment from the end of active treatment on.
    Step(
        Phase.AFTER_TREATMENT,
        lambda pathway, today, starts: (
            pathway.end_of_active_treatment_on is not None
            and pathway.end_of_active_treatment_on <= today
        ),
        lambda today: Q(end_of_active_treatment_on__lte=today),
    ),
    # In treatment once a treatment has started.
    Step(
        Phase.TREATMENT,
        lambda pathway, today, starts: any(start <= today for start in starts),
        lambda today: Exists(
            Treatment.objects.filter(pathway=OuterRef("pk"), started_on__lte=today)
        ),
    ),
)
DEFAULT_PHASE = Phase.DIAGNOSIS


def derived_phase(pathway: Pathway, *, today: date, treatment_starts: list[date]) -> str:
    """Diagnosis until a treatment starts, treatment until the end of active treatment,
    then after treatment."""
    for step in RULE:
        if step.holds(pathway, today, treatment_starts):
            return step.phase
    return DEFAULT_PHASE


def current_phase(pathway: Pathway, *, today: date) -> str:
    if pathway.phase_override:
        return pathway.phase_override
    starts = [t.started_on for t in pathway.treatments.all() if t.started_on]
    return derived_phase(pathway, today=today, treatment_starts=starts)


def phase_expression(*, today: date) -> Case:
    """`current_phase` as a SQL expression on pathways: the chosen phase, else `RULE`."""
    return Case(
        When(~Q(phase_override=""), then=F("phase_override")),
        *(When(step.condition(today), then=Value(str(step.phase))) for step in RULE),
        default=Value(str(DEFAULT_PHASE)),
        output_field=CharField(),
    )


def with_phase(pathways: QuerySet[Pathway], *, today: date) -> QuerySet[Pathway]:
    """These pathways annotated with `phase`, their current phase on `today`."""
    return pathways.annotate(phase=phase_expression(today=today))
