"""Writes of the work situation and return-to-work plan: authorised (`pathway.write`:
following the patient's return to work is part of following the pathway), validated
as a whole (French messages, nothing changed on bad input), atomic and audited."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.pathways.access import PATHWAY_WRITE
from oncolien.pathways.models import Pathway, PathwayStatus
from oncolien.worklife.models import WORKING, WorkSituation, WorkStatus

NOTES_MAX = 2000


@dataclass(frozen=True)
class WorkValues:
    status: str
    sick_leave_since: date | None = None
    employer_sector: str = ""
    occupational_physician_contacted_on: date | None = None
    occupational_visit_on: date | None = None
    pre_return_visit_on: date | None = None
    part_time_from: date | None = None
    part_time_to: date | None = None
    workstation_adjustment: str = ""
    notes: str = ""


PLAN_FIELDS = (
    "occupational_physician_contacted_on",
    "occupational_visit_on",
    "pre_return_visit_on",
    "part_time_from",
    "part_time_to",
    "workstation_adjustment",
)


def _clean(values: WorkValues) -> dict[str, str]:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if values.status not in WorkStatus.values:
        errors["status"] = "Choisissez la situation professionnelle dans la liste."
    elif values.status not in WORKING:
        planned = [name for name in PLAN_FIELDS if getattr(values, name)]
        if planned or values.sick_leave_since:
            errors["status"] = (
                "Un arrêt de travail, le médecin du travail, la pré-reprise, le mi-temps "
                "thérapeutique et l'aménagement de poste concernent une personne en emploi "
                "(salariée, agente publique ou indépendante) : changez la situation ou videz "
                "ces champs."
            )
    if values.sick_leave_since and values.sick_leave_since > today:
        errors["sick_leave_since"] = "L'arrêt de travail ne peut pas commencer dans le futur."
    if values.occupational_physician_contacted_on and (
        values.occupational_physician_contacted_on > today
    ):
        errors["occupational_physician_contacted_on"] = (
            "La date de contact du médecin du travail ne peut pas être dans le futur."
        )
    if values.part_time_to and not values.part_time_from:
        errors["part_time_from"] = "Indiquez le début du mi-temps thérapeutique."
    elif (
        values.part_time_from
        and values.part_time_to
        and values.part_time_to < values.part_time_from
    ):
        errors["part_time_to"] = "La fin du mi-temps thérapeutique précède son début."
    for name in ("occupational_visit_on", "pre_return_visit_on", "part_time_from", "part_time_to"):
        day = getattr(values, name)
        if day and abs((day - today).days) > 5 * 366:
            errors[name] = "Cette date est à plus de cinq ans d'aujourd'hui : vérifiez-la."
    if len(values.employer_sector) > 150:
        errors["employer_sector"] = "Le secteur est trop long (au plus 150 caractères)."
    if len(values.workstation_adjustment) > 300:
        errors["workstation_adjustment"] = (
            "L'aménagement de poste est trop long (au plus 300 caractères)."
        )
    if len(values.notes) > NOTES_MAX:
        errors["notes"] = "Les notes sont trop longues (au plus 2 000 caractères)."
    return errors


def work_situation_save(*, actor: User, pathway: Pathway, values: WorkValues) -> WorkSituation:
    """Record or change the pathway's work situation and return-to-work plan."""
    authorize(actor, PATHWAY_WRITE, pathway)
    with transaction.atomic():
        if pathway.status == PathwayStatus.CLOSED:
            raise ValidationError("Ce parcours est clôturé : il ne peut plus être modifié.")
        errors = _clean(values)
        if errors:
            raise ValidationError(errors)
        situation = WorkSituation.objects.select_for_update().filter(pathway=pathway).first()
        created = situation is None
        if situation is None:
            situation = WorkSituation(pathway=pathway)
        for item in fields(WorkValues):
            value = getattr(values, item.name)
            setattr(situation, item.name, value.strip() if isinstance(value, str) else value)
        situation.updated_by = actor
        situation.full_clean(exclude=["pathway"])
        situation.save()
        audit_record(
            actor=actor,
            action="worklife.create" if created else "worklife.update",
            target=pathway,
            details={"situation": situation.pk, "status": situation.status},
        )
        return situation
