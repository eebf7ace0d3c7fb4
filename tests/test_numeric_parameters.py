"""Numbers typed in a URL never answer 500, whatever their size.

Before: 2^64 (and 2^63) in `/annuaire/?page=`, in FHIR `_id`, `organization`,
`location`, `coverage-area` answered 500 (SQLite's OverflowError: its integers, like
a BigAutoField, stop at 2^63 - 1). Each endpoint is fed 2^64, 2^63, -1 and a word:
a page answers a French message, the API its JSON error shape, FHIR a 400
OperationOutcome for a number no resource can carry; and every route that takes a
number in its path is fed 2^64, signed in and not.
"""

import re

import pytest
from django.test import Client

from tests.routes.routes import api_operations_from_schema, django_routes

pytestmark = pytest.mark.django_db

HUGE, EDGE = str(2**64), str(2**63)
VALUES = (HUGE, EDGE, "-1", "abc")
TOO_BIG = (HUGE, EDGE)


def _get(client: Client, url: str):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code != 500, url
    return response


@pytest.mark.parametrize("value", VALUES)
def test_the_directory_page_number(client, base_data, value):
    response = _get(client, f"/annuaire/?page={value}")
    assert response.status_code in (200, 400)
    assert "Le numéro de page" in response.content.decode()


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("endpoint", ["/api/v1/directory/services", "/api/v1/territories/cpts"])
def test_the_api_page_number(client, base_data, endpoint, value):
    response = _get(client, f"{endpoint}?page={value}")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Données invalides."
    assert [error["field"] for error in body["errors"]] == ["page"]


FHIR_SEARCHES = [
    "/fhir/HealthcareService?_id=",
    "/fhir/HealthcareService?organization=",
    "/fhir/HealthcareService?organization=Organization/",
    "/fhir/HealthcareService?location=",
    "/fhir/HealthcareService?coverage-area=",
    "/fhir/HealthcareService?coverage-area=Location/",
    "/fhir/Organization?_id=",
    "/fhir/Location?_id=",
    "/fhir/Location?organization=",
    "/fhir/HealthcareService?_count=",
    "/fhir/HealthcareService?_offset=",
]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("search", FHIR_SEARCHES)
def test_fhir_search_numbers(client, base_data, search, value):
    response = _get(client, search + value)
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    paging = "_count" in search or "_offset" in search
    if value in TOO_BIG or paging:
        assert response.status_code == 400, body
        assert body["resourceType"] == "OperationOutcome"
        assert body["issue"][0]["code"] == "invalid"
        assert "nombre" in body["issue"][0]["diagnostics"]
    else:
        # -1 and a word are ids no resource carries: an empty search, as FHIR has it.
        assert response.status_code == 200, body
        assert body["resourceType"] == "Bundle" and body["total"] == 0


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize(
    "resource",
    [
        "HealthcareService",
        "Organization",
        "Location",
        "ServiceRequest",
        "Task",
        "QuestionnaireResponse",
    ],
)
def test_fhir_reads_of_numbers(client, login, coordinator, resource, value):
    for who in (client, login(coordinator)):
        response = _get(who, f"/fhir/{resource}/{value}")
        assert response.status_code == 404
        assert response.json()["resourceType"] == "OperationOutcome"


# --- Every route that takes a number in its path -----------------------------------


def _filled(route: str) -> str:
    """The route with 2^64 for each number and a plausible word for the rest."""
    path = re.sub(r"<int:\w+>", HUGE, route)
    path = re.sub(r"<(?:slug:|str:)?\w+>", "x", path)
    path = re.sub(r"<path:\w+>", "x", path)
    return "/" + path.lstrip("^").rstrip("$")


NUMBERED_ROUTES = sorted(
    {_filled(r.route) for r in django_routes() if "<int:" in r.route and not r.is_api}
)
NUMBERED_API = sorted(
    {
        (method, re.sub(r"\{\w+\}", HUGE, path))
        for method, path in api_operations_from_schema()
        if "{" in path
    }
)


def test_the_sweep_found_routes():
    assert len(NUMBERED_ROUTES) > 20 and len(NUMBERED_API) > 5


@pytest.mark.parametrize("url", NUMBERED_ROUTES)
def test_a_huge_number_in_a_page_address(client, login, coordinator, url):
    for who in (client, login(coordinator)):
        who.raise_request_exception = False
        for response in (who.get(url), who.post(url, {})):
            assert response.status_code != 500, url
            assert response.status_code in (302, 400, 403, 404, 405), url


@pytest.mark.parametrize(("method", "url"), NUMBERED_API)
def test_a_huge_number_in_an_api_address(login, coordinator, method, url):
    client = login(coordinator)
    client.raise_request_exception = False
    response = client.generic(method, url, "{}", content_type="application/json")
    assert response.status_code != 500, url
    assert response.status_code in (400, 403, 404, 405, 422), (url, response.content)
