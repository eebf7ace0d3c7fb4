"""Sending the satisfaction questionnaires at their moments, and their one reminder.

Run by the task queue (`tasks.send_satisfaction_surveys`). The moments, read from
the data of the questionnaires' `survey` blocks (see surveys.py):

- end of follow-up: a pathway closed for one of `closing_reasons` → its patient;
- programme year: one year after a post-cancer programme was prescribed → its patient;
- care team: a pathway closed for one of `closing_reasons` → each active member of its
  care team with an e-mail address (theirs, or their account's).

Each moment gives one `SatisfactionSurvey` row, once (a unique constraint: two runs,
or two consumers, send once). When the questionnaire cannot be sent (the patient
objected, no mobile number, no SMS gateway, no address), the row says so and why,
and nothing is sent. Otherwise the questionnaire is created with a one-time link and
the message goes through `notifications.services.notify` (after commit, delivery
recorded). One reminder, with a new link, after `reminder_after_days` to those who
have not answered and whose first message did leave; then none.

Nothing here logs or audits a token, a phone number or an address.
"""

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from oncolien import link_tokens
from oncolien.aftercare.models import PostCancerProgramme
from oncolien.assessments import links
from oncolien.assessments.models import (
    AccessLink,
    Assessment,
    AssessmentStatus,
    InstrumentVersion,
    LinkChannel,
    Respondent,
    SatisfactionSurvey,
    SurveyMoment,
    SurveyOutcome,
)
from oncolien.assessments.surveys import Survey, survey_of
from oncolien.audit.services import audit_record
from oncolien.notifications.models import Outcome
from oncolien.notifications.services import notify, sms_available
from oncolien.pathways.models import CareTeamMember, ClosingReason, Pathway
from oncolien.pathways.statuses import PathwayStatus

logger = logging.getLogger("oncolien.assessments")

# Messages leave in the day only (Paris time): nobody gets an SMS at 3 a.m.
SENDING_HOURS = range(9, 19)
# A patient is never asked for their opinion after these closings.
NO_PATIENT_SURVEY_AFTER = (ClosingReason.DECEASED, ClosingReason.DECLINED)

NOT_SENT_REASONS = {
    "objection": "Le patient s'est opposé au partage de ses données : rien ne lui est envoyé.",
    "no_phone": "Aucun numéro de téléphone enregistré pour le patient.",
    "not_mobile": "Le numéro enregistré n'est pas un portable : un SMS ne peut pas y arriver.",
    "no_sms_gateway": "Aucune passerelle SMS n'est configurée sur cette installation.",
    "no_email": "Aucune adresse électronique pour ce professionnel.",
}
# French mobile numbers (06, 07, or +33 6 / +33 7), whatever the separators.
MOBILE = re.compile(r"^(?:0|\+33|0033)[67]\d{8}$")

# The messages name no patient and no illness: they may be read by someone else.
SUBJECT = "Votre avis sur l'accompagnement OncoLien"
MESSAGE = {
    SurveyMoment.END_OF_FOLLOW_UP: (
        "Votre accompagnement par la CPTS se termine. Donnez-nous votre avis en deux "
        "minutes avec ce lien personnel, valable jusqu'au {until} : {url}"
    ),
    SurveyMoment.PROGRAMME_YEAR: (
        "Votre parcours de soins après cancer a commencé il y a un an. Donnez-nous votre "
        "avis en deux minutes avec ce lien personnel, valable jusqu'au {until} : {url}"
    ),
    SurveyMoment.CARE_TEAM: (
        "Bonjour,\n\nLe parcours d'un patient dont vous faisiez partie de l'équipe de soins "
        "vient d'être clôturé par la CPTS. Votre avis sur sa coordination nous aide à "
        "l'améliorer (deux minutes, sans compte) : {url}\n\nCe lien personnel est valable "
        "jusqu'au {until}."
    ),
}
REMINDER = (
    "Rappel : votre avis nous intéresse toujours. Ce nouveau lien remplace le précédent "
    "et reste valable jusqu'au {until} : {url}"
)


@dataclass
class SendReport:
    sent: int = 0
    not_sent: int = 0
    reminded: int = 0

    def as_text(self) -> str:
        return (
            f"Questionnaires de satisfaction : {self.sent} envoyé(s), "
            f"{self.not_sent} non envoyé(s), {self.reminded} relance(s)."
        )


