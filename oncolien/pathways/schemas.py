"""What the pathways API accepts and returns, and the functions that shape the output.

Input schemas check only types; the domain rules (plausible ranges, transitions,
eligibility, choices) are checked by `pathways.services`, so that the pages and
the API refuse the same things with the same French messages.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from oncolien.api_errors import Coded
from oncolien.pathways.models import (
    Alert,
    CancerSite,
    CareTeamRole,
    ClosingReason,
    Flush,
    IntakeChannel,
    LocalAspect,
    MonitoringRecord,
    Pathway,
    Phase,
    Sex,
    Transit,
    TreatmentKind,
    VenousAccess,
    Visit,
    VisitKind,
    Vomiting,
)
from oncolien.pathways.statuses import PathwayStatus

# The largest id the databases store (a 64-bit integer): beyond it, an id names nothing.
MAX_ID = 2**63 - 1

# Text and coded fields of a pathway that a PATCH may clear (with null or "").
CLEARABLE_FIELDS = (
    "referrer",
    "cancer_site",
    "phase_override",
    "pps_reference",
    "ppac_reference",
    "dcc_reference",
)

# --- Shared pieces -------------------------------------------------------------


class ChoiceOut(Schema):
    code: str
    label: str


class CommuneOut(Schema):
    insee_code: str
    name: str


class CptsOut(Schema):
    slug: str
    name: str


def person(user) -> str:
    """How a user is named in the API: full name, else the login."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _choice(instance, field: str) -> ChoiceOut | None:
    code = getattr(instance, field)
    if not code:
        return None
    return ChoiceOut(code=code, label=getattr(instance, f"get_{field}_display")())


# --- Inputs --------------------------------------------------------------------


class PatientIn(Schema):
    last_name: str
    first_name: str
    birth_date: date
    sex: Annotated[str, Coded(Sex)]
    commune: str  # INSEE code
    address: str = ""
    phone: str = ""
    ins: str = ""
    gp_name: str = ""


class IntakeIn(Schema):
    cpts: str  # slug
    patient: PatientIn
    intake_channel: Annotated[str, Coded(IntakeChannel)]
    first_contact_on: date
    referrer: str = ""
    informed_on: date | None = None
    objects_to_sharing: bool = False
    out_of_territory_reason: str = ""


