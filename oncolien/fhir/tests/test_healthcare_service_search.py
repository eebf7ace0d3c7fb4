"""GET /fhir/HealthcareService: each search parameter, on a small two-CPTS directory."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oncolien.fhir.codesystems import CARE_TYPES, FEATURES, LABELS, PROFESSIONS
from oncolien.fhir.tests.conftest import (
    CASTRES,
    ESPALION,
    LAGUIOLE,
    TOULOUSE,
    ids,
    names,
)

pytestmark = pytest.mark.django_db

URL = "/fhir/HealthcareService"


def found(fhir, **params) -> list[str]:
    answer = fhir(URL, params)
    assert answer.status == 200, answer.json
    return names(answer.json)


def test_search_lists_active_services_in_name_order_as_a_searchset(fhir, directory):
    answer = fhir(URL)
    bundle = answer.json
    assert answer.status == 200
    assert bundle["type"] == "searchset"
    assert bundle["total"] == 5
    assert names(bundle) == [
        "Activité physique adaptée à domicile",
        "Consultation diététique",
        "Socio-esthétique à l'Espace Ligue",
        "Soutien psychologique des proches",
        "Éveil corporel en groupe",
    ]
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert entry["fullUrl"] == f"http://testserver/fhir/HealthcareService/{resource['id']}"
        assert entry["search"] == {"mode": "match"}
        assert resource["active"] is True


def test_inactive_services_come_only_when_asked(fhir, directory):
    assert found(fhir, active="false") == ["Ancien atelier créatif"]
    assert len(found(fhir, active="true,false")) == 6
    assert "Ancien atelier créatif" not in found(fhir, active="true")


def test_name_starts_with_whatever_the_case_and_accents(fhir, directory):
    assert found(fhir, name="eveil") == ["Éveil corporel en groupe"]
    assert found(fhir, name="ÉVEIL COR") == ["Éveil corporel en groupe"]
    assert found(fhir, name="activite physique") == ["Activité physique adaptée à domicile"]
    # Starts-with is FHIR's default: a word inside the name is not enough.
    assert found(fhir, name="corporel") == []


def test_name_contains_finds_a_word_anywhere_and_ignores_separators(fhir, directory):
    assert found(fhir, **{"name:contains": "corporel"}) == ["Éveil corporel en groupe"]
    assert found(fhir, **{"name:contains": "DIETETIQUE"}) == ["Consultation diététique"]
    assert found(fhir, **{"name:contains": "socio esthetique a l espace"}) == [
        "Socio-esthétique à l'Espace Ligue"
    ]


def test_name_exact_wants_the_exact_name(fhir, directory):
    assert found(fhir, **{"name:exact": "Éveil corporel en groupe"}) == ["Éveil corporel en groupe"]
    assert found(fhir, **{"name:exact": "eveil corporel en groupe"}) == []


def test_name_alternatives_are_ored(fhir, directory):
    assert found(fhir, name="eveil,consultation") == [
        "Consultation diététique",
        "Éveil corporel en groupe",
    ]


@pytest.mark.parametrize("parameter", ["service-type", "service-category"])
def test_care_type_by_code_with_or_without_system(fhir, directory, parameter):
    expected = ["Activité physique adaptée à domicile", "Éveil corporel en groupe"]
    assert found(fhir, **{parameter: "physical_activity"}) == expected
    assert found(fhir, **{parameter: f"{CARE_TYPES.url}|physical_activity"}) == expected
    assert found(fhir, **{parameter: "http://autre.example/cs|physical_activity"}) == []
    assert found(fhir, **{parameter: "|physical_activity"}) == []
    assert len(found(fhir, **{parameter: f"{CARE_TYPES.url}|"})) == 5


def test_care_types_comma_is_or_and_repetition_is_and(client, fhir, directory):
    assert found(fhir, **{"service-type": "nutrition,socio_aesthetics"}) == [
        "Consultation diététique",
        "Socio-esthétique à l'Espace Ligue",
    ]
    answer = fhir(f"{URL}?service-type=physical_activity&service-type=healthy_lifestyle")
    assert names(answer.json) == ["Éveil corporel en groupe"]


def test_specialty_program_and_characteristic(fhir, directory):
    assert found(fhir, specialty="dietitian") == ["Consultation diététique"]
    assert found(fhir, specialty=f"{PROFESSIONS.url}|psychologist") == [
        "Soutien psychologique des proches"
    ]
    assert found(fhir, program=f"{LABELS.url}|espace_ligue") == [
        "Socio-esthétique à l'Espace Ligue"
    ]
    assert found(fhir, program="post_cancer_programme") == []
    assert found(fhir, characteristic=f"{FEATURES.url}|home_service") == [
        "Activité physique adaptée à domicile"
    ]


def test_organization_reference_in_any_spelling(fhir, directory):
    organization = directory.hospital_diet.organization
    for value in (f"Organization/{organization.pk}", str(organization.pk)):
        assert found(fhir, organization=value) == ["Consultation diététique"]
    assert found(fhir, organization=f"http://testserver/fhir/Organization/{organization.pk}") == [
        "Consultation diététique"
    ]
    assert found(fhir, organization="Organization/999999") == []


def test_location_reference(fhir, directory):
    site = directory.relatives_support.locations.get()
    assert found(fhir, location=f"Location/{site.pk}") == ["Soutien psychologique des proches"]


def test_coverage_area_by_insee_code_counts_places_and_communes_served(fhir, directory):
    # Laguiole: served at home by the APA teacher, and the place of the awakening group.
    expected = ["Activité physique adaptée à domicile", "Éveil corporel en groupe"]
    assert found(fhir, **{"coverage-area": LAGUIOLE}) == expected
    assert found(fhir, **{"coverage-area": f"Location/commune-{LAGUIOLE}"}) == expected
    assert found(fhir, **{"coverage-area": f"commune-{LAGUIOLE}"}) == expected
    assert found(fhir, **{"coverage-area": ESPALION}) == [
        "Activité physique adaptée à domicile",
        "Soutien psychologique des proches",
    ]
    assert found(fhir, **{"coverage-area": CASTRES}) == ["Socio-esthétique à l'Espace Ligue"]
    assert found(fhir, **{"coverage-area": TOULOUSE}) == []


def test_coverage_area_by_a_place_uses_the_commune_of_that_place(fhir, directory):
    rodez_hospital = directory.hospital_diet.locations.get()
    assert found(fhir, **{"coverage-area": f"Location/{rodez_hospital.pk}"}) == [
        "Activité physique adaptée à domicile",
        "Consultation diététique",
    ]


def test_search_by_ids(fhir, directory):
    wanted = f"{directory.awakening.pk},{directory.hospital_diet.pk},{directory.former_workshop.pk}"
    assert found(fhir, _id=wanted) == ["Consultation diététique", "Éveil corporel en groupe"]


def test_parameters_combine(fhir, directory):
    assert found(
        fhir, **{"service-type": "physical_activity", "coverage-area": ESPALION, "name": "act"}
    ) == ["Activité physique adaptée à domicile"]


def test_include_adds_organizations_places_and_communes_once(fhir, directory):
    query = (
        f"{URL}?coverage-area={LAGUIOLE}&_include=HealthcareService:organization"
        "&_include=HealthcareService:location&_include=HealthcareService:coverage-area"
    )
    bundle = fhir(query).json
    assert bundle["total"] == 2
    included = {
        (entry["resource"]["resourceType"], entry["resource"]["id"])
        for entry in bundle["entry"]
        if entry["search"]["mode"] == "include"
    }
    apa, awakening = directory.home_apa, directory.awakening
    assert included == {
        ("Organization", str(apa.organization.pk)),
        ("Organization", str(awakening.organization.pk)),
        ("Location", str(apa.locations.get().pk)),
        ("Location", str(awakening.locations.get().pk)),
        ("Location", "commune-12096"),
        ("Location", "commune-12119"),
        ("Location", "commune-12202"),
    }
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(urls) == len(set(urls))


def test_a_page_costs_the_same_number_of_queries_whatever_its_size(client, directory):
    def queries(count: int) -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(
                URL,
                {
                    "_count": count,
                    "_include": [
                        "HealthcareService:organization",
                        "HealthcareService:location",
                        "HealthcareService:coverage-area",
                    ],
                },
            )
        assert response.status_code == 200
        assert len(response.json()["entry"]) >= count
        return len(context.captured_queries)

    assert queries(1) == queries(5)


def test_ids_of_included_entries_are_not_counted_in_total(fhir, directory):
    bundle = fhir(f"{URL}?_include=HealthcareService:organization").json
    assert bundle["total"] == len(ids(bundle)) == 5
