"""What the return to work holds about a patient, for the data rights (registered in
AppConfig.ready). The erasure blanks the free texts (sector, adjustment, notes) and
keeps the codes and dates."""

from collections.abc import Sequence

from oncolien.pathways.models import Pathway
from oncolien.privacy.extensions import HeldSection, PatientDataPart
from oncolien.worklife.models import WorkSituation


def held(pathways: Sequence[Pathway]) -> list[HeldSection]:
    return [
        HeldSection(
            "work_situations",
            "Activité professionnelle et reprise du travail",
            list(WorkSituation.objects.filter(pathway__in=[p.pk for p in pathways]).order_by("pk")),
        )
    ]


def erase(pathways: Sequence[Pathway]) -> dict[str, int]:
    changed = WorkSituation.objects.filter(pathway__in=[p.pk for p in pathways]).update(
        employer_sector="", workstation_adjustment="", notes=""
    )
    return {"work_situations": changed}


PART = PatientDataPart(name="worklife", held=held, erase=erase)
