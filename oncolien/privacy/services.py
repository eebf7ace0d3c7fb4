"""Writes of the patient's data rights: rectification, anonymisation (on request or
at the end of the retention period) and the retention rule's runs.

Anonymisation, not deletion: the rows stay, so that every count of the indicators
(contacts, caseload, visits, referrals, alerts, questionnaires) stays the same,
but what identifies the patient (identity, contact, INS, GP) and every free text
written about them are erased, in every app (`privacy.extensions`), in the
messages about them, and in the audit trail's entries about them — whose content
is erased while their hashes stay, so the chain still verifies (`audit.chain`).

Retention (French health records): 20 years after the last contact by default
(`ONCOLIEN_RETENTION_YEARS`; Code de la santé publique, art. R. 1112-7, for the
medical record of a health establishment, the usual rule for a coordination
record).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from oncolien.accounts.authorization import authorize
from oncolien.accounts.models import User
from oncolien.audit.selectors import entries_about
from oncolien.audit.services import audit_record, audit_redact
from oncolien.notifications.services import deliveries_erase
from oncolien.pathways import patient_data
from oncolien.pathways.models import MonitoringRecord, Pathway, Patient, Visit
from oncolien.pathways.statuses import PathwayStatus
from oncolien.privacy.access import PATIENT_ERASE, PATIENT_RECTIFY
from oncolien.privacy.collect import held_sections, targets_of
from oncolien.privacy.extensions import patient_data_parts
from oncolien.privacy.models import (
    Anonymisation,
    AnonymisationReason,
    DataExport,
    ExportStatus,
    Rectification,
    RetentionRun,
)

logger = logging.getLogger(__name__)


# --- Rectification --------------------------------------------------------------


def identity_rectify(*, actor: User, pathway: Pathway, values: dict, reason: str) -> Rectification:
    """Rectify the identity of the patient of `pathway` (right to rectification):
    the fields given, with the reason; nothing changed is refused with a French
    message. Audited with the names of the fields (never their values)."""
    authorize(actor, PATIENT_RECTIFY, pathway)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de la rectification."})
    with transaction.atomic():
        patient = Patient.objects.select_for_update().get(pk=pathway.patient_id)
        if Anonymisation.objects.filter(patient=patient).exists():
            raise ValidationError("Ce patient a été anonymisé : son identité n'est plus tenue.")
        changed = patient_data.identity_rectify(patient=patient, values=values)
        if not changed:
            raise ValidationError("Aucun champ n'a changé : rien n'a été rectifié.")
        rectification = Rectification.objects.create(
            patient=patient, pathway=pathway, fields=changed, reason=reason, by=actor
        )
        audit_record(
            actor=actor,
            action="patient.rectify",
            target=pathway,
            details={"fields": changed, "rectification": rectification.pk},
        )
        return rectification


# --- Anonymisation -----------------------------------------------------------------


@dataclass(frozen=True)
class Erased:
    counts: dict[str, int]
    audit_entries: int
    deliveries: int


def _erase(
    *, actor: User | None, patient: Patient, pathways: Sequence[Pathway], reason: str
) -> Erased:
    """Erase the patient's data everywhere (inside the caller's transaction)."""
    sections = held_sections(pathways)
    targets = targets_of(sections)
    targets.setdefault("pathways.patient", []).append(str(patient.pk))
    counts = dict(patient_data.erase(pathways))
    for part in patient_data_parts():
        for kind, changed in part.erase(pathways).items():
            counts[kind] = counts.get(kind, 0) + changed
    deliveries = deliveries_erase(targets=targets)
    ids = [p.pk for p in pathways]
    counts["exports"] = DataExport.objects.filter(pathway__in=ids).update(
        json_content=b"", pdf_content=b"", status=ExportStatus.EXPIRED
    )
    counts["rectifications"] = Rectification.objects.filter(pathway__in=ids).update(
        reason="(effacé)"
    )
    _, audit_entries = audit_redact(
        actor=actor,
        entries=entries_about(targets=targets, pathway_ids=ids),
        target=patient,
        reason=reason,
    )
    return Erased(counts=counts, audit_entries=audit_entries, deliveries=deliveries)


def patient_anonymise(
    *, actor: User, pathway: Pathway, reason: str, note: str = ""
) -> Anonymisation:
    """Anonymise the patient of `pathway` at a coordinator's request (right to
    erasure, where it applies: health records have a legal retention, so the record
    is anonymised, never removed). The pathway must be closed. Audited."""
    authorize(actor, PATIENT_ERASE, pathway)
    if reason not in AnonymisationReason.values or reason == AnonymisationReason.RETENTION:
        raise ValidationError({"reason": "Choisissez le motif de l'anonymisation."})
    note = (note or "").strip()
    if reason == AnonymisationReason.OTHER and not note:
        raise ValidationError({"note": "Précisez le motif de l'anonymisation."})
    with transaction.atomic():
        patient = Patient.objects.select_for_update().get(pk=pathway.patient_id)
        if Anonymisation.objects.filter(patient=patient).exists():
            raise ValidationError("Ce patient est déjà anonymisé.")
        pathways = list(Pathway.objects.filter(patient=patient).order_by("pk"))
        if any(p.cpts_id != pathway.cpts_id for p in pathways):
            raise ValidationError(
                "Ce patient a aussi un parcours dans une autre CPTS : l'anonymisation doit y "
                "être demandée aussi. Rien n'a été effacé."
            )
        if any(p.status != PathwayStatus.CLOSED for p in pathways):
            raise ValidationError(
                "Clôturez d'abord le parcours : un parcours en cours ne peut pas être anonymisé."
            )
        erased = _erase(actor=actor, patient=patient, pathways=pathways, reason=reason)
        anonymisation = Anonymisation.objects.create(
            patient=patient,
            at=timezone.now(),
            reason=reason,
            note=note[:300],
            by=actor,
            counts=erased.counts,
        )
        audit_record(
            actor=actor,
            action="patient.anonymise",
            target=pathway,
            details={
                "reason": reason,
                "anonymisation": anonymisation.pk,
                "audit_entries": erased.audit_entries,
                "deliveries": erased.deliveries,
            },
        )
        return anonymisation


def is_anonymised(pathway: Pathway) -> bool:
    return Anonymisation.objects.filter(patient_id=pathway.patient_id).exists()


# --- The retention rule --------------------------------------------------------------


def retention_cutoff(today: date, years: int) -> date:
    """The day `years` years before `today` (29 February: the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def due_for_retention(*, cutoff: date) -> list[int]:
    """The patients not anonymised whose pathways are all closed, and whose last
    contact (closure, visit, monitoring sheet) is before `cutoff`."""
    open_or_recent = Pathway.objects.exclude(
        status=PathwayStatus.CLOSED, closed_on__lt=cutoff
    ).values("patient_id")
    recent_visits = Visit.objects.filter(occurred_at__date__gte=cutoff).values(
        "pathway__patient_id"
    )
    recent_records = MonitoringRecord.objects.filter(recorded_at__date__gte=cutoff).values(
        "pathway__patient_id"
    )
    return list(
        Patient.objects.filter(anonymisation__isnull=True, pathways__isnull=False)
        .exclude(pk__in=open_or_recent)
        .exclude(pk__in=recent_visits)
        .exclude(pk__in=recent_records)
        .annotate(last=Max("pathways__closed_on"))
        .order_by("last", "pk")
        .values_list("pk", flat=True)
        .distinct()[: settings.ONCOLIEN_RETENTION_BATCH]
    )


def retention_apply(
    *, trigger: str, now: datetime | None = None, dry_run: bool = False
) -> RetentionRun:
    """Apply the retention rule once: anonymise every patient due (at most
    ONCOLIEN_RETENTION_BATCH a run; the next run goes on), drop old export files, and
    record what was done, in counts, in a `RetentionRun`. One patient per
    transaction: a failure leaves the others done and is reported."""
    from oncolien.privacy.exports import exports_purge

    now = now or timezone.now()
    years = settings.ONCOLIEN_RETENTION_YEARS
    cutoff = retention_cutoff(timezone.localdate(now), years)
    run = RetentionRun.objects.create(
        started_at=now, trigger=trigger, retention_years=years, cutoff=cutoff, dry_run=dry_run
    )
    due = due_for_retention(cutoff=cutoff)
    counts: dict[str, int] = {}
    by_cpts: dict[str, int] = {}
    failures = 0
    for patient_id in due:
        pathways = list(
            Pathway.objects.filter(patient_id=patient_id).select_related("cpts").order_by("pk")
        )
        for pathway in pathways:
            by_cpts[pathway.cpts.slug] = by_cpts.get(pathway.cpts.slug, 0) + 1
        if dry_run:
            run.patients += 1
            run.pathways += len(pathways)
            continue
        try:
            with transaction.atomic():
                patient = Patient.objects.select_for_update().get(pk=patient_id)
                erased = _erase(
                    actor=None,
                    patient=patient,
                    pathways=pathways,
                    reason=AnonymisationReason.RETENTION,
                )
                Anonymisation.objects.create(
                    patient=patient,
                    at=timezone.now(),
                    reason=AnonymisationReason.RETENTION,
                    run=run,
                    counts=erased.counts,
                )
                audit_record(
                    actor=None,
                    action="patient.anonymise",
                    target=pathways[0],
                    details={
                        "reason": AnonymisationReason.RETENTION,
                        "run": run.pk,
                        "audit_entries": erased.audit_entries,
                        "deliveries": erased.deliveries,
                    },
                )
        except Exception:
            # Counts only in the log: never a name, never an id of a patient.
            failures += 1
            logger.exception("Retention run %s: one patient could not be anonymised", run.pk)
            continue
        run.patients += 1
        run.pathways += len(pathways)
        run.audit_entries += erased.audit_entries
        run.deliveries += erased.deliveries
        for kind, changed in erased.counts.items():
            counts[kind] = counts.get(kind, 0) + changed
    if not dry_run:
        run.exports_purged = exports_purge(now=now)
    run.counts = counts
    run.by_cpts = by_cpts
    run.finished_at = timezone.now()
    if failures:
        run.error = (
            f"{failures} patient(s) n'ont pas pu être anonymisé(s) ; l'erreur est dans le "
            "journal du serveur. Ils le seront au prochain passage."
        )
    run.save()
    audit_record(
        actor=None,
        action="privacy.retention_run",
        target=run,
        details={"patients": run.patients, "pathways": run.pathways, "dry_run": dry_run},
    )
    logger.info(
        "Retention run %s: %s patient(s), %s pathway(s) anonymised, %s audit entries erased, "
        "%s export(s) purged, %s failure(s)%s",
        run.pk,
        run.patients,
        run.pathways,
        run.audit_entries,
        run.exports_purged,
        failures,
        " (simulation)" if dry_run else "",
    )
    return run


def retention_runs(*, limit: int = 30) -> list[RetentionRun]:
    return list(RetentionRun.objects.all()[:limit])
