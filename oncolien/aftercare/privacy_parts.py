"""What the post-cancer programme holds about a patient, for the data rights
(registered in AppConfig.ready): the programme and its acts. They hold no free text
about the patient (the prescriber is a professional, the acts are codes, dates and
amounts the allowance and the ARS file count): the erasure leaves them."""

from collections.abc import Sequence

from oncolien.aftercare.models import PostCancerProgramme, ProgrammeAct
from oncolien.pathways.models import Pathway
from oncolien.privacy.extensions import HeldSection, PatientDataPart


def held(pathways: Sequence[Pathway]) -> list[HeldSection]:
    ids = [p.pk for p in pathways]
    return [
        HeldSection(
            "post_cancer_programmes",
            "Parcours de soins global après cancer",
            list(PostCancerProgramme.objects.filter(pathway__in=ids).order_by("pk")),
        ),
        HeldSection(
            "programme_acts",
            "Actes du parcours après cancer",
            list(ProgrammeAct.objects.filter(programme__pathway__in=ids).order_by("pk")),
        ),
    ]


def erase(pathways: Sequence[Pathway]) -> dict[str, int]:
    return {}


PART = PatientDataPart(name="aftercare", held=held, erase=erase)
