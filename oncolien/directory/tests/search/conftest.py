"""A small directory around Espalion (Nord Aveyron) and Castres (Sud Tarn).

Distances from Espalion's centroid: Saint-Côme-d'Olt 4.8 km, Bozouls 7.3 km,
Villecomtal 15.1 km, Laguiole 21.1 km, Rodez 23.7 km.
"""

from decimal import Decimal

import pytest

from oncolien.directory.models import Label
from oncolien.directory.services import service_save
from oncolien.directory.tests.factories import curator, make_service
from oncolien.territories.models import Commune

ESPALION, VILLECOMTAL, BOZOULS, LAGUIOLE, RODEZ = "12096", "12298", "12033", "12119", "12202"
CASTRES = "81065"
NORD, SUD = "cpts-nord-aveyron", "cpts-sud-tarn"


def _label(service, code: str) -> None:
    service.labels.add(Label.objects.get(code=code))


@pytest.fixture
def directory(base_data) -> dict:
    """The services by a short key; names are what the pages show."""
    made = {}
    made["diet_espalion"] = make_service(
        cpts=NORD,
        name="Consultation diététique",
        organization="Cabinet Diététique du Lot",
        care_types=["nutrition"],
        professions=["dietitian"],
        commune=ESPALION,
        description="Diététicienne formée en oncologie, sur rendez-vous.",
        cost="reimbursed",
    )
    made["ligue_cooking"] = make_service(
        cpts=NORD,
        name="Atelier cuisine et nutrition",
        organization="Espace Ligue Espalion",
        care_types=["nutrition", "healthy_lifestyle"],
        commune=ESPALION,
        description="Cuisiner malgré la perte d'appétit, entre patients et proches.",
        cost="free",
        for_relatives=True,
    )
    made["psy_villecomtal"] = make_service(
        cpts=NORD,
        name="Soutien psychologique",
        organization="Cabinet de psychologie Anne Martin",
        care_types=["psychological"],
        professions=["psychologist"],
        commune=VILLECOMTAL,
        cost="remaining_cost",
        remaining_cost_amount=Decimal("30.00"),
        phase_diagnosis=False,
    )
    made["apa_bozouls"] = make_service(
        cpts=NORD,
        name="Activité physique adaptée",
        organization="Maison Sport-Santé de Bozouls",
        care_types=["physical_activity"],
        professions=["apa_teacher"],
        commune=BOZOULS,
        cost="association_funded",
    )
    made["carers_laguiole"] = make_service(
        cpts=NORD,
        name="Groupe de parole des aidants",
        organization="Association Aidants Laguiole",
        care_types=["carer_support", "support_groups"],
        commune=LAGUIOLE,
        cost="free",
        for_patients=False,
        for_relatives=True,
    )
    made["physio_home"] = make_service(
        cpts=NORD,
        name="Kinésithérapie à domicile",
        organization="Cabinet de kiné de Rodez",
        care_types=["physical_activity"],
        professions=["physiotherapist"],
        commune=RODEZ,
        cost="reimbursed",
        is_home_service=True,
    )
    made["inactive"] = make_service(
        cpts=NORD,
        name="Ancienne consultation diététique",
        organization="Cabinet fermé d'Espalion",
        care_types=["nutrition"],
        professions=["dietitian"],
        commune=ESPALION,
        status="inactive",
    )
    made["diet_castres"] = make_service(
        cpts=SUD,
        name="Consultation diététique",
        organization="Diététicienne de Castres",
        care_types=["nutrition"],
        professions=["dietitian"],
        commune=CASTRES,
        cost="reimbursed",
    )
    made["aesthetics_castres"] = make_service(
        cpts=SUD,
        name="Socio-esthétique",
        organization="Espace Ligue Castres",
        care_types=["socio_aesthetics"],
        commune=CASTRES,
        cost="free",
    )
    # Labels and communes served go through the write service, as in the UI.
    _resave(made["ligue_cooking"], labels=["espace_ligue"])
    _resave(made["apa_bozouls"], labels=["maison_sport_sante"])
    _resave(made["physio_home"], communes_served=[ESPALION, "12216"])
    return made


def _resave(service, *, labels=(), communes_served=()) -> None:
    service_save(
        actor=curator(),
        organization=service.organization,
        service=service,
        care_types=list(service.care_types.all()),
        professions=list(service.professions.all()),
        labels=list(Label.objects.filter(code__in=labels)) or list(service.labels.all()),
        communes_served=list(Commune.objects.filter(insee_code__in=communes_served))
        or list(service.communes_served.all()),
        locations=list(service.locations.all()),
    )


def keys(directory: dict, page) -> list[str]:
    """The keys of the services of a result page, in the order found."""
    by_pk = {service.pk: key for key, service in directory.items()}
    return [by_pk[result.service.pk] for result in page.results]
