"""Writes of the hormone-therapy follow-up: the plan and its schedule, a contact and
the alerts it raises, the reminders of contacts coming due.

Each function authorises, validates everything before writing (bad input gets French
messages and changes nothing), writes atomically and audits. Alerts go through the
pathways' one alert circuit (`alerts_raise_for_findings`: the worklist, the
notification of the responsible people, the escalation); messages through
`notifications.services.notify`, after commit, each delivery recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import Membership, Role, User
from oncolien.adherence import schedule
from oncolien.adherence.access import ADHERENCE_PLAN_EDIT
from oncolien.adherence.models import (
    AdherenceContact,
    AdherencePlan,
    ContactMode,
    MissedDoses,
    StopDecidedBy,
)
from oncolien.adherence.vocabulary import vocabulary
from oncolien.audit.services import audit_record
from oncolien.notifications.services import notify_user
from oncolien.pathways.access import PATHWAY_WRITE
from oncolien.pathways.models import (
    CareTeamMember,
    CareTeamRole,
    Pathway,
    PathwayStatus,
    TreatmentKind,
)
from oncolien.pathways.services import Finding, alerts_raise_for_findings, treatment_add

NOTES_MAX = 2000
# The nurse who calls or visits: the coordinating nurse, or a community nurse of the team.
NURSE_ROLES = (CareTeamRole.COORDINATING_NURSE, CareTeamRole.COMMUNITY_NURSE)
# A start date further ahead is a typing error (a plan is written when the drug is given).
START_AHEAD_DAYS = 366


def _french_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def nurses_of(pathway: Pathway) -> list[User]:
    """The nurses with an account on the pathway's active care team, who may be
    responsible for its follow-up."""
    members = (
        CareTeamMember.objects.filter(
            pathway=pathway, active=True, role__in=NURSE_ROLES, user__is_active=True
        )
        .select_related("user")
        .order_by("role", "name")
    )
    return [member.user for member in members if member.user is not None]


def _refuse_closed(pathway: Pathway) -> None:
    if pathway.status == PathwayStatus.CLOSED:
        raise ValidationError("Ce parcours est clôturé : le suivi ne peut plus être modifié.")


# --- The plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanValues:
    drug: str
    started_on: date | None
    duration_years: int | None
    contact_mode: str
    interval_months: int | None
    nurse: User | None
    first_year_interval_months: int | None = None


def _clean_plan(pathway: Pathway, values: PlanValues) -> dict[str, str]:
    errors: dict[str, str] = {}
    terms = vocabulary()
    if values.drug not in {drug.code for drug in terms.drugs}:
        errors["drug"] = "Choisissez l'hormonothérapie dans la liste."
    today = timezone.localdate()
    if values.started_on is None:
        errors["started_on"] = "Indiquez la date de début de l'hormonothérapie."
    elif values.started_on > today + timedelta(days=START_AHEAD_DAYS):
        errors["started_on"] = "La date de début est à plus d'un an : vérifiez-la."
    if values.duration_years is None or not 1 <= values.duration_years <= 10:
        errors["duration_years"] = "La durée prévue doit être comprise entre 1 et 10 ans."
    if values.contact_mode not in ContactMode.values:
        errors["contact_mode"] = "Choisissez un appel téléphonique ou une visite."
    if values.interval_months is None or not 1 <= values.interval_months <= 12:
        errors["interval_months"] = "L'intervalle entre deux contacts doit être de 1 à 12 mois."
    first = values.first_year_interval_months
    if first is not None and not 1 <= first <= 12:
        errors["first_year_interval_months"] = (
            "L'intervalle de la première année doit être de 1 à 12 mois (ou laissé vide)."
        )
    if values.nurse is None or values.nurse.pk not in {u.pk for u in nurses_of(pathway)}:
        errors["nurse"] = (
            "Choisissez un·e infirmier·ère de l'équipe de soins du patient qui a un compte "
            "OncoLien (ajoutez-le·la d'abord à l'équipe)."
        )
    return errors


def plan_save(*, actor: User, pathway: Pathway, values: PlanValues) -> AdherencePlan:
    """Create or change the pathway's plan, and plan its contacts from today.

    The contacts already done stay as they are. The planned ones not done are planned
    again by the new schedule, from today (Paris): a date kept keeps its reminder,
    and a past date not done leaves the worklist with the old schedule.
    """
    authorize(actor, ADHERENCE_PLAN_EDIT, pathway)
    with transaction.atomic():
        _refuse_closed(pathway)
        errors = _clean_plan(pathway, values)
        if errors:
            raise ValidationError(errors)
        assert values.started_on and values.duration_years and values.interval_months
        plan = AdherencePlan.objects.select_for_update().filter(pathway=pathway).first()
        created = plan is None
        if plan is None:
            plan = AdherencePlan(pathway=pathway, created_by=actor)
        plan.drug = values.drug
        plan.vocabulary_version = vocabulary().version
        plan.started_on = values.started_on
        plan.duration_years = values.duration_years
        plan.contact_mode = values.contact_mode
        plan.interval_months = values.interval_months
        plan.first_year_interval_months = values.first_year_interval_months
        assert values.nurse is not None
        plan.nurse = values.nurse
        plan.full_clean(exclude=["pathway"])
        plan.save()
        planned = _plan_contacts(plan)
        if created and not pathway.treatments.filter(kind=TreatmentKind.HORMONE_THERAPY).exists():
            # The pathway's treatments say hormone therapy too (the indicators count them).
            treatment_add(
                actor=actor,
                pathway=pathway,
                kind=TreatmentKind.HORMONE_THERAPY,
                started_on=values.started_on,
                notes=vocabulary().drug_label(values.drug),
            )
        audit_record(
            actor=actor,
            action="adherence.plan.create" if created else "adherence.plan.update",
            target=pathway,
            details={"plan": plan.pk, "planned_contacts": planned},
        )
        return plan


def _plan_contacts(plan: AdherencePlan) -> int:
    today = timezone.localdate()
    wanted = {
        day
        for day in schedule.planned_dates(
            start=plan.started_on,
            years=plan.duration_years,
            interval_months=plan.interval_months,
            first_year_interval_months=plan.first_year_interval_months,
        )
        if day >= today
    }
    existing = AdherenceContact.objects.filter(plan=plan, planned_on__isnull=False)
    existing.filter(done_at__isnull=True).exclude(planned_on__in=wanted).delete()
    kept = set(existing.values_list("planned_on", flat=True))
    AdherenceContact.objects.bulk_create(
        AdherenceContact(plan=plan, planned_on=day) for day in sorted(wanted - kept)
    )
    return AdherenceContact.objects.filter(plan=plan, done_at__isnull=True).count()


# --- A contact ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactValues:
    done_at: datetime | None
    mode: str
    missed_doses: str
    stopped: bool | None
    stopped_since: date | None = None
    stop_decided_by: str = ""
    intends_to_stop: bool = False
    # Side-effect code -> severity code, for the side effects the patient reports.
    side_effects: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    # The planned contact this one fulfils; None for a contact off the schedule.
    planned_contact_id: int | None = None
    # A past date of the plan's schedule this contact was for, when it is recorded
    # afterwards (contacts before the plan was written, the demo's history).
    planned_on: date | None = None


def _clean_contact(plan: AdherencePlan, values: ContactValues) -> dict[str, str]:
    errors: dict[str, str] = {}
    terms = vocabulary()
    now = timezone.now()
    if values.done_at is None:
        errors["done_at"] = "Indiquez la date et l'heure du contact."
    elif values.done_at > now + timedelta(minutes=5):
        errors["done_at"] = "Le contact ne peut pas être dans le futur."
    elif timezone.localdate(values.done_at) < plan.started_on - timedelta(days=31):
        errors["done_at"] = "Le contact précède de plus d'un mois le début du traitement."
    if values.mode not in ContactMode.values:
        errors["mode"] = "Précisez s'il s'agit d'un appel ou d'une visite."
    if values.stopped is None:
        errors["stopped"] = "Précisez si le traitement est arrêté."
    elif values.stopped:
        if values.stopped_since is None:
            errors["stopped_since"] = "Indiquez depuis quand le traitement est arrêté."
        elif values.stopped_since < plan.started_on:
            errors["stopped_since"] = "L'arrêt ne peut pas précéder le début du traitement."
        elif values.done_at and values.stopped_since > timezone.localdate(values.done_at):
            errors["stopped_since"] = "L'arrêt ne peut pas être postérieur au contact."
        if values.stop_decided_by not in StopDecidedBy.values:
            errors["stop_decided_by"] = "Précisez qui a décidé l'arrêt."
        if values.intends_to_stop:
            errors["intends_to_stop"] = (
                "Le traitement est déjà arrêté : ne cochez pas « envisage d'arrêter »."
            )
        if values.missed_doses not in ("", *MissedDoses.values):
            errors["missed_doses"] = "Choisissez les oublis de prise dans la liste."
    else:
        if values.stopped_since is not None or values.stop_decided_by:
            errors["stopped_since"] = (
                "La date et l'auteur de l'arrêt ne se renseignent que si le traitement est arrêté."
            )
        if values.missed_doses not in MissedDoses.values:
            errors["missed_doses"] = (
                "Précisez les oublis de prise (aucun, occasionnels, fréquents)."
            )
    known = {term.code for term in terms.side_effects}
    severities = {term.code for term in terms.severities}
    for code, severity in values.side_effects.items():
        if code not in known:
            errors["side_effects"] = f"Effet indésirable inconnu : « {code} »."
        elif severity not in severities:
            errors[f"effet_{code}"] = (
                f"Gravité inconnue pour « {terms.side_effect_label(code)} » "
                "(légère, modérée ou sévère)."
            )
    if len(values.notes or "") > NOTES_MAX:
        errors["notes"] = "Les notes sont trop longues (au plus 2 000 caractères)."
    return errors


def _findings(plan: AdherencePlan, contact: AdherenceContact) -> list[Finding]:
    terms = vocabulary()
    drug = terms.drug_label(plan.drug)
    conditions: list[tuple[str, str]] = []
    previous = (
        AdherenceContact.objects.filter(plan=plan, done_at__isnull=False)
        .exclude(pk=contact.pk)
        .filter(done_at__lte=contact.done_at)
        .order_by("-done_at", "-pk")
        .first()
    )
    # A stop already known from the previous contact (same date) was already alerted on.
    known_stop = bool(
        previous and previous.stopped and previous.stopped_since == contact.stopped_since
    )
    if contact.stopped and not known_stop:
        assert contact.stopped_since is not None
        conditions.append(
            (
                "stopped",
                f"Hormonothérapie ({drug}) arrêtée depuis le "
                f"{_french_date(contact.stopped_since)}, arrêt décidé par : "
                f"{contact.get_stop_decided_by_display().lower()}.",
            )
        )
    if contact.intends_to_stop:
        conditions.append(("intends_to_stop", f"Envisage d'arrêter l'hormonothérapie ({drug})."))
    if contact.missed_doses == MissedDoses.FREQUENT:
        conditions.append(
            ("frequent_missed_doses", f"Oublis fréquents de l'hormonothérapie ({drug}).")
        )
    findings: list[Finding] = []
    for condition, message in conditions:
        for rule in terms.rules_when(condition):
            if rule not in {finding.rule for finding in findings}:
                findings.append(Finding(rule=rule, message=message))
    return findings


def contact_record(*, actor: User, plan: AdherencePlan, values: ContactValues) -> AdherenceContact:
    """Record a contact (a planned one, or one off the schedule) and raise its alerts."""
    pathway = plan.pathway
    authorize(actor, PATHWAY_WRITE, pathway)
    with transaction.atomic():
        _refuse_closed(pathway)
        errors = _clean_contact(plan, values)
        contact = None
        if values.planned_contact_id is not None:
            contact = (
                AdherenceContact.objects.select_for_update()
                .filter(pk=values.planned_contact_id, plan=plan, done_at__isnull=True)
                .first()
            )
            if contact is None:
                errors["planned"] = "Ce contact prévu n'existe pas ou a déjà été enregistré."
        elif values.planned_on is not None:
            schedule_days = schedule.planned_dates(
                start=plan.started_on,
                years=plan.duration_years,
                interval_months=plan.interval_months,
                first_year_interval_months=plan.first_year_interval_months,
            )
            if values.planned_on not in schedule_days or values.planned_on > timezone.localdate():
                errors["planned"] = "Cette date n'est pas une date passée du calendrier du plan."
            elif AdherenceContact.objects.filter(plan=plan, planned_on=values.planned_on).exists():
                errors["planned"] = "Un contact est déjà enregistré pour cette date du calendrier."
        if errors:
            raise ValidationError(errors)
        if contact is None:
            contact = AdherenceContact(plan=plan, planned_on=values.planned_on)
        contact.done_at = values.done_at
        contact.done_by = actor
        contact.mode = values.mode
        contact.missed_doses = values.missed_doses
        contact.stopped = values.stopped
        contact.stopped_since = values.stopped_since if values.stopped else None
        contact.stop_decided_by = values.stop_decided_by if values.stopped else ""
        contact.intends_to_stop = bool(values.intends_to_stop)
        contact.side_effects = [
            {"code": code, "severity": severity}
            for code, severity in sorted(values.side_effects.items())
        ]
        contact.vocabulary_version = vocabulary().version
        contact.notes = (values.notes or "").strip()
        contact.save()
        raised = alerts_raise_for_findings(
            pathway=pathway,
            source=f"adherence_contact:{contact.pk}",
            findings=_findings(plan, contact),
        )
        audit_record(
            actor=actor,
            action="adherence.contact.record",
            target=pathway,
            details={
                "plan": plan.pk,
                "contact": contact.pk,
                "planned": values.planned_contact_id is not None,
                "alerts": [alert.pk for alert in raised],
            },
        )
        return contact


# --- Reminders ----------------------------------------------------------------------------


def _reminder_recipients(plan: AdherencePlan) -> list[User]:
    """The responsible nurse while she is on the care team with an active account (she
    may then open the pathway), or else the CPTS's coordinators."""
    if plan.nurse.pk in {nurse.pk for nurse in nurses_of(plan.pathway)}:
        return [plan.nurse]
    return [
        membership.user
        for membership in Membership.objects.filter(
            cpts_id=plan.pathway.cpts_id, role=Role.COORDINATOR, user__is_active=True
        ).select_related("user")
    ]


