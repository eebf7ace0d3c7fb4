"""Reads of the work situation. A situation is reached through its pathway, obtained
from `pathways.selectors.pathway_for` (authorised, audited, 404 for anyone else)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from oncolien.accounts.authorization import AnyUser
from oncolien.pathways.extensions import ReportSection
from oncolien.pathways.models import Pathway
from oncolien.pathways.selectors import pathway_for
from oncolien.worklife.models import WorkSituation

READ = "worklife.read"
# The supportive care a return to work belongs to (INCa basket, « socle »).
CARE_TYPE = "social"


def pathway_with_work_for(*, user: AnyUser, pk: int) -> Pathway:
    return pathway_for(user=user, pk=pk, action=READ)


def work_situation_of(pathway: Pathway) -> WorkSituation | None:
    """The situation of a pathway obtained from `pathway_for` (already authorised)."""
    return WorkSituation.objects.filter(pathway=pathway).first()


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def professional_lines(situation: WorkSituation) -> list[str]:
    """The situation and the plan as the care team reads them (report, panel)."""
    status = situation.get_status_display()
    lines = [
        f"Situation : {status.lower()}"
        + (f" ({situation.employer_sector})" if situation.employer_sector else "")
        + (
            f", en arrêt de travail depuis le {_d(situation.sick_leave_since)}."
            if situation.sick_leave_since
            else "."
        )
    ]
    if situation.occupational_physician_contacted_on:
        lines.append(
            f"Médecin du travail contacté le {_d(situation.occupational_physician_contacted_on)}."
        )
    if situation.occupational_visit_on:
        lines.append(f"Visite avec le médecin du travail le {_d(situation.occupational_visit_on)}.")
    if situation.pre_return_visit_on:
        lines.append(f"Visite de pré-reprise le {_d(situation.pre_return_visit_on)}.")
    if situation.part_time_from:
        lines.append(
            f"Mi-temps thérapeutique du {_d(situation.part_time_from)}"
            + (f" au {_d(situation.part_time_to)}." if situation.part_time_to else ".")
        )
    if situation.workstation_adjustment:
        lines.append(f"Aménagement de poste : {situation.workstation_adjustment}.")
    return lines


def report_section(pathway: Pathway) -> ReportSection:
    """The work situation and return-to-work plan, for a visit report (pathway authorised)."""
    situation = work_situation_of(pathway)
    return ReportSection(
        "Activité professionnelle et reprise du travail",
        professional_lines(situation) if situation else [],
        "Situation professionnelle non renseignée.",
    )


def work_plan_lines(pathway: Pathway, *, today: date | None = None) -> list[str]:
    """The return-to-work plan in the patient's words, for the booklet (pathway already
    authorised by the caller). Nothing for a situation without a plan; never the
    professionals' notes."""
    situation = work_situation_of(pathway)
    if situation is None:
        return []
    today = today or timezone.localdate()
    lines: list[str] = []
    if situation.sick_leave_since:
        lines.append(f"Vous êtes en arrêt de travail depuis le {_d(situation.sick_leave_since)}.")
    if situation.occupational_physician_contacted_on:
        lines.append(
            "Votre médecin du travail a été contacté le "
            f"{_d(situation.occupational_physician_contacted_on)}."
        )
    for day, future, past in (
        (
            situation.occupational_visit_on,
            "Votre rendez-vous avec le médecin du travail est prévu le {}.",
            "Vous avez vu le médecin du travail le {}.",
        ),
        (
            situation.pre_return_visit_on,
            "Votre visite de pré-reprise avec le médecin du travail est prévue le {}.",
            "Votre visite de pré-reprise a eu lieu le {}.",
        ),
    ):
        if day:
            lines.append((future if day >= today else past).format(_d(day)))
    if situation.part_time_from:
        start, end = situation.part_time_from, situation.part_time_to
        if end:
            lines.append(f"Vous reprenez en mi-temps thérapeutique du {_d(start)} au {_d(end)}.")
        else:
            lines.append(f"Vous reprenez en mi-temps thérapeutique à partir du {_d(start)}.")
    if situation.workstation_adjustment:
        lines.append(f"Aménagement de votre poste : {situation.workstation_adjustment}.")
    if lines:
        lines.append(
            "Pour toute question sur votre reprise du travail, parlez-en à votre infirmière "
            "de parcours, à votre médecin traitant ou au médecin du travail."
        )
    return lines
