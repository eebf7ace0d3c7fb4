"""Writes on assessments: start, save answers, complete, and the patient's one-time links.

A professional must hold `pathway.write` on the pathway. A patient (actor None) acts
only through an open one-time link of that very assessment. Every write is audited;
invalid answers raise ValidationError with French messages and change nothing.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oncolien import link_tokens
from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.assessments import engine, links
from oncolien.assessments.models import (
    AccessLink,
    Assessment,
    AssessmentStatus,
    Audience,
    InstrumentVersion,
    LinkChannel,
    Respondent,
)
from oncolien.audit.services import audit_record
from oncolien.notifications.models import Delivery
from oncolien.notifications.services import notify, sms_available
from oncolien.pathways.access import PATHWAY_WRITE
from oncolien.pathways.services import (
    Finding,
    Score,
    alerts_raise_for_findings,
    alerts_raise_for_scores,
)


def latest_version(code: str) -> InstrumentVersion:
    """The version new responses answer: the last one loaded among those in use."""
    version = InstrumentVersion.objects.filter(code=code, active=True).order_by("-loaded_at", "-pk")
    found = version.first()
    if found is None:
        raise ValidationError(
            {"instrument": "Ce questionnaire n'existe pas ou n'est plus utilisé."}
        )
    return found


def _check_writer(actor: User | None, assessment: Assessment) -> None:
    if actor is not None:
        authorize(actor, PATHWAY_WRITE, assessment.pathway)
        return
    # Without an account, only an open link of this assessment allows writing.
    link = AccessLink.objects.filter(assessment=assessment).first()
    if link is None or links.link_state(link) != "open":
        raise ValidationError("Ce lien n'est plus valide.")


def _check_draft(assessment: Assessment) -> None:
    if assessment.status != AssessmentStatus.DRAFT:
        raise ValidationError("Cette évaluation est terminée : elle ne peut plus être modifiée.")


def assessment_start(
    *, actor: User, pathway, instrument_code: str, respondent: str, visit=None
) -> Assessment:
    """A new draft response pinned to the latest version of the instrument."""
    authorize(actor, PATHWAY_WRITE, pathway)
    with transaction.atomic():
        if respondent not in Respondent.values:
            raise ValidationError({"respondent": "Précisez qui remplit le questionnaire."})
        instrument = latest_version(instrument_code)
        if visit is not None and visit.pathway_id != pathway.pk:
            raise ValidationError({"visit": "Cette visite n'appartient pas à ce parcours."})
        assessment = Assessment.objects.create(
            pathway=pathway,
            instrument=instrument,
            respondent=respondent,
            filled_by=actor if respondent == Respondent.PROFESSIONAL else None,
            visit=visit,
        )
        audit_record(
            actor=actor,
            action="assessment.start",
            target=assessment,
            details={"instrument": instrument.code, "version": instrument.version},
        )
        return assessment


@transaction.atomic
def assessment_save_answers(
    *, assessment: Assessment, answers: dict, actor: User | None = None
) -> Assessment:
    """Merge and store answers (a partial save: required items are checked at completion)."""
    assessment = (
        Assessment.objects.select_for_update().select_related("pathway").get(pk=assessment.pk)
    )
    _check_writer(actor, assessment)
    _check_draft(assessment)
    definition = assessment.instrument.definition
    assessment.answers = engine.clean_answers(definition, answers, previous=assessment.answers)
    assessment.save(update_fields=["answers", "updated_at"])
    audit_record(
        actor=actor,
        action="assessment.save",
        target=assessment,
        details={"items": sorted(answers), "via_link": actor is None},
    )
    return assessment


@transaction.atomic
def assessment_complete(*, assessment: Assessment, actor: User | None = None) -> Assessment:
    """Check required items, score, store the results, close the link, raise alerts."""
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("pathway", "instrument")
        .get(pk=assessment.pk)
    )
    _check_writer(actor, assessment)
    _check_draft(assessment)
    definition = assessment.instrument.definition
    missing = engine.missing_required(definition, assessment.answers)
    if missing:
        raise ValidationError(missing)
    now = timezone.now()
    assessment.results = engine.score(definition, assessment.answers)
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_at = now
    assessment.save(update_fields=["results", "status", "completed_at", "updated_at"])
    AccessLink.objects.filter(assessment=assessment, used_at__isnull=True).update(used_at=now)
    alerts = alerts_raise_for_scores(
        pathway=assessment.pathway,
        source=f"assessment:{assessment.pk}",
        scores=[Score(**s) for s in assessment.results["scores"]],
    )
    alerts += alerts_raise_for_findings(
        pathway=assessment.pathway,
        source=f"assessment:{assessment.pk}",
        findings=[Finding(**f) for f in assessment.results.get("alerts", [])],
    )
    audit_record(
        actor=actor,
        action="assessment.complete",
        target=assessment,
        details={
            "needs": assessment.results["needs"],
            "alerts": [a.pk for a in alerts],
            "via_link": actor is None,
        },
    )
    return assessment


# --- One-time links -----------------------------------------------------------------


@dataclass(frozen=True)
class IssuedLink:
    link: AccessLink
    token: str
    url: str
    # The message queued (None for a printed link); its outcome is known once the
    # transaction of link_issue has committed.
    delivery: Delivery | None = None


LINK_MESSAGE = (
    "Votre équipe de soins vous propose de remplir un questionnaire sur vos besoins. "
    "Ce lien personnel est valable jusqu'au {until} et ne sert qu'une fois : {url}"
)


def link_issue(
    *,
    actor: User,
    pathway,
    instrument_code: str,
    channel: str,
    build_url,
    respondent: str = Respondent.PATIENT,
    email: str = "",
    phone: str = "",
) -> IssuedLink:
    """Start an assessment for the patient and give them a one-time link to fill it.

    `build_url(token)` turns the token into an absolute address. The token leaves this
    function only in the message sent, or in the return value for the printed QR code.
    """
    authorize(actor, PATHWAY_WRITE, pathway)
    with transaction.atomic():
        if respondent not in (Respondent.PATIENT, Respondent.RELATIVE):
            raise ValidationError({"respondent": "Le lien est destiné au patient ou à un proche."})
        if channel not in LinkChannel.values:
            raise ValidationError({"channel": "Choisissez comment transmettre le lien."})
        email, phone = (email or "").strip(), (phone or "").strip()
        if channel == LinkChannel.EMAIL and not email:
            raise ValidationError({"email": "Indiquez l'adresse électronique du destinataire."})
        if channel == LinkChannel.SMS and not sms_available():
            raise ValidationError(
                {
                    "channel": "Aucune passerelle SMS n'est configurée sur cette installation : "
                    "transmettez le lien par courriel ou par QR code."
                }
            )
        if channel == LinkChannel.SMS and not phone:
            raise ValidationError(
                {"phone": "Indiquez le numéro de téléphone portable du destinataire."}
            )
        instrument = latest_version(instrument_code)
        if instrument.audience != Audience.PATIENT:
            raise ValidationError(
                {"instrument": "Ce questionnaire est réservé aux professionnels."}
            )
        assessment = assessment_start(
            actor=actor, pathway=pathway, instrument_code=instrument_code, respondent=respondent
        )
        token = link_tokens.new_token()
        link = AccessLink.objects.create(
            assessment=assessment,
            token_hash=link_tokens.hash_token(token),
            channel=channel,
            expires_at=timezone.now() + links.link_lifetime(),
            created_by=actor,
        )
        url = build_url(token)
        until = timezone.localtime(link.expires_at).strftime("%d/%m/%Y")
        body = LINK_MESSAGE.format(until=until, url=url)
        delivery = None
        if channel in (LinkChannel.EMAIL, LinkChannel.SMS):
            # The message names no patient and no illness: it may be read by someone else.
            delivery = notify(
                channel=channel,
                to=email if channel == LinkChannel.EMAIL else phone,
                subject="Votre questionnaire OncoLien",
                body=body,
                kind="assessment.link",
                target=link,
            )
        audit_record(
            actor=actor,
            action="assessment.link.issue",
            target=link,
            details={"assessment": assessment.pk, "channel": channel},
        )
        return IssuedLink(link=link, token=token, url=url, delivery=delivery)


def link_revoke(*, actor: User, link: AccessLink) -> AccessLink:
    authorize(actor, PATHWAY_WRITE, link.assessment.pathway)
    with transaction.atomic():
        if link.revoked_at is None and link.used_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="assessment.link.revoke", target=link)
        return link


def link_open(token: str) -> AccessLink:
    """The open link of a token; every attempt, granted or refused, is audited (actor None)."""
    try:
        link = links.find_link(token)
    except link_tokens.LinkUnavailable as refused:
        audit_record(
            actor=None,
            action="assessment.link.refused",
            target=refused.link,
            details={"reason": refused.reason},
        )
        raise
    audit_record(
        actor=None,
        action="assessment.link.open",
        target=link,
        details={"assessment": link.assessment_id},
    )
    return link
