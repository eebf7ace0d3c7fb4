"""The post-cancer programme API: the same operations and rules as the pages.

A pathway is always obtained through `pathways.selectors.pathway_for` (404 for
anyone who may not see it, the denial audited); writes go through
`aftercare.services`, whose French refusals become a 422 listing each reason.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field

from oncolien.aftercare import selectors, services
from oncolien.aftercare.eligibility import Prescriber, PrescriberRole
from oncolien.aftercare.models import ProgrammeAct
from oncolien.aftercare.selectors import ProgrammeSummary
from oncolien.api_errors import Coded, ErrorOut
from oncolien.directory.models import Service
from oncolien.pathways.selectors import pathway_for

router = Router(tags=["parcours après cancer"], auth=django_auth)

READ = "aftercare.programme.read"
MAX_FOLLOW_UPS = 100


class AllowanceOut(Schema):
    rules_version: str
    source: str
    cap: Decimal
    used: Decimal
    remaining: Decimal
    follow_ups_done: int
    follow_ups_remaining: int
    first_assessment_on: date | None
    window_ends_on: date | None


class ActOut(Schema):
    id: int
    kind: str
    label: str
    done_on: date | None
    amount: Decimal | None


class ProgrammeOut(Schema):
    id: int
    pathway_id: int
    prescriber_role: str
    prescriber_name: str
    prescriber_rpps: str
    prescribed_on: date
    service_id: int
    service: str
    acts: list[ActOut]
    allowance: AllowanceOut


class PrescribeIn(Schema):
    prescriber_role: Annotated[str, Coded(PrescriberRole)]
    prescriber_name: str
    prescriber_rpps: str = ""
    prescribed_on: date
    service_id: int = Field(ge=1, le=2**63 - 1)
    physical_activity_assessment: bool = False
    dietary_assessment: bool = False
    psychological_assessment: bool = False
    # Bounded well above what any version of the allowance pays (6 follow-ups in 2020-12):
    # the rules in force refuse beyond their own maximum, with their message.
    dietary_follow_ups: int = Field(0, ge=0, le=MAX_FOLLOW_UPS)
    psychological_follow_ups: int = Field(0, ge=0, le=MAX_FOLLOW_UPS)


class ActDoneIn(Schema):
    done_on: date
    amount: Decimal | None = None


def _allowance_out(summary: ProgrammeSummary) -> dict:
    a = summary.allowance
    return {
        "rules_version": a.rules.version,
        "source": a.rules.source,
        "cap": a.cap,
        "used": a.used,
        "remaining": a.remaining,
        "follow_ups_done": a.follow_ups_done,
        "follow_ups_remaining": a.follow_ups_remaining,
        "first_assessment_on": a.first_assessment_on,
        "window_ends_on": a.window_ends_on,
    }


def _programme_out(summary: ProgrammeSummary) -> dict:
    p = summary.programme
    return {
        "id": p.pk,
        "pathway_id": p.pathway_id,
        "prescriber_role": p.prescriber_role,
        "prescriber_name": p.prescriber_name,
        "prescriber_rpps": p.prescriber_rpps,
        "prescribed_on": p.prescribed_on,
        "service_id": p.service_id,
        "service": str(p.service),
        "acts": [
            {
                "id": act.pk,
                "kind": act.kind,
                "label": act.get_kind_display(),
                "done_on": act.done_on,
                "amount": act.amount,
            }
            for act in summary.acts
        ],
        "allowance": _allowance_out(summary),
    }


def _summary(request, pathway_id: int) -> ProgrammeSummary:
    pathway = pathway_for(user=request.user, pk=pathway_id, action=READ)
    summary = selectors.summary_for_pathway(pathway)
    if summary is None:
        raise Http404("Aucun parcours après cancer prescrit.")
    return summary


@router.get("/pathways/{pathway_id}/programme", response=ProgrammeOut)
def programme_get(request, pathway_id: int):
    """Le parcours après cancer d'un parcours patient, ses actes et le forfait restant."""
    return _programme_out(_summary(request, pathway_id))


@router.get("/pathways/{pathway_id}/programme/allowance", response=AllowanceOut)
def allowance_get(request, pathway_id: int):
    """Le forfait restant (montant, consultations de suivi, période de 12 mois)."""
    return _allowance_out(_summary(request, pathway_id))


@router.post("/pathways/{pathway_id}/programme", response={201: ProgrammeOut, 422: ErrorOut})
def programme_prescribe(request, pathway_id: int, payload: PrescribeIn):
    """Prescrire le parcours ; refusé (422) avec chaque motif si le patient n'y a pas droit."""
    pathway = pathway_for(user=request.user, pk=pathway_id, action=READ)
    service = Service.objects.filter(pk=payload.service_id).first()
    if service is None:
        raise ValidationError({"service_id": "Aucune structure ne porte cet identifiant."})
    programme = services.programme_prescribe(
        actor=request.user,
        pathway=pathway,
        prescriber=Prescriber(
            role=payload.prescriber_role,
            name=payload.prescriber_name,
            rpps=payload.prescriber_rpps,
        ),
        prescribed_on=payload.prescribed_on,
        service=service,
        acts=services.PrescribedActs(
            physical_activity_assessment=payload.physical_activity_assessment,
            dietary_assessment=payload.dietary_assessment,
            psychological_assessment=payload.psychological_assessment,
            dietary_follow_ups=payload.dietary_follow_ups,
            psychological_follow_ups=payload.psychological_follow_ups,
        ),
    )
    return Status(201, _programme_out(selectors.summary_of(programme)))


@router.post(
    "/pathways/{pathway_id}/programme/acts/{act_id}/done",
    response={200: ProgrammeOut, 422: ErrorOut},
)
def act_done(request, pathway_id: int, act_id: int, payload: ActDoneIn):
    """Enregistrer un acte prescrit comme réalisé ; refusé (422) s'il enfreint une règle du forfait."""
    pathway = pathway_for(user=request.user, pk=pathway_id, action=READ)
    act = ProgrammeAct.objects.filter(pk=act_id, programme__pathway=pathway).first()
    if act is None:
        raise Http404("Acte introuvable.")
    services.act_record_done(
        actor=request.user, act=act, done_on=payload.done_on, amount=payload.amount
    )
    return _programme_out(selectors.summary_of(act.programme))
