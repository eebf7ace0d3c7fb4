"""The referrals JSON API (/api/v1/referrals/): a pathway's referrals, create, move.

The same rules as the pages: the pathway through `pathway_for` (404 for anyone
who may not see it, audited), writes through `referrals.services`; a domain
ValidationError becomes a French 422 and changes nothing.
"""

from datetime import date, datetime, time
from typing import Annotated

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field

from oncolien.api_errors import Coded, ErrorOut
from oncolien.directory.models import Service
from oncolien.pagination import PageOut, PageParams, envelope, page_of
from oncolien.pathways.selectors import pathway_for
from oncolien.reference.models import CareType
from oncolien.referrals import selectors, services
from oncolien.referrals.statuses import ReferralStatus

router = Router(tags=["orientations"], auth=django_auth)


class ReferralOut(Schema):
    id: int
    pathway: int
    care_type: str
    care_type_name: str
    service: int | None
    recipient: str
    external_contact: str
    status: str
    status_label: str
    reason: str
    note: str
    appointment_on: date | None
    appointment_time: time | None
    created_at: datetime
    status_changed_at: datetime


def referral_out(referral) -> dict:
    return {
        "id": referral.pk,
        "pathway": referral.pathway_id,
        "care_type": referral.care_type.code,
        "care_type_name": referral.care_type.name,
        "service": referral.service_id,
        "recipient": referral.recipient_name,
        "external_contact": referral.external_contact,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "reason": referral.reason,
        "note": referral.note,
        "appointment_on": referral.appointment_on,
        "appointment_time": referral.appointment_time,
        "created_at": referral.created_at,
        "status_changed_at": referral.status_changed_at,
    }


class ReferralIn(Schema):
    care_type: str
    service: int | None = Field(None, ge=1, le=2**63 - 1)
    external_name: str = ""
    external_contact: str = ""
    note: str = ""


class TransitionIn(Schema):
    to_status: Annotated[str, Coded(ReferralStatus)]
    reason: str = ""
    appointment_on: date | None = None
    appointment_time: time | None = None


@router.get("/pathways/{int:pathway_id}", response={200: PageOut[ReferralOut], 422: ErrorOut})
def referral_list(request, pathway_id: int, paging: Query[PageParams]):
    """Les orientations d'un parcours, par soin de support, par pages."""
    pathway = pathway_for(user=request.user, pk=pathway_id, action="referral.list")
    shown = page_of(selectors.referrals_of(pathway), paging.page, paging.page_size)
    return envelope(request, shown, [referral_out(r) for r in shown.items])


@router.post("/pathways/{int:pathway_id}", response={201: ReferralOut, 422: ErrorOut})
def referral_create(request, pathway_id: int, payload: ReferralIn):
    """Proposer une orientation vers une offre de l'annuaire ou une ressource hors annuaire."""
    pathway = pathway_for(user=request.user, pk=pathway_id)
    care_type = CareType.objects.filter(code=payload.care_type, active=True).first()
    if care_type is None:
        raise ValidationError({"care_type": f"Soin de support inconnu : « {payload.care_type} »."})
    service = None
    if payload.service is not None:
        service = Service.objects.filter(pk=payload.service).first()
        if service is None:
            raise ValidationError({"service": "Aucune offre de l'annuaire ne porte ce numéro."})
    referral = services.referral_create(
        actor=request.user,
        pathway=pathway,
        care_type=care_type,
        service=service,
        external_name=payload.external_name,
        external_contact=payload.external_contact,
        note=payload.note,
    )
    return Status(201, referral_out(referral))


@router.get("/{int:referral_id}", response=ReferralOut)
def referral_read(request, referral_id: int):
    """Une orientation (404 si son parcours n'est pas visible)."""
    return referral_out(selectors.referral_for(user=request.user, pk=referral_id))


@router.post("/{int:referral_id}/transition", response={200: ReferralOut, 422: ErrorOut})
def referral_transition(request, referral_id: int, payload: TransitionIn):
    """Changer le statut selon la table des passages (motif exigé pour un refus, une
    orientation non honorée ou annulée ; date exigée pour un rendez-vous)."""
    referral = selectors.referral_for(user=request.user, pk=referral_id)
    services.referral_transition(
        actor=request.user, referral=referral, answer=services.Answer(**payload.model_dump())
    )
    return referral_out(referral)
