"""Everything held about one patient by one CPTS, gathered from every app.

The pathways app's rows (`pathways.patient_data`), each app's registered part
(`privacy.extensions`), the messages about those rows (`notifications`), the
audit trail's entries about them (`audit`) and the privacy app's own records.
The result is plain JSON values: the export's JSON file as it is, and what the
PDF lays out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone

from oncolien.audit.selectors import entries_about
from oncolien.notifications.selectors import deliveries_about
from oncolien.pathways import patient_data
from oncolien.pathways.models import Pathway, Patient
from oncolien.privacy.extensions import HeldSection, patient_data_parts
from oncolien.privacy.models import Anonymisation, DataExport, Rectification

# The version of the JSON file's structure: a reader checks it before reading on.
SCHEMA_VERSION = "1.0"
PARIS = ZoneInfo("Europe/Paris")


def pathways_of(pathway: Pathway) -> list[Pathway]:
    """The patient's pathways held by the CPTS of `pathway` (the controller asked)."""
    return list(
        Pathway.objects.filter(patient_id=pathway.patient_id, cpts_id=pathway.cpts_id).order_by(
            "first_contact_on", "pk"
        )
    )


def held_sections(pathways: Sequence[Pathway]) -> list[HeldSection]:
    sections = [
        HeldSection(key, title, rows, hidden)
        for key, title, rows, hidden in patient_data.held_rows(pathways)
    ]
    for part in patient_data_parts():
        sections.extend(part.held(pathways))
    patient_ids = {p.patient_id for p in pathways}
    ids = [p.pk for p in pathways]
    sections.append(
        HeldSection(
            "rectifications",
            "Rectifications",
            list(Rectification.objects.filter(pathway__in=ids).order_by("at", "pk")),
        )
    )
    sections.append(
        HeldSection(
            "exports",
            "Exports de ces données",
            list(DataExport.objects.filter(pathway__in=ids).defer("json_content", "pdf_content")),
            hidden=frozenset({"json_content", "pdf_content"}),
        )
    )
    sections.append(
        HeldSection(
            "anonymisations",
            "Anonymisation",
            list(Anonymisation.objects.filter(patient__in=patient_ids)),
        )
    )
    return sections


def targets_of(sections: Sequence[HeldSection]) -> dict[str, list[str]]:
    """{model label: [primary keys]} of every row held: what audit entries and messages
    name as their object."""
    targets: dict[str, list[str]] = {}
    for section in sections:
        for row in section.rows:
            targets.setdefault(row._meta.label_lower, []).append(str(row.pk))
    return targets


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(PARIS).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def row_values(row: models.Model, hidden: frozenset[str]) -> dict[str, Any]:
    """The row's fields as plain JSON values: a choice by its code, a link to another
    row by its id and name, dates in Paris time."""
    values: dict[str, Any] = {"id": row.pk}
    for field in row._meta.concrete_fields:
        if field.name in hidden or field.name == "id" or isinstance(field, models.BinaryField):
            continue
        if field.is_relation:
            related_id = getattr(row, field.attname)
            if related_id is None:
                values[field.name] = None
                continue
            related = getattr(row, field.name)
            label = (
                _person(related) if related._meta.label_lower == "accounts.user" else str(related)
            )
            values[field.name] = {"id": related_id, "libellé": label}
            continue
        values[field.name] = _plain(getattr(row, field.attname))
    for field in row._meta.many_to_many:
        values[field.name] = [str(item) for item in getattr(row, field.name).all()]
    return values


def field_labels(section: HeldSection) -> dict[str, str]:
    if not section.rows:
        return {}
    meta = section.rows[0]._meta
    return {
        field.name: str(field.verbose_name)
        for field in [*meta.concrete_fields, *meta.many_to_many]
        if field.name not in section.hidden and not isinstance(field, models.BinaryField)
    }


def _audit_rows(pathways: Sequence[Pathway], targets: dict[str, list[str]]) -> list[dict]:
    rows = []
    for entry in entries_about(targets=targets, pathway_ids=[p.pk for p in pathways]):
        row = {
            "numéro": entry.sequence,
            "date": _plain(entry.at),
            "auteur": entry.actor_label,
            "action": entry.action,
            "objet": f"{entry.target_type} {entry.target_id}".strip(),
            "détails": entry.details,
            "effacée": entry.redacted_in is not None,
        }
        # A professional's address is theirs; the patient's (a link opened without an
        # account) is the patient's own data.
        if entry.actor_id is None:
            row["adresse IP"] = entry.ip_address
            row["navigateur"] = entry.user_agent
        rows.append(row)
    return rows


def _delivery_rows(targets: dict[str, list[str]]) -> list[dict]:
    return [
        {
            "date": _plain(d.created_at),
            "canal": d.get_channel_display(),
            "destinataire": d.recipient_address,
            "type": d.kind,
            "objet du message": d.subject,
            "résultat": d.get_outcome_display(),
            "envoyé le": _plain(d.sent_at),
            "à propos de": f"{d.target_type} {d.target_id}",
        }
        for d in deliveries_about(targets)
    ]


@dataclass(frozen=True)
class PatientData:
    document: dict[str, Any]

    @property
    def sections(self) -> list[dict[str, Any]]:
        sections: list[dict[str, Any]] = self.document["sections"]
        return sections


def patient_data_of(pathway: Pathway, *, generated_at: datetime | None = None) -> PatientData:
    """The export's document for the patient of `pathway` (already authorised)."""
    pathways = pathways_of(pathway)
    sections = held_sections(pathways)
    targets = targets_of(sections)
    patient = Patient.objects.get(pk=pathway.patient_id)
    document = {
        "schema": "oncolien.patient-data",
        "schema_version": SCHEMA_VERSION,
        "généré_le": _plain(generated_at or timezone.now()),
        "fuseau_horaire": "Europe/Paris",
        "responsable_du_traitement": {"cpts": pathway.cpts.name, "slug": pathway.cpts.slug},
        "patient": {"id": patient.pk, "nom": str(patient)},
        "sections": [
            {
                "clé": section.key,
                "titre": section.title,
                "champs": field_labels(section),
                "lignes": [row_values(row, section.hidden) for row in section.rows],
            }
            for section in sections
        ],
    }
    document["sections"].append(
        {
            "clé": "messages",
            "titre": "Messages envoyés à ce sujet",
            "champs": {},
            "lignes": _delivery_rows(targets),
        }
    )
    document["sections"].append(
        {
            "clé": "audit",
            "titre": "Journal d'audit : consultations et modifications de ces données",
            "champs": {},
            "lignes": _audit_rows(pathways, targets),
        }
    )
    return PatientData(document=document)
