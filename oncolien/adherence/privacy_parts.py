"""What the hormone-therapy follow-up holds about a patient, for the data rights
(registered in AppConfig.ready): the plan and its contacts. The erasure blanks the
contacts' free notes and keeps the codes and dates the indicators may count."""

from collections.abc import Sequence

from oncolien.adherence.models import AdherenceContact, AdherencePlan
from oncolien.adherence.selectors import contact_line
from oncolien.adherence.vocabulary import vocabulary
from oncolien.pathways.models import Pathway
from oncolien.privacy.extensions import HeldSection, PatientDataPart


def held(pathways: Sequence[Pathway]) -> list[HeldSection]:
    ids = [p.pk for p in pathways]
    terms = vocabulary()
    return [
        HeldSection(
            "adherence_plans",
            "Suivi de l'hormonothérapie",
            list(AdherencePlan.objects.filter(pathway__in=ids).order_by("pk")),
        ),
        HeldSection(
            "adherence_contacts",
            "Contacts du suivi de l'hormonothérapie",
            list(AdherenceContact.objects.filter(plan__pathway__in=ids).order_by("pk")),
            described={
                "side_effects": lambda contact: contact_line(contact, terms).side_effects_text
            },
        ),
    ]


def erase(pathways: Sequence[Pathway]) -> dict[str, int]:
    changed = (
        AdherenceContact.objects.filter(plan__pathway__in=[p.pk for p in pathways])
        .exclude(notes="")
        .update(notes="")
    )
    return {"adherence_contacts": changed}


PART = PatientDataPart(name="adherence", held=held, erase=erase)
