"""Reads of the post-cancer programme, always from a pathway already obtained
through `pathways.selectors.pathway_for` (authorised and audited)."""

from dataclasses import dataclass, field
from datetime import date

from oncolien.aftercare import rules
from oncolien.aftercare.models import PostCancerProgramme, ProgrammeAct


@dataclass(frozen=True)
class ActLine:
    kind: str
    label: str
    prescribed: int
    done: int


@dataclass
class ProgrammeSummary:
    programme: PostCancerProgramme
    acts: list[ProgrammeAct]
    allowance: rules.Allowance
    lines: list[ActLine] = field(default_factory=list)

    @property
    def pending(self) -> list[ProgrammeAct]:
        return [act for act in self.acts if not act.is_done]

    @property
    def done(self) -> list[ProgrammeAct]:
        return [act for act in self.acts if act.is_done]


def programme_of(pathway) -> PostCancerProgramme | None:
    return (
        PostCancerProgramme.objects.filter(pathway=pathway)
        .select_related("service__organization", "created_by")
        .first()
    )


def summary_of(programme: PostCancerProgramme) -> ProgrammeSummary:
    acts = list(programme.acts.select_related("recorded_by").order_by("pk"))
    done = [act.as_rule_act() for act in acts if act.is_done]
    lines = [
        ActLine(
            kind=kind,
            label=label,
            prescribed=sum(1 for act in acts if act.kind == kind),
            done=sum(1 for act in acts if act.kind == kind and act.is_done),
        )
        for kind, label in rules.KIND_LABELS.items()
    ]
    return ProgrammeSummary(
        programme=programme,
        acts=acts,
        allowance=rules.allowance(programme.rules, done),
        lines=[line for line in lines if line.prescribed],
    )


def summary_for_pathway(pathway) -> ProgrammeSummary | None:
    programme = programme_of(pathway)
    return summary_of(programme) if programme else None


def prescription_window(pathway, *, today: date) -> tuple[date | None, bool]:
    """The last day the programme may be prescribed, and whether today is within it
    (for the hint on the pathway page; the prescription itself checks everything)."""
    in_force = rules.rules_on(today)
    end = pathway.end_of_active_treatment_on
    if end is None:
        return None, False
    last_day = rules.add_months(end, in_force.eligibility.months_after_end_of_treatment)
    return last_day, end <= today <= last_day and pathway.cancer_ald