def survey_url(token: str) -> str:
    from django.urls import reverse

    path = reverse("assessments:patient_fill", kwargs={"token": token})
    return f"{settings.ONCOLIEN_SITE_URL}{path}"


def satisfaction_run(*, now: datetime | None = None) -> SendReport:
    """Send what is due and the reminders; nothing outside SENDING_HOURS."""
    now = now or timezone.now()
    report = SendReport()
    if timezone.localtime(now).hour not in SENDING_HOURS:
        return report
    today = timezone.localdate(now)
    for version, survey in _survey_instruments():
        if version.active and _latest(version):
            for pathway, due_on, member in _moments(survey, today):
                _send_one(version, survey, pathway, due_on, member, now=now, report=report)
        _remind(version, survey, now=now, report=report)
    if report.sent or report.not_sent or report.reminded:
        logger.info(report.as_text())
    return report


def _survey_instruments() -> list[tuple[InstrumentVersion, Survey]]:
    found = []
    for version in InstrumentVersion.objects.order_by("code", "-loaded_at", "-pk"):
        survey = survey_of(version.definition)
        if survey is not None:
            found.append((version, survey))
    return found


def _latest(version: InstrumentVersion) -> bool:
    latest = (
        InstrumentVersion.objects.filter(code=version.code, active=True)
        .order_by("-loaded_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return latest == version.pk


def _already(moment: str, key) -> Exists:
    return Exists(
        SatisfactionSurvey.objects.filter(pathway=OuterRef("pk"), moment=moment, recipient_key=key)
    )


def _closed_within(survey: Survey, today: date) -> QuerySet[Pathway]:
    return Pathway.objects.filter(
        status=PathwayStatus.CLOSED,
        closing_reason__in=survey.closing_reasons,
        closed_on__lte=today,
        closed_on__gt=today - timedelta(days=survey.send_within_days),
    )


def _anniversary(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _moments(survey: Survey, today: date):
    """(pathway, due_on, care team member or None) of each moment not yet recorded."""
    if survey.moment == SurveyMoment.END_OF_FOLLOW_UP:
        pathways = (
            _closed_within(survey, today)
            .exclude(closing_reason__in=NO_PATIENT_SURVEY_AFTER)
            .filter(~_already(survey.moment, "patient"))
            .select_related("patient")
        )
        for pathway in pathways.order_by("pk"):
            yield pathway, pathway.closed_on, None
    elif survey.moment == SurveyMoment.PROGRAMME_YEAR:
        # A little wider than the window, then the exact anniversary (29 February).
        programmes = (
            PostCancerProgramme.objects.filter(
                prescribed_on__lte=today - timedelta(days=364),
                prescribed_on__gte=today - timedelta(days=367 + survey.send_within_days),
            )
            .exclude(pathway__closing_reason__in=NO_PATIENT_SURVEY_AFTER)
            .select_related("pathway__patient")
            .order_by("pk")
        )
        earliest = today - timedelta(days=survey.send_within_days)
        for programme in programmes:
            due_on = _anniversary(programme.prescribed_on)
            if (
                earliest < due_on <= today
                and not SatisfactionSurvey.objects.filter(
                    pathway=programme.pathway, moment=survey.moment, recipient_key="patient"
                ).exists()
            ):
                yield programme.pathway, due_on, None
    elif survey.moment == SurveyMoment.CARE_TEAM:
        members = (
            CareTeamMember.objects.filter(active=True, pathway__in=_closed_within(survey, today))
            .select_related("pathway", "user")
            .order_by("pathway_id", "pk")
        )
        recorded = set(
            SatisfactionSurvey.objects.filter(
                moment=survey.moment, pathway__in=_closed_within(survey, today)
            ).values_list("pathway_id", "recipient_key")
        )
        for member in members:
            if (member.pathway_id, f"member:{member.pk}") not in recorded:
                yield member.pathway, member.pathway.closed_on, member


def _objected(pathway: Pathway) -> bool:
    consent = pathway.consents.order_by("-recorded_at", "-pk").first()
    return bool(consent and consent.objects_to_sharing)


def _patient_address(pathway: Pathway) -> tuple[str, str] | str:
    """(channel, address), or the reason nothing can be sent."""
    if _objected(pathway):
        return "objection"
    phone = re.sub(r"[\s.\-()]", "", pathway.patient.phone or "")
    if not phone:
        return "no_phone"
    if not MOBILE.match(phone):
        return "not_mobile"
    if not sms_available():
        return "no_sms_gateway"
    return LinkChannel.SMS, phone


def _member_address(member: CareTeamMember) -> tuple[str, str] | str:
    email = (member.email or (member.user.email if member.user else "") or "").strip()
    return (LinkChannel.EMAIL, email) if email else "no_email"


def _until(expires_at: datetime) -> str:
    return timezone.localtime(expires_at).strftime("%d/%m/%Y")


def _send_one(version, survey: Survey, pathway, due_on, member, *, now, report) -> None:
    key = f"member:{member.pk}" if member else "patient"
    address = _member_address(member) if member else _patient_address(pathway)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = SatisfactionSurvey.objects.create(
                    pathway=pathway,
                    moment=survey.moment,
                    due_on=due_on,
                    recipient_key=key,
                    care_team_member=member,
                    instrument=version,
                    outcome=SurveyOutcome.NOT_SENT,
                )
        except IntegrityError:
            return  # another run recorded this moment a moment ago
        if isinstance(address, str):
            row.reason = address
            row.save(update_fields=["reason"])
            audit_record(
                actor=None,
                action="satisfaction.not_sent",
                target=row,
                details={"moment": survey.moment, "reason": address},
            )
            report.not_sent += 1
            return
        channel, to = address
        assessment = Assessment.objects.create(
            pathway=pathway,
            instrument=version,
            respondent=Respondent.PROFESSIONAL if member else Respondent.PATIENT,
            filled_by=member.user if member else None,
        )
        token = link_tokens.new_token()
        # Alive until the reminder, then as long as any link.
        expires_at = now + timedelta(days=survey.reminder_after_days) + links.link_lifetime()
        link = AccessLink.objects.create(
            assessment=assessment,
            token_hash=link_tokens.hash_token(token),
            channel=channel,
            expires_at=expires_at,
            created_by=None,
        )
        body = MESSAGE[SurveyMoment(survey.moment)].format(
            until=_until(link.expires_at), url=survey_url(token)
        )
        delivery = notify(
            channel=channel,
            to=to,
            subject=SUBJECT,
            body=body,
            kind="satisfaction.survey",
            recipient_user=member.user if member else None,
            target=row,
        )
        row.outcome, row.channel = SurveyOutcome.QUEUED, channel
        row.assessment, row.delivery = assessment, delivery
        row.save(update_fields=["outcome", "channel", "assessment", "delivery"])
        audit_record(
            actor=None,
            action="satisfaction.send",
            target=row,
            details={"moment": survey.moment, "channel": channel, "assessment": assessment.pk},
        )
        report.sent += 1


def _remind(version, survey: Survey, *, now, report) -> None:
    due = SatisfactionSurvey.objects.filter(
        instrument=version,
        outcome=SurveyOutcome.QUEUED,
        reminded_at__isnull=True,
        delivery__outcome=Outcome.SENT,
        assessment__status=AssessmentStatus.DRAFT,
        created_at__lte=now - timedelta(days=survey.reminder_after_days),
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            row = (
                # Only the survey row is locked (PostgreSQL refuses to lock the
                # nullable side of the joins).
                SatisfactionSurvey.objects.select_for_update(of=("self",))
                .select_related("pathway", "delivery", "assessment")
                .get(pk=pk)
            )
            if row.reminded_at is not None or row.assessment is None or row.delivery is None:
                continue
            if row.assessment.status != AssessmentStatus.DRAFT:
                continue
            link = AccessLink.objects.select_for_update().get(assessment=row.assessment)
            if link.revoked_at is not None or link.used_at is not None:
                continue
            if row.care_team_member_id is None and _objected(row.pathway):
                continue
            token = link_tokens.new_token()
            # The new link replaces the first one, whose token is not kept anywhere.
            link.token_hash = link_tokens.hash_token(token)
            link.expires_at = now + links.link_lifetime()
            link.save(update_fields=["token_hash", "expires_at"])
            delivery = notify(
                channel=row.channel,
                to=row.delivery.recipient_address,
                subject=f"Rappel : {SUBJECT}",
                body=REMINDER.format(until=_until(link.expires_at), url=survey_url(token)),
                kind="satisfaction.reminder",
                recipient_user=row.delivery.recipient_user,
                target=row,
            )
            row.reminded_at, row.reminder_delivery = now, delivery
            row.save(update_fields=["reminded_at", "reminder_delivery"])
            audit_record(
                actor=None,
                action="satisfaction.remind",
                target=row,
                details={"moment": row.moment, "channel": row.channel},
            )
            report.reminded += 1
