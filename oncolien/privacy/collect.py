"""Everything held about one patient by one CPTS, gathered from every app.

The pathways app's rows (`pathways.patient_data`), each app's registered part
(`privacy.extensions`), the messages about those rows (`notifications`), the
audit trail's entries about them (`audit`) and the privacy app's own records.
The result is plain JSON values: the export's JSON file as it is, and what the
PDF lays out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst

from oncolien.audit.selectors import entries_about
from oncolien.notifications.selectors import deliveries_about
from oncolien.pathways import patient_data
from oncolien.pathways.models import Pathway, Patient
from oncolien.privacy.extensions import HeldSection, patient_data_parts
from oncolien.privacy.models import Anonymisation, DataExport, Rectification

# The version of the JSON file's structure: a reader checks it before reading on.
# 1.1: a coded value, or a structure of codes, is {"code", "libellé"}; the object of an
# audit entry or a message is {"type", "id", "libellé"} (1.0 gave the bare code, and
# "app.model id").
SCHEMA_VERSION = "1.1"
PARIS = ZoneInfo("Europe/Paris")

# Django names a field that has none of its own after its attribute (« created at »).
# The export is the patient's to read (RGPD art. 12), so those names are said in French
# here; a field the export shows without a name of its own, nor one here, is caught by
# privacy/tests/test_export_readable.py.
AUTOMATIC_NAMES_IN_FRENCH = {
    "acknowledged_by": "prise en compte par",
    "answers": "réponses",
    "assessment": "évaluation",
    "at": "date",
    "author": "auteur·rice",
    "by": "par",
    "changed_at": "date du changement",
    "changed_by": "changement fait par",
    "channel": "canal",
    "completed_at": "terminée le",
    "created_at": "créé le",
    "created_by": "créé par",
    "detail": "précision",
    "expires_at": "expire le",
    "filled_by": "saisie par",
    "from_status": "statut précédent",
    "instrument": "questionnaire",
    "pathway": "parcours",
    "plan": "plan de suivi",
    "prescribed_at": "prescrit le",
    "programme": "parcours après cancer",
    "recipients": "destinataires",
    "record": "fiche de surveillance",
    "recorded_at": "enregistré le",
    "recorded_by": "enregistré par",
    "reason": "motif",
    "referral": "orientation",
    "results": "résultats",
    "revoked_at": "révoqué le",
    "started_at": "commencée le",
    "status": "statut",
    "to_status": "nouveau statut",
    "updated_at": "modifié le",
    "updated_by": "modifié par",
    "used_at": "utilisé le",
    "user": "compte",
    "via_provider_link": "par le lien du professionnel",
    "visit": "visite",
}


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


def _kind_and_number(meta: Any, pk: Any) -> str:
    return f"{capfirst(meta.verbose_name)} n° {pk}"


def _row_name(row: models.Model) -> str:
    """A linked row as a reader names it: a person by name, a row without a name of its
    own by its kind and number (« Visite n° 3 », never « Visit object (3) »)."""
    if row._meta.label_lower == "accounts.user":
        return _person(row)
    if type(row).__str__ is models.Model.__str__:
        return _kind_and_number(row._meta, row.pk)
    return str(row)


def _object(target_type: str, target_id: str) -> dict[str, str]:
    """What an audit entry or a message is about ("pathways.pathway", "1"), with its
    kind's French name."""
    if not target_type:
        return {"type": "", "id": "", "libellé": ""}
    try:
        label = _kind_and_number(apps.get_model(target_type)._meta, target_id)
    except (LookupError, ValueError):
        label = f"{target_type} {target_id}".strip()
    return {"type": target_type, "id": target_id, "libellé": label}


def _coded(field: models.Field, value: Any) -> Any:
    """A value of a field with choices as its code and its French label."""
    if value in (None, ""):
        return value
    return {"code": value, "libellé": str(dict(field.flatchoices).get(value, value))}


def row_values(
    row: models.Model,
    hidden: frozenset[str],
    described: Mapping[str, Callable[[Any], str]] | None = None,
) -> dict[str, Any]:
    """The row's fields as plain JSON values: a choice by its code and label, a link to
    another row by its id and name, a structure of codes with its French text (as the
    app that holds it describes it), dates in Paris time."""
    described = described or {}
    values: dict[str, Any] = {"id": row.pk}
    for field in row._meta.concrete_fields:
        if field.name in hidden or field.name == "id" or isinstance(field, models.BinaryField):
            continue
        if field.name in described:
            value = _plain(getattr(row, field.attname))
            text = described[field.name](row) if value not in (None, "", [], {}) else ""
            values[field.name] = {"code": value, "libellé": text} if text else value
            continue
        if field.is_relation:
            related_id = getattr(row, field.attname)
            if related_id is None:
                values[field.name] = None
                continue
            values[field.name] = {"id": related_id, "libellé": _row_name(getattr(row, field.name))}
            continue
        value = _plain(getattr(row, field.attname))
        values[field.name] = _coded(field, value) if field.choices else value
    for field in row._meta.many_to_many:
        values[field.name] = [str(item) for item in getattr(row, field.name).all()]
    return values


def _label(field: models.Field) -> str:
    if field.primary_key:
        return "numéro"
    name = str(field.verbose_name)
    if name == field.name.replace("_", " "):
        return AUTOMATIC_NAMES_IN_FRENCH.get(field.name, name)
    return name


def field_labels(section: HeldSection) -> dict[str, str]:
    if not section.rows:
        return {}
    meta = section.rows[0]._meta
    return {
        field.name: _label(field)
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
            "objet": _object(entry.target_type, entry.target_id),
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
            "à propos de": _object(d.target_type, d.target_id),
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
                "lignes": [
                    row_values(row, section.hidden, section.described) for row in section.rows
                ],
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
