"""Referrals as FHIR R4 resources: one ServiceRequest (what is asked) and one Task
(where the request stands) per referral, both with the referral's id.

Mapping:
- ServiceRequest: care type in `category` and `code` (our care-type code
  system); `performer` is the directory's HealthcareService, or a display name
  for a resource outside the directory; `subject` identifies the pathway, not the
  patient (no Patient resource is served); `note` is the message to the provider.
- Task: `focus` is the ServiceRequest; `status` maps our status to the FHIR Task
  statuses (below); `businessStatus` carries our own status; `statusReason` the
  reason of a refusal, no-show or cancellation; the appointment date, when set,
  is `restriction.period.start` (the time by which the request is to be fulfilled).

Only for referrals obtained through `referrals.selectors.referral_for`.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone

from oncolien.fhir import codesystems as cs
from oncolien.referrals.models import Referral
from oncolien.referrals.statuses import ReferralStatus

S = ReferralStatus
REFERRAL_STATUS_SYSTEM = f"{cs.CANONICAL_BASE}/CodeSystem/statuts-orientation"
PATHWAY_ID_SYSTEM = f"{cs.CANONICAL_BASE}/NamingSystem/parcours"
REFERRAL_ID_SYSTEM = f"{cs.CANONICAL_BASE}/NamingSystem/orientation"

TASK_STATUS = {
    S.PROPOSED: "draft",
    S.SENT: "requested",
    S.ACCEPTED: "accepted",
    S.DECLINED: "rejected",
    S.APPOINTMENT_SET: "in-progress",
    S.DONE: "completed",
    S.NOT_HONOURED: "failed",
    S.CANCELLED: "cancelled",
}
# ServiceRequest.status (request-status): the request as a whole.
REQUEST_STATUS = {
    S.PROPOSED: "draft",
    S.SENT: "active",
    S.ACCEPTED: "active",
    S.APPOINTMENT_SET: "active",
    S.DONE: "completed",
    S.DECLINED: "revoked",
    S.NOT_HONOURED: "revoked",
    S.CANCELLED: "revoked",
}


def _instant(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _appointment_start(day: date, at: time | None) -> str:
    """The appointment's start: a dateTime with its Paris offset once a time is known."""
    if at is None:
        return day.isoformat()
    start = datetime.combine(day, at)
    return timezone.make_aware(start, ZoneInfo("Europe/Paris")).isoformat()


def _care_type(referral: Referral) -> dict:
    return {
        "coding": [
            {
                "system": cs.CARE_TYPES.url,
                "code": referral.care_type.code,
                "display": referral.care_type.name,
            }
        ],
        "text": referral.care_type.name,
    }


def _subject(referral: Referral) -> dict:
    return {
        "identifier": {"system": PATHWAY_ID_SYSTEM, "value": str(referral.pathway_id)},
        "display": f"Parcours n° {referral.pathway_id}",
    }


def _performer(referral: Referral) -> dict:
    if referral.service_id:
        return {
            "reference": f"HealthcareService/{referral.service_id}",
            "display": referral.recipient_name,
        }
    return {"display": f"{referral.external_name} (hors annuaire)"}


def _requester(referral: Referral) -> dict:
    author = referral.created_by
    return {"display": author.get_full_name() or author.get_username()}


def service_request_resource(referral: Referral) -> dict:
    resource = {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "identifier": [{"system": REFERRAL_ID_SYSTEM, "value": str(referral.pk)}],
        "status": REQUEST_STATUS[S(referral.status)],
        "intent": "proposal" if referral.status == S.PROPOSED else "order",
        "category": [_care_type(referral)],
        "code": _care_type(referral),
        "subject": _subject(referral),
        "authoredOn": _instant(referral.created_at),
        "requester": _requester(referral),
        "performer": [_performer(referral)],
    }
    if referral.note:
        resource["note"] = [{"text": referral.note}]
    return resource


def task_resource(referral: Referral) -> dict:
    status = S(referral.status)
    resource = {
        "resourceType": "Task",
        "id": str(referral.pk),
        "identifier": [{"system": REFERRAL_ID_SYSTEM, "value": str(referral.pk)}],
        "basedOn": [{"reference": f"ServiceRequest/{referral.pk}"}],
        "status": TASK_STATUS[status],
        "businessStatus": {
            "coding": [
                {"system": REFERRAL_STATUS_SYSTEM, "code": status.value, "display": status.label}
            ],
            "text": status.label,
        },
        "intent": "order",
        "code": _care_type(referral),
        "focus": {"reference": f"ServiceRequest/{referral.pk}"},
        "for": _subject(referral),
        "authoredOn": _instant(referral.created_at),
        "lastModified": _instant(referral.status_changed_at),
        "requester": _requester(referral),
        "owner": _performer(referral),
    }
    if referral.reason:
        resource["statusReason"] = {"text": referral.reason}
    if referral.appointment_on:
        resource["restriction"] = {
            "period": {
                "start": _appointment_start(referral.appointment_on, referral.appointment_time)
            }
        }
    return resource