def contact_url(contact: AdherenceContact) -> str:
    return reverse("pathways:pathway_detail", kwargs={"pk": contact.plan.pathway_id}) + (
        "#observance"
    )


def _notify_reminder(contact: AdherenceContact) -> None:
    """An in-app notification and an e-mail without nominative data (a link, the date,
    the CPTS) to whoever is responsible; each delivery is recorded."""
    plan = contact.plan
    assert contact.planned_on is not None
    link = contact_url(contact)
    mode = plan.get_contact_mode_display().lower()
    cpts = plan.pathway.cpts.name
    subject = (
        f"Suivi de l'hormonothérapie : contact prévu le {_french_date(contact.planned_on)} "
        f"— parcours n° {plan.pathway_id}"
    )
    body = (
        f"Un contact de suivi de l'hormonothérapie ({mode}) est prévu le "
        f"{_french_date(contact.planned_on)} pour un parcours de la {cpts} dont vous êtes "
        f"l'infirmier·ère responsable.\n\n"
        f"Ouvrez-le dans OncoLien : {settings.ONCOLIEN_SITE_URL}{link}\n\n"
        "Ce message ne contient volontairement aucune donnée nominative."
    )
    for user in _reminder_recipients(plan):
        notify_user(
            user=user,
            subject=subject,
            body=body,
            kind="adherence.reminder",
            target=contact,
            link=link,
        )


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind the responsible nurse of each planned contact coming due (from
    `reminder_days_before` days ahead, Paris calendar), once per contact.

    Run by the huey consumer (adherence/tasks.py). A run missed or doubled changes
    nothing: each contact is marked under a conditional update, with its messages
    queued in the same transaction.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    until = today + timedelta(days=vocabulary().reminder_days_before)
    due = (
        AdherenceContact.objects.filter(
            done_at__isnull=True,
            reminded_at__isnull=True,
            planned_on__gte=today,
            planned_on__lte=until,
        )
        .exclude(plan__pathway__status=PathwayStatus.CLOSED)
        .select_related("plan__pathway__cpts", "plan__nurse")
        .order_by("planned_on", "pk")
    )
    sent = 0
    for contact in due:
        with transaction.atomic():
            marked = AdherenceContact.objects.filter(
                pk=contact.pk, reminded_at__isnull=True, done_at__isnull=True
            ).update(reminded_at=now)
            if not marked:
                continue
            audit_record(
                actor=None,
                action="adherence.reminder",
                target=contact.plan.pathway,
                details={"contact": contact.pk, "planned_on": contact.planned_on},
            )
            _notify_reminder(contact)
        sent += 1
    return sent
