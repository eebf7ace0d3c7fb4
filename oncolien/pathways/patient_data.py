"""The patient's data held by the pathways app, for the data rights (privacy app):
what it holds (export), the rectification of the identity, and the erasure.

The privacy app authorises and audits; these functions only read and write the
rows of the pathways given, which belong to one patient.
"""

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Model

from oncolien.pathways.identity import clean_ins
from oncolien.pathways.models import (
    Alert,
    AlertComment,
    CareTeamMember,
    Consent,
    IntakeCall,
    MonitoringRecord,
    Pathway,
    Patient,
    ReportPdf,
    StatusChange,
    Treatment,
    Visit,
    VisitReport,
)

# What a rectification may change: the identity as taken at intake.
RECTIFIABLE_FIELDS = (
    "last_name",
    "first_name",
    "birth_date",
    "sex",
    "commune",
    "address",
    "phone",
    "ins",
    "gp_name",
)

# The name an anonymised patient carries wherever a patient is shown.
ANONYMOUS_LAST_NAME = "Anonyme"


def held_rows(
    pathways: Sequence[Pathway],
) -> list[tuple[str, str, Sequence[Model], frozenset[str]]]:
    """(key, title, rows, hidden fields) of every kind of row about these pathways."""
    ids = [p.pk for p in pathways]
    patients = list(Patient.objects.filter(pathways__in=ids).distinct().order_by("pk"))
    visits = list(Visit.objects.filter(pathway__in=ids).order_by("occurred_at", "pk"))
    reports = list(VisitReport.objects.filter(visit__pathway__in=ids).order_by("created_at", "pk"))
    return [
        ("patient", "Identité du patient", list(patients), frozenset()),
        ("pathways", "Parcours", list(pathways), frozenset()),
        (
            "intake_calls",
            "Appel d'inclusion",
            list(IntakeCall.objects.filter(pathway__in=ids).order_by("pk")),
            frozenset(),
        ),
        (
            "consents",
            "Information et opposition",
            list(Consent.objects.filter(pathway__in=ids).order_by("recorded_at", "pk")),
            frozenset(),
        ),
        (
            "treatments",
            "Traitements",
            list(Treatment.objects.filter(pathway__in=ids).order_by("pk")),
            frozenset(),
        ),
        (
            "care_team",
            "Équipe de soins",
            list(CareTeamMember.objects.filter(pathway__in=ids).order_by("pk")),
            frozenset(),
        ),
        (
            "status_changes",
            "Changements de statut",
            list(StatusChange.objects.filter(pathway__in=ids).order_by("changed_at", "pk")),
            frozenset(),
        ),
        ("visits", "Visites", visits, frozenset()),
        (
            "monitoring_records",
            "Fiches de surveillance",
            list(MonitoringRecord.objects.filter(pathway__in=ids).order_by("recorded_at", "pk")),
            frozenset(),
        ),
        (
            "alerts",
            "Alertes",
            list(Alert.objects.filter(pathway__in=ids).order_by("raised_at", "pk")),
            frozenset(),
        ),
        (
            "alert_comments",
            "Commentaires d'alerte",
            list(AlertComment.objects.filter(alert__pathway__in=ids).order_by("created_at", "pk")),
            frozenset(),
        ),
        ("visit_reports", "Comptes-rendus de visite", reports, frozenset()),
        (
            "report_pdfs",
            "PDF des comptes-rendus",
            list(
                ReportPdf.objects.filter(report__visit__pathway__in=ids)
                .defer("content")
                .order_by("pk")
            ),
            frozenset({"content", "source_digest", "queued_digest"}),
        ),
    ]


def identity_rectify(*, patient: Patient, values: dict) -> list[str]:
    """Change the identity fields given (a French ValidationError for a wrong value,
    nothing saved); returns the names of the fields that really changed."""
    unknown = set(values) - set(RECTIFIABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Champ(s) non rectifiable(s) : {', '.join(sorted(unknown))}.")
    if "ins" in values:
        values = {**values, "ins": clean_ins(values["ins"])}
    before = {name: getattr(patient, name) for name in values}
    for name, value in values.items():
        setattr(patient, name, value)
    patient.full_clean()
    if patient.birth_date > date.today():
        raise ValidationError(
            {"birth_date": "La date de naissance ne peut pas être dans le futur."}
        )
    changed = sorted(name for name in values if before[name] != getattr(patient, name))
    if changed:
        patient.save(update_fields=changed)
    return changed


def erase(pathways: Sequence[Pathway]) -> dict[str, int]:
    """Blank what identifies the patient or was written freely about them; keep the
    dates, statuses and codes the indicators count. Returns rows changed per kind."""
    ids = [p.pk for p in pathways]
    counts: dict[str, int] = {}
    for patient in Patient.objects.filter(pathways__in=ids).distinct():
        patient.last_name = ANONYMOUS_LAST_NAME
        patient.first_name = f"n° {patient.pk}"
        # The month of birth stays (the first of it): the age bands of the indicators
        # move by a few days at most; the exact date, which identifies, goes.
        patient.birth_date = patient.birth_date.replace(day=1)
        patient.address = patient.phone = patient.ins = patient.gp_name = ""
        patient.save()
        counts["patients"] = counts.get("patients", 0) + 1
    counts["pathways"] = Pathway.objects.filter(pk__in=ids).update(
        referrer="",
        out_of_territory_reason="",
        pps_reference="",
        ppac_reference="",
        dcc_reference="",
    )
    counts["intake_calls"] = IntakeCall.objects.filter(pathway__in=ids).update(reason="")
    counts["consents"] = Consent.objects.filter(pathway__in=ids).update(notes="")
    counts["treatments"] = Treatment.objects.filter(pathway__in=ids).update(notes="")
    # Contacts outside OncoLien are named by the patient's record only; members with an
    # account stay linked (their account is theirs, not the patient's).
    counts["care_team"] = CareTeamMember.objects.filter(pathway__in=ids, user__isnull=True).update(
        name="Contact effacé", phone="", email="", mssante_address=""
    )
    counts["status_changes"] = StatusChange.objects.filter(pathway__in=ids).update(reason="")
    counts["visits"] = Visit.objects.filter(pathway__in=ids).update(notes="")
    counts["monitoring_records"] = MonitoringRecord.objects.filter(pathway__in=ids).update(
        treatment_difficulties="", pain_location="", biology_anomalies="", observations=""
    )
    counts["alerts"] = Alert.objects.filter(pathway__in=ids).update(acknowledgement_comment="")
    counts["alert_comments"] = AlertComment.objects.filter(alert__pathway__in=ids).update(
        text="(effacé)"
    )
    counts["visit_reports"] = VisitReport.objects.filter(visit__pathway__in=ids).update(
        conclusion="", sending=[]
    )
    # The rendered file names the patient: it goes, and would be rendered again
    # (anonymised) if someone asked for it.
    counts["report_pdfs"] = ReportPdf.objects.filter(report__visit__pathway__in=ids).update(
        content=b"", source_digest="", queued_digest="", rendered_at=None, error=""
    )
    return counts
