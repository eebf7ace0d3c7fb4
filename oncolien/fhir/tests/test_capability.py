"""GET /fhir/metadata: the CapabilityStatement says what the server really does."""

import pytest

from oncolien.fhir.tests.conftest import validated

pytestmark = pytest.mark.django_db

# One valid value per advertised search parameter, to check the server accepts it.
SAMPLE_VALUES = {
    "_id": "1",
    "name": "a",
    "service-category": "nutrition",
    "service-type": "nutrition",
    "specialty": "dietitian",
    "program": "espace_ligue",
    "characteristic": "home_service",
    "organization": "Organization/1",
    "location": "Location/1",
    "coverage-area": "12202",
    "active": "true",
    "identifier": "120780044",
    "type": "association",
}


@pytest.fixture
def statement(fhir, base_data) -> dict:
    answer = fhir("/fhir/metadata")
    assert answer.status == 200
    return answer.json


def test_statement_is_a_valid_r4_json_capability_statement(statement):
    capability = validated(statement)
    assert capability.fhirVersion == "4.0.1"
    assert capability.kind == "instance"
    assert capability.status == "active"
    assert set(statement["format"]) == {"json", "application/fhir+json"}
    assert statement["implementation"]["url"] == "http://testserver/fhir"
    assert statement["rest"][0]["mode"] == "server"


def test_statement_lists_the_served_resources_and_their_interactions(statement):
    resources = {entry["type"]: entry for entry in statement["rest"][0]["resource"]}
    assert set(resources) == {
        "HealthcareService",
        "Organization",
        "Location",
        "CodeSystem",
        "ServiceRequest",
        "Task",
        "Questionnaire",
        "QuestionnaireResponse",
    }
    for entry in resources.values():
        assert {"code": "read"} in entry["interaction"]
    for searchable in ("HealthcareService", "Organization", "Location"):
        assert {"code": "search-type"} in resources[searchable]["interaction"]
    service = resources["HealthcareService"]
    assert {p["name"] for p in service["searchParam"]} >= {
        "name",
        "service-category",
        "service-type",
        "organization",
        "location",
        "coverage-area",
        "active",
    }
    assert "HealthcareService:organization" in service["searchInclude"]
    coverage = next(p for p in service["searchParam"] if p["name"] == "coverage-area")
    assert "code INSEE" in coverage["documentation"]


def test_every_advertised_search_parameter_is_accepted(fhir, statement):
    for entry in statement["rest"][0]["resource"]:
        for parameter in entry.get("searchParam", []):
            name = parameter["name"]
            answer = fhir(f"/fhir/{entry['type']}", {name: SAMPLE_VALUES[name]})
            assert answer.status == 200, (entry["type"], name, answer.json)
        for include in entry.get("searchInclude", []):
            assert fhir(f"/fhir/{entry['type']}", {"_include": include}).status == 200


def test_statement_documents_paging_and_strict_handling_in_french(statement):
    documentation = statement["rest"][0]["documentation"]
    assert "_offset" in documentation
    assert "handling=lenient" in documentation
