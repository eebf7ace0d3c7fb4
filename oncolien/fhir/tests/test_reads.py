"""GET /fhir/[type]/[id]: what a client reads about a service, its organisation and places."""

from datetime import timedelta

import pytest
from django.utils import timezone

from oncolien.directory.services import organization_save, service_mark_verified
from oncolien.directory.tests.factories import curator
from oncolien.fhir import codesystems as cs
from oncolien.fhir.identifiers import FINESS_SYSTEM, RPPS_SYSTEM, SIRENE_SYSTEM
from oncolien.fhir.responses import CONTENT_TYPE
from oncolien.fhir.tests.conftest import LAGUIOLE, RODEZ, validated

pytestmark = pytest.mark.django_db


def codes(concepts: list[dict]) -> list[tuple[str, str]]:
    return [(coding["system"], coding["code"]) for c in concepts for coding in c["coding"]]


def test_a_service_reads_as_a_complete_healthcare_service(fhir, directory):
    service = directory.home_apa
    answer = fhir(f"/fhir/HealthcareService/{service.pk}")
    assert answer.status == 200
    assert answer.content_type == CONTENT_TYPE
    resource = answer.json
    assert resource["id"] == str(service.pk)
    assert resource["name"] == "Activité physique adaptée à domicile"
    assert resource["active"] is True
    assert resource["providedBy"] == {
        "reference": f"Organization/{service.organization.pk}",
        "display": "Cabinet de Mme Martin, enseignante APA",
    }
    assert codes(resource["category"]) == [(cs.CARE_TYPES.url, "physical_activity")]
    assert resource["type"] == resource["category"]
    assert codes(resource["specialty"]) == [(cs.PROFESSIONS.url, "apa_teacher")]
    assert codes(resource["program"]) == [(cs.LABELS.url, "maison_sport_sante")]
    assert codes(resource["characteristic"]) == [(cs.FEATURES.url, "home_service")]
    cost = resource["serviceProvisionCode"][0]
    assert cost["text"] == "Reste à charge : 15,50 €"
    assert (cs.SERVICE_PROVISION_SYSTEM, "cost") in codes([cost])
    assert [area["reference"] for area in resource["coverageArea"]] == [
        "Location/commune-12096",
        f"Location/commune-{LAGUIOLE}",
        f"Location/commune-{RODEZ}",
    ]
    assert [area["display"] for area in resource["coverageArea"]] == [
        "Espalion (12096)",
        "Laguiole (12119)",
        "Rodez (12202)",
    ]
    assert "à vérifier" in resource["comment"]


def test_eligibility_says_audience_phases_and_access_conditions(fhir, directory):
    relatives = fhir(f"/fhir/HealthcareService/{directory.relatives_support.pk}").json
    assert [rule["code"]["coding"][0]["code"] for rule in relatives["eligibility"]] == [
        "relatives",
        "diagnosis",
        "treatment",
        "after_treatment",
        "referral",
    ]
    diet = fhir(f"/fhir/HealthcareService/{directory.hospital_diet.pk}").json
    rules = {rule["code"]["coding"][0]["code"]: rule for rule in diet["eligibility"]}
    assert set(rules) == {"patients", "treatment", "after_treatment", "prescription"}
    assert rules["prescription"]["comment"] == "Sur prescription médicale"
    assert diet["telecom"] == [
        {"system": "phone", "value": "05 65 55 12 13", "use": "work"},
        {"system": "email", "value": "dietetique@ch-rodez.test", "use": "work"},
    ]
    assert "Free" not in str(diet["serviceProvisionCode"])


def test_a_verified_service_says_when_and_a_stale_one_asks_for_checking(fhir, directory):
    service = directory.awakening
    service_mark_verified(actor=curator(), service=service)
    today = timezone.localdate().strftime("%d/%m/%Y")
    comment = fhir(f"/fhir/HealthcareService/{service.pk}").json["comment"]
    assert comment == f"Informations vérifiées le {today}."
    service_mark_verified(
        actor=curator(), service=service, on=timezone.localdate() - timedelta(days=400)
    )
    comment = fhir(f"/fhir/HealthcareService/{service.pk}").json["comment"]
    assert comment.startswith("Informations à vérifier : dernière vérification le")


def test_demonstration_entries_are_labelled_as_test_data(fhir, directory):
    service = fhir(f"/fhir/HealthcareService/{directory.ligue_castres.pk}").json
    assert service["meta"]["security"] == [cs.TEST_DATA_SECURITY]
    assert "fictifs" in service["comment"]
    assert service["availabilityExceptions"] == (
        "Espace Ligue Castres — Castres : Mardi et jeudi, 14 h – 17 h"
    )
    organization = fhir(f"/fhir/Organization/{directory.ligue_castres.organization.pk}").json
    assert organization["meta"]["security"] == [cs.TEST_DATA_SECURITY]
    real = fhir(f"/fhir/HealthcareService/{directory.hospital_diet.pk}").json
    assert "security" not in real["meta"]


def test_an_inactive_service_still_reads_and_says_it_is_inactive(fhir, directory):
    resource = fhir(f"/fhir/HealthcareService/{directory.former_workshop.pk}").json
    assert resource["active"] is False


