"""Writes on referrals: create, send, and move through the state machine.

Each write is authorised (the care team through "pathway.write", a provider
account through "referral.respond"; a signed link is its own authority), atomic,
and audited; a provider link's use is audited with no actor. The status table and
its rules are in `statuses.py`.

A referral that ends without care gets a new `link_key` in the same transaction:
the provider's link (which signs the key, see `provider_links`) stops working at
once, instead of showing the patient for the rest of its 30 days.
"""

from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.audit.services import audit_record
from oncolien.directory.models import Service, ServiceStatus
from oncolien.notifications.services import notify
from oncolien.pathways.access import PATHWAY_WRITE
from oncolien.pathways.models import Pathway, PathwayStatus
from oncolien.reference.models import CareType
from oncolien.referrals import provider_links, statuses
from oncolien.referrals.access import REFERRAL_RESPOND
from oncolien.referrals.models import Referral, ReferralEvent, appointment_label, new_link_key
from oncolien.referrals.statuses import ReferralStatus


def referral_create(
    *,
    actor: User,
    pathway: Pathway,
    care_type: CareType,
    service: Service | None = None,
    external_name: str = "",
    external_contact: str = "",
    note: str = "",
) -> Referral:
    """A proposed referral to a directory service, or to a resource outside the directory."""
    authorize(actor, PATHWAY_WRITE, pathway)
    with transaction.atomic():
        external_name, external_contact = external_name.strip(), external_contact.strip()
        if pathway.status == PathwayStatus.CLOSED:
            raise ValidationError(
                "Ce parcours est clôturé : on ne peut plus y créer d'orientation."
            )
        if service is None and not external_name:
            raise ValidationError(
                {"external_name": "Choisissez une offre de l'annuaire ou nommez la ressource."}
            )
        if service is not None:
            if external_name:
                raise ValidationError(
                    "Une orientation va soit à une offre de l'annuaire, soit à une ressource hors "
                    "annuaire, pas aux deux."
                )
            if service.status != ServiceStatus.ACTIVE:
                raise ValidationError({"service": "Cette offre n'est plus active dans l'annuaire."})
            if not service.care_types.filter(pk=care_type.pk).exists():
                raise ValidationError(
                    {"service": f"Cette offre ne propose pas « {care_type.name} »."}
                )
        now = timezone.now()
        referral = Referral.objects.create(
            pathway=pathway,
            care_type=care_type,
            service=service,
            external_name=external_name,
            external_contact=external_contact,
            note=note.strip(),
            created_by=actor,
            status_changed_at=now,
        )
        ReferralEvent.objects.create(
            referral=referral, to_status=ReferralStatus.PROPOSED, at=now, by=actor
        )
        audit_record(
            actor=actor,
            action="referral.create",
            target=referral,
            details={
                "pathway": pathway.pk,
                "care_type": care_type.code,
                "service": service and service.pk,
            },
        )
        return referral


@dataclass(frozen=True)
class Answer:
    to_status: str
    reason: str = ""
    appointment_on: date | None = None
    appointment_time: time | None = None


def _locked(referral: Referral, *, link_key: str | None = None) -> Referral:
    # Re-read under a row lock so that two answers at once cannot both apply.
    fresh = Referral.objects.select_for_update().get(pk=referral.pk)
    if link_key is not None:
        # An answer through the link: refused if the link was revoked since the
        # provider opened the page (the caller's `referral` holds the key then read).
        provider_links.check_still_valid(fresh, link_key)
    referral.status, referral.link_key = fresh.status, fresh.link_key
    referral.appointment_on = fresh.appointment_on
    referral.appointment_time = fresh.appointment_time
    return referral


