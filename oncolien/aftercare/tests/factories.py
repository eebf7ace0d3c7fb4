"""Test data for the post-cancer programme, through the real services."""

from datetime import date

from oncolien.aftercare.eligibility import Prescriber
from oncolien.aftercare.services import PrescribedActs, programme_prescribe
from oncolien.directory.models import POST_CANCER_PROGRAMME_LABEL, Label
from oncolien.directory.tests.factories import make_service
from oncolien.pathways.services import pathway_update
from oncolien.pathways.tests.factories import make_pathway

ONCOLOGIST = Prescriber(role="oncologist", name="Dr Claire Vidal", rpps="")


def make_labelled_service(*, name: str = "Parcours après cancer", cpts="cpts-nord-aveyron"):
    service = make_service(
        cpts=cpts,
        name=name,
        organization=f"Centre {name}",
        care_types=["nutrition", "psychological", "physical_activity"],
        commune="12096",
    )
    service.labels.add(Label.objects.get(code=POST_CANCER_PROGRAMME_LABEL))
    return service


def make_eligible_pathway(*, actor, end_of_treatment: date, **patient):
    pathway = make_pathway(actor=actor, **patient)
    return pathway_update(
        actor=actor, pathway=pathway, cancer_ald=True, end_of_active_treatment_on=end_of_treatment
    )


def prescribe(*, actor, pathway, service, prescribed_on: date, today: date | None = None, **acts):
    acts = acts or {
        "dietary_assessment": True,
        "psychological_assessment": True,
        "dietary_follow_ups": 2,
        "psychological_follow_ups": 2,
    }
    return programme_prescribe(
        actor=actor,
        pathway=pathway,
        prescriber=ONCOLOGIST,
        prescribed_on=prescribed_on,
        service=service,
        acts=PrescribedActs(**acts),
        today=today or prescribed_on,
    )