class PathwayPatchIn(Schema):
    """Only the fields sent change. For a text or coded field, null (or "") clears it;
    the ALD flag takes true or false only."""

    # Unknown fields are refused rather than ignored: a client that sends "status"
    # here must learn that it did not change anything.
    model_config = ConfigDict(extra="forbid")

    referrer: str | None = Field(None, max_length=200)
    cancer_site: Annotated[str, Coded(CancerSite)] | None = None
    diagnosis_on: date | None = None
    end_of_active_treatment_on: date | None = None
    phase_override: Annotated[str, Coded(Phase)] | None = Field(
        None, description="La phase choisie ; null revient à la phase calculée par les dates."
    )
    cancer_ald: bool = Field(None)  # type: ignore[assignment]  # optional, never null
    pps_reference: str | None = Field(None, max_length=300)
    ppac_reference: str | None = Field(None, max_length=300)
    dcc_reference: str | None = Field(None, max_length=300)
    reference_weight_kg: Decimal | None = Field(None, ge=0, le=1000)
    version: int | None = Field(
        None,
        ge=1,
        le=2**31 - 1,
        description=(
            "La version du parcours lue (champ `version`, ou l'en-tête `If-Match`) : si une "
            "autre modification est passée depuis, rien n'est enregistré (409)."
        ),
    )

    @field_validator(*CLEARABLE_FIELDS, mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    def changes(self) -> dict:
        """The fields sent, as `services.pathway_update` takes them (a cleared field is "")."""
        values = self.model_dump(exclude_unset=True, exclude={"version"})
        return {
            name: "" if name in CLEARABLE_FIELDS and value is None else value
            for name, value in values.items()
        }


class StatusIn(Schema):
    to_status: Annotated[str, Coded(PathwayStatus)]
    closing_reason: Annotated[str, Coded(ClosingReason, blank=True)] = ""
    note: str = ""


class ConsentIn(Schema):
    informed_on: date
    objects_to_sharing: bool = False
    notes: str = ""


class CareTeamIn(Schema):
    role: Annotated[str, Coded(CareTeamRole)]
    username: str | None = None  # an OncoLien account of the CPTS, or else an external contact
    name: str = ""
    phone: str = ""
    email: str = ""


class TreatmentIn(Schema):
    kind: Annotated[str, Coded(TreatmentKind)]
    started_on: date | None = None
    ended_on: date | None = None
    notes: str = ""


class VisitIn(Schema):
    kind: Annotated[str, Coded(VisitKind)]
    occurred_at: datetime
    duration_minutes: int | None = Field(None, ge=0, le=24 * 60)
    notes: str = ""
    needs_discussed: list[str] = []  # care type codes


class RecordIn(Schema):
    """The monitoring sheet. Measurements are taken as numbers of any precision so
    that the range check answers with its own French message (e.g. an EVA of 7.5)."""

    recorded_at: datetime | None = None
    visit_id: int | None = Field(None, ge=1, le=MAX_ID)
    weight_kg: Decimal | None = None
    systolic_bp: Decimal | None = None
    diastolic_bp: Decimal | None = None
    pulse_bpm: Decimal | None = None
    pulse_regular: bool | None = None
    saturation_pct: Decimal | None = None
    temperature_c: Decimal | None = None
    dyspnoea: bool | None = None
    nausea: bool | None = None
    vomiting: Annotated[str, Coded(Vomiting)] = "none"
    transit: Annotated[str, Coded(Transit, blank=True)] = ""
    enriched_food: bool | None = None
    fractionated_meals: bool | None = None
    mucositis: bool | None = None
    dry_skin: bool | None = None
    hand_foot_syndrome: bool | None = None
    alopecia_nails: bool | None = None
    tingling: bool | None = None
    paresthesia: bool | None = None
    missed_doses: bool | None = None
    treatment_difficulties: str = ""
    pain_score: Decimal | None = None
    pain_location: str = ""
    biology_on: date | None = None
    biology_anomalies: str = ""
    venous_access: Annotated[str, Coded(VenousAccess)] = "none"
    venous_access_flush: Annotated[str, Coded(Flush, blank=True)] = ""
    venous_access_aspect: Annotated[str, Coded(LocalAspect, blank=True)] = ""
    observations: str = ""

    def values(self) -> dict:
        """The sheet's fields, as `services.monitoring_record_add` takes them."""
        return self.model_dump(exclude={"recorded_at", "visit_id"})


class AcknowledgeIn(Schema):
    comment: str = ""


class AlertCommentIn(Schema):
    text: str = ""


class AlertCommentOut(Schema):
    id: int
    alert_id: int
    author: str
    created_at: datetime
    text: str


# --- Outputs -------------------------------------------------------------------


class PatientOut(Schema):
    last_name: str
    first_name: str
    birth_date: date
    sex: ChoiceOut
    commune: CommuneOut
    address: str
    phone: str
    ins: str
    gp_name: str


class PatientNameOut(Schema):
    last_name: str
    first_name: str
    birth_date: date


class PathwaySummaryOut(Schema):
    id: int
    patient: PatientNameOut
    cpts: CptsOut
    status: ChoiceOut
    first_contact_on: date


class CancerOut(Schema):
    site: ChoiceOut | None
    diagnosis_on: date | None
    end_of_active_treatment_on: date | None
    ald: bool
    pps_reference: str
    ppac_reference: str
    dcc_reference: str


class CareTeamMemberOut(Schema):
    id: int
    role: ChoiceOut
    name: str
    username: str | None
    phone: str
    email: str
    active: bool


class TreatmentOut(Schema):
    id: int
    kind: ChoiceOut
    started_on: date | None
    ended_on: date | None
    notes: str


class ConsentOut(Schema):
    informed_on: date
    objects_to_sharing: bool
    notes: str
    recorded_by: str
    recorded_at: datetime


class PathwayOut(Schema):
    id: int
    cpts: CptsOut
    patient: PatientOut
    status: ChoiceOut
    closing_reason: ChoiceOut | None
    intake_channel: ChoiceOut
    referrer: str
    first_contact_on: date
    included_on: date | None
    closed_on: date | None
    in_territory: bool
    out_of_territory_reason: str
    phase: ChoiceOut
    phase_overridden: bool
    cancer: CancerOut
    reference_weight_kg: float | None
    care_team: list[CareTeamMemberOut]
    treatments: list[TreatmentOut]
    consent: ConsentOut | None
    sharing_allowed: bool
    # Also sent as the ETag header; sent back in a PATCH (`version` or `If-Match`).
    version: int


class VisitOut(Schema):
    id: int
    kind: ChoiceOut
    occurred_at: datetime
    duration_minutes: int | None
    author: str
    notes: str
    needs_discussed: list[ChoiceOut]


class AlertOut(Schema):
    id: int
    pathway_id: int
    record_id: int | None
    rule: str
    severity: ChoiceOut
    message: str
    raised_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str
    acknowledgement_comment: str
    escalated_at: datetime | None


class WorklistAlertOut(AlertOut):
    patient: PatientNameOut


class WorklistOut(Schema):
    count: int = Field(description="Nombre total d'alertes ouvertes, toutes pages comprises.")
    page_size: int
    next: str | None = Field(description="Adresse de la page suivante ; null sur la dernière.")
    previous: str | None = Field(
        description="Adresse de la page précédente ; null sur la première."
    )
    results: list[WorklistAlertOut] = Field(
        description="Les alertes ouvertes de la page, les plus graves puis les plus anciennes d'abord."
    )
    escalated_count: int = Field(description="Nombre total d'alertes ouvertes escaladées.")
    escalated_alerts: list[WorklistAlertOut] = Field(
        description="Les alertes escaladées parmi celles de la page."
    )
    pathways_count: int = Field(description="Nombre total de parcours en cours visibles.")
    pathways: list[PathwaySummaryOut] = Field(
        description="Les 100 premiers parcours en cours par nom ; tous sont dans GET /pathways/."
    )


class RecordOut(Schema):
    id: int
    pathway_id: int
    visit_id: int | None
    author: str
    recorded_at: datetime
    weight_kg: float | None
    systolic_bp: int | None
    diastolic_bp: int | None
    pulse_bpm: int | None
    pulse_regular: bool | None
    saturation_pct: int | None
    temperature_c: float | None
    dyspnoea: bool | None
    nausea: bool | None
    vomiting: ChoiceOut
    transit: ChoiceOut | None
    enriched_food: bool | None
    fractionated_meals: bool | None
    mucositis: bool | None
    dry_skin: bool | None
    hand_foot_syndrome: bool | None
    alopecia_nails: bool | None
    tingling: bool | None
    paresthesia: bool | None
    missed_doses: bool | None
    treatment_difficulties: str
    pain_score: int | None
    pain_location: str
    biology_on: date | None
    biology_anomalies: str
    venous_access: ChoiceOut
    venous_access_flush: ChoiceOut | None
    venous_access_aspect: ChoiceOut | None
    observations: str
    alerts: list[AlertOut]


class RecordCreatedOut(Schema):
    record: RecordOut
    alerts: list[AlertOut]


class TimelineEventOut(Schema):
    at: datetime
    kind: str
    title: str
    detail: str
    who: str


# --- Shaping model instances ------------------------------------------------------


def patient_name_out(patient) -> dict:
    return {
        "last_name": patient.last_name,
        "first_name": patient.first_name,
        "birth_date": patient.birth_date,
    }


def pathway_summary_out(pathway: Pathway) -> dict:
    return {
        "id": pathway.pk,
        "patient": patient_name_out(pathway.patient),
        "cpts": {"slug": pathway.cpts.slug, "name": pathway.cpts.name},
        "status": _choice(pathway, "status"),
        "first_contact_on": pathway.first_contact_on,
    }


def care_team_member_out(member) -> dict:
    return {
        "id": member.pk,
        "role": _choice(member, "role"),
        "name": member.name,
        "username": member.user.get_username() if member.user_id else None,
        "phone": member.phone,
        "email": member.email,
        "active": member.active,
    }


def treatment_out(treatment) -> dict:
    return {
        "id": treatment.pk,
        "kind": _choice(treatment, "kind"),
        "started_on": treatment.started_on,
        "ended_on": treatment.ended_on,
        "notes": treatment.notes,
    }


def consent_out(consent) -> dict:
    return {
        "informed_on": consent.informed_on,
        "objects_to_sharing": consent.objects_to_sharing,
        "notes": consent.notes,
        "recorded_by": person(consent.recorded_by),
        "recorded_at": consent.recorded_at,
    }


def pathway_out(pathway: Pathway, *, phase: str, phase_label: str, consent, sharing: bool) -> dict:
    """The pathway page's content. Care team and treatments must be prefetched."""
    patient = pathway.patient
    return {
        **pathway_summary_out(pathway),
        "patient": {
            **patient_name_out(patient),
            "sex": _choice(patient, "sex"),
            "commune": {"insee_code": patient.commune.insee_code, "name": patient.commune.name},
            "address": patient.address,
            "phone": patient.phone,
            "ins": patient.ins,
            "gp_name": patient.gp_name,
        },
        "closing_reason": _choice(pathway, "closing_reason"),
        "intake_channel": _choice(pathway, "intake_channel"),
        "referrer": pathway.referrer,
        "included_on": pathway.included_on,
        "closed_on": pathway.closed_on,
        "in_territory": pathway.in_territory,
        "out_of_territory_reason": pathway.out_of_territory_reason,
        "phase": {"code": phase, "label": phase_label},
        "phase_overridden": bool(pathway.phase_override),
        "cancer": {
            "site": _choice(pathway, "cancer_site"),
            "diagnosis_on": pathway.diagnosis_on,
            "end_of_active_treatment_on": pathway.end_of_active_treatment_on,
            "ald": pathway.cancer_ald,
            "pps_reference": pathway.pps_reference,
            "ppac_reference": pathway.ppac_reference,
            "dcc_reference": pathway.dcc_reference,
        },
        "reference_weight_kg": pathway.reference_weight_kg,
        "care_team": [care_team_member_out(m) for m in pathway.care_team.all()],
        "treatments": [treatment_out(t) for t in pathway.treatments.all()],
        "consent": consent_out(consent) if consent else None,
        "sharing_allowed": sharing,
        "version": pathway.version,
    }


def visit_out(visit: Visit) -> dict:
    """Needs discussed and author must be prefetched."""
    return {
        "id": visit.pk,
        "kind": _choice(visit, "kind"),
        "occurred_at": visit.occurred_at,
        "duration_minutes": visit.duration_minutes,
        "author": person(visit.author),
        "notes": visit.notes,
        "needs_discussed": [{"code": c.code, "label": c.name} for c in visit.needs_discussed.all()],
    }


def alert_out(alert: Alert) -> dict:
    return {
        "id": alert.pk,
        "pathway_id": alert.pathway_id,
        "record_id": alert.record_id,
        "rule": alert.rule,
        "severity": _choice(alert, "severity"),
        "message": alert.message,
        "raised_at": alert.raised_at,
        "acknowledged_at": alert.acknowledged_at,
        "acknowledged_by": person(alert.acknowledged_by) if alert.acknowledged_by_id else "",
        "acknowledgement_comment": alert.acknowledgement_comment,
        "escalated_at": alert.escalated_at,
    }


def worklist_alert_out(alert: Alert) -> dict:
    return {**alert_out(alert), "patient": patient_name_out(alert.pathway.patient)}


_CHOICE_FIELDS = {
    "vomiting",
    "transit",
    "venous_access",
    "venous_access_flush",
    "venous_access_aspect",
}
_PLAIN_FIELDS = [
    name
    for name in RecordIn.model_fields
    if name not in _CHOICE_FIELDS and name not in {"recorded_at", "visit_id"}
]


def record_out(record: MonitoringRecord) -> dict:
    """Author and alerts (with who acknowledged them) must be prefetched."""
    return {
        "id": record.pk,
        "pathway_id": record.pathway_id,
        "visit_id": record.visit_id,
        "author": person(record.author),
        "recorded_at": record.recorded_at,
        **{name: getattr(record, name) for name in _PLAIN_FIELDS},
        **{name: _choice(record, name) for name in _CHOICE_FIELDS},
        "alerts": [alert_out(a) for a in record.alerts.all()],
    }
