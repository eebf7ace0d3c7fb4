import pytest

BIG = str(2**64)
URLS = [
    "/annuaire/?page=" + BIG,
    "/api/v1/directory/services?page=" + BIG,
    "/fhir/HealthcareService?_id=" + BIG,
    "/fhir/HealthcareService?organization=" + BIG,
    "/fhir/HealthcareService?location=" + BIG,
    "/fhir/Organization?_id=" + BIG,
    "/fhir/Location?organization=" + BIG,
    "/fhir/HealthcareService/" + BIG,
    "/fhir/Organization/" + BIG,
    "/fhir/Location/" + BIG,
    "/fhir/ServiceRequest/" + BIG,
    "/fhir/QuestionnaireResponse/" + BIG,
    "/fhir/HealthcareService?coverage-area=" + BIG,
    "/hsds/services?page=" + BIG,
    "/orientations/" + BIG + "/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_probe(client, url):
    client.raise_request_exception = False
    r = client.get(url)
    print(url, r.status_code)
    assert r.status_code != 500