def test_every_reference_of_a_service_resolves(fhir, directory):
    for service in (directory.home_apa, directory.ligue_castres):
        resource = fhir(f"/fhir/HealthcareService/{service.pk}").json
        references = [resource["providedBy"]["reference"]]
        references += [place["reference"] for place in resource["location"]]
        references += [area["reference"] for area in resource["coverageArea"]]
        for reference in references:
            answer = fhir(f"/fhir/{reference}")
            assert answer.status == 200, reference
            assert f"{answer.json['resourceType']}/{answer.json['id']}" == reference


def test_an_organization_carries_its_french_identifiers(fhir, directory):
    hospital = fhir(f"/fhir/Organization/{directory.hospital_diet.organization.pk}").json
    assert [(i["system"], i["value"]) for i in hospital["identifier"]] == [
        (SIRENE_SYSTEM, "73282932000074"),
        (FINESS_SYSTEM, "120780044"),
    ]
    assert hospital["identifier"][0]["type"]["coding"][0]["code"] == "SIRET"
    assert hospital["extension"][0]["valueMarkdown"] == "Hôpital de référence du **Nord Aveyron**."
    teacher = fhir(f"/fhir/Organization/{directory.home_apa.organization.pk}").json
    assert [(i["system"], i["value"]) for i in teacher["identifier"]] == [
        (RPPS_SYSTEM, "10101010104")
    ]
    assert teacher["type"][0]["coding"][0]["code"] == "self_employed"


def test_a_nine_digit_number_is_published_as_a_siren(fhir, directory):
    organization = directory.awakening.organization
    organization_save(
        actor=curator(),
        cpts=organization.cpts,
        organization=organization,
        name=organization.name,
        kind=organization.kind,
        siret="732829320",
    )
    identifier = fhir(f"/fhir/Organization/{organization.pk}").json["identifier"][0]
    assert (identifier["system"], identifier["value"]) == (SIRENE_SYSTEM, "732829320")
    assert identifier["type"]["coding"][0]["code"] == "SIREN"


def test_a_place_reads_with_address_position_and_its_commune(fhir, directory):
    site = directory.ligue_castres.locations.get()
    resource = fhir(f"/fhir/Location/{site.pk}").json
    assert resource["address"] == {
        "use": "work",
        "type": "physical",
        "line": ["1 place de la Mairie"],
        "city": "Castres",
        "district": "81065",
        "country": "FRA",
    }
    assert resource["position"] == {"longitude": site.longitude, "latitude": site.latitude}
    assert resource["managingOrganization"]["reference"] == (f"Organization/{site.organization.pk}")
    assert resource["partOf"]["reference"] == "Location/commune-81065"
    assert resource["description"] == "Accessibilité : Accès de plain-pied"
    assert resource["availabilityExceptions"] == "Mardi et jeudi, 14 h – 17 h"


def test_a_commune_reads_as_an_area(fhir, base_data):
    resource = fhir(f"/fhir/Location/commune-{LAGUIOLE}").json
    assert resource["name"] == "Laguiole"
    assert resource["address"]["district"] == LAGUIOLE
    assert resource["physicalType"]["coding"][0]["code"] == "jdn"


@pytest.mark.parametrize(
    ("url", "resource_type", "resource_id"),
    [
        ("/fhir/HealthcareService/999999", "HealthcareService", "999999"),
        ("/fhir/HealthcareService/abc", "HealthcareService", "abc"),
        ("/fhir/Organization/999999", "Organization", "999999"),
        ("/fhir/Location/999999", "Location", "999999"),
        ("/fhir/Location/commune-99999", "Location", "commune-99999"),
        ("/fhir/CodeSystem/inconnu", "CodeSystem", "inconnu"),
    ],
)
def test_an_unknown_id_is_a_404_operation_outcome_in_french(
    fhir, base_data, url, resource_type, resource_id
):
    answer = fhir(url)
    assert answer.status == 404
    assert answer.content_type == CONTENT_TYPE
    assert answer.json["resourceType"] == "OperationOutcome"
    assert answer.json["issue"] == [
        {
            "severity": "error",
            "code": "not-found",
            "diagnostics": (
                f"Aucune ressource {resource_type} ne porte l'identifiant « {resource_id} »."
            ),
        }
    ]


@pytest.mark.parametrize("system_id", sorted(cs.CODE_SYSTEMS))
def test_our_code_systems_are_published(fhir, base_data, system_id):
    resource = fhir(f"/fhir/CodeSystem/{system_id}").json
    assert resource["url"] == cs.CODE_SYSTEMS[system_id].url
    assert resource["count"] == len(resource["concept"]) > 0


def test_care_type_codes_used_by_services_are_in_the_published_code_system(fhir, directory):
    published = {c["code"] for c in fhir("/fhir/CodeSystem/soins-de-support").json["concept"]}
    bundle = fhir("/fhir/HealthcareService?active=true,false").json
    used = {
        coding["code"]
        for entry in bundle["entry"]
        for concept in entry["resource"]["type"]
        for coding in concept["coding"]
    }
    assert used <= published
    validated(bundle)