def _apply(
    referral: Referral,
    answer: Answer,
    *,
    by: str,
    actor: User | None,
    via_link: bool,
    detail: str = "",
) -> Referral:
    _locked(referral, link_key=referral.link_key if via_link else None)
    reason = (answer.reason or "").strip()
    move = statuses.check_move(
        referral.status,
        answer.to_status,
        by=by,
        reason=reason,
        appointment_on=answer.appointment_on,
        appointment_time=answer.appointment_time,
        current_appointment=referral.appointment_on,
    )
    now = timezone.now()
    from_status = referral.status
    referral.status = answer.to_status
    referral.status_changed_at = now
    fields = ["status", "status_changed_at", "updated_at"]
    if answer.to_status in statuses.ENDED_WITHOUT_CARE:
        referral.reason = reason
        fields.append("reason")
    link_revoked = answer.to_status in statuses.FINAL
    if link_revoked:
        referral.link_key = new_link_key()
        fields.append("link_key")
    if move.date_required:
        referral.appointment_on = answer.appointment_on
        referral.appointment_time = answer.appointment_time
        fields += ["appointment_on", "appointment_time"]
        label = appointment_label(answer.appointment_on, answer.appointment_time)
        detail = detail or f"Rendez-vous le {label}"
    if move.undo:
        # The only move undone is « Soin réalisé » (see statuses.TRANSITIONS).
        detail = detail or "« Soin réalisé » annulé"
    referral.save(update_fields=fields)
    ReferralEvent.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=answer.to_status,
        at=now,
        by=actor,
        via_provider_link=via_link,
        reason=reason,
        detail=detail,
    )
    audit_record(
        actor=actor,
        action="referral.status",
        target=referral,
        details={
            "pathway": referral.pathway_id,
            "from": from_status,
            "to": answer.to_status,
            "via": "provider_link" if via_link else by,
            "link_revoked": link_revoked,
        },
    )
    return referral


def referral_transition(*, actor: User, referral: Referral, answer: Answer) -> Referral:
    """A move recorded by the care team (including a provider's answer given by phone)."""
    authorize(actor, PATHWAY_WRITE, referral.pathway)
    with transaction.atomic():
        return _apply(referral, answer, by=statuses.TEAM, actor=actor, via_link=False)


@transaction.atomic
def referral_answer_by_link(*, referral: Referral, answer: Answer) -> Referral:
    """The provider's answer through the signed link: no account, audited with no actor.

    The caller obtained `referral` from `provider_links.referral_from_token`.
    """
    return _apply(referral, answer, by=statuses.PROVIDER, actor=None, via_link=True)


def referral_answer_by_account(*, actor: User, referral: Referral, answer: Answer) -> Referral:
    authorize(actor, REFERRAL_RESPOND, referral)
    with transaction.atomic():
        return _apply(referral, answer, by=statuses.PROVIDER, actor=actor, via_link=False)


def referral_link_revoke(*, actor: User, referral: Referral) -> Referral:
    """Revoke the provider's link by hand (sent to the wrong address, forwarded…).

    The referral keeps its status; while it waits for the provider, its page shows
    the new link at once, to pass on as the first one was.
    """
    authorize(actor, PATHWAY_WRITE, referral.pathway)
    with transaction.atomic():
        _locked(referral)
        referral.link_key = new_link_key()
        referral.save(update_fields=["link_key", "updated_at"])
        audit_record(
            actor=actor,
            action="referral.link_revoked",
            target=referral,
            details={"pathway": referral.pathway_id, "status": referral.status},
        )
        return referral


def send_message(*, referral: Referral, link: str) -> str:
    """The e-mail to the provider: the care needed and the link, no patient identity."""
    return (
        "Bonjour,\n\n"
        f"La {referral.pathway.cpts.name} vous adresse une orientation en soins de support "
        f"(« {referral.care_type.name} »).\n\n"
        "Pour voir la demande et y répondre (accepter, refuser, indiquer le rendez-vous puis "
        f"si le soin a eu lieu), ouvrez ce lien personnel :\n{link}\n\n"
        "Ce message ne contient volontairement aucune donnée nominative. Ne transférez pas ce "
        "lien : il donne accès à la demande sans compte.\n"
    )


def referral_send(*, actor: User, referral: Referral, link: str) -> Referral:
    """Send the referral to the provider by e-mail with its link, and mark it sent.

    A resource without e-mail address (outside the directory, or none recorded) is
    marked sent with a note that it was passed on by other means (phone, letter).
    """
    authorize(actor, PATHWAY_WRITE, referral.pathway)
    with transaction.atomic():
        recipient = referral.recipient_email
        if recipient:
            detail = f"Envoyée par courriel à {recipient}"
        else:
            detail = "Transmise hors OncoLien (pas d'adresse électronique)"
        _apply(
            referral,
            Answer(ReferralStatus.SENT),
            by=statuses.TEAM,
            actor=actor,
            via_link=False,
            detail=detail,
        )
        if recipient:
            notify(
                channel="email",
                to=recipient,
                subject=f"[OncoLien] Orientation en soins de support — {referral.care_type.name}",
                body=send_message(referral=referral, link=link),
                kind="referral.sent",
                target=referral,
            )
        return referral
