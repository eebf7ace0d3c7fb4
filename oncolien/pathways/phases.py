"""The pathway's phase, derived from its dates unless a professional chose one."""

from datetime import date

from oncolien.pathways.models import Pathway, Phase


def derived_phase(pathway: Pathway, *, today: date, treatment_starts: list[date]) -> str:
    """Diagnosis until a treatment starts, treatment until the end of active treatment,
    then after treatment."""
    end = pathway.end_of_active_treatment_on
    if end is not None and end <= today:
        return Phase.AFTER_TREATMENT
    if any(start <= today for start in treatment_starts):
        return Phase.TREATMENT
    return Phase.DIAGNOSIS


def current_phase(pathway: Pathway, *, today: date) -> str:
    if pathway.phase_override:
        return pathway.phase_override
    starts = [t.started_on for t in pathway.treatments.all() if t.started_on]
    return derived_phase(pathway, today=today, treatment_starts=starts)
