"""What the sectors hold about a patient, for the data rights: who coordinated each
pathway and when. No free text: nothing to blank at anonymisation, the rows (dates
and nurses, no identity of the patient) stay."""

from collections.abc import Sequence

from oncolien.pathways.models import Pathway
from oncolien.privacy.extensions import HeldSection, PatientDataPart
from oncolien.sectors.models import NurseAssignment


def held(pathways: Sequence[Pathway]) -> list[HeldSection]:
    rows = NurseAssignment.objects.filter(pathway__in=[p.pk for p in pathways])
    return [
        HeldSection(
            "nurse_assignments",
            "Infirmier·ères de coordination successif·ves",
            list(rows.order_by("assigned_at", "pk")),
        )
    ]


def erase(pathways: Sequence[Pathway]) -> dict[str, int]:
    return {"nurse_assignments": 0}


PART = PatientDataPart(name="sectors", held=held, erase=erase)
