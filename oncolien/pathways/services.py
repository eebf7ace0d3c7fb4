"""Writes on patient data. Each function authorises, validates everything before
writing (bad input changes nothing), writes atomically and audits."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import Membership, Role, User
from oncolien.audit.pending import record_refusal
from oncolien.audit.services import audit_record
from oncolien.notifications.services import notify, notify_user, validate_secure_address
from oncolien.pathways import alerts as alert_rules
from oncolien.pathways import edit_conflicts, statuses
from oncolien.pathways.access import (
    ALERT_ACKNOWLEDGE,
    ALERT_PROTOCOL_EDIT,
    INTAKE_CALL_RECORD,
    PATHWAY_CREATE,
    PATHWAY_INCLUDE_OUT_OF_TERRITORY,
    PATHWAY_WRITE,
)
from oncolien.pathways.identity import clean_ins
from oncolien.pathways.models import (
    Alert,
    AlertComment,
    AlertProtocol,
    CareTeamMember,
    CareTeamRole,
    ClosingReason,
    Consent,
    IntakeCall,
    IntakeOutcome,
    MonitoringRecord,
    Pathway,
    PathwayStatus,
    Patient,
    StatusChange,
    Treatment,
    Visit,
)
from oncolien.pathways.monitoring import clean_measurements
from oncolien.territories.models import Commune, Cpts

# --- Intake and eligibility -------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    in_territory: bool
    message: str  # one sentence, contacts included (what the API answers)
    covering: list[Cpts]
    headline: str = ""  # the same without the contacts, which a page shows as links
    regional_contact: str = ""


def regional_contact() -> str:
    """Who to direct a patient to when no known CPTS covers their commune."""
    return settings.ONCOLIEN_REGIONAL_CONTACT or "la coordination régionale des CPTS"


def cpts_contact(cpts: Cpts) -> str:
    return ", ".join(c for c in (cpts.contact_phone, cpts.contact_email) if c)


def eligibility_for(*, cpts: Cpts, commune) -> Eligibility:
    """Whether the patient's commune is in the CPTS and, if not, one sentence naming
    who covers it (with its contact) or the regional contact."""
    if cpts.communes.filter(pk=commune.pk).exists():
        return Eligibility(True, "", [])
    covering = list(Cpts.objects.filter(communes=commune).exclude(pk=cpts.pk).order_by("name"))
    where = f"La commune {commune.name} ({commune.department.code})"
    if covering:
        towards = "elle" if len(covering) == 1 else "l'une d'elles"

        def sentence(named: list[str]) -> str:
            return (
                f"{where} n'est pas dans le territoire de la {cpts.name} ; elle est couverte "
                f"par {', '.join(named)} : orientez le patient vers {towards}."
            )

        headline = sentence([f"la {c.name}" for c in covering])
        message = sentence(
            [
                f"la {c.name} ({cpts_contact(c)})" if cpts_contact(c) else f"la {c.name}"
                for c in covering
            ]
        )
        return Eligibility(False, message, covering, headline)
    regional = regional_contact()
    headline = (
        f"{where} n'est pas dans le territoire de la {cpts.name} et aucune CPTS connue ne la "
        f"couvre : orientez le patient vers {regional}."
    )
    return Eligibility(False, headline, [], headline, regional)


def intake_call_record(
    *,
    actor: User,
    cpts: Cpts,
    channel: str,
    commune: Commune,
    outcome: str,
    reason: str = "",
    source: str = "",
) -> IntakeCall:
    """Record a call that opened no pathway: directed elsewhere, or not included (why)."""
    authorize(actor, INTAKE_CALL_RECORD, cpts)
    with transaction.atomic():
        reason = (reason or "").strip()
        if outcome not in (IntakeOutcome.OUT_OF_TERRITORY, IntakeOutcome.NOT_INCLUDED):
            raise ValidationError({"outcome": "Un appel inclus s'enregistre avec son parcours."})
        if outcome == IntakeOutcome.NOT_INCLUDED and not reason:
            raise ValidationError({"reason": "Indiquez pourquoi le patient n'est pas inclus."})
        eligibility = eligibility_for(cpts=cpts, commune=commune)
        call = IntakeCall(
            cpts=cpts,
            called_at=timezone.now(),
            channel=channel,
            commune=commune,
            in_territory=eligibility.in_territory,
            outcome=outcome,
            reason=reason,
            covering_cpts=eligibility.covering[0] if eligibility.covering else None,
            recorded_by=actor,
            source=source,
        )
        call.full_clean()
        call.save()
        audit_record(
            actor=actor, action="intake_call.create", target=call, details={"outcome": outcome}
        )
        return call


def _mssante_address(address: str, *, field: str) -> str:
    """The address, stripped, or a French error on `field` when it is not MSSanté:
    a report with health data may only ever be sent to such an address."""
    address = address.strip()
    try:
        validate_secure_address(address)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    return address


def intake_create(
    *,
    actor: User,
    cpts: Cpts,
    patient: dict,
    intake_channel: str,
    first_contact_on: date,
    informed_on: date | None = None,
    objects_to_sharing: bool = False,
    referrer: str = "",
    out_of_territory_reason: str = "",
    gp_phone: str = "",
    gp_mssante_address: str = "",
    call: IntakeCall | None = None,
    source: str = "",
) -> Pathway:
    """Record an intake call: the patient, the pathway (first contact) and the information given.

    A commune outside the CPTS is refused with a message naming the covering CPTS,
    unless a coordinator includes anyway with a written reason. The call is recorded
    as included, linked to the pathway: `call` is the one recorded when the commune was
    found outside the territory, so that one call is counted once. The GP named at
    intake joins the care team as a contact (phone, MSSanté address), so that visit
    reports can be addressed to them.
    """
    authorize(actor, PATHWAY_CREATE, cpts)
    gp_mssante_address = _mssante_address(gp_mssante_address, field="gp_mssante_address")
    with transaction.atomic():
        patient_values = {**patient, "ins": clean_ins(patient.get("ins", ""))}
        person = Patient(**patient_values)
        person.full_clean()
        eligibility = eligibility_for(cpts=cpts, commune=person.commune)
        reason = (out_of_territory_reason or "").strip()
        if not eligibility.in_territory:
            if not reason:
                raise ValidationError({"commune": eligibility.message})
            authorize(actor, PATHWAY_INCLUDE_OUT_OF_TERRITORY, cpts)
        if call is not None and (
            call.cpts_id != cpts.pk
            or call.pathway_id is not None
            or call.commune_id != person.commune.pk
        ):
            raise ValidationError(
                "Cet appel ne correspond pas à cette inclusion : reprenez l'appel depuis la commune."
            )
        person.save()
        pathway = Pathway(
            patient=person,
            cpts=cpts,
            intake_channel=intake_channel,
            referrer=referrer,
            first_contact_on=first_contact_on,
            in_territory=eligibility.in_territory,
            out_of_territory_reason="" if eligibility.in_territory else reason,
            created_by=actor,
        )
        pathway.full_clean()
        pathway.save()
        StatusChange.objects.create(
            pathway=pathway,
            to_status=PathwayStatus.FIRST_CONTACT,
            changed_by=actor,
            changed_at=timezone.now(),
            reason=pathway.get_intake_channel_display(),
        )
        # The nurse who takes the call joins the care team, or she would lose sight of it.
        if actor.memberships.filter(role=Role.COORDINATING_NURSE, cpts=cpts).exists():
            CareTeamMember.objects.create(
                pathway=pathway,
                role=CareTeamRole.COORDINATING_NURSE,
                user=actor,
                name=actor.get_full_name() or actor.get_username(),
                email=actor.email,
            )
        if person.gp_name.strip():
            CareTeamMember.objects.create(
                pathway=pathway,
                role=CareTeamRole.GP,
                name=person.gp_name.strip(),
                phone=gp_phone.strip(),
                mssante_address=gp_mssante_address,
            )
        if informed_on is not None:
            _consent(
                actor=actor, pathway=pathway, informed_on=informed_on, objects=objects_to_sharing
            )
        if call is None:
            call = IntakeCall(
                cpts=cpts, called_at=timezone.now(), commune=person.commune, recorded_by=actor
            )
        call.channel = intake_channel
        call.in_territory = eligibility.in_territory
        call.outcome = IntakeOutcome.INCLUDED
        call.covering_cpts = eligibility.covering[0] if eligibility.covering else None
        call.pathway = pathway
        call.source = source or call.source
        call.save()
        audit_record(
            actor=actor,
            action="pathway.create",
            target=pathway,
            details={"in_territory": eligibility.in_territory},
        )
        return pathway


# --- Consent -------------------------------------------------------------------


def _consent(
    *, actor: User, pathway: Pathway, informed_on: date, objects: bool, notes: str = ""
) -> Consent:
    consent = Consent.objects.create(
        pathway=pathway,
        informed_on=informed_on,
        objects_to_sharing=objects,
        notes=notes,
        recorded_by=actor,
    )
    if objects:
        # A patient who objects keeps a minimal record: what is not needed to follow
        # them within the CPTS is removed, and nothing is shared (see sharing_allowed).
        patient = pathway.patient
        patient.phone = patient.address = patient.ins = ""
        patient.save(update_fields=["phone", "address", "ins"])
    return consent


def consent_record(
    *, actor: User, pathway: Pathway, informed_on: date, objects_to_sharing: bool, notes: str = ""
) -> Consent:
    authorize(actor, PATHWAY_WRITE, pathway)
    with transaction.atomic():
        if informed_on > timezone.localdate():
            raise ValidationError(
                {"informed_on": "La date d'information ne peut pas être dans le futur."}
            )
        consent = _consent(
            actor=actor,
            pathway=pathway,
            informed_on=informed_on,
            objects=objects_to_sharing,
            notes=notes,
        )
        audit_record(
            actor=actor,
            action="pathway.consent",
            target=pathway,
            details={"objects_to_sharing": objects_to_sharing},
        )
        return consent


# --- Pathway details, treatments, care team, status ---------------------------

EDITABLE_FIELDS = {
    "referrer",
    "cancer_site",
    "diagnosis_on",
    "end_of_active_treatment_on",
    "phase_override",
    "cancer_ald",
    "pps_reference",
    "ppac_reference",
    "dcc_reference",
    "reference_weight_kg",
}


def pathway_update(
    *, actor: User, pathway: Pathway, expected_version: int | None = None, **values
) -> Pathway:
    """Save the pathway's details if nobody saved them since `expected_version`.

    The write is a conditional UPDATE on the version the editor loaded (the form's
    hidden field, the API's `If-Match` or `version`); without one, the version read
    with `pathway`. When it matches no row, another save came first: nothing is
    written, the attempt is audited, and `PathwayEditConflict` says who changed what.
    """
    authorize(actor, PATHWAY_WRITE, pathway)
    base = pathway.version if expected_version is None else expected_version
    with transaction.atomic():
        unknown = set(values) - EDITABLE_FIELDS
        if unknown:
            raise ValidationError(f"Champ(s) non modifiable(s) : {', '.join(sorted(unknown))}.")
        before = {name: str(getattr(pathway, name)) for name in values}
        for name, value in values.items():
            setattr(pathway, name, value)
        pathway.full_clean()
        end, start = pathway.end_of_active_treatment_on, pathway.diagnosis_on
        if start and end and end < start:
            raise ValidationError(
                {"end_of_active_treatment_on": "La fin des traitements précède le diagnostic."}
            )
        now = timezone.now()
        saved = Pathway.objects.filter(pk=pathway.pk, version=base).update(
            **{name: getattr(pathway, name) for name in values},
            version=base + 1,
            updated_at=now,
        )
        if saved:
            pathway.version, pathway.updated_at = base + 1, now
            changed = sorted(name for name in values if before[name] != str(getattr(pathway, name)))
            audit_record(
                actor=actor,
                action=edit_conflicts.UPDATE_ACTION,
                target=pathway,
                details={"fields": changed, "version": pathway.version},
            )
            return pathway
    pathway.refresh_from_db()
    # Kept for the edge of the request if a caller's transaction is open: the refused
    # attempt is audited even though the caller's transaction rolls back.
    record_refusal(
        {
            "actor": actor,
            "action": edit_conflicts.CONFLICT_ACTION,
            "target": pathway,
            "details": {
                "fields": sorted(values),
                "version": base,
                "current_version": pathway.version,
            },
        }
    )
    raise edit_conflicts.PathwayEditConflict(
        pathway=pathway,
        expected_version=base,
        since=edit_conflicts.edits_since(pathway=pathway, version=base),
    )


def treatment_add(
    *, actor: User, pathway: Pathway, kind: str, started_on=None, ended_on=None, notes: str = ""
) -> Treatment:
    authorize(actor, PATHWAY_WRITE, pathway)
    with transaction.atomic():
        if started_on and ended_on and ended_on < started_on:
            raise ValidationError({"ended_on": "La fin du traitement précède son début."})
        treatment = Treatment(
            pathway=pathway, kind=kind, started_on=started_on, ended_on=ended_on, notes=notes
        )
        treatment.full_clean()
        treatment.save()
        audit_record(
            actor=actor, action="pathway.treatment", target=pathway, details={"kind": kind}
        )
        return treatment


def care_team_add(
    *,
    actor: User,
    pathway: Pathway,
    role: str,
    user: User | None = None,
    name: str = "",
    phone: str = "",
    email: str = "",
    mssante_address: str = "",
) -> CareTeamMember:
    authorize(actor, PATHWAY_WRITE, pathway)
    mssante_address = _mssante_address(mssante_address, field="mssante_address")
    with transaction.atomic():
        if user is not None:
            if not Membership.objects.filter(user=user, cpts=pathway.cpts).exists():
                raise ValidationError({"user": "Ce compte n'appartient pas à la CPTS du parcours."})
            name = name or user.get_full_name() or user.get_username()
            email = email or user.email
            if pathway.care_team.filter(user=user).exists():
                member = pathway.care_team.get(user=user)
                member.active, member.role = True, role
                member.save(update_fields=["active", "role"])
                audit_record(
                    actor=actor, action="pathway.care_team", target=pathway, details={"role": role}
                )
                return member
        member = CareTeamMember(
            pathway=pathway,
            role=role,
            user=user,
            name=name,
            phone=phone,
            email=email,
            mssante_address=mssante_address,
        )
        member.full_clean()
        member.save()
        audit_record(
            actor=actor, action="pathway.care_team", target=pathway, details={"role": role}
        )
        return member


def care_team_remove(*, actor: User, member: CareTeamMember) -> None:
    authorize(actor, PATHWAY_WRITE, member.pathway)
    with transaction.atomic():
        member.active = False
        member.save(update_fields=["active"])
        audit_record(
            actor=actor,
            action="pathway.care_team_removed",
            target=member.pathway,
            details={"member": member.pk},
        )


def status_change(
    *, actor: User, pathway: Pathway, to_status: str, closing_reason: str = "", note: str = ""
) -> Pathway:
    authorize(actor, PATHWAY_WRITE, pathway)
    with transaction.atomic():
        # The status as saved, under a row lock: a page read before someone else's
        # change (or two changes at once) must not move a pathway from a status it no
        # longer has — a closed pathway reopened by a stale « inclure », say.
        saved = Pathway.objects.select_for_update().values_list("status", flat=True)
        pathway.status = saved.get(pk=pathway.pk)
        current = PathwayStatus(pathway.status)
        statuses.check_move(current, to_status)
        if to_status == PathwayStatus.CLOSED and closing_reason not in ClosingReason.values:
            raise ValidationError({"closing_reason": "Indiquez le motif de clôture."})
        today = timezone.localdate()
        pathway.status = to_status
        if to_status == PathwayStatus.INCLUDED:
            pathway.included_on = today
        if to_status == PathwayStatus.CLOSED:
            pathway.closing_reason, pathway.closed_on = closing_reason, today
        pathway.save(
            update_fields=["status", "included_on", "closing_reason", "closed_on", "updated_at"]
        )
        StatusChange.objects.create(
            pathway=pathway,
            from_status=current,
            to_status=to_status,
            reason=" — ".join(
                part
                for part in (ClosingReason(closing_reason).label if closing_reason else "", note)
                if part
            ),
            changed_by=actor,
            changed_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="pathway.status",
            target=pathway,
            details={"from": current, "to": to_status},
        )
        return pathway


# --- Visits, monitoring sheets and alerts ------------------------------------------


def visit_add(
    *,
    actor: User,
    pathway: Pathway,
    kind: str,
    occurred_at: datetime,
    duration_minutes: int | None = None,
    notes: str = "",
    needs_discussed=(),
) -> Visit:
    authorize(actor, PATHWAY_WRITE, pathway)
    with transaction.atomic():
        if occurred_at > timezone.now() + timedelta(minutes=5):
            raise ValidationError({"occurred_at": "La visite ne peut pas être dans le futur."})
        visit = Visit(
            pathway=pathway,
            kind=kind,
            occurred_at=occurred_at,
            duration_minutes=duration_minutes,
            notes=notes,
            author=actor,
        )
        visit.full_clean()
        visit.save()
        visit.needs_discussed.set(list(needs_discussed))
        audit_record(
            actor=actor, action="pathway.visit", target=pathway, details={"visit": visit.pk}
        )
        return visit


def monitoring_record_add(
    *, actor: User, pathway: Pathway, values: dict, recorded_at: datetime | None = None, visit=None
) -> MonitoringRecord:
    """Store a monitoring sheet and open one alert per breached rule."""
    authorize(actor, PATHWAY_WRITE, pathway)
    with transaction.atomic():
        if visit is not None and visit.pathway_id != pathway.pk:
            raise ValidationError({"visit": "Cette visite appartient à un autre parcours."})
        cleaned = clean_measurements(values)
        record = MonitoringRecord(
            pathway=pathway,
            visit=visit,
            author=actor,
            recorded_at=recorded_at or timezone.now(),
            **cleaned,
        )
        record.full_clean()
        record.save()
        raised = alerts_raise_for(record)
        audit_record(
            actor=actor,
            action="monitoring.create",
            target=pathway,
            details={"record": record.pk, "alerts": [a.rule for a in raised]},
        )
        return record


def alerts_raise_for(record: MonitoringRecord) -> list[Alert]:
    """One alert per breached rule of the record (never two: a unique constraint holds it)."""
    context = alert_rules.context_for(record.pathway)
    raised = []
    for rule in alert_rules.breached_rules(record, context):
        try:
            with transaction.atomic():
                raised.append(
                    Alert.objects.create(
                        pathway=record.pathway,
                        record=record,
                        rule=rule.code,
                        severity=rule.severity,
                        message=rule.message(record, context),
                        raised_at=timezone.now(),
                    )
                )
        except IntegrityError:
            continue  # already raised for this record and rule
    for alert in raised:
        _notify_responsible(alert)
    return raised


@dataclass(frozen=True)
class Score:
    """A score another app asks the alert rules to judge: kind is "symptom" or "distress"."""

    key: str
    label: str
    kind: str
    value: float


def alerts_raise_for_scores(*, pathway: Pathway, source: str, scores: list[Score]) -> list[Alert]:
    """One alert per breached score rule and score of a source (e.g. "assessment:12").

    Called inside the caller's (authorised, audited) write; never raises twice for the
    same source, score and rule.
    """
    raised = []
    for score in scores:
        for rule in alert_rules.SCORE_RULES:
            if not rule.breached(score.kind, score.value):
                continue
            try:
                with transaction.atomic():
                    raised.append(
                        Alert.objects.create(
                            pathway=pathway,
                            source=f"{source}:{score.key}"[:60],
                            rule=rule.code,
                            severity=rule.severity,
                            message=rule.message(score.kind, score.label, score.value)[:300],
                            raised_at=timezone.now(),
                        )
                    )
            except IntegrityError:
                continue
    for alert in raised:
        _notify_responsible(alert)
    return raised


@dataclass(frozen=True)
class Finding:
    """An alert an instrument's own rules raised: the rule's code and its message."""

    rule: str
    message: str


def alerts_raise_for_findings(
    *, pathway: Pathway, source: str, findings: list[Finding]
) -> list[Alert]:
    """One alert per finding of a source (e.g. "assessment:12"), never twice.

    Called inside the caller's (authorised, audited) write. A rule this app does not
    know is a broken instrument file: refused, not silently dropped.
    """
    raised = []
    for finding in findings:
        rule = alert_rules.FINDING_RULES_BY_CODE.get(finding.rule)
        if rule is None:
            raise ValueError(f"Règle d'alerte inconnue : {finding.rule!r}")
        try:
            with transaction.atomic():
                raised.append(
                    Alert.objects.create(
                        pathway=pathway,
                        source=source[:60],
                        rule=rule.code,
                        severity=rule.severity,
                        message=finding.message[:300],
                        raised_at=timezone.now(),
                    )
                )
        except IntegrityError:
            continue
    for alert in raised:
        _notify_responsible(alert)
    return raised


def alert_recipients(alert: Alert) -> list[User]:
    """Who is told of a new alert: the coordinating nurse(s) on the pathway's care team
    who have an account, or else the coordinators of its CPTS."""
    nurses = [
        member.user
        for member in CareTeamMember.objects.filter(
            pathway_id=alert.pathway_id,
            role=CareTeamRole.COORDINATING_NURSE,
            active=True,
            user__is_active=True,
        ).select_related("user")
        if member.user is not None
    ]
    if nurses:
        return nurses
    return [
        membership.user
        for membership in Membership.objects.filter(
            cpts_id=alert.pathway.cpts_id, role=Role.COORDINATOR, user__is_active=True
        )
        .select_related("user")
        .order_by("user__last_name", "user__pk")
    ]


def alert_url(alert: Alert) -> str:
    return (
        f"{reverse('pathways:pathway_detail', kwargs={'pk': alert.pathway_id})}#alerte-{alert.pk}"
    )


def _notify_responsible(alert: Alert) -> None:
    """An in-app notification and an e-mail (no nominative data: a link, the severity,
    the CPTS) to each person responsible for the alert; each delivery is recorded."""
    link = alert_url(alert)
    severity = alert.get_severity_display().lower()
    cpts = alert.pathway.cpts.name
    subject = f"Alerte ({severity}) — parcours n° {alert.pathway_id}, {cpts}"
    body = (
        f"Une alerte de gravité {severity} vient d'être levée sur un parcours de la {cpts}.\n\n"
        f"Ouvrez-la dans OncoLien : {settings.ONCOLIEN_SITE_URL}{link}\n\n"
        "Ce message ne contient volontairement aucune donnée nominative."
    )
    for user in alert_recipients(alert):
        notify_user(
            user=user, subject=subject, body=body, kind="alert.raised", target=alert, link=link
        )


def alert_comment_add(*, actor: User, alert: Alert, text: str) -> AlertComment:
    """What someone on the pathway did about an alert; the alert stays open."""
    authorize(actor, PATHWAY_WRITE, alert.pathway)
    with transaction.atomic():
        text = (text or "").strip()
        if not text:
            raise ValidationError({"text": "Écrivez ce que vous avez fait pour cette alerte."})
        if len(text) > 2000:
            raise ValidationError(
                {"text": "Le commentaire est trop long (au plus 2 000 caractères)."}
            )
        comment = AlertComment.objects.create(alert=alert, author=actor, text=text)
        audit_record(
            actor=actor,
            action="alert.comment",
            target=alert.pathway,
            details={"alert": alert.pk},
        )
        return comment


def alert_acknowledge(*, actor: User, alert: Alert, comment: str) -> Alert:
    # The roles named in the CPTS's alert protocol, not anyone who may write the pathway.
    authorize(actor, ALERT_ACKNOWLEDGE, alert)
    with transaction.atomic():
        comment = (comment or "").strip()
        if not comment:
            raise ValidationError(
                {"comment": "Un commentaire est obligatoire pour prendre en compte l'alerte."}
            )
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.acknowledged_at is not None:
            raise ValidationError("Cette alerte a déjà été prise en compte.")
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor
        alert.acknowledgement_comment = comment
        alert.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_comment"])
        audit_record(
            actor=actor,
            action="alert.acknowledge",
            target=alert.pathway,
            details={"alert": alert.pk},
        )
        return alert


def alerts_escalate(*, now: datetime | None = None) -> list[Alert]:
    """Escalate every open alert older than its CPTS's delay to the CPTS coordinators.

    Run every minute by the huey consumer (pathways/tasks.py). Each alert is
    escalated once; the e-mail carries no patient name, only a link.
    """
    now = now or timezone.now()
    escalated = []
    candidates = (
        Alert.objects.filter(acknowledged_at__isnull=True, escalated_at__isnull=True)
        .select_related("pathway", "pathway__cpts")
        .order_by("raised_at")
    )
    delays: dict[int, int] = {}
    for alert in candidates:
        cpts_id = alert.pathway.cpts_id
        if cpts_id not in delays:
            delays[cpts_id] = alert_rules.escalation_minutes_for(cpts_id)
        if alert.raised_at > now - timedelta(minutes=delays[cpts_id]):
            continue
        with transaction.atomic():
            updated = Alert.objects.filter(pk=alert.pk, escalated_at__isnull=True).update(
                escalated_at=now
            )
            if not updated:
                continue
            alert.escalated_at = now
            audit_record(
                actor=None,
                action="alert.escalate",
                target=alert.pathway,
                details={"alert": alert.pk},
            )
            # Queued with the mark: an escalation that rolls back sends nothing.
            _notify_coordinators(alert)
        escalated.append(alert)
    return escalated


def _notify_coordinators(alert: Alert) -> None:
    coordinators = (
        Membership.objects.filter(
            cpts_id=alert.pathway.cpts_id, role=Role.COORDINATOR, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
    )
    body = (
        f"Une alerte ({alert.get_severity_display().lower()}) du parcours n° {alert.pathway_id} "
        f"de la {alert.pathway.cpts.name} n'a pas été prise en compte depuis "
        f"{timezone.localtime(alert.raised_at):%d/%m/%Y %H:%M}.\n\n"
        f"Consultez votre liste de travail dans OncoLien pour la traiter.\n"
        "Ce message ne contient volontairement aucune donnée nominative."
    )
    # One message per coordinator, so that each delivery is recorded on its own.
    for membership in coordinators:
        notify(
            channel="email",
            to=membership.user.email,
            subject=f"[OncoLien] Alerte non prise en compte — parcours n° {alert.pathway_id}",
            body=body,
            kind="alert.escalated",
            recipient_user=membership.user,
            target=alert,
        )


# --- The CPTS's alert protocol ---------------------------------------------------------


def alert_protocol_update(
    *,
    actor: User,
    cpts: Cpts,
    fever_threshold_c,
    escalation_after_minutes: int,
    acknowledging_roles: list[str],
    instructions: dict[str, str],
) -> AlertProtocol:
    """Set a CPTS's alert protocol. An instruction equal to the default text (or empty)
    is not stored, so that the default, with its sources, keeps applying."""
    from decimal import Decimal, InvalidOperation

    from oncolien.pathways import protocol

    authorize(actor, ALERT_PROTOCOL_EDIT, cpts)
    with transaction.atomic():
        errors: dict[str, str] = {}
        try:
            threshold = Decimal(str(fever_threshold_c))
        except InvalidOperation:
            threshold = None
        low, high = alert_rules.FEVER_THRESHOLD_BOUNDS
        if threshold is None or not low <= threshold <= high:
            errors["fever_threshold_c"] = (
                f"Le seuil de fièvre doit être compris entre {low} et {high} °C.".replace(".", ",")
            )
        if not 15 <= int(escalation_after_minutes) <= 7 * 24 * 60:
            errors["escalation_after_minutes"] = (
                "Le délai d'escalade doit être compris entre 15 minutes et 7 jours (10 080 minutes)."
            )
        roles = sorted(set(acknowledging_roles))
        unknown = [r for r in roles if r not in protocol.ACKNOWLEDGING_ROLES]
        if not roles or unknown:
            errors["acknowledging_roles"] = (
                "Choisissez au moins un rôle connu pour prendre en compte les alertes."
            )
        defaults = protocol.default_instructions()
        own: dict[str, str] = {}
        for code, text in instructions.items():
            if code not in defaults:
                errors[f"instruction_{code}"] = "Cette règle d'alerte n'existe pas."
                continue
            text = (text or "").strip()
            if len(text) > protocol.INSTRUCTION_MAX:
                errors[f"instruction_{code}"] = (
                    f"Consigne trop longue (au plus {protocol.INSTRUCTION_MAX} caractères)."
                )
            elif text and text != defaults[code].text:
                own[code] = text
        if errors:
            raise ValidationError(errors)
        assert threshold is not None
        current, _ = AlertProtocol.objects.select_for_update().get_or_create(cpts=cpts)
        current.fever_threshold_c = threshold
        current.escalation_after_minutes = int(escalation_after_minutes)
        current.acknowledging_roles = roles
        current.instructions = own
        current.updated_by = actor
        current.full_clean()
        current.save()
        audit_record(
            actor=actor,
            action="alert_protocol.update",
            target=cpts,
            details={"roles": roles, "own_instructions": sorted(own)},
        )
        return current
