"""What the referrals add to the patient's booklet (registered in AppConfig.ready): the
supportive-care appointments to come, and the supportive care suggested and booked.
Both receive a pathway the booklets app already authorised."""

from datetime import time

from django.utils import timezone

from oncolien.booklets.extensions import BookletSection
from oncolien.pathways.models import Pathway
from oncolien.referrals.selectors import referrals_of
from oncolien.referrals.statuses import ReferralStatus

# What the patient reads of a referral's status (the team's words are for the team).
PATIENT_STATUS: dict[str, str] = {
    ReferralStatus.PROPOSED: "proposé",
    ReferralStatus.SENT: "demande envoyée",
    ReferralStatus.ACCEPTED: "demande acceptée, rendez-vous à prendre",
    ReferralStatus.APPOINTMENT_SET: "rendez-vous fixé",
    ReferralStatus.DONE: "réalisé",
}


def _contact(referral) -> str:
    if referral.service_id:
        service = referral.service
        phone = service.phone or service.organization.phone
        return f" — tél. {phone}" if phone else ""
    return f" — {referral.external_contact}" if referral.external_contact else ""


def appointments_section(pathway: Pathway) -> BookletSection:
    today = timezone.localdate()
    upcoming = sorted(
        (
            r
            for r in referrals_of(pathway)
            if r.status == ReferralStatus.APPOINTMENT_SET
            and r.appointment_on is not None
            and r.appointment_on >= today
        ),
        key=lambda r: (r.appointment_on, r.appointment_time or time.min),
    )
    return BookletSection(
        "Vos rendez-vous à venir",
        [
            f"{r.appointment_label} : {r.care_type.name} — {r.recipient_name}{_contact(r)}"
            for r in upcoming
        ],
        "Aucun rendez-vous de soins de support n'est fixé pour l'instant.",
        intro="Les rendez-vous de soins de support fixés dans votre parcours ; vos rendez-vous "
        "à l'hôpital figurent sur les convocations de l'établissement.",
    )


def supportive_care_section(pathway: Pathway) -> BookletSection:
    lines = []
    for referral in referrals_of(pathway):
        status = PATIENT_STATUS.get(referral.status)
        if status is None:  # declined, not honoured, cancelled: nothing for the patient to do
            continue
        if referral.status == ReferralStatus.APPOINTMENT_SET and referral.appointment_on:
            status = f"{status} le {referral.appointment_label}"
        lines.append(
            f"{referral.care_type.name} — {referral.recipient_name} : {status}{_contact(referral)}"
        )
    return BookletSection(
        "Vos soins de support",
        lines,
        "Aucun soin de support ne vous a encore été proposé. Parlez-en à votre équipe de soins.",
        intro="Les soins proposés pour vous aider pendant et après les traitements.",
    )
