"""How the FHIR server answers as a protocol: content type, errors, strict or lenient."""

import pytest

from oncolien.fhir.responses import CONTENT_TYPE
from oncolien.fhir.tests.conftest import names

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/fhir/metadata",
        "/fhir/HealthcareService",
        "/fhir/Organization",
        "/fhir/Location",
        "/fhir/CodeSystem/soins-de-support",
        "/fhir/HealthcareService/999999",
        "/fhir/HealthcareService?inconnu=1",
        "/fhir/Patient",
    ],
)
def test_every_answer_is_fhir_json_in_utf8(client, base_data, url):
    response = client.get(url)
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8" == CONTENT_TYPE
    assert response.content.decode("utf-8")


def test_an_unknown_search_parameter_is_refused_with_the_accepted_ones(fhir, base_data):
    answer = fhir("/fhir/HealthcareService?ville=Rodez")
    assert answer.status == 400
    issue = answer.json["issue"][0]
    assert issue["code"] == "not-supported"
    assert issue["diagnostics"].startswith(
        "Le paramètre de recherche « ville » n'est pas pris en charge pour HealthcareService."
    )
    assert "coverage-area" in issue["diagnostics"]


def test_lenient_handling_ignores_unknown_parameters_and_says_so(fhir, directory):
    answer = fhir("/fhir/HealthcareService?ville=Rodez&name=eveil", Prefer="handling=lenient")
    assert answer.status == 200
    bundle = answer.json
    assert names(bundle) == ["Éveil corporel en groupe"]
    outcome = [entry for entry in bundle["entry"] if entry["search"]["mode"] == "outcome"]
    assert len(outcome) == 1
    issue = outcome[0]["resource"]["issue"][0]
    assert issue["severity"] == "warning"
    assert "ville" in issue["diagnostics"]
    self_link = next(link["url"] for link in bundle["link"] if link["relation"] == "self")
    assert "ville" not in self_link
    assert "name=eveil" in self_link


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("name:sounds=eveil", "modificateur « :sounds »"),
        ("_include=HealthcareService:endpoint", "_include=HealthcareService:endpoint"),
        ("_summary=data", "_summary=data"),
    ],
)
def test_unsupported_modifiers_and_result_parameters_are_refused(fhir, base_data, query, words):
    answer = fhir(f"/fhir/HealthcareService?{query}")
    assert answer.status == 400
    assert words in answer.json["issue"][0]["diagnostics"]


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("active=peut-etre", "active attend true ou false"),
        ("organization=Patient/3", "organization attend une référence Organization/[id]"),
        ("coverage-area=Organization/3", "coverage-area attend une référence Location/[id]"),
    ],
)
def test_malformed_values_are_refused_in_french(fhir, base_data, query, words):
    answer = fhir(f"/fhir/HealthcareService?{query}")
    assert answer.status == 400
    assert answer.json["issue"][0]["code"] == "invalid"
    assert words in answer.json["issue"][0]["diagnostics"]


def test_an_empty_parameter_is_ignored(fhir, directory):
    bundle = fhir("/fhir/HealthcareService?name=&_count=&inconnu=").json
    assert bundle["total"] == len(bundle["entry"]) == 5


def test_only_json_is_served(fhir, base_data):
    assert fhir("/fhir/metadata?_format=json").status == 200
    assert fhir("/fhir/metadata?_format=application/fhir%2Bjson").status == 200
    answer = fhir("/fhir/metadata?_format=xml")
    assert answer.status == 406
    assert "ne sert que du JSON" in answer.json["issue"][0]["diagnostics"]


def test_writes_are_refused_as_operation_outcomes(client, base_data):
    response = client.post(
        "/fhir/HealthcareService", data="{}", content_type="application/fhir+json"
    )
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"] == CONTENT_TYPE
    assert "lecture seule" in response.json()["issue"][0]["diagnostics"]
    assert client.delete("/fhir/Organization/1").status_code == 405


@pytest.mark.parametrize("url", ["/fhir/Patient", "/fhir/Patient/1", "/fhir/"])
def test_an_unknown_resource_type_is_a_404_operation_outcome(fhir, base_data, url):
    answer = fhir(url)
    assert answer.status == 404
    assert answer.json["issue"][0]["code"] == "not-supported"
    assert "HealthcareService" in answer.json["issue"][0]["diagnostics"]


def test_a_trailing_slash_is_tolerated(fhir, directory):
    assert fhir("/fhir/HealthcareService/").json["total"] == 5
    assert fhir(f"/fhir/HealthcareService/{directory.awakening.pk}/").status == 200


def test_pretty_printing_on_request(client, base_data):
    assert b"\n" not in client.get("/fhir/metadata").content
    assert b'\n  "resourceType"' in client.get("/fhir/metadata?_pretty=true").content


def test_no_log_in_is_needed(client, directory):
    client.logout()
    assert client.get("/fhir/HealthcareService").status_code == 200
