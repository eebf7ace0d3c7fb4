"""A small directory over two CPTS, and a client that reads and validates FHIR JSON.

Every resource a test reads is parsed by the `fhir.resources` R4B models, so a
field the standard does not know, a wrong type or an empty element fails the
test that met it.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from fhir.resources.R4B import get_fhir_model_class

from oncolien.directory.models import Label, Service
from oncolien.directory.services import location_save, organization_save
from oncolien.directory.tests.factories import curator, make_service
from oncolien.territories.models import Commune, Cpts

NORD_AVEYRON = "cpts-nord-aveyron"
SUD_TARN = "cpts-sud-tarn"
ESPALION, LAGUIOLE, RODEZ, CASTRES, TOULOUSE = "12096", "12119", "12202", "81065", "31555"


def validated(payload: dict):
    """The R4B model of a FHIR JSON payload; raises if the payload is not valid FHIR."""
    return get_fhir_model_class(payload["resourceType"]).model_validate(payload)


@dataclass
class FhirAnswer:
    status: int
    content_type: str
    json: dict


@pytest.fixture
def fhir(client):
    """GET a FHIR URL (path or absolute), check it is FHIR JSON, validate it."""

    def _get(url: str, data: dict | None = None, **headers) -> FhirAnswer:
        response = client.get(url, data=data, headers=headers)
        payload = response.json()
        validated(payload)
        return FhirAnswer(response.status_code, response["Content-Type"], payload)

    return _get


def ids(bundle: dict, mode: str = "match") -> list[str]:
    return [
        entry["resource"]["id"]
        for entry in bundle.get("entry", [])
        if entry["search"]["mode"] == mode
    ]


def names(bundle: dict) -> list[str]:
    return [
        entry["resource"]["name"]
        for entry in bundle.get("entry", [])
        if entry["search"]["mode"] == "match"
    ]


@dataclass
class Directory:
    hospital_diet: Service
    relatives_support: Service
    home_apa: Service
    awakening: Service
    former_workshop: Service
    ligue_castres: Service


@pytest.fixture
def directory(base_data) -> Directory:
    actor = curator()
    nord = Cpts.objects.get(slug=NORD_AVEYRON)
    sud = Cpts.objects.get(slug=SUD_TARN)
    organization_save(
        actor=actor,
        cpts=nord,
        name="Centre hospitalier de Rodez",
        kind="health_establishment",
        siret="73282932000074",
        finess="120780044",
        phone="05 65 55 12 12",
        description="Hôpital de référence du **Nord Aveyron**.",
    )
    organization_save(
        actor=actor,
        cpts=nord,
        name="Cabinet de Mme Martin, enseignante APA",
        kind="self_employed",
        rpps="10101010104",
    )
    organization_save(
        actor=actor, cpts=sud, name="Espace Ligue Castres", kind="association", is_fictitious=True
    )
    hospital_diet = make_service(
        cpts=nord,
        name="Consultation diététique",
        organization="Centre hospitalier de Rodez",
        care_types=["nutrition"],
        professions=["dietitian"],
        commune=RODEZ,
        cost="reimbursed",
        access="prescription",
        phone="05 65 55 12 13",
        email="dietetique@ch-rodez.test",
        phase_diagnosis=False,
    )
    relatives_support = make_service(
        cpts=nord,
        name="Soutien psychologique des proches",
        care_types=["carer_support", "psychological"],
        professions=["psychologist"],
        commune=ESPALION,
        for_patients=False,
        for_relatives=True,
        access="referral",
    )
    home_apa = make_service(
        cpts=nord,
        name="Activité physique adaptée à domicile",
        organization="Cabinet de Mme Martin, enseignante APA",
        care_types=["physical_activity"],
        professions=["apa_teacher"],
        commune=RODEZ,
        cost="remaining_cost",
        remaining_cost_amount=Decimal("15.50"),
        is_home_service=True,
        communes_served=Commune.objects.filter(insee_code__in=[LAGUIOLE, ESPALION]),
        labels=Label.objects.filter(code="maison_sport_sante"),
    )
    awakening = make_service(
        cpts=nord,
        name="Éveil corporel en groupe",
        care_types=["physical_activity", "healthy_lifestyle"],
        commune=LAGUIOLE,
    )
    former_workshop = make_service(
        cpts=nord,
        name="Ancien atelier créatif",
        care_types=["creative_workshops"],
        commune=ESPALION,
        status="inactive",
    )
    ligue_castres = make_service(
        cpts=sud,
        name="Socio-esthétique à l'Espace Ligue",
        organization="Espace Ligue Castres",
        care_types=["socio_aesthetics"],
        commune=CASTRES,
        labels=Label.objects.filter(code="espace_ligue"),
    )
    location = ligue_castres.locations.get()
    location_save(
        actor=actor,
        organization=location.organization,
        commune=location.commune,
        location=location,
        opening_hours="Mardi et jeudi, 14 h – 17 h",
        accessibility="Accès de plain-pied",
    )
    return Directory(
        hospital_diet, relatives_support, home_apa, awakening, former_workshop, ligue_castres
    )
